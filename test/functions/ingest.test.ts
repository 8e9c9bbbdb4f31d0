/**
 * The ingest Lambda handler (middy + Powertools batch, logger, metrics) on in-memory ports:
 * SQS batches of EventBridge envelopes in, partial batch failures, team messages and partner outcomes out.
 */
import { describe, expect, it } from 'vitest';
import { householdRef, ingestEntry, normaliseAddress, type HouseholdStore } from '@vroegsignaal/domain';
import { createIngestHandler } from '@vroegsignaal/functions';
import type { DeadLetterPolicy } from '@vroegsignaal/functions';
import { defaultPolicy, detail, DETAIL_TYPE, NOW, SECRET } from '../unit/domain/fixtures.ts';
import { inMemoryPorts, type InMemoryHouseholdStore } from '../unit/domain/in-memory-ports.ts';
import { captureOutput, envelope, jsonLines, lambdaContext, personalValues, RecordingPublisher, sqsEvent, sqsRecord } from './support.ts';

const policy = defaultPolicy();
const TWO_MONTHS = { arrears: { amountCents: 180_000, monthsInArrears: 2 } };
const CONTACT = { name: 'Anna de Vries-Jansen', phone: '+31 6 1234 5678', email: 'anna.devries@example.nl' };
const HOME = { postcode: '3511 AB', houseNumber: 12 };
const OTHER_HOME = { postcode: '3583 XK', houseNumber: 7 };
const refOf = (address: { postcode: string; houseNumber: number }) => householdRef(normaliseAddress(address), SECRET);

function setup(overrides: { households?: HouseholdStore; deadLetters?: DeadLetterPolicy } = {}) {
  const ports = inMemoryPorts();
  const publisher = new RecordingPublisher();
  const handler = createIngestHandler({
    policy: () => policy,
    ...ports,
    households: overrides.households ?? ports.households,
    publisher,
    householdSecret: SECRET,
    clock: () => NOW,
    ...(overrides.deadLetters ? { deadLetters: overrides.deadLetters } : {}),
  });
  return { ports, publisher, invoke: (...records: ReturnType<typeof sqsRecord>[]) => handler(sqsEvent(...records), lambdaContext('vroegsignaal-ingest')) };
}

const arrearsEntry = (signalId: string, extra: Record<string, unknown> = {}, partner = 'mitros') =>
  envelope(`partner.${partner}`, DETAIL_TYPE.arrears, detail('arrears', { signalId, ...TWO_MONTHS, address: HOME, ...extra }));

