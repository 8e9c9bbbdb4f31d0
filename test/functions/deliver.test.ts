/**
 * The route Lambda handler on in-memory ports: DeliveryDue envelopes in, de-duplicated
 * alerts on a recording team messenger out, with partial batch failures. The households owe
 * their alerts because ingest found the team queues down (route's main work besides reminders).
 */
import { describe, expect, it } from 'vitest';
import { householdRef, ingestEntry, normaliseAddress, type HouseholdStore, type TeamMessenger } from '@vroegsignaal/domain';
import { formatAmsterdamIso } from '@vroegsignaal/calendar';
import { PIPELINE_DETAIL_TYPES, PIPELINE_SOURCE, teamMessageSchema } from '@vroegsignaal/events';
import { createDeliverHandler } from '@vroegsignaal/functions';
import { defaultPolicy, detail, DETAIL_TYPE, NOW, SECRET } from '../unit/domain/fixtures.ts';
import { inMemoryPorts } from '../unit/domain/in-memory-ports.ts';
import { captureOutput, envelope, jsonLines, lambdaContext, personalValues, sqsEvent, sqsRecord } from './support.ts';

const policy = defaultPolicy();
const CONTACT = { name: 'Bram Oosterhuis', phone: '030-2861234', email: 'b.oosterhuis@example.org' };
const HOME = { postcode: '3511 AB', houseNumber: 12 };
const OTHER_HOME = { postcode: '3583 XK', houseNumber: 7 };
const refOf = (address: { postcode: string; houseNumber: number }) => householdRef(normaliseAddress(address), SECRET);
/** A team queue that refuses every send: ingest leaves the alert owed, for route. */
const queuesDown: TeamMessenger = { send: () => Promise.reject(Object.assign(new Error('queue unavailable'), { name: 'QueueUnavailable' })) };

async function setup(overrides: { households?: HouseholdStore; messenger?: TeamMessenger } = {}) {
  const ports = inMemoryPorts();
  // Two households with two months of arrears each: a `signal` for utrecht-schuldhulp.
  for (const [signalId, address] of [['mit-r1', HOME], ['mit-r2', OTHER_HOME]] as const) {
    await ingestEntry(
      { id: `evt-${signalId}`, source: 'partner.mitros', 'detail-type': DETAIL_TYPE.arrears, detail: detail('arrears', { signalId, address, arrears: { amountCents: 180_000, monthsInArrears: 2 }, contact: CONTACT }) },
      { policy, ...ports, messenger: queuesDown, householdSecret: SECRET, nowMs: NOW },
    );
  }
  const handler = createDeliverHandler({
    policy: () => policy,
    ...ports,
    households: overrides.households ?? ports.households,
    messenger: overrides.messenger ?? ports.messenger,
    clock: () => NOW,
  });
  return { ports, invoke: (...records: ReturnType<typeof sqsRecord>[]) => handler(sqsEvent(...records), lambdaContext('vroegsignaal-deliver')) };
}

const escalation = (ref: string, version = 1) =>
  envelope(PIPELINE_SOURCE, PIPELINE_DETAIL_TYPES.deliveryDue, { schemaVersion: 1, householdRef: ref, version, at: formatAmsterdamIso(new Date(NOW)) });
const record = (body: Parameters<typeof sqsRecord>[0]) => sqsRecord(body, 'vroegsignaal-deliver');

