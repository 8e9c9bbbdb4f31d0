/**
 * SQS batches with partial failures (Powertools batch): a record that throws is reported
 * back and redelivered by the queue, up to its DLQ; the others are deleted. Records are
 * processed in order, one at a time, so that entries about one household from one batch
 * are judged in the order they arrived.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import * as z from 'zod';

export function processSqsBatch(event: SQSEvent, context: Context, handleRecord: (record: SQSRecord) => Promise<void>): Promise<SQSBatchResponse> {
  // One processor per invocation: a BatchProcessor keeps the batch's records, handler and
  // failures on itself, so a shared one mixes up invocations that overlap in one process
  // (the local pipeline runs all four functions, and tests run handlers, side by side).
  return processPartialResponse(event, handleRecord, new BatchProcessor(EventType.SQS), { context, processInParallel: false });
}

/**
 * The EventBridge event an SQS target delivered; its detail is left for the domain to judge.
 * (Powertools parser has this envelope too, but it imports zod whole, locales included, which
 * would quadruple every bundle.)
 */
const busEventSchema = z.object({
  version: z.string(),
  id: z.string().min(1),
  'detail-type': z.string(),
  source: z.string(),
  account: z.string(),
  time: z.string(),
  region: z.string(),
  resources: z.array(z.string()),
  detail: z.unknown(),
});
export type BusEvent = z.infer<typeof busEventSchema>;

export function parseBusEvent(record: SQSRecord): BusEvent {
  return busEventSchema.parse(JSON.parse(record.body));
}
