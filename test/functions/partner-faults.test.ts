/**
 * Records that fail because of what a partner sent are logged at WARN with a rule code, go to
 * the DLQ at once and never fail the invocation; records that fail for our own reasons are
 * still logged at ERROR on their last attempt. The policy rollback alarm counts ERROR lines and
 * function errors, so a partner must not be able to cause either. Through the handlers (middy,
 * Powertools batch and logger), on in-memory ports and, for the real DynamoDB error, on dynalite.
 */
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHouseholdTable, documentClient, DynamoHouseholdStore } from '@vroegsignaal/adapters';
import type { HouseholdStore, SignalLedger } from '@vroegsignaal/domain';
import { PIPELINE_DETAIL_TYPES, PIPELINE_SOURCE } from '@vroegsignaal/events';
import { createIngestHandler } from '@vroegsignaal/functions';
import { createOutcomesHandler } from '@vroegsignaal/functions';
import { partnerFaultOf } from '@vroegsignaal/functions';
import type { DeadLetterPolicy } from '@vroegsignaal/functions';
import { defaultPolicy, detail, DETAIL_TYPE, NOW, SECRET } from '../unit/domain/fixtures.ts';
import { inMemoryPorts, InMemorySignalLedger } from '../unit/domain/in-memory-ports.ts';
import { captureOutput, envelope, jsonLines, lambdaContext, RecordingPublisher, sqsEvent, sqsRecord } from './support.ts';

const policy = defaultPolicy();
const HOME = { postcode: '3511 AB', houseNumber: 12 };
const OTHER_HOME = { postcode: '3583 XK', houseNumber: 7 };
const TWO_MONTHS = { arrears: { amountCents: 180_000, monthsInArrears: 2 } };
const arrearsEntry = (signalId: string, address = HOME) => envelope('partner.mitros', DETAIL_TYPE.arrears, detail('arrears', { signalId, ...TWO_MONTHS, address }));

/** What the AWS SDK throws when a PutItem would pass DynamoDB's item size limit. */
const itemTooLarge = (update = false) =>
  Object.assign(new Error(`Item size ${update ? 'to update ' : ''}has exceeded the maximum allowed size`), { name: 'ValidationException', $fault: 'client' });

function recordingDlq(afterReceives = 5) {
  const sent: { messageId: string; reason: string }[] = [];
  const policy: DeadLetterPolicy = { afterReceives, queue: { send: async (record, reason) => void sent.push({ messageId: record.messageId, reason }) } };
  return { sent, policy };
}

function ingest(households: HouseholdStore | undefined, deadLetters?: DeadLetterPolicy) {
  const ports = inMemoryPorts();
  const publisher = new RecordingPublisher();
  const handler = createIngestHandler({
    policy: () => policy,
    ...ports,
    households: households ?? ports.households,
    publisher,
    householdSecret: SECRET,
    clock: () => NOW,
    ...(deadLetters ? { deadLetters } : {}),
  });
  return { ports, publisher, invoke: (...records: ReturnType<typeof sqsRecord>[]) => handler(sqsEvent(...records), lambdaContext('vroegsignaal-ingest')) };
}

/** A household store whose writes of one household fail as `error` does. */
function failingWrites(ports: ReturnType<typeof inMemoryPorts>, error: () => unknown, address = OTHER_HOME): HouseholdStore {
  return {
    get: (ref) => ports.households.get(ref),
    put: (state, expected, expiresAtMs) =>
      state.address.postcode === address.postcode.replace(' ', '') ? Promise.reject(error()) : ports.households.put(state, expected, expiresAtMs),
  };
}

const levels = (output: string) => jsonLines(output).flatMap((l) => (typeof l.level === 'string' ? [l.level] : []));

