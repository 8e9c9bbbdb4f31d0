/**
 * The municipality's monitor: what its early-signalling work achieved in a calendar month and
 * in the year to date (Europe/Amsterdam), as counts, shares and durations only. Never an
 * address, a contact or a household reference: the figures are computed from the month
 * indexes' records (MonitorSource), which hold codes and times.
 *
 * Response, reach and results follow the alerts raised in the period (a cohort), with their
 * lives as known when the monitor is made: an alert raised on 30 November and picked up on
 * 2 December counts in November's response.
 */
import { addCalendarMonthsMs, amsterdamDate, startOfAmsterdamDayMs } from '@vroegsignaal/calendar';
import { LEVELS, type Level } from '@vroegsignaal/events';
import type { CompiledPolicy } from '@vroegsignaal/policy';
import type { AlertIndexRecord, JudgedEntry } from '../ports.ts';
import type { TimelineEntry } from './household.ts';

/** A cell of fewer than this many households is shown as `<5` in anything published. */
export const SMALLEST_PUBLISHED_COUNT = 5;
/** A count too small to publish. */
export const SUPPRESSED = '<5';
/** A count hidden beside a `<5`, so that the `<5` cannot be worked out from the others and their total. */
export const HIDDEN = 'x';
export type Count = number | typeof SUPPRESSED | typeof HIDDEN;

/** Months before a household's alert in the period that an earlier alert makes it a repeat household. */
export const REPEAT_MONTHS = 6;
const DAY_MS = 86_400_000;

export type MonitorValue =
  | { kind: 'count'; n: Count }
  /** A share: the percentage follows from both numbers, and is not shown when either is hidden. */
  | { kind: 'share'; numerator: Count; denominator: Count }
  /** So many per household (attempts per household reached). */
  | { kind: 'ratio'; numerator: Count; denominator: Count }
  /** Days from one moment to another over `n` alerts: the median and the 90th percentile (null without any). */
  | { kind: 'days'; n: Count; median: number | null; p90: number | null }
  /** The longest wait in days over `n` alerts (null without any). */
  | { kind: 'oldest'; n: Count; days: number | null }
  /** Signals per 1,000 residents a month (null without residents in the policy). */
  | { kind: 'rate'; signals: Count; residents: number | null; months: number; perThousand: number | null }
  /** Distinct households alerted to a team in the year so far, against its yearly capacity. */
  | { kind: 'capacity'; used: Count; capacity: number | null };

export interface MonitorRow {
  /** A code (outcome, partner id, team id, level, reason), or `team/level`. */
  key: string;
  /** The policy's name for a partner or team; codes are named by the report. */
  label?: string;
  month: MonitorValue;
  yearToDate: MonitorValue;
}

export interface MonitorTable {
  id: string;
  rows: MonitorRow[];
  /** Its count rows split a figure shown elsewhere (every entry has one partner): publishing hides a second cell beside a lone `<5`. */
  parts?: true;
}

export const MONITOR_BLOCKS = ['intake', 'matching', 'escalation', 'response', 'reach', 'results'] as const;
export type MonitorBlockId = (typeof MONITOR_BLOCKS)[number];

export interface MonitorBlock {
  id: MonitorBlockId;
  tables: MonitorTable[];
}

export interface MonitorFigures {
  municipalityCode: string;
  municipalityName: string;
  /** The calendar month, `2026-11`; the year to date runs from 1 January to its end. */
  month: string;
  /** The moment the lives were read at: what "overdue now" means. */
  nowMs: number;
  /** Counts under 5 replaced by `<5` (publishable). */
  published: boolean;
  blocks: MonitorBlock[];
}

/** An alert as the monitor reads it: the index record's codes, times and life. */
export type MonitorAlert = Pick<AlertIndexRecord, 'alertId' | 'householdRef' | 'team' | 'level' | 'atMs' | 'respondByMs' | 'life'>;

export interface MonitorInput {
  municipalityCode: string;
  /** The entries judged in the months monitorMonths names for entries. */
  entries: readonly JudgedEntry[];
  /** The alerts raised in the months monitorMonths names for alerts. */
  alerts: readonly MonitorAlert[];
  nowMs: number;
}

const MONTH_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function isMonitorMonth(month: string): boolean {
  return MONTH_PATTERN.test(month);
}

