/**
 * Chaos runs: one generated feed through the local pipeline several times, delivered once,
 * with duplicates, shuffled, under injected faults and a crash, with a permanent fault that
 * sends records to the DLQ until an operator redrives them, with hostile entries mixed in,
 * and with registered partners attacking households (divert attempts and floods). Each run is
 * compared with the feed delivered once, in order (the baseline):
 *
 * - household states: the stored signals, withdrawals, contact and address, and the level
 *   and score the domain assesses (assessHousehold(viewHousehold(state))), at one fixed clock;
 * - alerts: the multiset of (household, team, level) of `alert` messages the teams received;
 * - outcomes: each line's first outcome, and every repeat of an outcome for one bus event
 *   (a redelivery is told its first outcome again, never `duplicate`);
 * - claims: each claim's first outcome and later outcomes (what a partner reads back);
 * - diversions: every alert goes to a team of the municipality the household's address lies in.
 *
 * Entries are played in rounds: up to `roundSize` entries, at most one per household, put on
 * the bus in PutEvents batches of 10, then the pipeline settles. Within a round ingest and
 * route run side by side, so a household changed twice in one round could be routed in
 * between or not; one change per household per round keeps the alerts a function of the
 * feed, as with one entry at a time, at many times the speed.
 */
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { PutEventsCommand, type PutEventsRequestEntry, type PutEventsResultEntry } from '@aws-sdk/client-eventbridge';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '@vroegsignaal/adapters';
import { assessHousehold, householdRef, MAX_SIGNALS_PER_PARTNER, municipalityOfAddress, planNotifications, rejectionRuleOf, viewHousehold, type HouseholdState, type NormalisedAddress } from '@vroegsignaal/domain';
import { BUSES, LEVELS, PIPELINE_DETAIL_TYPES, type Level } from '@vroegsignaal/events';
import type { CompiledPolicy } from '@vroegsignaal/policy';
import { DEFAULT_FEED_SEED, generateFeed, type GeneratedFeed } from './feed-generator.ts';
import { Rng } from './rng.ts';
import { injectFaults, isHouseholdWrite, isTeamSend, householdOf, type FaultInjector, type FaultPlan } from './faults.ts';
import type { EventEnvelope } from '@vroegsignaal/events';
import { LOCAL_HOUSEHOLD_SECRET, LOCAL_TABLE_NAME, withLocalPipeline, type LocalPipeline, type LocalPipelineOptions, type TeamDelivery } from '@vroegsignaal/stand-ins';
import { redrive } from '@vroegsignaal/tools';
import { busEntryOf, parseLine, refusalReason, requestRefused } from '@vroegsignaal/tools';
import { ATTACK_MARKER_PREFIX, planPartnerAttacks, sampleHostileLines, type PartnerAttack } from './hostile-entries.ts';

// ---------------------------------------------------------------------------------------
// Playing items in rounds

/** What is put on the pipeline: a line (a PutEvents entry), or the bus delivering an earlier entry's event again. */
export type PlayItem =
  | { kind: 'line'; id: number; text: string; household: string | null }
  | { kind: 'redeliver'; of: number; household: string | null };

export interface LineOutcome {
  outcome: string;
  reason?: string;
  partnerId: string | null;
  signalId: string | null;
  eventId: string | null;
}

export interface Alert {
  householdRef: string;
  team: string;
  level: string;
  alertId: string;
  /** The round it arrived in. */
  round: number;
}

export interface PlayResult {
  /** First outcome per line id. */
  outcomes: Map<number, LineOutcome>;
  /** Every SignalOutcome per `eventId|signalId|first` or `|later`, in the order published: a redelivery adds to its list. */
  outcomeEvents: Map<string, string[]>;
  alerts: Alert[];
  rounds: number;
  /** The round each line was put in. */
  roundOf: Map<number, number>;
  /** The event id the bus gave each line it took. */
  eventIds: Map<number, string>;
  /**
   * Lines the bus took but could not put on the ingest buffer. SQS refuses message bodies with
   * characters outside #x9 #xA #xD #x20-#xD7FF #xE000-#xFFFD #x10000-#x10FFFF (so U+FFFE and
   * U+FFFF); the local stand-in (fauxqs) also refuses everything beyond U+FFFF, emoji included.
   */
  undelivered: number[];
  elapsedMs: number;
}

export interface PlayOptions {
  roundSize?: number;
  settleTimeoutMs?: number;
  /** Called after a round settled (before the next is put), e.g. to turn a fault off and redrive. */
  afterRound?: (round: number) => Promise<void>;
  /** Redeliveries of events on the pipeline bus (deliver and outcomes buffers), as a share of them. */
  pipelineRedeliveryRate?: number;
  rng?: Rng;
  /** Every team message (alerts, updates, reminders) as collected after a round. */
  onTeamMessage?: (delivery: TeamDelivery, round: number) => void;
}

/** Greedy rounds: a new round when the current one is full or already has this household. */
export function partitionRounds(items: readonly PlayItem[], roundSize: number): PlayItem[][] {
  const rounds: PlayItem[][] = [];
  let current: PlayItem[] = [];
  let households = new Set<string>();
  for (const item of items) {
    if (current.length >= roundSize || (item.household !== null && households.has(item.household))) {
      rounds.push(current);
      current = [];
      households = new Set();
    }
    current.push(item);
    if (item.household !== null) households.add(item.household);
  }
  if (current.length > 0) rounds.push(current);
  return rounds;
}

