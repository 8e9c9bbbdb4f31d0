/**
 * The local bus driven by the real EventBridgeClient, delivering into fauxqs through the real
 * SQSClient: the wire protocol, PutEvents' per-entry and per-request errors, routing by the
 * project's rules, and the envelope that lands on the queue.
 */
import { EventBridgeClient, ListRulesCommand, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { startFauxqs, type FauxqsServer } from 'fauxqs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { LocalBusError, startLocalEventBridge, type LocalEventBridge } from '@vroegsignaal/stand-ins';
import { BUSES, InvalidEventPatternError, localCredentialsForAccount, RULES, type EventEnvelope } from '@vroegsignaal/events';

const REGION = 'eu-west-1';
const ACCOUNT = '123456789012';

let fauxqs: FauxqsServer;
let sqs: SQSClient;
let bus: LocalEventBridge;
let eventBridge: EventBridgeClient;
let ingestQueueUrl: string;
let fifoQueueUrl: string;
const teamReports: EventEnvelope[] = [];

beforeAll(async () => {
  fauxqs = await startFauxqs({ port: 0, logger: false, defaultRegion: REGION });
  sqs = new SQSClient({ region: REGION, endpoint: fauxqs.address, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  ingestQueueUrl = await createQueue('ingest');
  fifoQueueUrl = await createQueue('outcomes.fifo', { FifoQueue: 'true' });

  bus = await startLocalEventBridge({ region: REGION, sqs });
  bus.createBus(BUSES.signals);
  bus.createBus(BUSES.pipeline);
  bus.addRule({ ...RULES.partnerSignals, target: { kind: 'sqs', queueUrl: ingestQueueUrl } });
  bus.addRule({
    ...RULES.teamReports,
    target: {
      kind: 'function',
      invoke: async (event) => {
        teamReports.push(event);
      },
    },
  });
  bus.addRule({ ...RULES.signalOutcomes, target: { kind: 'sqs', queueUrl: fifoQueueUrl } });
  eventBridge = new EventBridgeClient({ region: REGION, endpoint: bus.endpoint, credentials: localCredentialsForAccount(ACCOUNT) });
});

afterAll(async () => {
  eventBridge?.destroy();
  await bus?.stop();
  sqs?.destroy();
  await fauxqs?.stop();
});

afterEach(() => {
  vi.restoreAllMocks();
});

async function createQueue(name: string, attributes: Record<string, string> = {}): Promise<string> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  if (QueueUrl === undefined) throw new Error('no queue url');
  return QueueUrl;
}

async function receiveAll(queueUrl: string): Promise<Message[]> {
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, MessageSystemAttributeNames: ['All'] }),
  );
  return Messages;
}

function partnerEntry(detail: Record<string, unknown> = { householdRef: 'h-1', amountCents: 120_00 }): PutEventsRequestEntry {
  return { EventBusName: BUSES.signals, Source: 'partner.mitros', DetailType: 'RentArrearsReported', Detail: JSON.stringify(detail) };
}

