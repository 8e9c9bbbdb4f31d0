/**
 * SQS batches with partial failures (Powertools batch): a record that throws is reported
 * back and redelivered by the queue, up to its DLQ; the others are deleted. Records are
 * processed in order, one at a time, so that entries about one household from one batch
 * are judged in the order they arrived.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import * as z from 'zod';
import type { Logger } from '@aws-lambda-powertools/logger';
import { countWith } from './observability.ts';

/**
 * Where a record goes after its last attempt, with the reason it failed. SQS's own redrive
 * would move it too, but without saying why; here the handler sends it on the attempt the
 * queue would otherwise give up after, with the reason as message attributes.
 */
export interface DeadLetterPolicy {
  queue: DeadLetterQueue;
  /** The buffer's maxReceiveCount: the attempt on which a failing record is dead-lettered. */
  afterReceives: number;
}

export interface DeadLetterQueue {
  send(record: SQSRecord, reason: string): Promise<void>;
}

export function processSqsBatch(
  event: SQSEvent,
  context: Context,
  handleRecord: (record: SQSRecord) => Promise<void>,
  options: { log: Logger; deadLetters?: DeadLetterPolicy },
): Promise<SQSBatchResponse> {
  const handle = options.deadLetters ? deadLetterOnLastAttempt(handleRecord, options.deadLetters, options.log) : handleRecord;
  // One processor per invocation: a BatchProcessor keeps the batch's records, handler and
  // failures on itself, so a shared one mixes up invocations that overlap in one process
  // (the local pipeline runs all four functions, and tests run handlers, side by side).
  return processPartialResponse(event, handle, new BatchProcessor(EventType.SQS), { context, processInParallel: false });
}

function deadLetterOnLastAttempt(handleRecord: (record: SQSRecord) => Promise<void>, policy: DeadLetterPolicy, log: Logger) {
  return async (record: SQSRecord): Promise<void> => {
    try {
      await handleRecord(record);
    } catch (error) {
      if (Number(record.attributes.ApproximateReceiveCount) < policy.afterReceives) throw error;
      const reason = failureReason(error);
      await policy.queue.send(record, reason);
      countWith('RecordsDeadLettered', 'reason', reason.split(' ')[0]!);
      log.error('record dead-lettered after its last attempt', { messageId: record.messageId, receiveCount: record.attributes.ApproximateReceiveCount, reason });
    }
  };
}

/**
 * Why a record failed, for an operator, without personal data: our own errors carry a code
 * and messages written never to contain personal data; any other error (a JSON parser's
 * message can quote the input) is named by its class only.
 */
export function failureReason(error: unknown): string {
  const { name = 'Error', code, message } = (error ?? {}) as { name?: string; code?: unknown; message?: string };
  return typeof code === 'string' ? `${name} (${code}): ${message ?? ''}`.slice(0, 500) : name;
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

/**
 * What a handler factory takes: its use case's dependencies, with the policy and the clock
 * read per invocation (a config deployment or the replay's clock may change them).
 */
export type HandlerDeps<UseCaseDeps extends { policy?: unknown; nowMs: number }> = Omit<UseCaseDeps, 'policy' | 'nowMs'> &
  (UseCaseDeps extends { policy: infer P } ? { policy: () => P } : unknown) & { clock: () => number; deadLetters?: DeadLetterPolicy };