export async function play(pipeline: LocalPipeline, items: readonly PlayItem[], options: PlayOptions = {}): Promise<PlayResult> {
  const startedAt = Date.now();
  const rounds = partitionRounds(items, options.roundSize ?? 40);
  const sqs = pipeline.standIns.clients.sqs;
  const { buffers } = pipeline;
  const result: PlayResult = { outcomes: new Map(), outcomeEvents: new Map(), alerts: [], rounds: rounds.length, roundOf: new Map(), eventIds: new Map(), undelivered: [], elapsedMs: 0 };
  const lineOfEvent = new Map<string, number>();
  const firstOutcome = new Map<string, LineOutcome>();
  const pipelineEvents: EventEnvelope[] = [];
  const stopListening = pipeline.onPipelineEvent((event) => {
    if (event['detail-type'] !== PIPELINE_DETAIL_TYPES.signalOutcome) {
      if (event['detail-type'] === PIPELINE_DETAIL_TYPES.deliveryDue) pipelineEvents.push(event);
      return;
    }
    pipelineEvents.push(event);
    const d = event.detail as { eventId?: string; partnerId: string | null; signalId: string | null; outcome: string; reason?: string };
    if (!d.eventId) return;
    // A signal's later outcome (withdrawn) shares the entry's eventId with its first outcome.
    const later = d.outcome === 'withdrawn' && (d.reason ?? '').startsWith('withdrawn by the partner');
    const key = `${d.eventId}|${d.signalId ?? ''}|${later ? 'later' : 'first'}`;
    const told = result.outcomeEvents.get(key) ?? [];
    told.push(`${d.outcome}|${d.reason ?? ''}`);
    result.outcomeEvents.set(key, told);
    if (!firstOutcome.has(d.eventId)) {
      firstOutcome.set(d.eventId, { outcome: d.outcome, ...(d.reason ? { reason: d.reason } : {}), partnerId: d.partnerId, signalId: d.signalId, eventId: d.eventId });
    }
  });
  const archive = new Map<string, EventEnvelope>();
  const envelopeOf = (eventId: string): EventEnvelope | undefined => {
    if (!archive.has(eventId)) for (const envelope of pipeline.standIns.bus.archived(BUSES.signals)) archive.set(envelope.id, envelope);
    return archive.get(eventId);
  };
  const rng = options.rng ?? new Rng(7);
  let pipelineCursor = 0;

  try {
    for (const [roundIndex, round] of rounds.entries()) {
      const sendable: { id: number; entry: PutEventsRequestEntry; account?: string }[] = [];
      for (const item of round) {
        if (item.kind === 'redeliver') {
          const eventId = result.eventIds.get(item.of);
          const envelope = eventId ? envelopeOf(eventId) : undefined;
          // An entry the bus refused has no event to deliver again.
          if (envelope) await sqs.send(new SendMessageCommand({ QueueUrl: buffers.ingest.url, MessageBody: JSON.stringify(envelope) }));
          continue;
        }
        result.roundOf.set(item.id, roundIndex);
        const parsed = parseLine(item.text);
        if ('reason' in parsed) {
          result.outcomes.set(item.id, { outcome: 'rejected', reason: parsed.reason, partnerId: parsed.partnerId, signalId: parsed.signalId, eventId: null });
          continue;
        }
        sendable.push({ id: item.id, ...busEntryOf(pipeline, parsed) });
      }
      for (const batch of putBatches(sendable)) {
        let answers: PutEventsResultEntry[] | undefined;
        try {
          answers = (await pipeline.busClient(batch[0]!.account).send(new PutEventsCommand({ Entries: batch.map((b) => b.entry) }))).Entries;
        } catch {
          // A request refused whole (over 256 KB, say): each entry alone, as a partner would retry.
          answers = [];
          for (const one of batch) {
            try {
              answers.push((await pipeline.busClient(one.account).send(new PutEventsCommand({ Entries: [one.entry] }))).Entries?.[0] ?? {});
            } catch (error) {
              answers.push(requestRefused(error));
            }
          }
        }
        batch.forEach((b, i) => {
          const answer = answers?.[i];
          if (answer?.EventId) {
            result.eventIds.set(b.id, answer.EventId);
            lineOfEvent.set(answer.EventId, b.id);
          } else result.outcomes.set(b.id, { outcome: 'rejected', reason: refusalReason(answer), partnerId: null, signalId: null, eventId: null });
        });
      }
      // EventBridge delivers some of the pipeline's own events twice, too.
      if (options.pipelineRedeliveryRate) {
        for (; pipelineCursor < pipelineEvents.length; pipelineCursor++) {
          const event = pipelineEvents[pipelineCursor]!;
          if (!rng.chance(options.pipelineRedeliveryRate)) continue;
          const queueUrl = event['detail-type'] === PIPELINE_DETAIL_TYPES.deliveryDue ? buffers.deliver.url : buffers.outcomes.url;
          await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(event) }));
        }
      }
      await pipeline.settle(options.settleTimeoutMs ?? 180_000);
      await options.afterRound?.(roundIndex);
      for (const delivery of await pipeline.collectTeamMessages()) {
        options.onTeamMessage?.(delivery, roundIndex);
        const m = delivery.message;
        if (m.kind !== 'alert') continue;
        result.alerts.push({ householdRef: m.householdRef, team: delivery.team, level: m.level, alertId: m.alertId, round: roundIndex });
      }
    }
    await pipeline.settle(options.settleTimeoutMs ?? 180_000);
  } finally {
    stopListening();
  }
  for (const [eventId, outcome] of firstOutcome) {
    const id = lineOfEvent.get(eventId);
    if (id !== undefined && !result.outcomes.has(id)) result.outcomes.set(id, outcome);
  }
  // Accepted by the bus but never delivered to the ingest buffer: the SQS stand-in refuses some
  // characters (see PlayResult.undelivered). The replay tells such a line `rejected`, and so does this.
  for (const [id, eventId] of result.eventIds) {
    if (result.outcomes.has(id)) continue;
    result.undelivered.push(id);
    result.outcomes.set(id, { outcome: 'rejected', reason: 'the bus could not deliver the entry to the ingest buffer', partnerId: null, signalId: null, eventId });
  }
  result.elapsedMs = Date.now() - startedAt;
  return result;
}

/** PutEvents requests of at most 10 entries and 256 KB, one account each. */
function putBatches<T extends { entry: PutEventsRequestEntry; account?: string }>(items: T[]): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = Buffer.byteLength(item.entry.Detail ?? '') + Buffer.byteLength(item.entry.Source ?? '') + Buffer.byteLength(item.entry.DetailType ?? '') + 14;
    if (current.length > 0 && (current.length === 10 || bytes + size > 250_000 || current[0]!.account !== item.account)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

// ---------------------------------------------------------------------------------------
// End states

export interface HouseholdSnapshot {
  ref: string;
  signals: string[];
  withdrawals: string[];
  address: string;
  contact: string;
  level: string | null;
  score: number;
  /** (team, level) of the alert the household's final level calls for, when it has one. */
  finalAlert: string | null;
  /** Every alert record (team, level, alertId), sorted. */
  alertRecords: string[];
  /** `partnerId/signalId` of every stored signal, and of the live ones, sorted. */
  signalKeys: string[];
  live: string[];
}

export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value as object)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

export function snapshotOf(state: HouseholdState, policy: CompiledPolicy, nowMs: number): HouseholdSnapshot {
  const view = viewHousehold(state, policy.settings, nowMs);
  const assessment = assessHousehold(view, policy);
  const plan = planNotifications(state, policy, nowMs);
  return {
    ref: state.ref,
    signals: state.signals.map(canonical).sort(),
    withdrawals: state.withdrawals.map(canonical).sort(),
    address: canonical(state.address),
    contact: canonical(state.contact ?? null),
    level: assessment.level,
    score: assessment.score,
    finalAlert: assessment.level && plan.routing ? `${plan.routing.team}|${assessment.level}` : null,
    alertRecords: state.alerts.map((a) => `${a.team}|${a.level}|${a.alertId}`).sort(),
    signalKeys: state.signals.map((s) => `${s.partnerId}/${s.signalId}`).sort(),
    live: view.live.map((s) => `${s.partnerId}/${s.signalId}`).sort(),
  };
}

export async function snapshots(pipeline: LocalPipeline, nowMs: number): Promise<Map<string, HouseholdSnapshot>> {
  const out = new Map<string, HouseholdSnapshot>();
  for (const state of await pipeline.households()) out.set(state.ref, snapshotOf(state, pipeline.policy, nowMs));
  return out;
}

/** What a partner can read back: each claim's first outcome and its later outcomes. */
export async function claims(pipeline: LocalPipeline): Promise<Map<string, string>> {
  const db = documentClient(pipeline.standIns.clients.dynamodb);
  const out = new Map<string, string>();
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(new ScanCommand({ TableName: LOCAL_TABLE_NAME, FilterExpression: 'sk = :claim', ExpressionAttributeValues: { ':claim': 'CLAIM' }, ExclusiveStartKey }));
    for (const item of page.Items ?? []) {
      const later = ((item.laterOutcomes as { outcome: string }[] | undefined) ?? []).map((l) => l.outcome).join(',');
      out.set(`${item.partnerId}/${item.signalId}`, canonical({ householdRef: item.householdRef ?? null, outcome: item.outcome ?? null, reason: item.reason ?? null, pending: item.pendingWithdrawal ?? null, later }));
    }
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return out;
}

