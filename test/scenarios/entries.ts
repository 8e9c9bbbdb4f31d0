/**
 * Building blocks for the scenario tests: partner and team entries as the contract
 * (docs/contract.md) writes them, a fixed clock, and `play`, which replays
 * entries through the real local pipeline and checks every team message against the
 * contract's schema before a test looks at it.
 */
import './quiet-logs.ts';
import { afterAll, beforeAll, expect } from 'vitest';
import {
  teamMessageSchema,
  type AlertForwarded,
  type AlertMessage,
  type AlertNotTaken,
  type AlertPickedUp,
  type CareDomain,
  type CareSignalDetail,
  type CaseClosed,
  type CaseDetail,
  type CaseResult,
  type Contact,
  type ContactAttemptLogged,
  type ContactChannel,
  type EvictionProceedingDetail,
  type NuisanceCategory,
  type NuisanceDetail,
  type NuisanceSeverity,
  type NotTakenReason,
  type PartOfDay,
  type ProceedingGround,
  type ProceedingStage,
  type RentArrearsDetail,
  type SignalOutcome,
  type SignalWithdrawnDetail,
  type TeamMessage,
  type UpdateMessage,
  type WithdrawalReason,
} from '@vroegsignaal/events';
import type { AlertRecord } from '@vroegsignaal/domain';
import type { ReplayOutcome } from '@vroegsignaal/tools';
import { nextSignalId, startTestPipeline, type TestEntry, type TestPipeline } from '../support/local-pipeline.ts';

// ---------------------------------------------------------------------------------------
// The clock: every scenario runs on Monday 15 June 2026, 10:00 in Amsterdam.