/** The calendar month `ms` lies in, in Amsterdam time (`2026-11`). */
export function monitorMonthOf(ms: number): string {
  return amsterdamDate(new Date(ms)).slice(0, 7);
}

function monthStartMs(month: string): number {
  return startOfAmsterdamDayMs(`${month}-01`);
}

/** The months from `from` to `to`, both included, oldest first. */
function monthsBetween(fromMs: number, toMonth: string): string[] {
  const months: string[] = [];
  for (let at = fromMs; monitorMonthOf(at) <= toMonth; at = addCalendarMonthsMs(at, 1)) months.push(monitorMonthOf(at));
  return months;
}

/**
 * The months whose records the monitor of `month` needs: the entries of the lookback before
 * 1 January (signals judged then may still be live), and the alerts of the 6 months before it
 * (an earlier alert makes a repeat household).
 */
export function monitorMonths(month: string, policy: CompiledPolicy): { entries: string[]; alerts: string[] } {
  const yearStart = monthStartMs(`${month.slice(0, 4)}-01`);
  return {
    entries: monthsBetween(addCalendarMonthsMs(yearStart, -policy.settings.lookbackMonths), month),
    alerts: monthsBetween(addCalendarMonthsMs(yearStart, -REPEAT_MONTHS), month),
  };
}

interface Period {
  startMs: number;
  endMs: number;
  months: number;
}

const within = (period: Period, atMs: number): boolean => atMs >= period.startMs && atMs < period.endMs;

/** Outcomes that keep the signal on the household: what makes it live, and what "signals" counts. */
const STORED_OUTCOMES: ReadonlySet<string> = new Set(['accepted', 'repeat', 'below-threshold']);
const OUTCOMES = ['accepted', 'duplicate', 'repeat', 'below-threshold', 'withdrawn', 'rejected'] as const;

const count = (n: number): MonitorValue => ({ kind: 'count', n });
const share = (numerator: number, denominator: number): MonitorValue => ({ kind: 'share', numerator, denominator });
const days = (spans: number[]): MonitorValue => ({ kind: 'days', n: spans.length, median: percentile(spans, 0.5), p90: percentile(spans, 0.9) });

/** Days to one decimal. */
const inDays = (ms: number): number => Math.round((ms / DAY_MS) * 10) / 10;

/**
 * The median (the mean of the middle two for an even count) and other percentiles by nearest
 * rank (the 90th: the smallest value at least 90% of the values are no larger than).
 */
function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  if (p === 0.5 && sorted.length % 2 === 0) return inDays((sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2);
  return inDays(sorted[Math.ceil(p * sorted.length) - 1]!);
}