/** Differences between two maps of comparable values, described by key and field; at most `limit`. */
export function compareMaps<V>(expected: Map<string, V>, actual: Map<string, V>, fields: (v: V) => Record<string, unknown>, limit = 10): { count: number; examples: string[] } {
  const examples: string[] = [];
  let count = 0;
  const note = (text: string) => {
    count++;
    if (examples.length < limit) examples.push(text);
  };
  for (const [key, value] of expected) {
    const other = actual.get(key);
    if (other === undefined) {
      note(`${short(key)}: missing`);
      continue;
    }
    const a = fields(value);
    const b = fields(other);
    const differing = Object.keys(a).filter((f) => canonical(a[f]) !== canonical(b[f]));
    if (differing.length > 0) note(`${short(key)}: ${differing.map((f) => `${f} ${clip(canonical(a[f]))} ≠ ${clip(canonical(b[f]))}`).join('; ')}`);
  }
  for (const key of actual.keys()) if (!expected.has(key)) note(`${short(key)}: unexpected`);
  return { count, examples };
}

function short(key: string): string {
  return /^[0-9a-f]{64}$/.test(key) ? `household ${key.slice(0, 10)}` : key;
}

function clip(text: string): string {
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}

/** The state fields every run must end with; `alerts` adds the alert records (exactly-once runs). */
export function stateFields(withAlerts: boolean) {
  return (s: HouseholdSnapshot): Record<string, unknown> => ({
    signals: s.signals,
    withdrawals: s.withdrawals,
    address: s.address,
    contact: s.contact,
    level: s.level,
    score: s.score,
    ...(withAlerts ? { alertRecords: s.alertRecords } : { finalAlert: s.finalAlert }),
  });
}

export interface AlertTally {
  expected: number;
  raised: number;
  lost: number;
  doubled: number;
  examples: string[];
}

/** Lost: expected alerts not raised; doubled: alerts raised more often than expected, or not expected at all. */
export function tallyAlerts(expected: readonly string[], raised: readonly string[]): AlertTally {
  const count = (keys: readonly string[]) => keys.reduce((m, k) => m.set(k, (m.get(k) ?? 0) + 1), new Map<string, number>());
  const want = count(expected);
  const got = count(raised);
  let lost = 0;
  let doubled = 0;
  const examples: string[] = [];
  for (const [k, n] of want) {
    const missing = n - (got.get(k) ?? 0);
    if (missing > 0) {
      lost += missing;
      if (examples.length < 5) examples.push(`lost ${describeAlert(k)}`);
    }
  }
  for (const [k, n] of got) {
    const extra = n - (want.get(k) ?? 0);
    if (extra > 0) {
      doubled += extra;
      if (examples.length < 10) examples.push(`${want.has(k) ? 'doubled' : 'unexpected'} ${describeAlert(k)}`);
    }
  }
  return { expected: expected.length, raised: raised.length, lost, doubled, examples };
}

function describeAlert(key: string): string {
  const [ref, team, level] = key.split('|');
  return `${level} alert to ${team} for household ${ref?.slice(0, 10)}`;
}

export const alertKey = (a: Pick<Alert, 'householdRef' | 'team' | 'level'>) => `${a.householdRef}|${a.team}|${a.level}`;

// ---------------------------------------------------------------------------------------
// The runs

export interface RunRow {
  run: string;
  inputs: number;
  duplicates: number;
  faults: number;
  retries: number;
  redeliveries: number;
  dlq: number;
  alertsExpected: number;
  alertsRaised: number;
  lost: number;
  doubled: number;
  /**
   * Alerts sent to a team of another municipality than the one the household's address lies
   * in; in the hostile-partners run also any team message to such a team, and any carrying the
   * contact of an attack entry that was rejected. Every run counts it.
   */
  diverted: number;
  /** Hostile-partners run: alerts of the feed delivered once that the attacks kept from being raised; undefined elsewhere (see `lost`). */
  blocked?: number;
  /** Everything else that must hold (states, outcomes, claims, DLQ reasons); empty when all did. */
  failures: string[];
  notes: string[];
  elapsedMs: number;
}

export interface ChaosOptions {
  policy: CompiledPolicy;
  /** Households in the generated feed. */
  size: number;
  seed?: number;
  /** Hostile lines mixed into the last run; by default a seeded sample, a quarter of the feed's size. */
  hostileLines?: string[];
  roundSize?: number;
  /** Function timeout for the fault runs (a crash costs this long). */
  functionTimeoutSeconds?: number;
  /** Limit to some runs (names as in the table). */
  only?: readonly RunName[];
  onRow?: (row: RunRow) => void;
}

export const RUN_NAMES = ['once', 'duplicated', 'shuffled', 'faults', 'dlq-redrive', 'hostile', 'hostile-partners'] as const;
export type RunName = (typeof RUN_NAMES)[number];

export interface Baseline {
  feed: GeneratedFeed;
  play: PlayResult;
  states: Map<string, HouseholdSnapshot>;
  claims: Map<string, string>;
  alerts: string[];
  /** Household ref -> the policy municipality its address lies in (the code the feed gave it, for an address outside every one). */
  municipalityOf: Map<string, string>;
}

export interface ChaosReport {
  feed: { entries: number; households: number; resends: number; seed: number };
  rows: RunRow[];
  ok: boolean;
}

const lineItems = (feed: GeneratedFeed): PlayItem[] => feed.entries.map((e, id) => ({ kind: 'line', id, text: e.line, household: e.household }));

function withPipeline<T>(policy: CompiledPolicy, nowMs: number, options: Partial<Omit<LocalPipelineOptions, 'policy' | 'clock'>>, run: (pipeline: LocalPipeline) => Promise<T>): Promise<T> {
  return withLocalPipeline({ ...options, policy, clock: () => nowMs }, run);
}

function redeliveriesOf(pipeline: LocalPipeline): number {
  return Object.values(pipeline.eventSources).reduce((sum, source) => sum + source.stats().failures, 0);
}

function dlqTotal(depths: Record<string, number>): number {
  return Object.values(depths).reduce((a, b) => a + b, 0);
}

/** Compares a run with the baseline; pushes what differs to `failures`. */
function compareWithBaseline(
  baseline: Baseline,
  run: { states: Map<string, HouseholdSnapshot>; claims?: Map<string, string>; play: PlayResult },
  failures: string[],
  options: { alertRecords: boolean; outcomesOf?: Map<number, number> },
): void {
  const states = compareMaps(baseline.states, run.states, stateFields(options.alertRecords));
  if (states.count > 0) failures.push(`${states.count} household state(s) differ: ${states.examples.join(' | ')}`);
  if (run.claims) {
    const claimDiff = compareMaps(baseline.claims, run.claims, (v) => ({ claim: v }));
    if (claimDiff.count > 0) failures.push(`${claimDiff.count} claim(s) differ: ${claimDiff.examples.join(' | ')}`);
  }
  if (options.outcomesOf) {
    let differing = 0;
    const examples: string[] = [];
    for (const [runId, baselineId] of options.outcomesOf) {
      const a = baseline.play.outcomes.get(baselineId);
      const b = run.play.outcomes.get(runId);
      if (a?.outcome !== b?.outcome || a?.reason !== b?.reason) {
        differing++;
        if (examples.length < 5) examples.push(`line ${baselineId + 1}: ${a?.outcome} (${a?.reason}) ≠ ${b?.outcome} (${b?.reason})`);
      }
    }
    if (differing > 0) failures.push(`${differing} line outcome(s) differ from the feed delivered once: ${examples.join(' | ')}`);
  }
  // A redelivery of one bus event is told its first outcome again (the reason may say more).
  const inconsistent = [...run.play.outcomeEvents].filter(([, told]) => new Set(told.map((t) => t.split('|')[0])).size > 1);
  if (inconsistent.length > 0) {
    failures.push(`${inconsistent.length} bus event(s) told different outcomes on redelivery: ${inconsistent.slice(0, 3).map(([k, told]) => `${k.split('|')[1]}: ${[...new Set(told)].join(' / ')}`).join(' | ')}`);
  }
}

