/**
 * SQS batches with partial failures (Powertools batch): a record that throws is reported
 * back and redelivered by the queue, up to its DLQ; the others are deleted. One that fails
 * because of what a partner sent goes to the DLQ at once, at WARN (faults.ts). Records are
 * processed in order, one at a time, so that entries about one household from one batch
 * are judged in the order they arrived. The events the records produce are published
 * together after the batch, ten to a PutEvents request, instead of one request per record.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import * as z from 'zod';
import type { Logger } from '@aws-lambda-powertools/logger';
import { failureReason, type EventPublisher, type PipelineEvent } from '@vroegsignaal/domain';
import { partnerFaultOf, type PartnerFaultInfo } from './faults.ts';
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

export interface BatchOptions {
  log: Logger;
  deadLetters?: DeadLetterPolicy;
  /** Where the events the records return go, once the whole batch is handled. */
  publisher?: EventPublisher;
}

export async function processSqsBatch(
  event: SQSEvent,
  context: Context,
  handleRecord: (record: SQSRecord) => Promise<PipelineEvent[] | undefined> | Promise<void>,
  options: BatchOptions,
): Promise<SQSBatchResponse> {
  const toPublish: { record: SQSRecord; events: PipelineEvent[] }[] = [];
  const handle = async (record: SQSRecord): Promise<void> => {
    const events = await handleRecord(record);
    if (events && events.length > 0) toPublish.push({ record, events });
  };
  // One processor per invocation: a BatchProcessor keeps the batch's records, handler and
  // failures on itself, so a shared one mixes up invocations that overlap in one process
  // (the local pipeline runs all four functions, and tests run handlers, side by side).
  const response = await processPartialResponse(event, withDeadLetters(handle, options), new BatchProcessor(EventType.SQS), { context, processInParallel: false });
  if (toPublish.length === 0) return response;
  if (!options.publisher) throw new Error('records returned events, but the handler has no publisher');
  try {
    await options.publisher.publish(toPublish.flatMap((p) => p.events));
    return response;
  } catch (error) {
    // The bus refused (some of) the batch's events: every record that had events is tried
    // again. Its redelivery finds its work done and is told the same; the outcomes stage
    // keeps each outcome once.
    options.log.warn('events of the batch not published; their records are tried again', { records: toPublish.length, reason: failureReason(error) });
    const failures = [...response.batchItemFailures];
    for (const { record } of toPublish) {
      if (isLastAttempt(record, options.deadLetters)) await deadLetter(record, error, options.deadLetters!, options.log);
      else failures.push({ itemIdentifier: record.messageId });
    }
    return { batchItemFailures: failures };
  }
}

/**
 * A record that fails is tried again, and dead-lettered on its last attempt. One that fails
 * because of what a partner sent (faults.ts) would fail the same way every time: it goes to the
 * DLQ at once, logged at WARN with its rule, and the batch goes on as if it had succeeded, so
 * that neither an ERROR line nor a failed invocation can be caused from outside.
 */
function withDeadLetters(handleRecord: (record: SQSRecord) => Promise<void>, options: BatchOptions) {
  const { deadLetters, log } = options;
  return async (record: SQSRecord): Promise<void> => {
    try {
      await handleRecord(record);
    } catch (error) {
      const partner = partnerFaultOf(error);
      if (partner) {
        countWith('PartnerFaults', 'rule', partner.rule);
        if (deadLetters) return deadLetter(record, error, deadLetters, log, partner);
        log.warn('record failed because of what a partner sent; it is tried again', { messageId: record.messageId, rule: partner.rule, reason: partner.reason });
        throw error;
      }
      if (!deadLetters || !isLastAttempt(record, deadLetters)) throw error;
      await deadLetter(record, error, deadLetters, log);
    }
  };
}

function isLastAttempt(record: SQSRecord, policy: DeadLetterPolicy | undefined): boolean {
  return policy !== undefined && Number(record.attributes.ApproximateReceiveCount) >= policy.afterReceives;
}

/** Sends the record to the DLQ with the reason; ERROR for ours, WARN with the rule for a partner's (faults.ts). */
async function deadLetter(record: SQSRecord, error: unknown, policy: DeadLetterPolicy, log: Logger, partner?: PartnerFaultInfo): Promise<void> {
  const reason = partner?.reason ?? failureReason(error);
  await policy.queue.send(record, reason);
  countWith('RecordsDeadLettered', 'reason', partner?.rule ?? reason.split(' ')[0]!);
  const fields = { messageId: record.messageId, receiveCount: record.attributes.ApproximateReceiveCount, reason };
  if (partner) log.warn('record dead-lettered: what a partner sent cannot be stored', { ...fields, rule: partner.rule });
  else log.error('record dead-lettered after its last attempt', fields);
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
 * read per record (a config deployment or the replay's clock may change them between records),
 * and the policy's version for the log lines (see middify.ts).
 */
export type HandlerDeps<UseCaseDeps extends { policy?: unknown; nowMs: number }> = Omit<UseCaseDeps, 'policy' | 'nowMs'> &
  (UseCaseDeps extends { policy: infer P } ? { policy: () => P; policyVersion?: () => string | undefined } : unknown) & {
    clock: () => number;
    deadLetters?: DeadLetterPolicy;
  };
