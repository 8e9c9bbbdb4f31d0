/**
 * Lambda's SQS event source mapping, locally: long-poll a queue, hand batches to a handler as a
 * real-shaped `SQSEvent` with a Lambda-like `Context`, and settle the batch the way Lambda does
 * with `ReportBatchItemFailures` on:
 * - records not listed in `batchItemFailures` are deleted;
 * - if the handler throws (or times out), no record is deleted;
 * - failed records become visible again and the queue's own RedrivePolicy moves them to the DLQ
 *   after `maxReceiveCount` receives.
 * ("Handling errors for an SQS event source in Lambda", "Reporting batch item failures".)
 */
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type Message,
  type MessageAttributeValue,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSMessageAttributes, SQSRecord, SQSRecordAttributes } from 'aws-lambda';
import { localLambdaContext, localLogStreamName } from './lambda-context.ts';

/** A Lambda SQS handler: it returns a batch response, or nothing when every record succeeded. */
export type SqsLambdaHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | undefined> | Promise<void>;

export interface SqsEventSourceOptions {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  /** `arn:aws:sqs:<region>:<account>:<name>`; gives `eventSourceARN`, the region and the account. */
  readonly queueArn: string;
  readonly handler: SqsLambdaHandler;
  readonly functionName: string;
  /** 1-10: one ReceiveMessage call per batch (Lambda's batching window is not imitated). */
  readonly batchSize?: number;
  /** Long-poll wait per ReceiveMessage, 1-20 s. */
  readonly waitTimeSeconds?: number;
  /** Passed to ReceiveMessage; by default the queue's own VisibilityTimeout applies. */
  readonly visibilityTimeoutSeconds?: number;
  /**
   * After a failure, make the failed records visible again after this many seconds, instead
   * of the queue's full visibility timeout, for faster local retries. `null` keeps the queue's
   * visibility timeout, exactly as Lambda does.
   */
  readonly retryDelaySeconds?: number | null;
  /** Parallel pollers, each invoking the handler with its own batches. */
  readonly concurrency?: number;
  /** The function timeout: drives `getRemainingTimeInMillis`; an invocation that overruns it fails. */
  readonly timeoutSeconds?: number;
  readonly memoryLimitInMB?: number;
  /** Called when an invocation fails as a whole. By default one line (function name, error class) goes to stderr. */
  readonly onError?: (error: unknown, info: { readonly functionName: string; readonly records: number }) => void;
}

export interface SqsEventSourceStats {
  /** Handler invocations. */
  readonly batches: number;
  /** Records handed to the handler. */
  readonly records: number;
  /** Records not deleted: listed as failed, or in a batch that failed as a whole. */
  readonly failures: number;
  /** Invocations that threw or timed out. */
  readonly handlerErrors: number;
  /** Time spent inside the handler, summed over invocations (what Lambda would bill). */
  readonly invocationMs: number;
}

export interface SqsEventSource {
  /** Stops polling and waits for running invocations to settle. */
  stop(): Promise<void>;
  stats(): SqsEventSourceStats;
  /** True when no batch is being handled or settled (a poller may be waiting on ReceiveMessage). */
  isIdle(): boolean;
}

const DEFAULT_TIMEOUT_SECONDS = 30;
const DEFAULT_MEMORY_MB = 128;
const POLL_ERROR_BACKOFF_MS = 250;

/** Thrown by an invocation that runs past the function timeout. */
export class LambdaTimeoutError extends Error {
  constructor(functionName: string, timeoutSeconds: number) {
    super(`Function ${functionName} timed out after ${timeoutSeconds} seconds.`);
    this.name = 'LambdaTimeoutError';
  }
}