describe('route handler', () => {
  it('sends one alert to the team the policy names, and nothing for a second identical escalation', async () => {
    // Prepare
    const { ports, invoke } = await setup();
    const body = escalation(refOf(HOME));

    // Act
    const first = await captureOutput(() => invoke(record(body)));
    const second = await captureOutput(() => invoke(record(body)));

    // Assess
    expect(first.result).toEqual({ batchItemFailures: [] });
    expect(second.result).toEqual({ batchItemFailures: [] });
    expect(ports.messenger.calls).toHaveLength(1);
    const [sent] = ports.messenger.delivered;
    expect(sent).toMatchObject({ team: 'utrecht-schuldhulp', groupId: refOf(HOME) });
    const message = teamMessageSchema.parse(sent!.message);
    expect(message).toMatchObject({ kind: 'alert', level: 'signal', householdRef: refOf(HOME), contact: { name: CONTACT.name } });
    expect(sent!.deduplicationId).toBe(message.alertId);
    expect(await ports.alerts.get(message.alertId)).toMatchObject({ team: 'utrecht-schuldhulp', householdRef: refOf(HOME) });
    expect(ports.households.peek(refOf(HOME))?.alerts.map((a) => [a.team, a.level, a.alertId])).toEqual([['utrecht-schuldhulp', 'signal', message.alertId]]);

    // The team gets the address and contact; the logs get ids only.
    const logged = jsonLines(first.output).filter((l) => l.message === 'alert sent');
    expect(logged).toMatchObject([{ householdRef: refOf(HOME), team: 'utrecht-schuldhulp', alertLevel: 'signal', alertId: message.alertId }]);
    expect(jsonLines(second.output).filter((l) => l.message === 'alert sent')).toEqual([]);
    const output = first.output + second.output;
    expect(personalValues({ ...HOME, ...CONTACT }).filter((value) => output.includes(value))).toEqual([]);
  });

  it('sends nothing for an escalation of a household that is not stored', async () => {
    // Prepare
    const { ports, invoke } = await setup();

    // Act
    const { result } = await captureOutput(() => invoke(record(escalation('f'.repeat(64)))));

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    expect(ports.messenger.calls).toEqual([]);
  });

  it('reports a broken body or escalation as a batch item failure and routes the rest of the batch', async () => {
    // Prepare
    const { ports, invoke } = await setup();
    const notJson = record('DeliveryDue?');
    const notEnvelope = record(JSON.stringify({ detail: { householdRef: refOf(HOME) } }));
    const badDetail = record(escalation('not-a-household-ref'));
    const good = record(escalation(refOf(OTHER_HOME)));

    // Act
    const { result } = await captureOutput(() => invoke(notJson, notEnvelope, badDetail, good));

    // Assess
    expect(result.batchItemFailures).toEqual([notJson, notEnvelope, badDetail].map((r) => ({ itemIdentifier: r.messageId })));
    expect(ports.messenger.delivered.map((d) => [d.team, d.groupId])).toEqual([['utrecht-schuldhulp', refOf(OTHER_HOME)]]);
  });

  it('fails only the record whose household read throws', async () => {
    // Prepare
    const holder: { store?: HouseholdStore } = {};
    const households: HouseholdStore = {
      get: (ref) => (ref === refOf(HOME) ? Promise.reject(new Error('InternalServerError')) : holder.store!.get(ref)),
      put: (state, expected, expiresAtMs) => holder.store!.put(state, expected, expiresAtMs),
    };
    const { ports, invoke } = await setup({ households });
    holder.store = ports.households;
    const failing = record(escalation(refOf(HOME)));
    const good = record(escalation(refOf(OTHER_HOME)));

    // Act
    const { result } = await captureOutput(() => invoke(failing, good));

    // Assess
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: failing.messageId }]);
    expect(ports.messenger.delivered.map((d) => d.groupId)).toEqual([refOf(OTHER_HOME)]);
    expect(ports.households.peek(refOf(HOME))?.alerts).toEqual([]);
  });

  // An alert delivered in an attempt whose commit lost to an ingest write must still be
  // recorded when the retry plans something else: the team holds it, the household must know it.
  it('records every alert it delivered, even when a new signal lands between the send and the commit', async () => {
    // Prepare: a GGD care signal lands on the household while route sends the schuldhulp alert.
    const holder: { real?: HouseholdStore; ports?: Awaited<ReturnType<typeof setup>>['ports'] } = {};
    let raced = false;
    const households: HouseholdStore = {
      get: (ref) => holder.real!.get(ref),
      put: async (state, expected, expiresAtMs) => {
        if (!raced && state.alerts.length > 0) {
          raced = true;
          const care = { id: 'evt-ggd-race', source: 'partner.ggd', 'detail-type': DETAIL_TYPE.care, detail: detail('care', { signalId: 'ggd-race', address: HOME }) };
          await ingestEntry(care, { policy, ...holder.ports!, households: holder.real!, messenger: queuesDown, householdSecret: SECRET, nowMs: NOW });
        }
        return holder.real!.put(state, expected, expiresAtMs);
      },
    };
    const { ports, invoke } = await setup({ households });
    holder.real = ports.households;
    holder.ports = ports;

    // Act
    const { result } = await captureOutput(() => invoke(record(escalation(refOf(HOME)))));

    // Assess: the schuldhulp signal went out, then the buurtteam case; both must be on the household.
    expect(result).toEqual({ batchItemFailures: [] });
    const delivered = ports.messenger.delivered.map((d) => `${d.team}/${d.message.level}/${d.message.alertId}`);
    expect(delivered).toHaveLength(2);
    const recorded = ports.households.peek(refOf(HOME))!.alerts.map((a) => `${a.team}/${a.level}/${a.alertId}`);
    expect(recorded.sort()).toEqual(delivered.sort());
  });

  // A run whose commit lost to another run of the same escalation sent a message the FIFO
  // queue dropped: only the run that recorded it reports it.
  it('logs and counts one alert when two invocations route the same escalation at once', async () => {
    // Prepare
    const { ports, invoke } = await setup();
    const body = escalation(refOf(HOME));

    // Act
    const { output } = await captureOutput(() => Promise.all([invoke(record(body)), invoke(record(body))]));

    // Assess
    expect(ports.messenger.delivered).toHaveLength(1);
    expect(jsonLines(output).filter((l) => l.message === 'alert sent')).toHaveLength(1);
  });

  it('fails a record whose send to the team queue throws, records no alert for it, and sends it once on redelivery', async () => {
    // Prepare: the first send for the first household fails.
    const holder: { real?: TeamMessenger } = {};
    let failNext = true;
    const messenger: TeamMessenger = {
      send: async (team, message, deduplicationId, groupId) => {
        if (failNext && groupId === refOf(HOME)) {
          failNext = false;
          throw new Error('AWS.SimpleQueueService.NonExistentQueue');
        }
        return holder.real!.send(team, message, deduplicationId, groupId);
      },
    };
    const { ports, invoke } = await setup({ messenger });
    holder.real = ports.messenger;
    const failing = record(escalation(refOf(HOME)));

    // Act
    const first = await captureOutput(() => invoke(failing, record(escalation(refOf(OTHER_HOME)))));
    const redelivered = await captureOutput(() => invoke(failing));

    // Assess
    expect(first.result.batchItemFailures).toEqual([{ itemIdentifier: failing.messageId }]);
    expect(redelivered.result).toEqual({ batchItemFailures: [] });
    expect(ports.messenger.delivered.map((d) => d.groupId)).toEqual([refOf(OTHER_HOME), refOf(HOME)]);
    expect(ports.households.peek(refOf(HOME))?.alerts).toHaveLength(1);
  });
});