function tally<T>(items: Iterable<T>, keyOf: (item: T) => string | undefined): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) {
    const key = keyOf(item);
    if (key !== undefined) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** The reports that count on an alert's life: those not set aside as dated after its end. */
function reportsOf(alert: MonitorAlert): Omit<TimelineEntry, 'eventId'>[] {
  return (alert.life?.timeline ?? []).filter((entry) => !entry.afterEnd && entry.type !== 'raised' && entry.type !== 'update' && entry.type !== 'reminder');
}

function endingOf(alert: MonitorAlert): Omit<TimelineEntry, 'eventId'> | undefined {
  return alert.life?.ending === undefined ? undefined : reportsOf(alert).find((entry) => entry.type === alert.life?.ending);
}

/** One period's value of every row, for the month and the year to date side by side. */
type PeriodValues = (period: Period) => Map<string, MonitorValue>;

/** Rows for the keys either period has (in `order` first, then the rest sorted), each with both periods' values. */
function rowsOf(month: Period, year: Period, values: PeriodValues, options: { order?: readonly string[]; empty?: MonitorValue; label?: (key: string) => string | undefined } = {}): MonitorRow[] {
  const [inMonth, inYear] = [values(month), values(year)];
  const keys = new Set([...(options.order ?? []), ...[...inYear.keys()].sort()]);
  const empty = options.empty ?? count(0);
  return [...keys].map((key) => {
    const label = options.label?.(key);
    return { key, ...(label !== undefined ? { label } : {}), month: inMonth.get(key) ?? empty, yearToDate: inYear.get(key) ?? empty };
  });
}

const asValues = (counts: Map<string, number>): Map<string, MonitorValue> => new Map([...counts].map(([key, n]) => [key, count(n)]));

/** Every block and measure of the monitor for `month`, from the records monitorMonths names. */
export function monitorFigures(input: MonitorInput, policy: CompiledPolicy, month: string): MonitorFigures {
  if (!isMonitorMonth(month)) throw new RangeError(`Invalid month '${month}', expected YYYY-MM`);
  const municipality = policy.municipality(input.municipalityCode);
  const endMs = addCalendarMonthsMs(monthStartMs(month), 1);
  const monthPeriod: Period = { startMs: monthStartMs(month), endMs, months: 1 };
  const yearPeriod: Period = { startMs: monthStartMs(`${month.slice(0, 4)}-01`), endMs, months: Number(month.slice(5, 7)) };
  const entriesIn = (period: Period) => input.entries.filter((entry) => within(period, entry.atMs));
  const alertsIn = (period: Period) => input.alerts.filter((alert) => within(period, alert.atMs));
  const rows = (values: PeriodValues, options?: Parameters<typeof rowsOf>[3]) => rowsOf(monthPeriod, yearPeriod, values, options);
  const teamName = (id: string) => policy.team(id)?.name;
  const partnerName = (id: string) => policy.partner(id)?.name;
  const residents = municipality?.residents ?? null;

  /** The households whose stored signals, judged within the lookback before the period's end, were live in it. */
  const livePartners = (period: Period): Map<string, Set<string>> => {
    const liveFromMs = addCalendarMonthsMs(period.startMs, -policy.settings.lookbackMonths);
    const partners = new Map<string, Set<string>>();
    for (const entry of input.entries) {
      if (entry.householdRef === undefined || !STORED_OUTCOMES.has(entry.outcome) || entry.atMs < liveFromMs || entry.atMs >= period.endMs) continue;
      // A signal judged before the period is live in it only while its lookback lasts.
      if (addCalendarMonthsMs(entry.atMs, policy.settings.lookbackMonths) <= period.startMs) continue;
      partners.set(entry.householdRef, (partners.get(entry.householdRef) ?? new Set()).add(entry.partnerId));
    }
    return partners;
  };
  /** The first alert of each household at each level in the period: "alerted". */
  const alertedHouseholds = (period: Period, level?: Level): Set<string> =>
    new Set(
      alertsIn(period)
        .filter((alert) => level === undefined || alert.level === level)
        .map((alert) => alert.householdRef),
    );

  const intake: MonitorBlock = {
    id: 'intake',
    tables: [
      { id: 'entries-by-partner', parts: true, rows: rows((p) => asValues(tally(entriesIn(p), (e) => e.partnerId)), { label: partnerName }) },
      { id: 'entries-by-type', parts: true, rows: rows((p) => asValues(tally(entriesIn(p), (e) => e.detailType))) },
      { id: 'outcomes', parts: true, rows: rows((p) => asValues(tally(entriesIn(p), (e) => e.outcome)), { order: OUTCOMES }) },
      { id: 'rejected-by-rule', parts: true, rows: rows((p) => asValues(tally(entriesIn(p), (e) => (e.outcome === 'rejected' ? (e.rule ?? 'other') : undefined)))) },
      {
        id: 'signals-per-1000',
        rows: rows(
          (p) => {
            const signals = entriesIn(p).filter((e) => STORED_OUTCOMES.has(e.outcome)).length;
            const perThousand = residents === null ? null : Math.round((signals / p.months / residents) * 1000 * 100) / 100;
            return new Map([['signals', { kind: 'rate', signals, residents, months: p.months, perThousand }]]);
          },
          { order: ['signals'] },
        ),
      },
    ],
  };

  const matching: MonitorBlock = {
    id: 'matching',
    tables: [
      {
        id: 'households',
        rows: rows(
          (p) => {
            const live = livePartners(p);
            const repeatFromMs = addCalendarMonthsMs(p.startMs, -REPEAT_MONTHS);
            const alertedBefore = new Set(input.alerts.filter((a) => a.atMs >= repeatFromMs && a.atMs < p.startMs).map((a) => a.householdRef));
            return new Map([
              ['live', count(live.size)],
              ['two-or-more-partners', share([...live.values()].filter((partners) => partners.size >= 2).length, live.size)],
              ['alerted-before', share([...live.keys()].filter((ref) => alertedBefore.has(ref)).length, live.size)],
            ]);
          },
          { order: ['live', 'two-or-more-partners', 'alerted-before'] },
        ),
      },
    ],
  };

  // Capacity is advisory and set for few teams: the teams without one are counted in alerts-by-team.
  const teamsWithCapacity = municipality?.teams.filter((team) => team.capacityPerYear !== undefined).map((team) => team.id) ?? [];
  const escalation: MonitorBlock = {
    id: 'escalation',
    tables: [
      { id: 'households-alerted', rows: rows((p) => new Map(LEVELS.map((level) => [level, count(alertedHouseholds(p, level).size)])), { order: LEVELS }) },
      { id: 'alerts-by-team', parts: true, rows: rows((p) => asValues(tally(alertsIn(p), (a) => `${a.team}/${a.level}`)), { label: (key) => teamName(key.split('/')[0]!) }) },
      { id: 'forwards', rows: rows((p) => new Map([['forwarded', count(alertsIn(p).filter((a) => a.life?.ending === 'forwarded').length)]]), { order: ['forwarded'] }) },
      {
        id: 'capacity',
        rows: rows(
          (p) =>
            new Map(
              teamsWithCapacity.map((team) => {
                const used = new Set(alertsIn(p).filter((a) => a.team === team).map((a) => a.householdRef)).size;
                return [team, { kind: 'capacity', used, capacity: policy.team(team)?.capacityPerYear ?? null }];
              }),
            ),
          { order: teamsWithCapacity, label: teamName },
        ),
      },
    ],
  };

  const response: MonitorBlock = {
    id: 'response',
    tables: [
      {
        id: 'response',
        rows: rows(
          (p) => {
            const alerts = alertsIn(p);
            const inTime = alerts.filter((a) => {
              const answered = reportsOf(a).find((entry) => entry.type === 'picked-up' || entry.type === 'not-taken')?.atMs ?? a.life?.pickedUpAtMs;
              return answered !== undefined && answered <= a.respondByMs;
            });
            const pickUps = alerts.flatMap((a) => (a.life?.pickedUpAtMs === undefined ? [] : [a.life.pickedUpAtMs - a.atMs]));
            const overdue = alerts.filter((a) => (a.life?.status ?? 'raised') === 'raised' && input.nowMs >= a.respondByMs);
            const oldest = overdue.length === 0 ? null : inDays(Math.max(...overdue.map((a) => input.nowMs - a.respondByMs)));
            return new Map<string, MonitorValue>([
              ['answered-in-time', share(inTime.length, alerts.length)],
              ['days-to-pick-up', days(pickUps)],
              ['overdue-now', { kind: 'oldest', n: overdue.length, days: oldest }],
              ['escalated', count(alerts.filter((a) => a.life?.escalatedAtMs !== undefined).length)],
            ]);
          },
          { order: ['answered-in-time', 'days-to-pick-up', 'overdue-now', 'escalated'] },
        ),
      },
    ],
  };

  /** Per household alerted in the period: its alerts, oldest first. */
  const byHousehold = (p: Period): Map<string, MonitorAlert[]> => {
    const households = new Map<string, MonitorAlert[]>();
    for (const alert of [...alertsIn(p)].sort((a, b) => a.atMs - b.atMs)) households.set(alert.householdRef, [...(households.get(alert.householdRef) ?? []), alert]);
    return households;
  };
  const reachedHouseholds = (p: Period) => [...byHousehold(p).values()].filter((alerts) => alerts.some((a) => a.life?.reachedAtMs !== undefined));
  const reach: MonitorBlock = {
    id: 'reach',
    tables: [
      {
        id: 'reached',
        rows: rows(
          (p) => {
            const reached = reachedHouseholds(p);
            const firstReach = reached.map((alerts) => {
              const first = alerts.find((a) => a.life?.reachedAtMs !== undefined)!;
              return first.life!.reachedAtMs! - first.atMs;
            });
            return new Map([
              ['reached', share(reached.length, byHousehold(p).size)],
              ['days-to-reach', days(firstReach)],
            ]);
          },
          { order: ['reached', 'days-to-reach'] },
        ),
      },
      {
        id: 'attempts-by-channel',
        rows: rows((p) => {
          const reached = reachedHouseholds(p);
          const attempts = tally(
            reached.flatMap((alerts) => alerts.flatMap(reportsOf)),
            (entry) => (entry.type === 'attempt' ? (entry.channel ?? 'other') : undefined),
          );
          return new Map([...attempts].map(([channel, n]) => [channel, { kind: 'ratio', numerator: n, denominator: reached.length }]));
        }),
      },
    ],
  };

  const results: MonitorBlock = {
    id: 'results',
    tables: [
      { id: 'not-taken-by-reason', parts: true, rows: rows((p) => asValues(tally(alertsIn(p), (a) => (a.life?.ending === 'not-taken' ? (endingOf(a)?.reason ?? 'other') : undefined)))) },
      {
        id: 'closed-by-result',
        parts: true,
        rows: rows((p) => asValues(tally(alertsIn(p), (a) => (a.life?.ending === 'closed' ? `${a.life.result ?? 'unknown'}/${a.life.detail ?? 'none'}` : undefined)))),
      },
    ],
  };

  return {
    municipalityCode: input.municipalityCode,
    municipalityName: municipality?.name ?? input.municipalityCode,
    month,
    nowMs: input.nowMs,
    published: false,
    blocks: [intake, matching, escalation, response, reach, results],
  };
}

const tooSmall = (n: Count): boolean => typeof n === 'number' && n < SMALLEST_PUBLISHED_COUNT;
const suppress = (n: Count): Count => (tooSmall(n) ? SUPPRESSED : n);

/**
 * A value fit to publish: every household count under 5 as `<5`, and what would let it be
 * worked out again left out (a share's or rate's figure beside a hidden count, a duration over
 * fewer than 5 alerts).
 */
function publishableValue(value: MonitorValue): MonitorValue {
  switch (value.kind) {
    case 'count':
      return { kind: 'count', n: suppress(value.n) };
    case 'share':
    case 'ratio':
      return { kind: value.kind, numerator: suppress(value.numerator), denominator: suppress(value.denominator) };
    case 'days':
      return tooSmall(value.n) ? { kind: 'days', n: SUPPRESSED, median: null, p90: null } : value;
    case 'oldest':
      return tooSmall(value.n) ? { kind: 'oldest', n: SUPPRESSED, days: null } : value;
    case 'rate':
      return tooSmall(value.signals) ? { ...value, signals: SUPPRESSED, perThousand: null } : value;
    case 'capacity':
      return { ...value, used: suppress(value.used) };
  }
}

type Column = 'month' | 'yearToDate';

/**
 * Beside a lone `<5` among counts that split a figure shown elsewhere, the smallest other count
 * is hidden too: otherwise the total less the others gives the `<5` away.
 */
function hideBesideLoneSuppression(rows: MonitorRow[], column: Column): MonitorRow[] {
  const counts = rows.map((row) => row[column]).filter((value): value is Extract<MonitorValue, { kind: 'count' }> => value.kind === 'count');
  if (counts.filter((value) => value.n === SUPPRESSED).length !== 1) return rows;
  const shown = counts.filter((value): value is { kind: 'count'; n: number } => typeof value.n === 'number');
  if (shown.length === 0) return rows;
  const smallest = shown.reduce((a, b) => (b.n < a.n ? b : a));
  return rows.map((row) => (row[column] === smallest ? { ...row, [column]: { kind: 'count', n: HIDDEN } } : row));
}

/** The figures as they may be published: no cell of fewer than 5 households, nor a way back to one. */
export function publishable(figures: MonitorFigures): MonitorFigures {
  return {
    ...figures,
    published: true,
    blocks: figures.blocks.map((block) => ({
      ...block,
      tables: block.tables.map((table) => {
        const rows = table.rows.map((row) => ({ ...row, month: publishableValue(row.month), yearToDate: publishableValue(row.yearToDate) }));
        return { ...table, rows: table.parts ? hideBesideLoneSuppression(hideBesideLoneSuppression(rows, 'month'), 'yearToDate') : rows };
      }),
    })),
  };
}
