/**
 * Exactly-once under contention, on the real stand-ins: the ingest and deliver handlers driven
 * side by side against DynamoDB on dynalite (single-item conditional writes) and the teams'
 * FIFO queues on fauxqs (deduplication ids). Workers redeliver a record that failed, as the
 * ingest buffer would, so a lost race is never a lost entry. Ingest sends the alerts its
 * entries decide; deliver sends what ingest had to leave (here: a flaky team queue).
 */
import '../scenarios/quiet-logs.ts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SQSBatchResponse } from 'aws-lambda';
import {
  DynamoAlertIndex,
  DynamoAuditTrail,
  DynamoCapacityLedger,
  DynamoHouseholdStore,
  DynamoMonitor,
  DynamoSignalLedger,
  SqsTeamMessenger,
  documentClient,
} from '@vroegsignaal/adapters';
import { householdRef, normaliseAddress, type EventPublisher, type HouseholdState, type PipelineEvent, type TeamMessenger } from '@vroegsignaal/domain';
import { formatAmsterdamIso } from '@vroegsignaal/calendar';
import { PIPELINE_DETAIL_TYPES, PIPELINE_SOURCE, type SignalOutcome } from '@vroegsignaal/events';
import { createIngestHandler } from '@vroegsignaal/functions';
import { createDeliverHandler } from '@vroegsignaal/functions';
import { LOCAL_HOUSEHOLD_SECRET, LOCAL_QUEUE_PREFIX, LOCAL_TABLE_NAME, startLocalPipeline, type LocalPipeline } from '@vroegsignaal/stand-ins';
import { defaultCompiledPolicy } from '../support/local-pipeline.ts';
import { envelope, lambdaContext, sqsEvent, sqsRecord, type Envelope } from '../functions/support.ts';
import { RecordingScheduler } from '../unit/domain/in-memory-ports.ts';

const NOW = Date.parse('2026-06-15T10:00:00+02:00');
const UTRECHT = 'GM0344';
/** Partners registered for Utrecht, and what each of them reports. */
const PARTNERS = ['mitros', 'boex', 'groenwest', 'ssh', 'portaal', 'politie', 'ggd', 'leger-des-heils', 'mondriaan', 'jeugdzorg'] as const;
const CORPORATIONS = new Set(['mitros', 'boex', 'groenwest', 'ssh', 'portaal']);
const CARE_DOMAIN: Record<string, string> = { ggd: 'mentalHealth', 'leger-des-heils': 'addiction', mondriaan: 'mentalHealth', jeugdzorg: 'youth' };
const WORKERS = 16;
const SIGNALS_PER_WORKER = 3;
/** Redeliveries a record gets before it would go to the DLQ; generous, since a lost race is retried by design. */
const MAX_DELIVERIES = 12;

const policy = defaultCompiledPolicy();
let pipeline: LocalPipeline;
let deps: ReturnType<typeof adapters>;

function adapters(p: LocalPipeline) {
  const db = documentClient(p.standIns.clients.dynamodb);
  return {
    households: new DynamoHouseholdStore(db, LOCAL_TABLE_NAME),
    ledger: new DynamoSignalLedger(db, LOCAL_TABLE_NAME),
    monitor: new DynamoMonitor(db, LOCAL_TABLE_NAME),
    alerts: new DynamoAlertIndex(db, LOCAL_TABLE_NAME),
    capacity: new DynamoCapacityLedger(db, LOCAL_TABLE_NAME),
    messenger: new SqsTeamMessenger(p.standIns.clients.sqs, LOCAL_QUEUE_PREFIX),
    // The overdue checks these alerts schedule stay in memory: these tests never move the clock to them.
    scheduler: new RecordingScheduler(),
    audit: new DynamoAuditTrail(db, LOCAL_TABLE_NAME),
  };
}

beforeAll(async () => {
  pipeline = await startLocalPipeline({ policy, clock: () => NOW });
  deps = adapters(pipeline);
});
afterAll(async () => {
  await pipeline?.stop();
});
beforeEach(async () => {
  // Each test starts with empty team queues.
  await pipeline.collectTeamMessages();
});

class Recorder implements EventPublisher {
  readonly events: PipelineEvent[] = [];
  onEscalation?: (ref: string, version: number) => void;
  async publish(events: PipelineEvent[]): Promise<void> {
    this.events.push(...events);
    for (const e of events) if (e.type === 'DeliveryDue') this.onEscalation?.(e.detail.householdRef, e.detail.version);
  }
  outcomes(): SignalOutcome[] {
    return this.events.flatMap((e) => (e.type === 'SignalOutcome' ? [e.detail] : []));
  }
}