/** The municipality each household's address lies in, by household ref: what decides its team. */
export function municipalitiesOf(feed: GeneratedFeed, policy: CompiledPolicy): Map<string, string> {
  const out = new Map<string, string>();
  for (const entry of feed.entries) {
    const ref = refOfKey(entry.household);
    if (out.has(ref)) continue;
    out.set(ref, municipalityOfAddress(addressOfKey(entry.household), entry.municipalityCode, policy));
  }
  return out;
}

/** Whether a team belongs to the municipality (the unrouted team belongs to none). */
function teamServes(policy: CompiledPolicy, team: string, municipalityCode: string | undefined): boolean {
  return municipalityCode !== undefined && policy.team(team)?.municipalityCode === municipalityCode;
}

/** Alerts sent to a team of another municipality than the household's address lies in. */
export function divertedAlerts(alerts: readonly Alert[], baseline: Baseline, policy: CompiledPolicy): Alert[] {
  return alerts.filter((a) => !teamServes(policy, a.team, baseline.municipalityOf.get(a.householdRef)));
}

function rowFrom(run: string, partial: Partial<RunRow> & Pick<RunRow, 'inputs' | 'failures' | 'diverted'>, tally: AlertTally, startedAt: number): RunRow {
  const row: RunRow = {
    run,
    duplicates: 0,
    faults: 0,
    retries: 0,
    redeliveries: 0,
    dlq: 0,
    notes: [],
    ...partial,
    alertsExpected: tally.expected,
    alertsRaised: tally.raised,
    lost: tally.lost,
    doubled: tally.doubled,
    elapsedMs: Date.now() - startedAt,
  };
  if (tally.examples.length > 0) row.notes.push(...tally.examples);
  return row;
}

export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const { policy } = options;
  const seed = options.seed ?? DEFAULT_FEED_SEED;
  const feed = generateFeed({ size: options.size, seed, policy });
  const roundSize = options.roundSize ?? 40;
  const rows: RunRow[] = [];
  const want = (name: RunName) => !options.only || options.only.includes(name);
  const emit = (row: RunRow) => {
    rows.push(row);
    options.onRow?.(row);
  };

  // 1. Once, in order: the baseline every other run is held to.
  const { baseline, row } = await baselineRun(feed, policy, roundSize);
  emit(row);

  if (want('duplicated')) emit(await duplicatedRun(baseline, policy, seed, roundSize));
  if (want('shuffled')) emit(await shuffledRun(baseline, policy, seed, roundSize));
  if (want('faults')) emit(await faultsRun(baseline, policy, seed, roundSize, options.functionTimeoutSeconds ?? 2));
  if (want('dlq-redrive')) emit(await deadLetterRun(baseline, policy, seed, roundSize));
  if (want('hostile')) {
    const hostile = options.hostileLines ?? sampleHostileLines(feed.nowMs, Math.min(1_000, Math.max(50, Math.round(feed.entries.length / 4))), seed);
    emit(await hostileRun(baseline, policy, seed, roundSize, hostile));
  }
  if (want('hostile-partners')) emit(await hostilePartnersRun(baseline, policy, seed, roundSize));

  const ok = rows.every(rowOk);
  return { feed: { entries: feed.entries.length, households: feed.households, resends: feed.resends, seed }, rows, ok };
}

/** A run ended as it must: nothing lost, doubled, diverted or blocked, every check held. */
export function rowOk(row: RunRow): boolean {
  return row.lost === 0 && row.doubled === 0 && row.diverted === 0 && (row.blocked ?? 0) === 0 && row.failures.length === 0;
}

/** 1. The feed once, in order: what every other run must end as. */
export async function baselineRun(feed: GeneratedFeed, policy: CompiledPolicy, roundSize = 40): Promise<{ baseline: Baseline; row: RunRow }> {
  const startedAt = Date.now();
  const baseline = await withPipeline(policy, feed.nowMs, {}, async (pipeline): Promise<Baseline> => {
    const played = await play(pipeline, lineItems(feed), { roundSize });
    return { feed, play: played, states: await snapshots(pipeline, feed.nowMs), claims: await claims(pipeline), alerts: played.alerts.map(alertKey), municipalityOf: municipalitiesOf(feed, policy) };
  });
  const failures: string[] = [];
  const notTakenIn = [...baseline.play.outcomes.values()].filter((o) => o.outcome === 'rejected').length;
  if (notTakenIn > 0) failures.push(`${notTakenIn} generated entries were not taken in`);
  if (baseline.play.outcomes.size !== feed.entries.length) failures.push(`${feed.entries.length - baseline.play.outcomes.size} line(s) got no outcome`);
  const self = tallyAlerts([...new Set(baseline.alerts)], baseline.alerts);
  const diverted = divertedAlerts(baseline.play.alerts, baseline, policy).length;
  const row = rowFrom('once', { inputs: feed.entries.length, duplicates: feed.resends, diverted, failures, notes: [`${baseline.states.size} households, ${baseline.play.rounds} rounds`] }, self, startedAt);
  return { baseline, row };
}

/** 2. Every entry arrives one to three times: the bus delivering its event again, or the partner resending it. */
export async function duplicatedRun(baseline: Baseline, policy: CompiledPolicy, seed: number, roundSize: number): Promise<RunRow> {
  const startedAt = Date.now();
  const rng = new Rng(seed + 2);
  const { feed } = baseline;
  const items: PlayItem[] = lineItems(feed);
  const outcomesOf = new Map<number, number>(feed.entries.map((_, id) => [id, id]));
  let nextId = feed.entries.length;
  let redeliveries = 0;
  let resends = 0;
  const resendIds: number[] = [];
  for (const [id, entry] of feed.entries.entries()) {
    const copies = rng.weighted([[0, 1], [1, 1], [2, 1]] as const);
    for (let c = 0; c < copies; c++) {
      // Anywhere after the original (and after copies placed before).
      const originalAt = items.findIndex((it) => it.kind === 'line' && it.id === id);
      const at = rng.int(originalAt + 1, items.length);
      if (rng.chance(0.5)) {
        items.splice(at, 0, { kind: 'redeliver', of: id, household: entry.household });
        redeliveries++;
      } else {
        items.splice(at, 0, { kind: 'line', id: nextId, text: entry.line, household: entry.household });
        resendIds.push(nextId++);
        resends++;
      }
    }
  }
  return withPipeline(policy, feed.nowMs, {}, async (pipeline) => {
    const played = await play(pipeline, items, { roundSize, pipelineRedeliveryRate: 0.2, rng });
    const failures: string[] = [];
    compareWithBaseline(baseline, { states: await snapshots(pipeline, feed.nowMs), claims: await claims(pipeline), play: played }, failures, { alertRecords: true, outcomesOf });
    const notDuplicate = resendIds.filter((id) => played.outcomes.get(id)?.outcome !== 'duplicate');
    if (notDuplicate.length > 0) failures.push(`${notDuplicate.length} partner resend(s) not told "duplicate"`);
    const tally = tallyAlerts(baseline.alerts, played.alerts.map(alertKey));
    return rowFrom(
      'duplicated',
      {
        inputs: feed.entries.length + redeliveries + resends,
        duplicates: redeliveries + resends + feed.resends,
        redeliveries: redeliveriesOf(pipeline),
        dlq: dlqTotal(await pipeline.dlqDepths()),
        diverted: divertedAlerts(played.alerts, baseline, policy).length,
        failures,
        notes: [`${redeliveries} bus redeliveries, ${resends} partner resends, pipeline events delivered twice at 20%`],
      },
      tally,
      startedAt,
    );
  });
}