describe('ingest handler', () => {
  it('publishes the accepted outcome with the envelope id, stores the household and sends the alert, logging no personal data', async () => {
    // Prepare
    const { ports, publisher, invoke } = setup();
    const entry = arrearsEntry('mit-h1', { contact: CONTACT });

    // Act
    const { result, output } = await captureOutput(() => invoke(sqsRecord(entry)));

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    expect(publisher.of('SignalOutcome')).toEqual([{ partnerId: 'mitros', signalId: 'mit-h1', outcome: 'accepted', reason: 'stored', eventId: entry.id }]);
    expect(publisher.of('DeliveryDue')).toEqual([]);
    const stored = ports.households.peek(refOf(HOME));
    expect(stored?.signals.map((s) => [s.partnerId, s.signalId])).toEqual([['mitros', 'mit-h1']]);
    expect(stored?.contacts).toEqual([expect.objectContaining({ ...CONTACT, partnerId: 'mitros', signalId: 'mit-h1' })]);
    expect(ports.messenger.delivered.map((d) => [d.team, d.message.kind])).toEqual([['utrecht-schuldhulp', 'alert']]);
    expect(stored?.alerts.map((a) => a.alertId)).toEqual([ports.messenger.delivered[0]!.message.alertId]);

    const lines = jsonLines(output);
    expect(lines.find((l) => l.message === 'entry ingested')).toMatchObject({ eventId: entry.id, partnerId: 'mitros', signalId: 'mit-h1', outcome: 'accepted', level: 'INFO' });
    expect(lines.find((l) => l.message === 'alert sent')).toMatchObject({ householdRef: refOf(HOME), team: 'utrecht-schuldhulp', alertLevel: 'signal', level: 'INFO' });
    expect(lines.find((l) => l._aws && JSON.stringify(l._aws).includes('AlertsSent'))).toMatchObject({ team: 'utrecht-schuldhulp', AlertsSent: 1 });
    expect(lines.some((l) => typeof l.function_request_id === 'string')).toBe(true);
    expect(personalValues({ ...HOME, ...CONTACT }).filter((value) => output.includes(value))).toEqual([]);
  });

  it('hands an alert whose team queue fails to route, and still tells the partner at once', async () => {
    // Prepare
    const { ports, publisher, invoke } = setup();
    ports.messenger.refuseNext = 1;
    const entry = arrearsEntry('mit-h2', { contact: CONTACT });

    // Act
    const { result, output } = await captureOutput(() => invoke(sqsRecord(entry)));

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    expect(publisher.of('SignalOutcome').map((o) => o.outcome)).toEqual(['accepted']);
    expect(publisher.of('DeliveryDue')).toMatchObject([{ schemaVersion: 1, householdRef: refOf(HOME), version: 1 }]);
    expect(ports.messenger.delivered).toEqual([]);
    const lines = jsonLines(output);
    expect(lines.find((l) => l.message === 'a team message could not be sent; route delivers it')).toMatchObject({ eventId: entry.id, reason: 'QueueUnavailable', level: 'WARN' });
    expect(lines.find((l) => l._aws && JSON.stringify(l._aws).includes('DeliveriesDeferred'))).toMatchObject({ reason: 'QueueUnavailable', DeliveriesDeferred: 1 });
    expect(personalValues({ ...HOME, ...CONTACT }).filter((value) => output.includes(value))).toEqual([]);
  });

  it('reports a body that is not JSON, and one that is not an EventBridge envelope, as batch item failures while the rest succeed', async () => {
    // Prepare
    const { ports, publisher, invoke } = setup();
    const first = arrearsEntry('mit-b1');
    const notJson = sqsRecord(`{"postcode":"${HOME.postcode}", oops`);
    const notEnvelope = sqsRecord(JSON.stringify({ source: 'partner.mitros', detail: detail('arrears', { signalId: 'mit-bx', address: HOME }) }));
    const noDetailType = sqsRecord(JSON.stringify({ ...arrearsEntry('mit-by'), 'detail-type': undefined }));
    const last = envelope('partner.ggd', DETAIL_TYPE.care, detail('care', { signalId: 'ggd-b2', address: HOME, contact: CONTACT }));
    const records = [sqsRecord(first), notJson, notEnvelope, noDetailType, sqsRecord(last)];

    // Act
    const { result, output } = await captureOutput(() => invoke(...records));

    // Assess
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: notJson.messageId }, { itemIdentifier: notEnvelope.messageId }, { itemIdentifier: noDetailType.messageId }]);
    expect(publisher.of('SignalOutcome').map((o) => [o.eventId, o.signalId, o.outcome])).toEqual([
      [first.id, 'mit-b1', 'accepted'],
      [last.id, 'ggd-b2', 'accepted'],
    ]);
    expect(ports.households.peek(refOf(HOME))?.signals.map((s) => s.signalId)).toEqual(['mit-b1', 'ggd-b2']);
    expect(ports.ledger.claims.size).toBe(2);
    expect(personalValues({ ...HOME, ...CONTACT }).filter((value) => output.includes(value))).toEqual([]);
  });

  it('fails the whole invocation when every record of the batch fails, so that Lambda retries the batch', async () => {
    // Prepare
    const { publisher, invoke } = setup();

    // Act
    const run = captureOutput(() => invoke(sqsRecord('not json'), sqsRecord('[]')));

    // Assess
    await expect(run).rejects.toThrow(/All records failed processing/);
    expect(publisher.published).toEqual([]);
  });

  it('fails only the record whose household read throws; the others in the batch are stored and answered', async () => {
    // Prepare: reads of one household fail (a throttled or unreachable table partition).
    const ports = inMemoryPorts();
    const broken = refOf(OTHER_HOME);
    const households: HouseholdStore = {
      get: (ref) => (ref === broken ? Promise.reject(new Error('ProvisionedThroughputExceededException')) : ports.households.get(ref)),
      put: (state, expected, expiresAtMs) => ports.households.put(state, expected, expiresAtMs),
    };
    const { publisher, invoke, ports: own } = setup({ households });
    const before = arrearsEntry('mit-p1');
    const failing = arrearsEntry('mit-p2', { address: OTHER_HOME, contact: CONTACT });
    const after = arrearsEntry('boe-p3', {}, 'boex');
    const failingRecord = sqsRecord(failing);

    // Act
    const { result, output } = await captureOutput(() => invoke(sqsRecord(before), failingRecord, sqsRecord(after)));

    // Assess
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: failingRecord.messageId }]);
    expect(publisher.of('SignalOutcome').map((o) => [o.signalId, o.outcome, o.eventId])).toEqual([
      ['mit-p1', 'accepted', before.id],
      ['boe-p3', 'accepted', after.id],
    ]);
    expect((ports.households as InMemoryHouseholdStore).peek(refOf(HOME))?.signals.map((s) => s.signalId)).toEqual(['mit-p1', 'boe-p3']);
    expect((ports.households as InMemoryHouseholdStore).peek(broken)).toBeUndefined();
    // Nothing was claimed for the failed entry, so its redelivery is not taken for a duplicate.
    expect(await own.ledger.get('mitros', 'mit-p2')).toBeUndefined();
    expect(personalValues({ ...OTHER_HOME, ...CONTACT }).filter((value) => output.includes(value))).toEqual([]);
  });

  it('answers a rejected entry with a rejected outcome and a reason, and does not fail the record', async () => {
    // Prepare: an unknown partner, a partner outside its municipality, and a broken postcode.
    const { ports, publisher, invoke } = setup();
    const unknown = envelope('partner.onbekend', DETAIL_TYPE.arrears, detail('arrears', { signalId: 'onb-1', ...TWO_MONTHS, address: HOME, contact: CONTACT }));
    const elsewhere = envelope('partner.boex', DETAIL_TYPE.arrears, detail('arrears', { signalId: 'boe-r1', ...TWO_MONTHS, municipalityCode: 'GM0363', address: { postcode: '1012 AB', houseNumber: 3 } }));
    const badPostcode = envelope('partner.mitros', DETAIL_TYPE.arrears, detail('arrears', { signalId: 'mit-r2', ...TWO_MONTHS, address: { postcode: '3511 ABC', houseNumber: 12 }, contact: CONTACT }));

    // Act
    const { result, output } = await captureOutput(() => invoke(sqsRecord(unknown), sqsRecord(elsewhere), sqsRecord(badPostcode)));

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    const outcomes = publisher.of('SignalOutcome');
    expect(outcomes).toEqual([
      { partnerId: 'onbekend', signalId: 'onb-1', outcome: 'rejected', reason: expect.stringMatching(/not registered/), eventId: unknown.id },
      { partnerId: 'boex', signalId: 'boe-r1', outcome: 'rejected', reason: expect.stringMatching(/municipality GM0363/), eventId: elsewhere.id },
      { partnerId: 'mitros', signalId: 'mit-r2', outcome: 'rejected', reason: expect.stringMatching(/postcode/), eventId: badPostcode.id },
    ]);
    expect(publisher.of('DeliveryDue')).toEqual([]);
    expect(ports.households.records.size).toBe(0);
    expect(ports.ledger.claims.size).toBe(0);
    const logged = jsonLines(output).filter((l) => l.message === 'entry ingested');
    expect(logged.map((l) => l.rule)).toEqual(['unregistered-partner', 'municipality', 'contract']);
    expect(personalValues({ ...HOME, ...CONTACT, postcode: '3511 ABC' }).filter((value) => output.includes(value))).toEqual([]);
    expect(output).not.toContain('1012');
  });

  it('calls a resend of the same signal in a later batch a duplicate and a redelivery of the same event its first outcome', async () => {
    // Prepare
    const { publisher, invoke, ports } = setup();
    const entry = arrearsEntry('mit-d1');
    await captureOutput(() => invoke(sqsRecord(entry)));

    // Act
    await captureOutput(() => invoke(sqsRecord(entry), sqsRecord(arrearsEntry('mit-d1'))));

    // Assess
    expect(publisher.of('SignalOutcome').map((o) => o.outcome)).toEqual(['accepted', 'accepted', 'duplicate']);
    expect(ports.households.peek(refOf(HOME))?.signals).toHaveLength(1);
  });

  // A lost household race can change how the entry is judged (here `repeat`, after a higher
  // arrears report landed): the claim must then keep what the partner was told.
  it('tells a redelivery after a lost household race the outcome it was told the first time', async () => {
    // Prepare: the first household write of the entry loses to a higher arrears report of the same partner.
    const ports = inMemoryPorts();
    let raced = false;
    const households: HouseholdStore = {
      get: (ref) => ports.households.get(ref),
      put: async (state, expected, expiresAtMs) => {
        if (!raced && state.signals.some((s) => s.signalId === 'mit-l1')) {
          raced = true;
          const competitor = arrearsEntry('mit-l2', { arrears: { amountCents: 300_000, monthsInArrears: 3 } });
          await ingestEntry(competitor, { policy, ...ports, householdSecret: SECRET, nowMs: NOW });
        }
        return ports.households.put(state, expected, expiresAtMs);
      },
    };
    const publisher = new RecordingPublisher();
    const handler = createIngestHandler({ policy: () => policy, ...ports, households, publisher, householdSecret: SECRET, clock: () => NOW });
    const entry = arrearsEntry('mit-l1');

    // Act: the entry, then a redelivery of the very same event.
    await captureOutput(() => handler(sqsEvent(sqsRecord(entry)), lambdaContext()));
    await captureOutput(() => handler(sqsEvent(sqsRecord(entry)), lambdaContext()));

    // Assess
    const told = publisher.of('SignalOutcome').map((o) => o.outcome);
    expect(told[0]).toBe('repeat');
    expect((await ports.ledger.get('mitros', 'mit-l1'))?.outcome).toBe(told[0]);
    expect(told).toEqual(['repeat', 'repeat']);
  });

  it('keeps two invocations that run at the same time apart (one process, as in the local pipeline)', async () => {
    // Prepare: two handlers in one process, each with a batch of a good and a bad record,
    // both waiting on slow reads so that their records interleave.
    const slow = (ports: ReturnType<typeof inMemoryPorts>): HouseholdStore => ({
      get: async (ref) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        return ports.households.get(ref);
      },
      put: (state, expected, expiresAtMs) => ports.households.put(state, expected, expiresAtMs),
    });
    const a = inMemoryPorts();
    const b = inMemoryPorts();
    const one = setup({ households: slow(a) });
    const two = setup({ households: slow(b) });
    const badA = sqsRecord('not json A');
    const badB = sqsRecord('not json B');
    const batchA = [sqsRecord(arrearsEntry('mit-c1')), sqsRecord(arrearsEntry('mit-c2')), badA];
    const batchB = [sqsRecord(arrearsEntry('boe-c1', {}, 'boex')), badB, sqsRecord(arrearsEntry('boe-c2', {}, 'boex'))];

    // Act
    const { result } = await captureOutput(() => Promise.all([one.invoke(...batchA), two.invoke(...batchB)]));

    // Assess: each invocation reports its own failure, and every good record went through its own handler.
    expect(result[0].batchItemFailures).toEqual([{ itemIdentifier: badA.messageId }]);
    expect(result[1].batchItemFailures).toEqual([{ itemIdentifier: badB.messageId }]);
    expect(one.publisher.of('SignalOutcome').map((o) => o.signalId)).toEqual(['mit-c1', 'mit-c2']);
    expect(two.publisher.of('SignalOutcome').map((o) => o.signalId)).toEqual(['boe-c1', 'boe-c2']);
  });

  describe("a batch's events", () => {
    it('are published together after the batch, in record order: one publish for three entries', async () => {
      // Prepare
      const { publisher, invoke } = setup();
      const entries = [arrearsEntry('mit-e1'), arrearsEntry('mit-e2', { address: OTHER_HOME }), arrearsEntry('boe-e3', {}, 'boex')];

      // Act
      await captureOutput(() => invoke(...entries.map((e) => sqsRecord(e))));

      // Assess
      expect(publisher.calls).toBe(1);
      expect(publisher.of('SignalOutcome').map((o) => [o.eventId, o.outcome])).toEqual(entries.map((e) => [e.id, 'accepted']));
    });

    it('when the bus refuses them, are tried again with every record, and the redelivery is told the same outcomes', async () => {
      // Prepare
      const { publisher, invoke, ports } = setup();
      publisher.refuseNext = 1;
      const records = [sqsRecord(arrearsEntry('mit-f1')), sqsRecord(arrearsEntry('mit-f2', { address: OTHER_HOME }))];

      // Act
      const first = await captureOutput(() => invoke(...records));
      const again = await captureOutput(() => invoke(...records.map((r) => ({ ...r, attributes: { ...r.attributes, ApproximateReceiveCount: '2' } }))));

      // Assess
      expect(first.result.batchItemFailures).toEqual(records.map((r) => ({ itemIdentifier: r.messageId })));
      expect(jsonLines(first.output).find((l) => l.message === "events of the batch not published; their records are tried again")).toMatchObject({ records: 2, reason: expect.stringMatching(/^PublishError \(PUBLISH_FAILED\)/), level: 'WARN' });
      expect(again.result).toEqual({ batchItemFailures: [] });
      expect(publisher.of('SignalOutcome').map((o) => [o.signalId, o.outcome])).toEqual([['mit-f1', 'accepted'], ['mit-f2', 'accepted']]);
      expect(ports.households.peek(refOf(HOME))?.signals).toHaveLength(1);
      expect(ports.messenger.delivered).toHaveLength(2);
    });

    it('when the bus still refuses them on the last attempt, go to the DLQ with their records and the reason', async () => {
      // Prepare
      const deadLettered: { messageId: string; reason: string }[] = [];
      const deadLetters: DeadLetterPolicy = { afterReceives: 3, queue: { send: async (record, reason) => void deadLettered.push({ messageId: record.messageId, reason }) } };
      const { publisher, invoke } = setup({ deadLetters });
      publisher.refuseNext = 1;
      const record = sqsRecord(arrearsEntry('mit-g1'));

      // Act
      const { result } = await captureOutput(() => invoke({ ...record, attributes: { ...record.attributes, ApproximateReceiveCount: '3' } }));

      // Assess
      expect(result).toEqual({ batchItemFailures: [] });
      expect(deadLettered).toEqual([{ messageId: record.messageId, reason: expect.stringMatching(/^PublishError \(PUBLISH_FAILED\)/) }]);
    });
  });
});