/**
 * A team queue that refuses every case alert ingest sends, and takes the rest: the household
 * ends at `case`, so that alert is always still owed when a write lands and ingest always
 * leaves it to deliver, whichever way the workers interleave (a queue refusing every other send,
 * or the early-signal alert, left nothing when a lost write race sent it again or the household
 * had moved past that level).
 */
function flaky(messenger: TeamMessenger): TeamMessenger {
  return {
    send: (team, message, ...rest) =>
      message.level === 'case' ? Promise.reject(Object.assign(new Error('queue unavailable'), { name: 'QueueUnavailable' })) : messenger.send(team, message, ...rest),
  };
}

function handlers(publisher: EventPublisher, options: { flakyTeamQueues?: boolean } = {}) {
  const messenger = options.flakyTeamQueues ? flaky(deps.messenger) : deps.messenger;
  const ingest = createIngestHandler({ policy: () => policy, ...deps, messenger, publisher, householdSecret: LOCAL_HOUSEHOLD_SECRET, clock: () => NOW });
  const deliverStage = createDeliverHandler({ policy: () => policy, ...deps, clock: () => NOW });
  return { ingest, deliverStage };
}

type Handler = (event: ReturnType<typeof sqsEvent>, context: ReturnType<typeof lambdaContext>) => Promise<SQSBatchResponse>;

/**
 * Delivers one record until the handler takes it, as an SQS buffer with a redrive policy
 * would: a thrown invocation or a listed failure means the same message comes back.
 */
async function deliver(handler: Handler, body: Envelope, functionName: string): Promise<{ deliveries: number }> {
  for (let delivery = 1; delivery <= MAX_DELIVERIES; delivery++) {
    const record = sqsRecord(body);
    try {
      const response = await handler(sqsEvent(record), lambdaContext(functionName));
      if (!response.batchItemFailures.some((f) => f.itemIdentifier === record.messageId)) return { deliveries: delivery };
    } catch {
      // The whole (one-record) batch failed: Lambda retries it.
    }
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * delivery));
  }
  throw new Error(`entry ${body.id} would have gone to the DLQ after ${MAX_DELIVERIES} deliveries`);
}

let addressCounter = 0;
/** A fresh Binnenstad address (3511-3513) per test, so tests never share a household. */
function freshAddress() {
  addressCounter += 1;
  return { postcode: '3512 JE', houseNumber: 100 + addressCounter };
}

function partnerEntry(partner: string, signalId: string, address: { postcode: string; houseNumber: number }, sequence: number, id?: string): Envelope {
  const common = { schemaVersion: 1, signalId, observedAt: '2026-06-10T09:00:00+02:00', municipalityCode: UTRECHT, address };
  if (CORPORATIONS.has(partner)) {
    const months = 1 + sequence;
    return envelope(`partner.${partner}`, 'RentArrearsReported', { ...common, arrears: { amountCents: months * 90_000, monthsInArrears: months } }, id);
  }
  if (partner === 'politie') return envelope(`partner.${partner}`, 'NuisanceReported', { ...common, nuisance: { category: 'noise', severity: 'medium' } }, id);
  return envelope(`partner.${partner}`, 'CareSignalReported', { ...common, care: { domains: [CARE_DOMAIN[partner]!] } }, id);
}

const escalation = (ref: string, version: number) =>
  envelope(PIPELINE_SOURCE, PIPELINE_DETAIL_TYPES.deliveryDue, { schemaVersion: 1, householdRef: ref, version, at: formatAmsterdamIso(new Date(NOW)) });

async function stored(ref: string): Promise<HouseholdState> {
  const state = await deps.households.get(ref);
  if (!state) throw new Error('household not stored');
  return state;
}

async function deliverInParallel(deliverStage: Handler, ref: string, times = WORKERS): Promise<void> {
  const version = (await stored(ref)).version;
  await Promise.all(Array.from({ length: times }, () => deliver(deliverStage, escalation(ref, version), 'vroegsignaal-deliver')));
}