/** 3. The feed in a seeded random order: the same household states and final levels. */
export async function shuffledRun(baseline: Baseline, policy: CompiledPolicy, seed: number, roundSize: number): Promise<RunRow> {
  const startedAt = Date.now();
  const { feed } = baseline;
  const items = new Rng(seed + 3).shuffle(lineItems(feed));
  return withPipeline(policy, feed.nowMs, {}, async (pipeline) => {
    const played = await play(pipeline, items, { roundSize });
    const failures: string[] = [];
    const states = await snapshots(pipeline, feed.nowMs);
    compareWithBaseline(baseline, { states, play: played }, failures, { alertRecords: false });
    // Alerts may differ with the order (a level passed through, or skipped); the alert for each
    // household's final level must be there, once.
    const expected = [...baseline.states.values()].flatMap((s) => (s.finalAlert ? [`${s.ref}|${s.finalAlert}`] : []));
    const raised = played.alerts.map(alertKey);
    const expectedSet = new Set(expected);
    const finalRaised = raised.filter((k) => expectedSet.has(k));
    const tally = tallyAlerts(expected, finalRaised);
    const counts = raised.reduce((m, k) => m.set(k, (m.get(k) ?? 0) + 1), new Map<string, number>());
    const twice = [...counts.values()].filter((n) => n > 1).reduce((a, n) => a + n - 1, 0);
    tally.doubled += twice;
    // The highest level a household was ever alerted at may differ with the order (a scheduled
    // eviction seen before or after the proceeding's withdrawal); the final level may not.
    const rank = (level: string) => LEVELS.indexOf(level as Level);
    const highest = (alerts: Alert[]) => alerts.reduce((m, a) => (rank(a.level) > rank(m.get(a.householdRef) ?? '') ? m.set(a.householdRef, a.level) : m), new Map<string, string>());
    const inOrder = highest(baseline.play.alerts);
    const shuffled = highest(played.alerts);
    const differing = [...new Set([...inOrder.keys(), ...shuffled.keys()])].filter((ref) => inOrder.get(ref) !== shuffled.get(ref)).length;
    return rowFrom(
      'shuffled',
      {
        inputs: feed.entries.length,
        duplicates: feed.resends,
        diverted: divertedAlerts(played.alerts, baseline, policy).length,
        failures,
        notes: [
          `alerts are those for each household's final level; ${raised.length} alerts raised in all (${baseline.alerts.length} in order)`,
          `highest level ever alerted: the same for ${inOrder.size - Math.min(differing, inOrder.size)} of ${inOrder.size} alerted households; ${differing} differ with the order of arrival`,
        ],
      },
      tally,
      startedAt,
    );
  });
}

/** 4. Throttling, internal errors, lost responses, failing team sends and crashes mid-batch. */
export async function faultsRun(baseline: Baseline, policy: CompiledPolicy, seed: number, roundSize: number, functionTimeoutSeconds: number): Promise<RunRow> {
  const startedAt = Date.now();
  const { feed } = baseline;
  const plan: FaultPlan = {
    dynamoThrottle: 0.01,
    dynamoInternal: 0.02,
    lostResponseShare: 0.5,
    eventBridgeInternal: 0.02,
    teamSendFailure: 0.15,
    crashes: { count: 3, probability: 0.05, skip: Math.floor(feed.entries.length / 8) },
  };
  let injector: FaultInjector | undefined;
  return withPipeline(
    policy,
    feed.nowMs,
    // A generous receive budget: this run shows transient faults absorbed (the DLQ has its own run);
    // at 15% failing team sends, five failures in a row would otherwise happen about once in 100 runs.
    { functionTimeoutSeconds, maxReceiveCount: 8, decorateClients: (clients) => (injector = injectFaults(clients, plan, new Rng(seed + 4))) },
    async (pipeline) => {
      const played = await play(pipeline, lineItems(feed), { roundSize });
      const failures: string[] = [];
      compareWithBaseline(baseline, { states: await snapshots(pipeline, feed.nowMs), claims: await claims(pipeline), play: played }, failures, {
        alertRecords: true,
        outcomesOf: new Map(feed.entries.map((_, id) => [id, id])),
      });
      const stats = injector!.stats();
      const dlq = dlqTotal(await pipeline.dlqDepths());
      if (dlq > 0) failures.push(`${dlq} record(s) in a DLQ after transient faults`);
      if (stats.injected.crash === 0) failures.push('no crash was injected');
      const kinds = Object.entries(stats.injected).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(', ');
      return rowFrom(
        'faults',
        { inputs: feed.entries.length, duplicates: feed.resends, faults: stats.faults, retries: stats.retries, redeliveries: redeliveriesOf(pipeline), dlq, diverted: divertedAlerts(played.alerts, baseline, policy).length, failures, notes: [`faults: ${kinds}`] },
        tallyAlerts(baseline.alerts, played.alerts.map(alertKey)),
        startedAt,
      );
    },
  );
}

function addressOfKey(key: string): NormalisedAddress {
  const [postcode, houseNumber, houseLetter, houseNumberAddition] = key.split('|');
  return { postcode: postcode!, houseNumber: Number(houseNumber), ...(houseLetter ? { houseLetter } : {}), ...(houseNumberAddition ? { houseNumberAddition } : {}) };
}

function refOfKey(key: string): string {
  return householdRef(addressOfKey(key), LOCAL_HOUSEHOLD_SECRET);
}

/**
 * 5. An outage for some households while part of the feed arrives: their household writes
 * (ingest) or their team sends (deliver) fail on every attempt, so the records land in the
 * stage's DLQ with the reason. Then the cause is fixed, the DLQs are redriven, and the rest
 * of the feed arrives. The victims have one entry each in the outage, so nothing newer
 * about them waits behind the DLQ: the end must equal the baseline exactly.
 */