describe('PutEvents through the real EventBridgeClient', () => {
  it('delivers the standard envelope, in the caller account, to the SQS target before answering', async () => {
    const detail = { householdRef: 'h-42', amountCents: 250_00, tags: ['a', 'b'] };
    const result = await eventBridge.send(new PutEventsCommand({ Entries: [partnerEntry(detail)] }));

    expect(result.FailedEntryCount).toBe(0);
    const eventId = result.Entries?.[0]?.EventId;
    expect(eventId).toMatch(/^[0-9a-f-]{36}$/);
    // No waiting: delivery happened before the response.
    const messages = await receiveAll(ingestQueueUrl);
    expect(messages).toHaveLength(1);
    const envelope = JSON.parse(messages[0]?.Body ?? '') as EventEnvelope;
    expect(envelope).toEqual({
      version: '0',
      id: eventId,
      'detail-type': 'RentArrearsReported',
      source: 'partner.mitros',
      account: ACCOUNT,
      time: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
      region: REGION,
      resources: [],
      detail,
    });
    expect(Object.keys(envelope)).toEqual(['version', 'id', 'detail-type', 'source', 'account', 'time', 'region', 'resources', 'detail']);
  });

  it('uses the default account for credentials that do not name one', async () => {
    const anonymous = new EventBridgeClient({ region: REGION, endpoint: bus.endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    try {
      await anonymous.send(new PutEventsCommand({ Entries: [partnerEntry()] }));
    } finally {
      anonymous.destroy();
    }
    const [message] = await receiveAll(ingestQueueUrl);
    expect((JSON.parse(message?.Body ?? '') as EventEnvelope).account).toBe('000000000000');
  });

  it('keeps the given Time (to the second) and Resources', async () => {
    await eventBridge.send(
      new PutEventsCommand({
        Entries: [{ ...partnerEntry(), Time: new Date('2026-03-01T08:15:30.750Z'), Resources: ['arn:aws:s3:::feed/2026-03-01.json'] }],
      }),
    );
    const [message] = await receiveAll(ingestQueueUrl);
    const envelope = JSON.parse(message?.Body ?? '') as EventEnvelope;
    expect(envelope.time).toBe('2026-03-01T08:15:30Z');
    expect(envelope.resources).toEqual(['arn:aws:s3:::feed/2026-03-01.json']);
  });

  it('routes by the project rules: team entries to the team target only', async () => {
    teamReports.length = 0;
    await eventBridge.send(
      new PutEventsCommand({
        Entries: [{ EventBusName: BUSES.signals, Source: 'team.utrecht-schuldhulp', DetailType: 'AlertPickedUp', Detail: '{"alertId":"a-1"}' }],
      }),
    );
    expect(teamReports.map((event) => event.source)).toEqual(['team.utrecht-schuldhulp']);
    expect(await receiveAll(ingestQueueUrl)).toHaveLength(0);
  });

  it('accepts the bus ARN as EventBusName', async () => {
    const result = await eventBridge.send(new PutEventsCommand({ Entries: [{ ...partnerEntry(), EventBusName: bus.busArn(BUSES.signals, ACCOUNT) }] }));
    expect(result.FailedEntryCount).toBe(0);
    expect(await receiveAll(ingestQueueUrl)).toHaveLength(1);
  });

  it('sends to a FIFO target with the source as message group and the event id for deduplication', async () => {
    const result = await eventBridge.send(
      new PutEventsCommand({ Entries: [{ EventBusName: BUSES.pipeline, Source: 'vroegsignaal', DetailType: 'SignalOutcome', Detail: '{"outcome":"accepted"}' }] }),
    );
    const [message] = await receiveAll(fifoQueueUrl);
    expect(message?.Attributes?.MessageGroupId).toBe('vroegsignaal');
    expect(message?.Attributes?.MessageDeduplicationId).toBe(result.Entries?.[0]?.EventId);
  });

  it('answers each invalid entry in its own slot and accepts the rest', async () => {
    const valid = partnerEntry();
    const result = await eventBridge.send(
      new PutEventsCommand({
        Entries: [
          valid,
          { ...valid, Source: undefined },
          { ...valid, DetailType: undefined },
          { ...valid, Detail: undefined },
          { ...valid, Detail: 'not json' },
          { ...valid, Detail: '[1,2]' },
          { ...valid, Detail: '"a string"' },
          { ...valid, EventBusName: 'no-such-bus' },
          valid,
        ],
      }),
    );

    expect(result.FailedEntryCount).toBe(7);
    const entries = result.Entries ?? [];
    expect(entries[0]?.EventId).toBeDefined();
    expect(entries[1]).toEqual({ ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Source is not valid. Reason: Source is a required argument.' });
    expect(entries[2]).toMatchObject({ ErrorCode: 'InvalidArgument', ErrorMessage: expect.stringContaining('DetailType') });
    expect(entries[3]).toMatchObject({ ErrorCode: 'InvalidArgument', ErrorMessage: expect.stringContaining('Detail is a required') });
    for (const malformed of entries.slice(4, 7)) expect(malformed).toEqual({ ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' });
    expect(entries[7]).toMatchObject({ ErrorCode: 'ResourceNotFoundException', ErrorMessage: 'Event bus no-such-bus does not exist.' });
    expect(entries[8]?.EventId).toBeDefined();
    expect(await receiveAll(ingestQueueUrl)).toHaveLength(2);
  });

  it('rejects more than 10 entries with a ValidationException, delivering none', async () => {
    const error = await eventBridge
      .send(new PutEventsCommand({ Entries: Array.from({ length: 11 }, () => partnerEntry()) }))
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'ValidationException', $metadata: { httpStatusCode: 400 } });
    expect(await receiveAll(ingestQueueUrl)).toHaveLength(0);

    const ten = await eventBridge.send(new PutEventsCommand({ Entries: Array.from({ length: 10 }, () => partnerEntry()) }));
    expect(ten.FailedEntryCount).toBe(0);
    expect(await receiveAll(ingestQueueUrl)).toHaveLength(10);
  });

  it('rejects a request whose entries exceed 256 KB', async () => {
    const big = partnerEntry({ padding: 'x'.repeat(130 * 1024) });
    const error = await eventBridge.send(new PutEventsCommand({ Entries: [big, big] })).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'ValidationException', message: expect.stringContaining('Total size') });
    expect(await receiveAll(ingestQueueUrl)).toHaveLength(0);
  });

  it('answers other operations with UnknownOperationException, which the SDK raises by name', async () => {
    const error = await eventBridge.send(new ListRulesCommand({})).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'UnknownOperationException', $metadata: { httpStatusCode: 400 } });
  });
});

