/**
 * The local SQS event source mapping on fauxqs: batches handed to a handler as Lambda would,
 * settled as Lambda does with ReportBatchItemFailures, and the queue's redrive policy doing the
 * rest.
 */
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { startFauxqs, type FauxqsServer } from 'fauxqs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { QuietTimeoutError, startSqsEventSource, waitForQuiet, type SqsEventSource, type SqsEventSourceOptions } from '@vroegsignaal/stand-ins';

const REGION = 'eu-west-1';

let fauxqs: FauxqsServer;
let sqs: SQSClient;
let queueCounter = 0;
const sources: SqsEventSource[] = [];

beforeAll(async () => {
  fauxqs = await startFauxqs({ port: 0, logger: false, defaultRegion: REGION });
  sqs = new SQSClient({ region: REGION, endpoint: fauxqs.address, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
});

afterEach(async () => {
  await Promise.all(sources.splice(0).map((source) => source.stop()));
  vi.restoreAllMocks();
});

afterAll(async () => {
  sqs?.destroy();
  await fauxqs?.stop();
});

interface Queue {
  readonly url: string;
  readonly arn: string;
}

async function createQueue(attributes: Record<string, string> = {}): Promise<Queue> {
  queueCounter += 1;
  const { QueueUrl: url } = await sqs.send(new CreateQueueCommand({ QueueName: `q${queueCounter}`, Attributes: attributes }));
  if (url === undefined) throw new Error('no queue url');
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
  return { url, arn: Attributes?.QueueArn ?? '' };
}

async function send(queue: Queue, bodies: readonly string[]): Promise<void> {
  await sqs.send(
    new SendMessageBatchCommand({
      QueueUrl: queue.url,
      Entries: bodies.map((body, index) => ({
        Id: String(index),
        MessageBody: body,
        MessageAttributes: { kind: { DataType: 'String', StringValue: 'test' } },
      })),
    }),
  );
}

function start(queue: Queue, handler: SqsEventSourceOptions['handler'], options: Partial<SqsEventSourceOptions> = {}): SqsEventSource {
  const source = startSqsEventSource({
    sqs,
    queueUrl: queue.url,
    queueArn: queue.arn,
    functionName: 'test-function',
    handler,
    retryDelaySeconds: 0,
    ...options,
  });
  sources.push(source);
  return source;
}

function settled(queue: Queue, source: SqsEventSource): Promise<void> {
  return waitForQuiet({ sqs, queueUrls: [queue.url], sources: [source], quietMs: 150, timeoutMs: 8_000 });
}

describe('startSqsEventSource', () => {
  it('hands a real-shaped SQSEvent and Lambda context to the handler and deletes a successful batch', async () => {
    const queue = await createQueue();
    await send(queue, ['one', 'two', 'three']);
    const invocations: Array<{ event: SQSEvent; context: Context; remainingMs: number }> = [];
    const source = start(queue, async (event, context) => {
      invocations.push({ event, context, remainingMs: context.getRemainingTimeInMillis() });
    });

    await settled(queue, source);

    const records = invocations.flatMap(({ event }) => event.Records);
    expect(records.map((record) => record.body).sort()).toEqual(['one', 'three', 'two']);
    const record = records[0] as SQSRecord;
    expect(record).toMatchObject({
      messageId: expect.any(String),
      receiptHandle: expect.any(String),
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: expect.stringMatching(/^\d+$/),
        SenderId: expect.any(String),
        ApproximateFirstReceiveTimestamp: expect.stringMatching(/^\d+$/),
      },
      messageAttributes: { kind: { stringValue: 'test', stringListValues: [], binaryListValues: [], dataType: 'String' } },
      md5OfBody: expect.stringMatching(/^[0-9a-f]{32}$/),
      eventSource: 'aws:sqs',
      eventSourceARN: queue.arn,
      awsRegion: REGION,
    });
    const { context, remainingMs } = invocations[0] ?? expect.unreachable();
    expect(context).toMatchObject({
      functionName: 'test-function',
      functionVersion: '$LATEST',
      invokedFunctionArn: `arn:aws:lambda:${REGION}:000000000000:function:test-function`,
      memoryLimitInMB: '128',
      logGroupName: '/aws/lambda/test-function',
    });
    expect(context.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(remainingMs).toBeGreaterThan(29_000);
    expect(remainingMs).toBeLessThanOrEqual(30_000);
    expect(source.stats()).toMatchObject({ records: 3, failures: 0, handlerErrors: 0 });
  });

  it('redelivers only the records listed in batchItemFailures', async () => {
    const queue = await createQueue();
    await send(queue, ['a', 'b', 'c']);
    const deliveries: Array<[string, string]> = [];
    let failedOnce = false;
    const source = start(queue, async (event): Promise<SQSBatchResponse> => {
      const failures: SQSBatchResponse['batchItemFailures'] = [];
      for (const record of event.Records) {
        deliveries.push([record.body, record.attributes.ApproximateReceiveCount]);
        if (record.body === 'b' && !failedOnce) {
          failedOnce = true;
          failures.push({ itemIdentifier: record.messageId });
        }
      }
      return { batchItemFailures: failures };
    });

    await settled(queue, source);

    expect(deliveries.filter(([body]) => body === 'a')).toEqual([['a', '1']]);
    expect(deliveries.filter(([body]) => body === 'c')).toEqual([['c', '1']]);
    expect(deliveries.filter(([body]) => body === 'b')).toEqual([
      ['b', '1'],
      ['b', '2'],
    ]);
    expect(source.stats()).toMatchObject({ records: 4, failures: 1, handlerErrors: 0 });
  });

  it('moves a record that always fails to the DLQ after maxReceiveCount', async () => {
    const dlq = await createQueue();
    const queue = await createQueue({ RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 2 }) });
    await send(queue, ['poison', 'fine']);
    const attempts: Record<string, number> = {};
    const source = start(queue, async (event) => {
      for (const record of event.Records) attempts[record.body] = (attempts[record.body] ?? 0) + 1;
      return { batchItemFailures: event.Records.filter((record) => record.body === 'poison').map((record) => ({ itemIdentifier: record.messageId })) };
    });

    await settled(queue, source);

    expect(attempts).toEqual({ poison: 2, fine: 1 });
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlq.url, MaxNumberOfMessages: 10 }));
    expect(Messages.map((message) => message.Body)).toEqual(['poison']);
  });

  it('keeps the whole batch when the handler throws', async () => {
    const queue = await createQueue();
    await send(queue, ['x', 'y', 'z']);
    const onError = vi.fn();
    const batches: string[][] = [];
    const source = start(
      queue,
      async (event) => {
        batches.push(event.Records.map((record) => `${record.body}:${record.attributes.ApproximateReceiveCount}`).sort());
        if (batches.length === 1) throw new Error('database unavailable');
      },
      { onError },
    );

    await settled(queue, source);

    expect(batches).toEqual([
      ['x:1', 'y:1', 'z:1'],
      ['x:2', 'y:2', 'z:2'],
    ]);
    expect(onError).toHaveBeenCalledOnce();
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: 'database unavailable' }), { functionName: 'test-function', records: 3 });
    expect(source.stats()).toMatchObject({ batches: 2, records: 6, failures: 3, handlerErrors: 1 });
    expect(source.stats().invocationMs).toBeGreaterThan(0);
  });

  it('treats an itemIdentifier that is not in the batch as a failure of the whole batch', async () => {
    const queue = await createQueue();
    await send(queue, ['p', 'q']);
    let invocations = 0;
    const source = start(queue, async () => {
      invocations += 1;
      return invocations === 1 ? { batchItemFailures: [{ itemIdentifier: 'not-a-message-id' }] } : undefined;
    });

    await settled(queue, source);

    expect(source.stats()).toMatchObject({ batches: 2, records: 4, failures: 2, handlerErrors: 0 });
  });

  it('fails an invocation that runs past the function timeout', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const queue = await createQueue();
    await send(queue, ['slow']);
    let invocations = 0;
    const source = start(queue, async () => {
      invocations += 1;
      if (invocations === 1) await new Promise((resolve) => setTimeout(resolve, 1_300));
    }, { timeoutSeconds: 1 });

    await settled(queue, source);

    expect(source.stats()).toMatchObject({ batches: 2, handlerErrors: 1 });
    expect(stderr.mock.calls.map(([line]) => String(line)).join('')).toContain('test-function: invocation failed (LambdaTimeoutError)');
  });

  it('runs several pollers in parallel', async () => {
    const queue = await createQueue();
    await send(queue, Array.from({ length: 10 }, (_, index) => `m${index}`));
    let running = 0;
    let maxRunning = 0;
    const source = start(
      queue,
      async () => {
        running += 1;
        maxRunning = Math.max(maxRunning, running);
        await new Promise((resolve) => setTimeout(resolve, 100));
        running -= 1;
      },
      { batchSize: 1, concurrency: 3 },
    );

    await settled(queue, source);

    expect(maxRunning).toBe(3);
    expect(source.stats().records).toBe(10);
  });

  it('rejects options Lambda would not accept', () => {
    expect(() => startSqsEventSource({ sqs, queueUrl: 'u', queueArn: 'arn:aws:sqs:eu-west-1:000000000000:q', functionName: 'f', handler: async () => {}, batchSize: 11 })).toThrow(
      RangeError,
    );
    expect(() => startSqsEventSource({ sqs, queueUrl: 'u', queueArn: 'not-an-arn', functionName: 'f', handler: async () => {} })).toThrow(/queueArn/);
  });
});

describe('waitForQuiet', () => {
  it('rejects with a clear error when a queue does not drain in time', async () => {
    const queue = await createQueue();
    await send(queue, ['left alone']);
    const error = await waitForQuiet({ sqs, queueUrls: [queue.url], sources: [], quietMs: 50, timeoutMs: 200 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(QuietTimeoutError);
    expect((error as Error).message).toMatch(/did not settle within 200 ms: messages left on .*q\d+ \(1\)/);
  });
});