export async function deadLetterRun(baseline: Baseline, policy: CompiledPolicy, seed: number, roundSize: number): Promise<RunRow> {
  const startedAt = Date.now();
  const { feed } = baseline;
  const rng = new Rng(seed + 5);
  const rounds = baseline.play.rounds;
  const from = Math.floor(rounds * 0.3);
  const until = Math.max(from, Math.floor(rounds * 0.5));
  // Households with exactly one entry in the window, and what that entry did in the baseline.
  const inWindow = new Map<string, number[]>();
  for (const [id, entry] of feed.entries.entries()) {
    const round = baseline.play.roundOf.get(id)!;
    if (round >= from && round <= until) inWindow.set(entry.household, [...(inWindow.get(entry.household) ?? []), id]);
  }
  const alertedIn = new Set(baseline.play.alerts.filter((a) => a.round >= from && a.round <= until).map((a) => a.householdRef));
  const single = [...inWindow].filter(([, ids]) => ids.length === 1).map(([household, ids]) => ({ household, ref: refOfKey(household), id: ids[0]! }));
  const deliverVictims = rng.shuffle(single.filter((s) => alertedIn.has(s.ref))).slice(0, 3);
  const stored = new Set(['accepted', 'repeat', 'below-threshold']);
  const ingestVictims = rng
    .shuffle(single.filter((s) => !deliverVictims.includes(s) && feed.entries[s.id]!.resendOf === undefined && feed.entries[s.id]!.detailType !== 'SignalWithdrawn' && stored.has(baseline.play.outcomes.get(s.id)?.outcome ?? '')))
    .slice(0, 3);
  const routeRefs = new Set(deliverVictims.map((v) => v.ref));
  const ingestRefs = new Set(ingestVictims.map((v) => v.ref));
  const outage: FaultPlan = {
    permanent: [
      { label: 'team queue key disabled', match: (call) => isTeamSend(call) && routeRefs.has(householdOf(call) ?? ''), error: 'KmsAccessDenied' },
      { label: 'household writes denied', match: (call) => isHouseholdWrite(call) && ingestRefs.has(householdOf(call) ?? ''), error: 'AccessDeniedException' },
    ],
  };
  let injector: FaultInjector | undefined;
  const failures: string[] = [];
  const notes: string[] = [`outage in rounds ${from + 1}-${until + 1} of ${rounds}: ${ingestVictims.length} household(s) at ingest, ${deliverVictims.length} at deliver`];
  let dlqEntries = 0;
  return withPipeline(
    policy,
    feed.nowMs,
    { maxReceiveCount: 3, decorateClients: (clients) => (injector = injectFaults(clients, from === 0 ? outage : {}, new Rng(seed + 6))) },
    async (pipeline) => {
      const played = await play(pipeline, lineItems(feed), {
        roundSize,
        afterRound: async (round) => {
          // The outage starts with round `from` and lasts until round `until` has settled.
          if (round === from - 1) injector!.setPlan(outage);
          if (round !== until) return;
          const depths = await pipeline.dlqDepths();
          dlqEntries = dlqTotal(depths);
          if ((depths.ingest ?? 0) !== ingestVictims.length) failures.push(`ingest DLQ holds ${depths.ingest}, expected ${ingestVictims.length}`);
          if ((depths.deliver ?? 0) < deliverVictims.length) failures.push(`deliver DLQ holds ${depths.deliver}, expected at least ${deliverVictims.length}`);
          // The cause is fixed; what the DLQs hold goes back on the buffers (`npm run redrive -- --stage ...`).
          injector!.setPlan({});
          for (const stage of ['ingest', 'deliver'] as const) {
            const { url, dlqUrl } = pipeline.buffers[stage];
            const { letters } = await redrive({ sqs: pipeline.standIns.clients.sqs, queueUrl: url, deadLetterQueueUrl: dlqUrl });
            const expectedReason = stage === 'ingest' ? 'AccessDeniedException' : 'KmsAccessDenied';
            const wrong = letters.filter((l) => l.reason !== expectedReason);
            if (wrong.length > 0) failures.push(`${wrong.length} ${stage} DLQ message(s) without the reason "${expectedReason}": ${wrong[0]!.reason}`);
            notes.push(`${stage} DLQ: ${letters.length} redriven (reason ${[...new Set(letters.map((l) => l.reason))].join(', ') || '-'})`);
          }
          await pipeline.settle(60_000);
        },
      });
      compareWithBaseline(baseline, { states: await snapshots(pipeline, feed.nowMs), claims: await claims(pipeline), play: played }, failures, {
        alertRecords: true,
        outcomesOf: new Map(feed.entries.map((_, id) => [id, id])),
      });
      const left = dlqTotal(await pipeline.dlqDepths());
      if (left > 0) failures.push(`${left} record(s) left in a DLQ after the redrive`);
      if (ingestVictims.length + deliverVictims.length === 0) failures.push('no household could be chosen for the outage');
      const stats = injector!.stats();
      return rowFrom(
        'dlq-redrive',
        { inputs: feed.entries.length, duplicates: feed.resends, faults: stats.faults, retries: stats.retries, redeliveries: redeliveriesOf(pipeline), dlq: dlqEntries, diverted: divertedAlerts(played.alerts, baseline, policy).length, failures, notes },
        tallyAlerts(baseline.alerts, played.alerts.map(alertKey)),
        startedAt,
      );
    },
  );
}

/** 6. Hostile lines mixed into the feed: each rejected, the rest exactly as before. */
export async function hostileRun(baseline: Baseline, policy: CompiledPolicy, seed: number, roundSize: number, hostileLines: string[]): Promise<RunRow> {
  const startedAt = Date.now();
  const { feed } = baseline;
  const rng = new Rng(seed + 7);
  const items = lineItems(feed);
  const hostileIds: number[] = [];
  let nextId = feed.entries.length;
  for (const text of hostileLines) {
    items.splice(rng.int(0, items.length), 0, { kind: 'line', id: nextId, text, household: null });
    hostileIds.push(nextId++);
  }
  return withPipeline(policy, feed.nowMs, {}, async (pipeline) => {
    const played = await play(pipeline, items, { roundSize });
    const failures: string[] = [];
    compareWithBaseline(baseline, { states: await snapshots(pipeline, feed.nowMs), claims: await claims(pipeline), play: played }, failures, {
      alertRecords: true,
      outcomesOf: new Map(feed.entries.map((_, id) => [id, id])),
    });
    const notRejected = hostileIds.filter((id) => played.outcomes.get(id)?.outcome !== 'rejected');
    if (notRejected.length > 0) failures.push(`${notRejected.length} hostile line(s) not rejected: ${notRejected.slice(0, 3).map((id) => played.outcomes.get(id)?.outcome).join(', ')}`);
    const withoutReason = hostileIds.filter((id) => !played.outcomes.get(id)?.reason);
    if (withoutReason.length > 0) failures.push(`${withoutReason.length} hostile line(s) rejected without a reason`);
    const dlq = dlqTotal(await pipeline.dlqDepths());
    if (dlq > 0) failures.push(`${dlq} record(s) in a DLQ`);
    return rowFrom(
      'hostile',
      {
        inputs: items.length,
        duplicates: feed.resends,
        redeliveries: redeliveriesOf(pipeline),
        dlq,
        diverted: divertedAlerts(played.alerts, baseline, policy).length,
        failures,
        notes: [
          `${hostileLines.length} hostile lines, all rejected: ${notRejected.length === 0 ? 'yes' : 'no'}`,
          ...(played.undelivered.length > 0 ? [`${played.undelivered.length} of them taken by the bus but refused by the SQS stand-in (characters beyond U+FFFF or U+FFFE/U+FFFF), so never judged by ingest`] : []),
        ],
      },
      tallyAlerts(baseline.alerts, played.alerts.map(alertKey)),
      startedAt,
    );
  });
}