describe('deliver handler: deadlines watched', () => {
  it('counts an overdue reminder and an escalation per team of the alert, never per household or alert', async () => {
    // Prepare: Maastricht's debt help gets a signal alert at NOW (4 weeks); nobody picks it up.
    const ports = inMemoryPorts();
    const maastricht = { postcode: '6211 AB', houseNumber: 3 };
    await ingestEntry(
      { id: 'evt-mst', source: 'partner.woonpunt', 'detail-type': DETAIL_TYPE.arrears, detail: detail('arrears', { signalId: 'wp-1', municipalityCode: 'GM0935', address: maastricht, arrears: { amountCents: 180_000, monthsInArrears: 2 } }) },
      { policy, ...ports, householdSecret: SECRET, nowMs: NOW },
    );
    // The escalation check, at 3 times the term (12 weeks), finds both owed.
    const atEscalation = Date.parse('2026-09-07T10:00:00+02:00');
    const handler = createDeliverHandler({ policy: () => policy, ...ports, clock: () => atEscalation });
    const ref = refOf(maastricht);

    // Act
    const { result, output } = await captureOutput(() =>
      handler(sqsEvent(record(envelope(PIPELINE_SOURCE, PIPELINE_DETAIL_TYPES.deliveryDue, { schemaVersion: 1, householdRef: ref, version: 0, at: formatAmsterdamIso(new Date(atEscalation)) }))), lambdaContext('vroegsignaal-deliver')),
    );

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    const metrics = jsonLines(output).filter((l) => l._aws);
    expect(metrics.find((l) => 'OverdueReminders' in l)).toMatchObject({ team: 'maastricht-schuldhulp', OverdueReminders: 1 });
    expect(metrics.find((l) => 'OverdueEscalations' in l)).toMatchObject({ team: 'maastricht-schuldhulp', OverdueEscalations: 1 });
    const alertId = ports.households.peek(ref)!.alerts[0]!.alertId;
    for (const line of metrics) expect(JSON.stringify(line._aws)).not.toMatch(new RegExp(`${ref}|${alertId}|householdRef|alertId`));
    expect(jsonLines(output).filter((l) => l.message === 'reminder sent')).toMatchObject([
      { team: 'maastricht-schuldhulp', reason: 'overdue' },
      { team: 'maastricht-procesmanagement', reason: 'overdue-escalated', alertTeam: 'maastricht-schuldhulp' },
    ]);
  });
});