describe('the wire protocol, raw', () => {
  async function post(target: string, body: string): Promise<{ status: number; json: Record<string, unknown>; headers: Headers }> {
    const response = await fetch(bus.endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': target },
      body,
    });
    return { status: response.status, json: (await response.json()) as Record<string, unknown>, headers: response.headers };
  }

  it('takes Detail as a JSON string and answers in the JSON 1.1 shape', async () => {
    const { status, json, headers } = await post(
      'AWSEvents.PutEvents',
      JSON.stringify({ Entries: [{ EventBusName: 'signals', Source: 'partner.mitros', DetailType: 'RentArrearsReported', Detail: '{"householdRef":"h-7"}' }] }),
    );
    expect(status).toBe(200);
    expect(headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(json).toEqual({ FailedEntryCount: 0, Entries: [{ EventId: expect.any(String) }] });
    const [message] = await receiveAll(ingestQueueUrl);
    expect((JSON.parse(message?.Body ?? '') as EventEnvelope).detail).toEqual({ householdRef: 'h-7' });
  });

  it('answers an unknown target and bad JSON in AWS error shape', async () => {
    const unknown = await post('AWSEvents.PutRule', '{}');
    expect(unknown.status).toBe(400);
    expect(unknown.json).toMatchObject({ __type: 'UnknownOperationException' });
    expect(unknown.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
    const badJson = await post('AWSEvents.PutEvents', '{"Entries":');
    expect(badJson).toMatchObject({ status: 400, json: { __type: 'SerializationException' } });
    const badShape = await post('AWSEvents.PutEvents', JSON.stringify({ Entries: [{ Source: 'a', DetailType: 'b', Detail: { not: 'a string' } }] }));
    expect(badShape).toMatchObject({ status: 400, json: { __type: 'SerializationException' } });
  });
});

describe('rules, delivery failures, archive and stats', () => {
  it('refuses a rule with an invalid pattern, on an unknown bus, or under a taken name', async () => {
    expect(() => bus.addRule({ name: 'typo', bus: BUSES.signals, pattern: { source: [{ prefx: 'a' }] }, target: { kind: 'sqs', queueUrl: ingestQueueUrl } })).toThrow(
      InvalidEventPatternError,
    );
    expect(() => bus.addRule({ name: 'nowhere', bus: 'nope', pattern: { source: ['a'] }, target: { kind: 'sqs', queueUrl: ingestQueueUrl } })).toThrow(
      expect.objectContaining({ name: 'LocalBusError', code: 'ResourceNotFoundException' }),
    );
    expect(() => bus.addRule({ ...RULES.partnerSignals, target: { kind: 'sqs', queueUrl: ingestQueueUrl } })).toThrow(LocalBusError);
    expect(() => bus.createBus(BUSES.signals)).toThrow(expect.objectContaining({ code: 'ResourceAlreadyExistsException' }));
  });

  it('counts a target that keeps failing, logs only names, and still accepts the entry', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    bus.createBus('flaky');
    let attempts = 0;
    bus.addRule({
      name: 'always-failing',
      bus: 'flaky',
      pattern: { source: [{ prefix: '' }] },
      target: {
        kind: 'function',
        invoke: async () => {
          attempts += 1;
          throw new Error('boom: householdRef h-secret');
        },
      },
    });
    const before = bus.stats().failedDeliveries;

    const result = await eventBridge.send(
      new PutEventsCommand({ Entries: [{ EventBusName: 'flaky', Source: 'partner.mitros', DetailType: 'X', Detail: '{"householdRef":"h-secret"}' }] }),
    );

    expect(result.FailedEntryCount).toBe(0);
    expect(attempts).toBe(3);
    expect(bus.stats().failedDeliveries).toBe(before + 1);
    const logged = stderr.mock.calls.map(([line]) => String(line)).join('');
    expect(logged).toContain('rule=always-failing');
    expect(logged).not.toContain('h-secret');
  });

  it('archives every accepted event per bus, in arrival order, and counts per rule', async () => {
    bus.createBus('archived');
    const seen: string[] = [];
    bus.addRule({
      name: 'archive-observer',
      bus: 'archived',
      pattern: { source: ['partner.a', 'partner.b'] },
      target: { kind: 'function', invoke: async (event) => void seen.push(event.source) },
    });
    const statsBefore = bus.stats();
    const result = await eventBridge.send(
      new PutEventsCommand({
        Entries: ['partner.a', 'partner.b', 'partner.c'].map((source) => ({ EventBusName: 'archived', Source: source, DetailType: 'X', Detail: '{}' })),
      }),
    );

    const archived = bus.archived('archived');
    expect(archived.map((event) => event.source)).toEqual(['partner.a', 'partner.b', 'partner.c']);
    expect(archived.map((event) => event.id)).toEqual(result.Entries?.map((entry) => entry.EventId));
    expect(seen).toEqual(['partner.a', 'partner.b']);
    const stats = bus.stats();
    expect(stats.matchedDeliveries['archive-observer']).toBe(2);
    expect(stats.putEventsRequests).toBe(statsBefore.putEventsRequests + 1);
    expect(stats.entries).toBe(statsBefore.entries + 3);
    expect(stats.failedEntries).toBe(statsBefore.failedEntries);
    expect(() => bus.archived('nope')).toThrow(LocalBusError);
  });
});