describe('a record that fails because of what a partner sent', () => {
  it('is dead-lettered at once with its rule, logged at WARN, and the rest of the batch goes on', async () => {
    // Prepare: the household of OTHER_HOME is too large to be written again.
    const shared = inMemoryPorts();
    const dlq = recordingDlq();
    const { publisher, invoke } = ingest(failingWrites(shared, () => itemTooLarge()), dlq.policy);
    const before = arrearsEntry('mit-pf1');
    const failing = sqsRecord(arrearsEntry('mit-pf2', OTHER_HOME));
    const after = arrearsEntry('mit-pf3');

    // Act: its first attempt.
    const { result, output } = await captureOutput(() => invoke(sqsRecord(before), failing, sqsRecord(after)));

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    expect(dlq.sent).toEqual([{ messageId: failing.messageId, reason: expect.stringMatching(/^ValidationException \(item-too-large\)/) }]);
    expect(publisher.of('SignalOutcome').map((o) => o.signalId)).toEqual(['mit-pf1', 'mit-pf3']);
    const lines = jsonLines(output);
    expect(lines.find((l) => l.message === 'record dead-lettered: what a partner sent cannot be stored')).toMatchObject({
      level: 'WARN',
      rule: 'item-too-large',
      messageId: failing.messageId,
      reason: expect.stringMatching(/^ValidationException \(item-too-large\)/),
    });
    expect(levels(output)).not.toContain('ERROR');
    expect(lines.find((l) => l._aws && JSON.stringify(l._aws).includes('PartnerFaults'))).toMatchObject({ rule: 'item-too-large', PartnerFaults: 1 });
    expect(lines.find((l) => l._aws && JSON.stringify(l._aws).includes('RecordsDeadLettered'))).toMatchObject({ reason: 'item-too-large' });
  });

  it('does not fail the invocation when it is the whole batch', async () => {
    // Prepare
    const dlq = recordingDlq();
    const { invoke } = ingest(failingWrites(inMemoryPorts(), () => itemTooLarge()), dlq.policy);
    const only = sqsRecord(arrearsEntry('mit-pf4', OTHER_HOME));

    // Act
    const { result, output } = await captureOutput(() => invoke(only));

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    expect(dlq.sent.map((d) => d.messageId)).toEqual([only.messageId]);
    expect(levels(output)).not.toContain('ERROR');
  });

  it('without a DLQ policy is tried again by its queue, logged at WARN with its rule', async () => {
    // Prepare
    const { invoke } = ingest(failingWrites(inMemoryPorts(), () => itemTooLarge()));
    const failing = sqsRecord(arrearsEntry('mit-pf5', OTHER_HOME));

    // Act
    const { result, output } = await captureOutput(() => invoke(sqsRecord(arrearsEntry('mit-pf6')), failing));

    // Assess
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: failing.messageId }]);
    expect(jsonLines(output).find((l) => l.message === 'record failed because of what a partner sent; it is tried again')).toMatchObject({ level: 'WARN', rule: 'item-too-large' });
    expect(levels(output)).not.toContain('ERROR');
  });

  it('is known by the rule an error carries with fault "partner" (a use case that meets one)', async () => {
    // Prepare
    const dlq = recordingDlq();
    const raised = () => Object.assign(new Error('the household holds more signals than it can keep'), { name: 'HouseholdFull', fault: 'partner', rule: 'household-full' });
    const { invoke } = ingest(failingWrites(inMemoryPorts(), raised), dlq.policy);

    // Act
    const { output } = await captureOutput(() => invoke(sqsRecord(arrearsEntry('mit-pf7', OTHER_HOME))));

    // Assess
    expect(dlq.sent).toEqual([{ messageId: expect.any(String), reason: 'HouseholdFull (household-full): the household holds more signals than it can keep' }]);
    expect(jsonLines(output).find((l) => l.level === 'WARN' && l.rule === 'household-full')).toBeDefined();
    expect(levels(output)).not.toContain('ERROR');
  });

  it('in the outcomes stage too: a claim too large to take another later outcome', async () => {
    // Prepare
    const inner = new InMemorySignalLedger();
    const ledger: SignalLedger = {
      claim: (c) => inner.claim(c),
      get: (p, s) => inner.get(p, s),
      recordFirstOutcome: (c) => inner.recordFirstOutcome(c),
      placeWithdrawal: (p, s, w, e) => inner.placeWithdrawal(p, s, w, e),
      recordLaterOutcome: () => Promise.reject(itemTooLarge(true)),
      recordResend: (p, s, r) => inner.recordResend(p, s, r),
      recordRejection: (r) => inner.recordRejection(r),
    };
    const dlq = recordingDlq();
    const handler = createOutcomesHandler({ ledger, clock: () => NOW, deadLetters: dlq.policy });
    const body = envelope(PIPELINE_SOURCE, PIPELINE_DETAIL_TYPES.signalOutcome, { partnerId: 'mitros', signalId: 'mit-pf8', outcome: 'picked-up', reason: 'r', eventId: 'e' });

    // Act
    const { result, output } = await captureOutput(() => handler(sqsEvent(sqsRecord(body, 'vroegsignaal-outcomes')), lambdaContext('vroegsignaal-outcomes')));

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    expect(dlq.sent).toHaveLength(1);
    expect(jsonLines(output).find((l) => l.level === 'WARN' && l.rule === 'item-too-large')).toBeDefined();
    expect(levels(output)).not.toContain('ERROR');
  });
});