export const NOW = '2026-06-15T10:00:00+02:00';
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Deadlines from NOW, worked out by hand (not with the product's calendar code):
 * - 4 weeks (signal, case): Monday 13 July;
 * - 2 weeks (eviction-threat): Monday 29 June;
 * - 8 weeks (Den Haag case and eviction-threat): Monday 10 August;
 * - 3 working days (urgent): Tuesday, Wednesday, Thursday: Thursday 18 June.
 */
export const RESPOND_BY = {
  fourWeeks: '2026-07-13T10:00:00+02:00',
  twoWeeks: '2026-06-29T10:00:00+02:00',
  eightWeeks: '2026-08-10T10:00:00+02:00',
  threeWorkingDays: '2026-06-18T10:00:00+02:00',
} as const;

/** ISO instant `days` (exact 24-hour days) before `from` (default NOW). */
export function daysAgo(days: number, from: string = NOW): string {
  return new Date(Date.parse(from) - days * DAY_MS).toISOString();
}

/** Calendar date `YYYY-MM-DD`, `days` from NOW's date (negative: before). */
export function dateFromNow(days: number): string {
  // Noon UTC on NOW's date keeps the date right whatever the offset.
  const noon = Date.parse(`${NOW.slice(0, 10)}T12:00:00Z`);
  return new Date(noon + days * DAY_MS).toISOString().slice(0, 10);
}

/**
 * One local pipeline for the test file: started before its tests, stopped after them. The
 * returned object stands for it from the moment the tests run.
 */
export function useScenarioPipeline(): TestPipeline {
  let started: TestPipeline | undefined;
  beforeAll(async () => {
    started = await startTestPipeline({ now: NOW });
  });
  afterAll(async () => {
    await started?.stop();
  });
  const current = (): TestPipeline => {
    if (!started) throw new Error('the scenario pipeline is used outside a test');
    return started;
  };
  return {
    get pipeline() {
      return current().pipeline;
    },
    get policy() {
      return current().policy;
    },
    setNow: (iso) => current().setNow(iso),
    send: (...entries) => current().send(...entries),
    advanceTo: (iso) => current().advanceTo(iso),
    stop: () => current().stop(),
  };
}

// ---------------------------------------------------------------------------------------
// Partner entries

/** One dwelling in one municipality, as partners report it. */
export interface Home {
  municipalityCode: string;
  postcode: string;
  houseNumber: number;
  houseLetter?: string;
  houseNumberAddition?: string;
}

export function home(municipalityCode: string, postcode: string, houseNumber: number, extra: Pick<Home, 'houseLetter' | 'houseNumberAddition'> = {}): Home {
  return { municipalityCode, postcode, houseNumber, ...extra };
}

interface Common extends Home {
  observedAt: string;
  /** Default: a fresh id, unique across the run. */
  signalId?: string;
  minors?: number;
  adults?: number;
  crisis?: boolean;
  contact?: Contact;
}

export interface PartnerEntry<D extends { signalId: string }> extends TestEntry {
  Source: `partner.${string}`;
  DetailType: string;
  Detail: D;
}

type CommonDetail = Pick<RentArrearsDetail, 'schemaVersion' | 'signalId' | 'observedAt' | 'municipalityCode' | 'address' | 'household' | 'contact' | 'crisis'>;

function commonDetail(c: Common, prefix: string): CommonDetail {
  const household = { ...(c.minors !== undefined ? { minors: c.minors } : {}), ...(c.adults !== undefined ? { adults: c.adults } : {}) };
  return {
    schemaVersion: 1,
    signalId: c.signalId ?? nextSignalId(prefix),
    observedAt: c.observedAt,
    municipalityCode: c.municipalityCode,
    address: {
      postcode: c.postcode,
      houseNumber: c.houseNumber,
      ...(c.houseLetter ? { houseLetter: c.houseLetter } : {}),
      ...(c.houseNumberAddition ? { houseNumberAddition: c.houseNumberAddition } : {}),
    },
    ...(Object.keys(household).length > 0 ? { household } : {}),
    ...(c.contact ? { contact: c.contact } : {}),
    ...(c.crisis !== undefined ? { crisis: c.crisis } : {}),
  };
}

function partnerEntry<D extends { signalId: string }>(partner: string, detailType: string, detail: D): PartnerEntry<D> {
  return { Source: `partner.${partner}`, DetailType: detailType, Detail: detail };
}

/** RentArrearsReported: `months` of rent (`amountCents` in total) unpaid. */
export function arrears(
  partner: string,
  a: Common & { months: number; amountCents: number; monthlyRentCents?: number; paymentArrangement?: boolean; reminderSentAt?: string },
): PartnerEntry<RentArrearsDetail> {
  return partnerEntry(partner, 'RentArrearsReported', {
    ...commonDetail(a, `${partner}-arrears`),
    arrears: {
      amountCents: a.amountCents,
      monthsInArrears: a.months,
      ...(a.monthlyRentCents !== undefined ? { monthlyRentCents: a.monthlyRentCents } : {}),
      ...(a.paymentArrangement !== undefined ? { paymentArrangement: a.paymentArrangement } : {}),
      ...(a.reminderSentAt !== undefined ? { reminderSentAt: a.reminderSentAt } : {}),
    },
  });
}

/** CareSignalReported: problems in the given care domains; `stagnation` when help is stuck. */
export function care(partner: string, c: Common & { domains: CareDomain[]; stagnation?: boolean }): PartnerEntry<CareSignalDetail> {
  return partnerEntry(partner, 'CareSignalReported', {
    ...commonDetail(c, `${partner}-care`),
    care: { domains: c.domains, ...(c.stagnation !== undefined ? { stagnation: c.stagnation } : {}) },
  });
}

/** NuisanceReported (woonoverlast). */
export function nuisance(
  partner: string,
  n: Common & { category: NuisanceCategory; severity: NuisanceSeverity; reportCount?: number; verified?: boolean },
): PartnerEntry<NuisanceDetail> {
  return partnerEntry(partner, 'NuisanceReported', {
    ...commonDetail(n, `${partner}-nuisance`),
    nuisance: {
      category: n.category,
      severity: n.severity,
      ...(n.reportCount !== undefined ? { reportCount: n.reportCount } : {}),
      ...(n.verified !== undefined ? { verified: n.verified } : {}),
    },
  });
}

/** EvictionProceedingUpdated: a stage of the landlord's court procedure. */
export function proceeding(
  partner: string,
  p: Common & { stage: ProceedingStage; stageDate: string; scheduledFor?: string; ground?: ProceedingGround },
): PartnerEntry<EvictionProceedingDetail> {
  return partnerEntry(partner, 'EvictionProceedingUpdated', {
    ...commonDetail(p, `${partner}-proceeding`),
    proceeding: {
      stage: p.stage,
      stageDate: p.stageDate,
      ground: p.ground ?? 'arrears',
      ...(p.scheduledFor !== undefined ? { scheduledFor: p.scheduledFor } : {}),
    },
  });
}

/** SignalWithdrawn: the partner withdraws its own earlier signal `withdraws`. */
export function withdrawal(partner: string, w: Common & { withdraws: string; reason: WithdrawalReason }): PartnerEntry<SignalWithdrawnDetail> {
  return partnerEntry(partner, 'SignalWithdrawn', {
    ...commonDetail(w, `${partner}-withdrawal`),
    withdrawal: { signalId: w.withdraws, reason: w.reason },
  });
}

// ---------------------------------------------------------------------------------------
// Team entries

export interface TeamEntry<D> extends TestEntry {
  Source: `team.${string}`;
  DetailType: 'AlertPickedUp' | 'ContactAttemptLogged' | 'AlertNotTaken' | 'AlertForwarded' | 'CaseClosed';
  Detail: D;
}

/** The pseudonymous team member (contract v1.1 `by`), when the report names one. */
const byOf = (by: string | undefined) => (by !== undefined ? { by } : {});

export function pickedUp(team: string, alertId: string, at: string = NOW, by?: string): TeamEntry<AlertPickedUp> {
  return { Source: `team.${team}`, DetailType: 'AlertPickedUp', Detail: { schemaVersion: 1, alertId, at, ...byOf(by) } };
}

/** ContactAttemptLogged: the team tried to reach the household by `channel`. */
export function attempt(
  team: string,
  alertId: string,
  a: { channel: ContactChannel; reached: boolean; at?: string; partOfDay?: PartOfDay; by?: string },
): TeamEntry<ContactAttemptLogged> {
  return {
    Source: `team.${team}`,
    DetailType: 'ContactAttemptLogged',
    Detail: { schemaVersion: 1, alertId, at: a.at ?? NOW, channel: a.channel, reached: a.reached, ...(a.partOfDay ? { partOfDay: a.partOfDay } : {}), ...byOf(a.by) },
  };
}

/** AlertNotTaken: the team does not take the case, for `reason`. */
export function notTaken(team: string, alertId: string, reason: NotTakenReason, at: string = NOW, by?: string): TeamEntry<AlertNotTaken> {
  return { Source: `team.${team}`, DetailType: 'AlertNotTaken', Detail: { schemaVersion: 1, alertId, at, reason, ...byOf(by) } };
}

/** AlertForwarded: the team hands the alert to `toTeam` of its municipality (or `unrouted`). */
export function forwarded(team: string, alertId: string, toTeam: string, f: { at?: string; reason?: string; by?: string } = {}): TeamEntry<AlertForwarded> {
  return {
    Source: `team.${team}`,
    DetailType: 'AlertForwarded',
    Detail: { schemaVersion: 1, alertId, at: f.at ?? NOW, toTeam, ...(f.reason !== undefined ? { reason: f.reason } : {}), ...byOf(f.by) },
  };
}

export function closed(
  team: string,
  alertId: string,
  result: CaseResult = 'resolved',
  at: string = NOW,
  more: { detail?: CaseDetail; by?: string } = {},
): TeamEntry<CaseClosed> {
  return {
    Source: `team.${team}`,
    DetailType: 'CaseClosed',
    Detail: { schemaVersion: 1, alertId, at, result, ...(more.detail !== undefined ? { detail: more.detail } : {}), ...byOf(more.by) },
  };
}

// ---------------------------------------------------------------------------------------
// Replaying and looking at what came out

export interface Played {
  outcomes: ReplayOutcome[];
  /** Every message the teams received, each checked against the contract's schema. */
  messages: TeamMessage[];
}

/** Replays `entries` in order (each judged as if it arrived alone) and validates every message. */
export async function play(pipeline: TestPipeline, ...entries: TestEntry[]): Promise<Played> {
  const { outcomes, messages } = await pipeline.send(...entries);
  expect(outcomes).toHaveLength(entries.length);
  return { outcomes, messages: messages.map((m) => teamMessageSchema.parse(m)) };
}

export type Delivered = AlertMessage | UpdateMessage;

/** Asserts that the step sent exactly one message, an alert (or `kind`) as `expected`, and returns it. */
export function onlyMessage(
  played: Played,
  expected: { team: string; level: string; respondBy: string; createdAt?: string; kind?: 'alert' | 'update' },
): Delivered {
  expect(
    played.messages.map((m) => ({ kind: m.kind, team: m.team, level: m.level })),
    'exactly one message',
  ).toEqual([{ kind: expected.kind ?? 'alert', team: expected.team, level: expected.level }]);
  return expectAlert(played.messages[0], expected);
}

/** Asserts team, level, createdAt (NOW unless given) and respondBy of an alert. */
export function expectAlert(
  message: TeamMessage | undefined,
  expected: { team: string; level: string; respondBy: string; createdAt?: string; kind?: 'alert' | 'update' },
): Delivered {
  expect(message, `a message for ${expected.team}`).toBeDefined();
  expect(message!.kind).toBe(expected.kind ?? 'alert');
  if (message!.kind === 'reminder') throw new Error('expected an alert or update, got a reminder');
  expect({ team: message!.team, level: message!.level, createdAt: message!.createdAt, respondBy: message!.respondBy }).toEqual({
    team: expected.team,
    level: expected.level,
    createdAt: expected.createdAt ?? NOW,
    respondBy: expected.respondBy,
  });
  return message!;
}

/** The first outcome of each entry, in order: `accepted`, `below-threshold`, ... */
export function outcomesOf(played: Played): string[] {
  return played.outcomes.map((o) => o.outcome);
}

export function reasonCodes(message: Delivered): string[] {
  return message.reasons.map((r) => r.code);
}

/** What partners were told about their signals: the outcome events the pipeline published. */
export type Told = Pick<SignalOutcome, 'partnerId' | 'signalId' | 'outcome'>;

/** Replays `entries` as `play` does, and also returns what the partners were told meanwhile (for team reports: the later outcomes). */
export async function playTold(pipeline: TestPipeline, ...entries: TestEntry[]): Promise<Played & { told: Told[] }> {
  const told: Told[] = [];
  const stop = pipeline.pipeline.onPipelineEvent((event) => {
    if (event['detail-type'] !== 'SignalOutcome') return;
    const { partnerId, signalId, outcome } = event.detail as SignalOutcome;
    told.push({ partnerId, signalId, outcome });
  });
  try {
    return { ...(await play(pipeline, ...entries)), told };
  } finally {
    stop();
  }
}

/**
 * Moves the clock on to `now` (a team reports when it acts, and `at` may not lie in the
 * future), then replays `entries` as `playTold` does; `due` holds what the reminder checks on
 * the way sent.
 */
export async function playAt(pipeline: TestPipeline, now: string, ...entries: TestEntry[]): Promise<Played & { told: Told[]; due: TeamMessage[] }> {
  const due = (await pipeline.advanceTo(now)).map((m) => teamMessageSchema.parse(m));
  return { ...(await playTold(pipeline, ...entries)), due };
}

/** The alert's record as its household holds it now (timeline, ending, reached). */
export async function alertRecord(pipeline: TestPipeline, alertId: string): Promise<AlertRecord> {
  const record = (await pipeline.pipeline.households()).flatMap((state) => state.alerts).find((a) => a.alertId === alertId);
  expect(record, `the record of alert ${alertId}`).toBeDefined();
  return record!;
}

/** The alert's timeline, one line per entry: its type and codes, in its order (what a team or an auditor reads). */
export function timelineCodes(record: AlertRecord): string[] {
  return (record.timeline ?? []).map(({ type, channel, reached, reason, toTeam, result, detail }) =>
    [type, channel, reached === undefined ? undefined : reached ? 'reached' : 'not-reached', reason, toTeam, result, detail].filter((code) => code !== undefined).join(' '),
  );
}