export function startSqsEventSource(options: SqsEventSourceOptions): SqsEventSource {
  const {
    sqs,
    queueUrl,
    queueArn,
    handler,
    functionName,
    batchSize = 10,
    waitTimeSeconds = 1,
    visibilityTimeoutSeconds,
    retryDelaySeconds = 1,
    concurrency = 1,
    timeoutSeconds = DEFAULT_TIMEOUT_SECONDS,
    memoryLimitInMB = DEFAULT_MEMORY_MB,
    onError = reportInvocationError,
  } = options;
  requireIntegerInRange('batchSize', batchSize, 1, 10);
  // Lambda always long-polls; a zero wait would spin on an empty queue.
  requireIntegerInRange('waitTimeSeconds', waitTimeSeconds, 1, 20);
  requireIntegerInRange('concurrency', concurrency, 1, 100);
  if (retryDelaySeconds !== null) requireIntegerInRange('retryDelaySeconds', retryDelaySeconds, 0, 43_200);
  const { region, account } = parseQueueArn(queueArn);
  const logStreamName = localLogStreamName();

  const counters = { batches: 0, records: 0, failures: 0, handlerErrors: 0, invocationMs: 0 };
  const abort = new AbortController();
  let activeBatches = 0;
  let stopping = false;

  const createContext = () => localLambdaContext({ functionName, region, account, timeoutSeconds, memoryLimitInMB, logStreamName });

  async function invoke(event: SQSEvent): Promise<unknown> {
    const startedAt = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new LambdaTimeoutError(functionName, timeoutSeconds)), timeoutSeconds * 1000);
    });
    try {
      return await Promise.race([handler(event, createContext()), timeout]);
    } finally {
      clearTimeout(timer);
      counters.invocationMs += performance.now() - startedAt;
    }
  }

  async function handleBatch(messages: Message[]): Promise<void> {
    const records = messages.map((message) => toRecord(message, queueArn, region));
    counters.batches += 1;
    counters.records += records.length;
    let failedIds: ReadonlySet<string>;
    try {
      failedIds = failedRecordIds(await invoke({ Records: records }), records);
    } catch (error) {
      counters.handlerErrors += 1;
      onError(error, { functionName, records: records.length });
      failedIds = new Set(records.map((record) => record.messageId));
    }
    counters.failures += failedIds.size;
    const succeeded = records.filter((record) => !failedIds.has(record.messageId));
    const failed = records.filter((record) => failedIds.has(record.messageId));
    await settle(succeeded, failed);
  }

  async function settle(succeeded: readonly SQSRecord[], failed: readonly SQSRecord[]): Promise<void> {
    if (succeeded.length > 0) {
      const result = await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: succeeded.map((record, index) => ({ Id: String(index), ReceiptHandle: record.receiptHandle })),
        }),
      );
      if ((result.Failed ?? []).length > 0) {
        process.stderr.write(`[sqs-event-source] ${functionName}: ${result.Failed?.length} deletes failed; those records will be redelivered\n`);
      }
    }
    if (failed.length > 0 && retryDelaySeconds !== null) {
      await sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: queueUrl,
          Entries: failed.map((record, index) => ({
            Id: String(index),
            ReceiptHandle: record.receiptHandle,
            VisibilityTimeout: retryDelaySeconds,
          })),
        }),
      );
    }
  }

  async function poll(): Promise<void> {
    while (!stopping) {
      try {
        const { Messages: messages = [] } = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: batchSize,
            WaitTimeSeconds: waitTimeSeconds,
            MessageSystemAttributeNames: ['All'],
            MessageAttributeNames: ['All'],
            ...(visibilityTimeoutSeconds === undefined ? {} : { VisibilityTimeout: visibilityTimeoutSeconds }),
          }),
          { abortSignal: abort.signal },
        );
        if (messages.length === 0) continue;
        activeBatches += 1;
        try {
          await handleBatch(messages);
        } finally {
          activeBatches -= 1;
        }
      } catch (error) {
        if (stopping) break;
        process.stderr.write(`[sqs-event-source] ${functionName}: receive or settle failed (${errorName(error)}), retrying\n`);
        await sleep(POLL_ERROR_BACKOFF_MS);
      }
    }
  }

  const pollers = Array.from({ length: concurrency }, () => poll());

  return {
    // Aborts the pending long polls. A message SQS hands out just as a poll is aborted stays
    // invisible for the visibility timeout, as with any consumer that goes away.
    async stop() {
      stopping = true;
      abort.abort();
      await Promise.all(pollers);
    },
    stats: () => ({ ...counters }),
    isIdle: () => activeBatches === 0,
  };
}

export interface WaitForQuietOptions {
  readonly sqs: SQSClient;
  readonly queueUrls: readonly string[];
  readonly sources: readonly SqsEventSource[];
  /** How long everything must stay quiet before resolving. */
  readonly quietMs?: number;
  /** Reject if the pipeline has not settled within this time. */
  readonly timeoutMs?: number;
  readonly pollIntervalMs?: number;
}

/**
 * Resolves once every listed queue is empty (visible, in flight and delayed messages all zero)
 * and no source is running its handler, continuously for `quietMs`. Rejects after `timeoutMs`,
 * naming the queues that still held messages.
 */
export async function waitForQuiet(options: WaitForQuietOptions): Promise<void> {
  const { sqs, queueUrls, sources, quietMs = 300, timeoutMs = 20_000, pollIntervalMs = 50 } = options;
  const startedAt = Date.now();
  let quietSince: number | undefined;
  for (;;) {
    const depths = await Promise.all(queueUrls.map((queueUrl) => queueDepth(sqs, queueUrl)));
    const handlersRunning = sources.some((source) => !source.isIdle());
    const quiet = !handlersRunning && depths.every((depth) => depth === 0);
    const now = Date.now();
    if (!quiet) quietSince = undefined;
    else if (quietSince === undefined) quietSince = now;
    else if (now - quietSince >= quietMs) return;
    if (now - startedAt > timeoutMs) {
      const busyQueues = queueUrls.flatMap((queueUrl, index) => (depths[index] === 0 ? [] : [`${queueUrl} (${depths[index]})`]));
      throw new QuietTimeoutError(timeoutMs, busyQueues, handlersRunning);
    }
    await sleep(pollIntervalMs);
  }
}