describe('a record that fails for our own reasons', () => {
  it('is tried again without a log line, and dead-lettered at ERROR on its last attempt', async () => {
    // Prepare: the table refuses writes of one household (throttled).
    const throttled = () => Object.assign(new Error('Rate of requests exceeds the allowed throughput.'), { name: 'ProvisionedThroughputExceededException' });
    const dlq = recordingDlq(3);
    const { invoke } = ingest(failingWrites(inMemoryPorts(), throttled), dlq.policy);
    const record = sqsRecord(arrearsEntry('mit-pf9', OTHER_HOME));

    // Act
    const early = await captureOutput(() => invoke(sqsRecord(arrearsEntry('mit-pf11')), record));
    const last = await captureOutput(() => invoke({ ...record, attributes: { ...record.attributes, ApproximateReceiveCount: '3' } }));

    // Assess
    expect(early.result.batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
    expect(levels(early.output)).not.toContain('ERROR');
    expect(last.result).toEqual({ batchItemFailures: [] });
    expect(dlq.sent).toEqual([{ messageId: record.messageId, reason: 'ProvisionedThroughputExceededException' }]);
    expect(jsonLines(last.output).find((l) => l.message === 'record dead-lettered after its last attempt')).toMatchObject({ level: 'ERROR', reason: 'ProvisionedThroughputExceededException' });
    expect(jsonLines(last.output).some((l) => l.level === 'WARN' && 'rule' in l)).toBe(false);
  });

  it('is not taken for a partner\'s: other ValidationExceptions, other errors, things that are not errors', () => {
    expect(partnerFaultOf(Object.assign(new Error('One or more parameter values were invalid: Missing the key pk in the item'), { name: 'ValidationException' }))).toBeUndefined();
    expect(partnerFaultOf(new Error('Item size has exceeded the maximum allowed size'))).toBeUndefined();
    expect(partnerFaultOf(Object.assign(new Error('x'), { fault: 'partner' }))).toBeUndefined();
    expect(partnerFaultOf('Item size has exceeded the maximum allowed size')).toBeUndefined();
    expect(partnerFaultOf(undefined)).toBeUndefined();
  });
});

describe('the real DynamoDB error (dynalite)', () => {
  let server: ReturnType<typeof dynalite>;
  let client: DynamoDBClient;
  beforeAll(async () => {
    // A 256-byte item limit, so that an ordinary household passes it the way a huge one passes 400 KB.
    server = dynalite({ createTableMs: 0, maxItemSizeKb: 0.25 });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    client = new DynamoDBClient({ region: 'eu-west-1', endpoint: `http://127.0.0.1:${port}`, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    await createHouseholdTable(client, 'households');
  });
  afterAll(async () => {
    client?.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('is recognised as the partner\'s through the real adapter and SDK: WARN, item-too-large', async () => {
    // Prepare
    const dlq = recordingDlq();
    const { invoke } = ingest(new DynamoHouseholdStore(documentClient(client), 'households'), dlq.policy);

    // Act
    const { result, output } = await captureOutput(() => invoke(sqsRecord(arrearsEntry('mit-pf10'))));

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    expect(dlq.sent).toEqual([{ messageId: expect.any(String), reason: expect.stringMatching(/^ValidationException \(item-too-large\)/) }]);
    expect(jsonLines(output).find((l) => l.level === 'WARN' && l.rule === 'item-too-large')).toBeDefined();
    expect(levels(output)).not.toContain('ERROR');
  });
});