/** Alerts on the team queues, as (team, level) pairs, with the alert ids. */
async function teamAlerts(ref: string) {
  const messages = (await pipeline.collectTeamMessages()).filter((m) => m.message.householdRef === ref);
  return messages.map((m) => ({ team: m.team, kind: m.message.kind, level: m.message.level, alertId: m.message.alertId }));
}

describe('16 workers ingesting for one household at the same moment', () => {
  it('stores every signal, tells each entry exactly one first outcome, and raises each team and level once', async () => {
    // Prepare: 16 workers, each a partner registered for Utrecht, each with 3 signals.
    const address = freshAddress();
    const ref = householdRef(normaliseAddress(address), LOCAL_HOUSEHOLD_SECRET);
    const publisher = new Recorder();
    const { ingest, deliverStage } = handlers(publisher);
    const work = Array.from({ length: WORKERS }, (_, worker) => {
      const partner = PARTNERS[worker % PARTNERS.length]!;
      return Array.from({ length: SIGNALS_PER_WORKER }, (_, k) => partnerEntry(partner, `w${worker}-s${k}`, address, k));
    });
    const entries = work.flat();

    // Act 1: all workers start in the same tick; each delivers its entries one after another.
    const deliveries = await Promise.all(work.map(async (mine) => {
      const counts: number[] = [];
      for (const entry of mine) counts.push((await deliver(ingest, entry, 'vroegsignaal-ingest')).deliveries);
      return counts;
    }));

    // Assess 1: no lost update, no lost or doubled outcome.
    const state = await stored(ref);
    const key = (partnerId: string, signalId: string) => `${partnerId}/${signalId}`;
    expect(state.signals.map((s) => key(s.partnerId, s.signalId)).sort()).toEqual(entries.map((e) => key(e.source.slice('partner.'.length), (e.detail as { signalId: string }).signalId)).sort());
    expect(state.signalVersion).toBe(entries.length);
    const outcomes = publisher.outcomes();
    expect(outcomes).toHaveLength(entries.length);
    for (const entry of entries) {
      const told = outcomes.filter((o) => o.eventId === entry.id);
      expect(told, `outcomes for ${entry.id}`).toHaveLength(1);
      const allowed = entry['detail-type'] === 'RentArrearsReported' ? ['accepted', 'repeat'] : ['accepted'];
      expect(allowed, `${entry.source} ${(entry.detail as { signalId: string }).signalId}`).toContain(told[0]!.outcome);
    }
    // Each corporation's first report of the highest arrears is accepted, whichever worker won.
    for (const partner of CORPORATIONS) {
      expect(outcomes.filter((o) => o.partnerId === partner && o.outcome === 'accepted').length, partner).toBeGreaterThanOrEqual(1);
    }
    for (const entry of entries) {
      const claim = await deps.ledger.get(entry.source.slice('partner.'.length), (entry.detail as { signalId: string }).signalId);
      expect(claim).toMatchObject({ householdRef: ref, eventId: entry.id });
    }
    expect(deliveries.flat().every((n) => n >= 1)).toBe(true);

    // Act 2: what ingest sent; then 16 deliver invocations for the household at once.
    const sentByIngest = await teamAlerts(ref);
    await deliverInParallel(deliverStage, ref);
    const sentByRoute = await teamAlerts(ref);

    // Assess 2: every (team, level) once, the Binnenstad buurtteam's case among them, each
    // recorded on the household with its index record; deliver finds nothing left to send.
    const pairs = sentByIngest.map((a) => `${a.team}/${a.level}`);
    expect(new Set(pairs).size).toBe(pairs.length);
    expect(pairs).toContain('utrecht-buurtteam-binnenstad/case');
    expect(sentByRoute).toEqual([]);
    const after = await stored(ref);
    expect(after.alerts.map((a) => a.alertId).sort()).toEqual(sentByIngest.map((a) => a.alertId).sort());
    for (const alert of sentByIngest) expect(await deps.alerts.get(alert.alertId)).toMatchObject({ householdRef: ref, team: alert.team, level: alert.level });
  });

  it('routes what ingest left (a flaky team queue) while the household is still being written, and still raises each team and level once', async () => {
    // Prepare: every DeliveryDue ingest publishes is routed at once, as the deliver buffer would.
    const address = freshAddress();
    const ref = householdRef(normaliseAddress(address), LOCAL_HOUSEHOLD_SECRET);
    const publisher = new Recorder();
    const { ingest, deliverStage } = handlers(publisher, { flakyTeamQueues: true });
    const routing: Promise<unknown>[] = [];
    publisher.onEscalation = (householdRef, version) => routing.push(deliver(deliverStage, escalation(householdRef, version), 'vroegsignaal-deliver'));
    // Corporations first report one month (a signal for schuldhulp), then care and police make it a case.
    const work = Array.from({ length: WORKERS }, (_, worker) => {
      const partner = PARTNERS[worker % PARTNERS.length]!;
      return Array.from({ length: 2 }, (_, k) => partnerEntry(partner, `x${worker}-s${k}`, address, k));
    });

    // Act
    await Promise.all(work.map(async (mine) => {
      for (const entry of mine) await deliver(ingest, entry, 'vroegsignaal-ingest');
    }));
    await Promise.all(routing);
    await deliverInParallel(deliverStage, ref);
    const alerts = await teamAlerts(ref);

    // Assess: no (team, level) twice on the queues, and every alert recorded on the household reached its team once.
    expect(routing.length).toBeGreaterThan(0);
    const pairs = alerts.map((a) => `${a.team}/${a.level}`);
    expect(new Set(pairs).size).toBe(pairs.length);
    expect(alerts.every((a) => a.kind === 'alert')).toBe(true);
    expect(pairs).toContain('utrecht-buurtteam-binnenstad/case');
    // Every alert on a queue is recorded on the household, and every recorded one reached its team once.
    const recorded = (await stored(ref)).alerts;
    expect(recorded.map((r) => r.alertId).sort()).toEqual(alerts.map((a) => a.alertId).sort());
    for (const record of recorded) {
      expect(alerts.filter((a) => a.alertId === record.alertId), `${record.team}/${record.level}`).toHaveLength(1);
    }
    expect((await stored(ref)).signals).toHaveLength(WORKERS * 2);
  });
});