export interface PartnerAttackCounts {
  divertAttempts: number;
  divertHouseholds: number;
  /** Divert attempts by outcome: the rule that rejected them (`postcode-area`, `municipality`, `other`), or `not-rejected`. */
  divertOutcomes: Record<string, number>;
  /** Divert attempts rejected by another rule than expected, or not rejected. */
  divertUnexpected: number;
  floods: number;
  floodEntries: number;
  /** Flood entries stored (until the partner's share was full), and refused by `partner-quota`. */
  floodAccepted: number;
  floodRefused: number;
  /** Contacts of rejected attack entries, looked for in every team message. */
  markersChecked: number;
  teamMessages: number;
  /** Alerts the feed delivered once did not raise, for a household with stored flood entries (allowed, see hostilePartnersRun). */
  extraAlerts: number;
}

export type HostilePartnersRow = RunRow & { attacks: PartnerAttackCounts };

/**
 * 7. Registered partners attacking households (planPartnerAttacks): divert attempts, signals
 * for a household's address labelled with another policy municipality's code, mixed in
 * anywhere; and floods of 60-80 low signals by one partner after its own last entry about a
 * household, spread over the rest of the feed so that other partners' genuine entries about
 * it follow or interleave.
 *
 * - diverted: team messages (alerts above all) sent to a team of another municipality than
 *   the household's address lies in (policy.municipalityOfPostcodeArea against the team's
 *   municipalityCode), and team messages carrying the contact of an attack entry that was
 *   rejected; both must be 0.
 * - blocked: alerts (household, team, level) of the feed delivered once that are not raised.
 *   A flood copies the kind and domain of one of the flooder's own live signals, so the
 *   household's assessment is the same from the flood on and every alert must still come.
 *   Alerts the baseline did not raise, for a household with stored flood entries, are not
 *   diversions and not doubles: a correctly labelled partner's signals count (a new partner or
 *   domain can raise a case); they are noted as extra. Elsewhere an unexpected alert is doubled.
 * - each divert attempt must be rejected by the rule expected (municipality when the attacker
 *   is not registered for the label, else postcode-area), each flood must be stored up to the
 *   partner's share (MAX_SIGNALS_PER_PARTNER less the partner's live signals there) and refused
 *   (partner-quota) beyond it; households not flooded end exactly as in the baseline, flooded
 *   ones with the same level, score, withdrawals and alerts and every signal kept but the
 *   flooder's own that were no longer live (room is made from those); genuine entries are told
 *   what they were told in the baseline, and their claims are the same.
 *
 * `pipelinePolicy` runs the pipeline on another policy than the one the attacks and the
 * address municipalities are taken from: a test gives it one without postcode areas, to show
 * that the row catches an intake that accepts a mislabelled code.
 */