export class QuietTimeoutError extends Error {
  constructor(timeoutMs: number, busyQueues: readonly string[], handlersRunning: boolean) {
    super(
      `Pipeline did not settle within ${timeoutMs} ms: ` +
        [busyQueues.length > 0 ? `messages left on ${busyQueues.join(', ')}` : '', handlersRunning ? 'a handler is still running' : '']
          .filter((part) => part !== '')
          .join('; '),
    );
    this.name = 'QuietTimeoutError';
  }
}

async function queueDepth(sqs: SQSClient, queueUrl: string): Promise<number> {
  const { Attributes: attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
    }),
  );
  return (
    Number(attributes.ApproximateNumberOfMessages ?? 0) +
    Number(attributes.ApproximateNumberOfMessagesNotVisible ?? 0) +
    Number(attributes.ApproximateNumberOfMessagesDelayed ?? 0)
  );
}

/**
 * Lambda's reading of a `ReportBatchItemFailures` response: no response or an empty list means
 * every record succeeded; an identifier that is missing, empty or not a message of this batch
 * makes the whole batch a failure.
 */
function failedRecordIds(response: unknown, records: readonly SQSRecord[]): ReadonlySet<string> {
  const all = new Set(records.map((record) => record.messageId));
  const failures: unknown = (response as { batchItemFailures?: unknown } | undefined | null)?.batchItemFailures;
  if (failures === undefined || failures === null) return new Set();
  if (!Array.isArray(failures)) return all;
  const failed = new Set<string>();
  for (const failure of failures) {
    const id: unknown = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || !all.has(id)) return all;
    failed.add(id);
  }
  return failed;
}

/** The record shape Lambda builds from an SQS message (attribute names camel-cased). */
function toRecord(message: Message, queueArn: string, region: string): SQSRecord {
  const attributes = message.Attributes ?? {};
  const record: SQSRecord = {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
      SentTimestamp: attributes.SentTimestamp ?? '',
      SenderId: attributes.SenderId ?? '',
      ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? '',
    },
    messageAttributes: toRecordAttributes(message.MessageAttributes ?? {}),
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
  // Present only when SQS has them (FIFO queues, X-Ray tracing, DLQ redrive).
  for (const name of OPTIONAL_SYSTEM_ATTRIBUTES) {
    const value = attributes[name];
    if (value !== undefined) record.attributes[name] = value;
  }
  if (message.MD5OfMessageAttributes !== undefined) record.md5OfMessageAttributes = message.MD5OfMessageAttributes;
  return record;
}

const OPTIONAL_SYSTEM_ATTRIBUTES = [
  'AWSTraceHeader',
  'SequenceNumber',
  'MessageGroupId',
  'MessageDeduplicationId',
  'DeadLetterQueueSourceArn',
] as const satisfies readonly (keyof SQSRecordAttributes)[];

function toRecordAttributes(attributes: Record<string, MessageAttributeValue>): SQSMessageAttributes {
  const result: SQSMessageAttributes = {};
  for (const [name, value] of Object.entries(attributes)) {
    result[name] = {
      dataType: value.DataType ?? 'String',
      // Lambda always includes the (unused) list fields and base64-encodes binary values.
      stringListValues: value.StringListValues ?? [],
      binaryListValues: (value.BinaryListValues ?? []).map((binary) => Buffer.from(binary).toString('base64')),
      ...(value.StringValue === undefined ? {} : { stringValue: value.StringValue }),
      ...(value.BinaryValue === undefined ? {} : { binaryValue: Buffer.from(value.BinaryValue).toString('base64') }),
    };
  }
  return result;
}

function parseQueueArn(queueArn: string): { region: string; account: string } {
  const match = /^arn:aws:sqs:([^:]+):(\d{12}):[^:]+$/.exec(queueArn);
  if (match === null || match[1] === undefined || match[2] === undefined) {
    throw new Error(`queueArn must look like arn:aws:sqs:<region>:<account>:<name>, got "${queueArn}".`);
  }
  return { region: match[1], account: match[2] };
}

function requireIntegerInRange(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer from ${min} to ${max}, got ${value}.`);
  }
}

/** Only the error's class: messages may quote the personal data in the records. */
function reportInvocationError(error: unknown, info: { readonly functionName: string; readonly records: number }): void {
  process.stderr.write(`[sqs-event-source] ${info.functionName}: invocation failed (${errorName(error)}); ${info.records} records will be retried\n`);
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
