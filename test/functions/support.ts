/**
 * Test support for the Lambda handlers: real-shaped SQS events whose bodies are EventBridge
 * envelopes, a Lambda context, a recording EventPublisher, and a capture of what the
 * handlers write to stdout/stderr (Powertools Logger and the EMF metrics both print there).
 */
import { randomUUID } from 'node:crypto';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import type { EventPublisher, PipelineEvent } from '@vroegsignaal/domain';
import { logger } from '@vroegsignaal/functions';

export const ACCOUNT = '123456789012';
export const REGION = 'eu-west-1';
const QUEUE_ARN = (name: string) => `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}`;

export interface Envelope {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: unknown;
}

let envelopeCounter = 0;
/** An EventBridge event as an SQS target receives it. */
export function envelope(source: string, detailType: string, detail: unknown, id = `00000000-0000-4000-8000-${String(++envelopeCounter).padStart(12, '0')}`): Envelope {
  return { version: '0', id, 'detail-type': detailType, source, account: ACCOUNT, time: '2026-06-15T08:00:00Z', region: REGION, resources: [], detail };
}

let messageCounter = 0;
/** One SQS record; `body` is sent as is when a string, else JSON-encoded. */
export function sqsRecord(body: Envelope | string, queue = 'vroegsignaal-ingest'): SQSRecord {
  const messageId = `msg-${String(++messageCounter).padStart(6, '0')}`;
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return {
    messageId,
    receiptHandle: `rh-${messageId}`,
    body: text,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '1781503200000',
      SenderId: 'AIDAEXAMPLE',
      ApproximateFirstReceiveTimestamp: '1781503200001',
    },
    messageAttributes: {},
    md5OfBody: 'd41d8cd98f00b204e9800998ecf8427e',
    eventSource: 'aws:sqs',
    eventSourceARN: QUEUE_ARN(queue),
    awsRegion: REGION,
  };
}

export function sqsEvent(...records: SQSRecord[]): SQSEvent {
  return { Records: records };
}

export function lambdaContext(functionName = 'vroegsignaal-ingest'): Context {
  const unsupported = (): never => {
    throw new Error('callback-style context methods are not used');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2026/06/15/[$LATEST]0123456789abcdef0123456789abcdef',
    getRemainingTimeInMillis: () => 30_000,
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}

type DetailOf<T extends PipelineEvent['type']> = Extract<PipelineEvent, { type: T }>['detail'];

export class RecordingPublisher implements EventPublisher {
  readonly published: PipelineEvent[] = [];
  /** Publish calls, refused ones included. */
  calls = 0;
  /** Calls to refuse before the next one goes through: a bus that fails. */
  refuseNext = 0;
  async publish(events: PipelineEvent[]): Promise<void> {
    this.calls++;
    if (this.refuseNext > 0) {
      this.refuseNext--;
      throw Object.assign(new Error('1 pipeline event(s) were not accepted by the bus: InternalFailure'), { name: 'PublishError', code: 'PUBLISH_FAILED' });
    }
    this.published.push(...structuredClone(events));
  }
  of<T extends PipelineEvent['type']>(type: T): DetailOf<T>[] {
    return this.published.filter((e) => e.type === type).map((e) => e.detail as DetailOf<T>);
  }
}

/**
 * Runs `fn` with process.stdout and process.stderr writes captured (and not printed), and
 * returns its result with the text written. The shared logger is set to DEBUG for the call,
 * whatever POWERTOOLS_LOG_LEVEL another test file left behind.
 */
export async function captureOutput<T>(fn: () => Promise<T>): Promise<{ result: T; output: string }> {
  const chunks: string[] = [];
  const originalOut = process.stdout.write;
  const originalErr = process.stderr.write;
  const capture = ((chunk: unknown, ...rest: unknown[]) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    callback?.();
    return true;
  }) as typeof process.stdout.write;
  const level = logger.getLevelName();
  logger.setLogLevel('DEBUG');
  process.stdout.write = capture;
  process.stderr.write = capture;
  try {
    const result = await fn();
    return { result, output: chunks.join('') };
  } finally {
    process.stdout.write = originalOut;
    process.stderr.write = originalErr;
    logger.setLogLevel(level);
  }
}

/** The JSON lines of captured output (Powertools logs and EMF metric blobs). */
export function jsonLines(output: string): Record<string, unknown>[] {
  return output
    .split('\n')
    .filter((line) => line.trim().startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Values from the input that must never appear in a log line, in any spelling the code might produce. */
export function personalValues(values: { postcode?: string; houseNumber?: number; name?: string; phone?: string; email?: string }): string[] {
  const out: string[] = [];
  if (values.postcode) {
    out.push(values.postcode, values.postcode.replace(/\s+/g, ''), values.postcode.replace(/\s+/g, '').toUpperCase());
  }
  if (values.name) out.push(values.name);
  if (values.phone) out.push(values.phone);
  if (values.email) out.push(values.email);
  return [...new Set(out)];
}