export async function hostilePartnersRun(
  baseline: Baseline,
  policy: CompiledPolicy,
  seed: number,
  roundSize: number,
  options: { pipelinePolicy?: CompiledPolicy } = {},
): Promise<HostilePartnersRow> {
  const startedAt = Date.now();
  const { feed } = baseline;
  const refs = new Map<string, string>();
  const refOf = (household: string) => {
    let ref = refs.get(household);
    if (ref === undefined) {
      ref = refOfKey(household);
      refs.set(household, ref);
    }
    return ref;
  };
  const plan = planPartnerAttacks(feed, policy, {
    seed: seed + 8,
    isLive: (household, partnerId, signalId) => baseline.states.get(refOf(household))?.live.includes(`${partnerId}/${signalId}`) ?? false,
  });
  const rng = new Rng(seed + 9);
  const items = lineItems(feed);
  const attackOf = new Map<number, PartnerAttack>();
  let nextId = feed.entries.length;
  for (const attack of plan.attacks) {
    const id = nextId++;
    attackOf.set(id, attack);
    const from = attack.after === undefined ? 0 : items.findIndex((it) => it.kind === 'line' && it.id === attack.after) + 1;
    items.splice(rng.int(from, items.length), 0, { kind: 'line', id, text: attack.line, household: attack.household });
  }

  return withPipeline(options.pipelinePolicy ?? policy, feed.nowMs, {}, async (pipeline) => {
    const messages: TeamDelivery[] = [];
    const played = await play(pipeline, items, { roundSize, onTeamMessage: (delivery) => messages.push(delivery) });
    const failures: string[] = [];
    const notes: string[] = [];
    const states = await snapshots(pipeline, feed.nowMs);
    const runClaims = await claims(pipeline);

    // What the attack entries were told.
    const divertOutcomes: Record<string, number> = {};
    let divertUnexpected = 0;
    const unexpectedExamples: string[] = [];
    const floodTold = new Map<string, { accepted: number; refused: number; other: number }>();
    const rejectedMarkers = new Set<string>();
    for (const [id, attack] of attackOf) {
      const told = played.outcomes.get(id);
      const rejected = told?.outcome === 'rejected';
      if (rejected) rejectedMarkers.add(attack.marker);
      if (attack.kind === 'divert') {
        const key = rejected ? rejectionRuleOf(told.reason ?? '') : 'not-rejected';
        divertOutcomes[key] = (divertOutcomes[key] ?? 0) + 1;
        if (key !== attack.expectedRule) {
          divertUnexpected++;
          if (unexpectedExamples.length < 3) unexpectedExamples.push(`${attack.partnerId} labelling ${attack.municipalityCode}: ${told?.outcome} (${told?.reason}), expected rejected by ${attack.expectedRule}`);
        }
      } else {
        const tally = floodTold.get(attack.household) ?? { accepted: 0, refused: 0, other: 0 };
        if (told?.outcome === 'accepted') tally.accepted++;
        else if (rejected && rejectionRuleOf(told.reason ?? '') === 'partner-quota') tally.refused++;
        else tally.other++;
        floodTold.set(attack.household, tally);
      }
    }
    const divertAttempts = plan.attacks.filter((a) => a.kind === 'divert').length;
    if (divertAttempts === 0) failures.push('no divert attempt could be planned');
    if (divertUnexpected > 0) failures.push(`${divertUnexpected} divert attempt(s) not rejected by the rule expected: ${unexpectedExamples.join(' | ')}`);

    // Floods: stored up to the partner's share, refused beyond it.
    const flooded = new Map(plan.floods.map((f) => [refOf(f.household), f]));
    let floodAccepted = 0;
    let floodRefused = 0;
    const withStoredFlood = new Set<string>();
    for (const [ref, flood] of flooded) {
      const told = floodTold.get(flood.household) ?? { accepted: 0, refused: 0, other: 0 };
      floodAccepted += told.accepted;
      floodRefused += told.refused;
      if (told.accepted > 0) withStoredFlood.add(ref);
      const liveOwn = baseline.states.get(ref)?.live.filter((k) => k.startsWith(`${flood.partnerId}/`)).length ?? 0;
      const share = Math.max(0, MAX_SIGNALS_PER_PARTNER - liveOwn);
      if (told.accepted !== share || told.refused !== flood.entries - share || told.other > 0) {
        failures.push(`flood by ${flood.partnerId} on household ${ref.slice(0, 10)}: ${told.accepted} stored, ${told.refused} refused (partner-quota), ${told.other} otherwise; expected ${share} stored and ${flood.entries - share} refused`);
      }
    }
    if (plan.floods.length === 0) failures.push('no household could be flooded (no partner with a live nuisance or care signal)');

    // Households not flooded end exactly as in the baseline; genuine lines are told the same.
    const notFlooded = (map: Map<string, HouseholdSnapshot>) => new Map([...map].filter(([ref]) => !flooded.has(ref)));
    compareWithBaseline({ ...baseline, states: notFlooded(baseline.states) }, { states: notFlooded(states), play: played }, failures, {
      alertRecords: true,
      outcomesOf: new Map(feed.entries.map((_, id) => [id, id])),
    });
    // Flooded households: the same assessment and alerts, every genuine signal still stored.
    for (const [ref, flood] of flooded) {
      const before = baseline.states.get(ref)!;
      const after = states.get(ref);
      if (!after) {
        failures.push(`flooded household ${ref.slice(0, 10)} is gone`);
        continue;
      }
      const own = `${flood.partnerId}/`;
      const lostSignals = before.signalKeys.filter((k) => !after.signalKeys.includes(k) && !(k.startsWith(own) && !before.live.includes(k)));
      const differing = (['level', 'score', 'withdrawals', 'alertRecords'] as const).filter((f) => canonical(before[f]) !== canonical(after[f]));
      if (lostSignals.length > 0 || differing.length > 0) {
        failures.push(`flooded household ${ref.slice(0, 10)}: ${lostSignals.length} genuine signal(s) no longer stored${differing.length > 0 ? `; ${differing.join(', ')} differ` : ''}`);
      }
    }
    // Claims: the feed's as before; the only new ones are the stored flood entries' (a refused entry makes none).
    const claimDiff = compareMaps(baseline.claims, new Map([...runClaims].filter(([k]) => baseline.claims.has(k))), (v) => ({ claim: v }));
    if (claimDiff.count > 0) failures.push(`${claimDiff.count} claim(s) differ: ${claimDiff.examples.join(' | ')}`);
    const newClaims = [...runClaims.keys()].filter((k) => !baseline.claims.has(k)).length;
    if (newClaims !== floodAccepted) failures.push(`${newClaims} new claim(s), expected ${floodAccepted} (the stored flood entries)`);

    // Diverted: a team message to another municipality's team, or carrying a rejected attacker's contact.
    const markerPattern = new RegExp(`${ATTACK_MARKER_PREFIX} \\d{6}`, 'g');
    let diverted = 0;
    const divertedExamples: string[] = [];
    for (const delivery of messages) {
      const ref = delivery.message.householdRef;
      // An escalation reminder names no household: the municipality it is about is its own.
      const municipality = ref === undefined ? delivery.message.municipalityCode : baseline.municipalityOf.get(ref);
      const wrongTeam = !teamServes(policy, delivery.team, municipality);
      const leaked = (JSON.stringify(delivery.message).match(markerPattern) ?? []).filter((m) => rejectedMarkers.has(m));
      if (!wrongTeam && leaked.length === 0) continue;
      diverted++;
      if (divertedExamples.length < 5) {
        divertedExamples.push(`${delivery.message.kind} for household ${ref?.slice(0, 10) ?? '(none named)'} (${municipality}) to ${delivery.team}${leaked.length > 0 ? `, carrying the contact of ${leaked.length} rejected attack entr${leaked.length === 1 ? 'y' : 'ies'}` : ''}`);
      }
    }

    // Blocked: alerts of the feed delivered once not raised. Extra alerts after stored flood entries are allowed.
    const raised = played.alerts.map(alertKey);
    const expected = new Set(baseline.alerts);
    const isExtra = (key: string) => !expected.has(key) && withStoredFlood.has(key.split('|')[0]!);
    const tally = tallyAlerts(baseline.alerts, raised.filter((k) => !isExtra(k)));
    const extraAlerts = raised.filter(isExtra).length;
    tally.raised = raised.length;

    const dlq = dlqTotal(await pipeline.dlqDepths());
    if (dlq > 0) failures.push(`${dlq} record(s) in a DLQ`);
    const [low, high] = plan.floods.reduce(([lo, hi], f) => [Math.min(lo, f.entries), Math.max(hi, f.entries)], [Infinity, 0]);
    notes.push(
      `${divertAttempts} divert attempts on ${plan.divertedHouseholds} households: ${Object.entries(divertOutcomes).map(([k, n]) => `${k === 'not-rejected' ? 'NOT rejected' : `rejected by ${k}`} ${n}`).join(', ')}`,
      `${plan.floods.length} flood(s) of ${low === high ? low : `${low}-${high}`} entries by a partner already reporting on the household, ${plan.floods.filter((f) => f.followedBy > 0).length} followed by other partners' entries: ${floodAccepted} stored (each partner's share of ${MAX_SIGNALS_PER_PARTNER}), ${floodRefused} refused (partner-quota)`,
      `contacts of ${rejectedMarkers.size} rejected attack entries looked for in ${messages.length} team messages`,
      ...(extraAlerts > 0 ? [`${extraAlerts} alert(s) beyond the baseline after stored flood entries (a correctly labelled partner's signals count)`] : []),
      ...divertedExamples.map((e) => `diverted: ${e}`),
    );
    const row = rowFrom(
      'hostile-partners',
      { inputs: items.length, duplicates: feed.resends, redeliveries: redeliveriesOf(pipeline), dlq, diverted, blocked: tally.lost, failures, notes },
      tally,
      startedAt,
    );
    return {
      ...row,
      attacks: {
        divertAttempts,
        divertHouseholds: plan.divertedHouseholds,
        divertOutcomes,
        divertUnexpected,
        floods: plan.floods.length,
        floodEntries: plan.floods.reduce((sum, f) => sum + f.entries, 0),
        floodAccepted,
        floodRefused,
        markersChecked: rejectedMarkers.size,
        teamMessages: messages.length,
        extraAlerts,
      },
    };
  });
}

// ---------------------------------------------------------------------------------------
// The table

const COLUMNS: [keyof RunRow, string][] = [
  ['run', 'run'],
  ['inputs', 'inputs'],
  ['duplicates', 'duplicates'],
  ['faults', 'faults injected'],
  ['retries', 'retries'],
  ['redeliveries', 'redelivered'],
  ['dlq', 'DLQ entries'],
  ['alertsExpected', 'alerts expected'],
  ['alertsRaised', 'alerts raised'],
  ['lost', 'lost'],
  ['doubled', 'doubled'],
  ['diverted', 'diverted'],
  ['blocked', 'blocked'],
  ['failures', 'checks'],
  ['elapsedMs', 'seconds'],
];

export function formatChaosTable(report: ChaosReport): string {
  const cells = report.rows.map((row) =>
    COLUMNS.map(([key]) => {
      const value = row[key];
      if (key === 'failures') return (value as string[]).length === 0 ? 'ok' : `${(value as string[]).length} FAILED`;
      if (key === 'elapsedMs') return ((value as number) / 1000).toFixed(1);
      if (value === undefined) return '-';
      return String(value);
    }),
  );
  const widths = COLUMNS.map(([, title], i) => Math.max(title.length, ...cells.map((c) => c[i]!.length)));
  const line = (values: string[]) => `| ${values.map((v, i) => (i === 0 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join(' | ')} |`;
  const out = [line(COLUMNS.map(([, title]) => title)), `|${widths.map((w, i) => (i === 0 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`, ...cells.map(line)];
  out.push('');
  out.push(`feed: ${report.feed.entries} entries for ${report.feed.households} households (seed ${report.feed.seed}, ${report.feed.resends} partner resends in the feed itself)`);
  for (const row of report.rows) {
    for (const note of row.notes) out.push(`  ${row.run}: ${note}`);
    for (const failure of row.failures) out.push(`  ${row.run}: FAILED ${failure}`);
  }
  out.push('');
  out.push(report.ok ? 'lost 0, doubled 0, diverted 0, blocked 0: every run ended as the feed delivered once.' : 'FAILED: see the rows above.');
  return out.join('\n');
}