describe('one signal delivered 16 times at once', () => {
  it('as 16 resends by the partner: exactly one accepted and 15 duplicates, stored once', async () => {
    // Prepare: the same partner entry, as 16 distinct bus events.
    const address = freshAddress();
    const ref = householdRef(normaliseAddress(address), LOCAL_HOUSEHOLD_SECRET);
    const publisher = new Recorder();
    const { ingest } = handlers(publisher);
    const resends = Array.from({ length: WORKERS }, () => partnerEntry('mitros', 'same-signal', address, 1));

    // Act
    await Promise.all(resends.map((entry) => deliver(ingest, entry, 'vroegsignaal-ingest')));

    // Assess
    const outcomes = publisher.outcomes();
    expect(outcomes).toHaveLength(WORKERS);
    expect(outcomes.filter((o) => o.outcome === 'accepted')).toHaveLength(1);
    expect(outcomes.filter((o) => o.outcome === 'duplicate')).toHaveLength(WORKERS - 1);
    const accepted = outcomes.find((o) => o.outcome === 'accepted')!;
    expect((await stored(ref)).signals.map((s) => s.signalId)).toEqual(['same-signal']);
    expect(await deps.ledger.get('mitros', 'same-signal')).toMatchObject({ eventId: accepted.eventId, outcome: 'accepted', householdRef: ref });
    expect(new Set(outcomes.map((o) => o.eventId)).size).toBe(WORKERS);
  });

  it('as 16 redeliveries of one bus event: stored once, and every delivery told the same first outcome', async () => {
    // Prepare: the household already holds another signal, so the writes race on a version, not on creation.
    const address = freshAddress();
    const ref = householdRef(normaliseAddress(address), LOCAL_HOUSEHOLD_SECRET);
    const publisher = new Recorder();
    const { ingest } = handlers(publisher);
    await deliver(ingest, partnerEntry('ggd', 'earlier', address, 0), 'vroegsignaal-ingest');
    const entry = partnerEntry('boex', 'redelivered', address, 1);

    // Act
    await Promise.all(Array.from({ length: WORKERS }, () => deliver(ingest, entry, 'vroegsignaal-ingest')));

    // Assess
    const told = publisher.outcomes().filter((o) => o.eventId === entry.id);
    expect(told).toHaveLength(WORKERS);
    expect(new Set(told.map((o) => o.outcome))).toEqual(new Set(['accepted']));
    const state = await stored(ref);
    expect(state.signals.map((s) => s.signalId).sort()).toEqual(['earlier', 'redelivered']);
    expect(state.signalVersion).toBe(2);
  });
});
