/**
 * The municipality's monitor (issue 16) on a small hand-built feed for Utrecht: every figure of
 * November 2026 and of the year to date below was counted by hand from the entries and alerts
 * listed here (the comments say which), not by the code under test. Publishing shows no cell
 * under 5 households, nor a way back to one.
 */
import { describe, expect, it } from 'vitest';
import type { Level } from '@vroegsignaal/events';
import {
  HIDDEN,
  lifeOf,
  monitorFigures,
  monitorMonths,
  publishable,
  recordOnTimeline,
  SUPPRESSED,
  type AlertRecord,
  type JudgedEntry,
  type MonitorAlert,
  type MonitorFigures,
  type MonitorValue,
  type TimelineEntry,
} from '@vroegsignaal/domain';
import { defaultPolicy } from './fixtures.ts';

const policy = defaultPolicy();
const UTRECHT = 'GM0344';
const at = (iso: string): number => Date.parse(iso);

const entry = (partnerId: string, detailType: string, outcome: JudgedEntry['outcome'], householdRef: string | undefined, when: string, rule?: JudgedEntry['rule']): JudgedEntry => ({
  partnerId,
  detailType,
  outcome,
  atMs: at(when),
  ...(householdRef !== undefined ? { householdRef } : {}),
  ...(rule !== undefined ? { rule } : {}),
});

type Report = Omit<TimelineEntry, 'atMs'> & { at: string };

/** An alert with its life as the pipeline derives it from the reports (recordOnTimeline, lifeOf). */
function alert(alertId: string, householdRef: string, team: string, level: Level, raised: string, respondBy: string, reports: Report[] = [], escalatedAt?: string): MonitorAlert {
  let record: AlertRecord = { alertId, team, level, sequence: 0, raisedAt: raised, raisedAtMs: at(raised), notifiedSignalVersion: 1, timeline: [{ type: 'raised', atMs: at(raised) }] };
  for (const { at: when, ...report } of reports) record = recordOnTimeline(record, { ...report, atMs: at(when) });
  if (escalatedAt !== undefined) record = { ...record, escalatedAtMs: at(escalatedAt) };
  return { alertId, householdRef, team, level, atMs: at(raised), respondByMs: at(respondBy), life: lifeOf(record) };
}

const SCHULDHULP = 'utrecht-schuldhulp';
const VOORKOM = 'utrecht-voorkom-huisuitzetting';

// Households A to F. November: E1-E8; October: E9, E10; June: E11; December 2025: E12 (only live in the year's first half).
const ENTRIES: JudgedEntry[] = [
  entry('mitros', 'RentArrearsReported', 'accepted', 'A', '2026-11-02T10:00:00+01:00'), // E1
  entry('ggd', 'CareSignalReported', 'accepted', 'A', '2026-11-03T10:00:00+01:00'), // E2
  entry('mitros', 'RentArrearsReported', 'duplicate', 'A', '2026-11-04T10:00:00+01:00'), // E3
  entry('mitros', 'RentArrearsReported', 'below-threshold', 'B', '2026-11-05T10:00:00+01:00'), // E4
  entry('mitros', 'RentArrearsReported', 'repeat', 'B', '2026-11-20T10:00:00+01:00'), // E5
  entry('ggd', 'NuisanceReported', 'rejected', undefined, '2026-11-10T10:00:00+01:00', 'postcode-area'), // E6
  entry('ggd', 'CareSignalReported', 'withdrawn', 'C', '2026-11-12T10:00:00+01:00'), // E7
  entry('mitros', 'RentArrearsReported', 'accepted', 'D', '2026-11-25T10:00:00+01:00'), // E8
  entry('mitros', 'RentArrearsReported', 'accepted', 'E', '2026-10-10T10:00:00+02:00'), // E9
  entry('ggd', 'CareSignalReported', 'accepted', 'E', '2026-10-11T10:00:00+02:00'), // E10
  entry('ggd', 'CareSignalReported', 'accepted', 'D', '2026-06-01T10:00:00+02:00'), // E11: live until 1 December
  entry('mitros', 'RentArrearsReported', 'accepted', 'F', '2025-12-15T10:00:00+01:00'), // E12: live until 15 June
];

const ALERTS: MonitorAlert[] = [
  // November
  alert('a1', 'A', SCHULDHULP, 'signal', '2026-11-03T10:00:00+01:00', '2026-11-10T10:00:00+01:00', [
    { type: 'picked-up', by: 'm1', at: '2026-11-05T10:00:00+01:00' },
    { type: 'attempt', channel: 'phone', reached: false, at: '2026-11-06T10:00:00+01:00' },
    { type: 'attempt', channel: 'home-visit', reached: true, at: '2026-11-08T10:00:00+01:00' },
    { type: 'closed', result: 'resolved', detail: 'paid-or-arrangement', at: '2026-11-20T10:00:00+01:00' },
  ]),
  alert('a2', 'A', SCHULDHULP, 'case', '2026-11-04T10:00:00+01:00', '2026-11-11T10:00:00+01:00', [{ type: 'not-taken', reason: 'repeat', at: '2026-11-05T12:00:00+01:00' }]),
  alert('a3', 'B', VOORKOM, 'case', '2026-11-21T10:00:00+01:00', '2026-11-28T10:00:00+01:00', [], '2026-12-01T10:00:00+01:00'),
  alert('a4', 'D', SCHULDHULP, 'signal', '2026-11-26T10:00:00+01:00', '2026-12-03T10:00:00+01:00', [
    { type: 'picked-up', by: 'm2', at: '2026-11-27T10:00:00+01:00' },
    { type: 'attempt', channel: 'letter', reached: false, at: '2026-11-28T10:00:00+01:00' },
  ]),
  alert('a5', 'D', VOORKOM, 'case', '2026-11-26T11:00:00+01:00', '2026-12-03T11:00:00+01:00', [{ type: 'forwarded', toTeam: SCHULDHULP, at: '2026-11-27T10:00:00+01:00' }]),
  // October: picked up late, reached after 11 days
  alert('a6', 'E', SCHULDHULP, 'signal', '2026-10-12T10:00:00+02:00', '2026-10-19T10:00:00+02:00', [
    { type: 'picked-up', at: '2026-10-22T10:00:00+02:00' },
    { type: 'attempt', channel: 'phone', reached: true, at: '2026-10-23T10:00:00+02:00' },
    { type: 'closed', result: 'referred', detail: 'referred-financial', at: '2026-10-30T10:00:00+01:00' },
  ]),
  // June (within 6 months before November) and April (not)
  alert('a7', 'A', SCHULDHULP, 'signal', '2026-06-10T10:00:00+02:00', '2026-06-17T10:00:00+02:00', [
    { type: 'picked-up', at: '2026-06-12T10:00:00+02:00' },
    { type: 'closed', result: 'resolved', detail: 'quick-fix', at: '2026-06-20T10:00:00+02:00' },
  ]),
  alert('a8', 'B', SCHULDHULP, 'signal', '2026-04-15T10:00:00+02:00', '2026-04-22T10:00:00+02:00', [{ type: 'not-taken', reason: 'unjustified', at: '2026-04-16T10:00:00+02:00' }]),
  // September 2025: makes E a repeat household in the year to date
  alert('a9', 'E', SCHULDHULP, 'signal', '2025-09-01T10:00:00+02:00', '2025-09-08T10:00:00+02:00', [
    { type: 'picked-up', at: '2025-09-02T10:00:00+02:00' },
    { type: 'closed', result: 'declined', detail: 'declined', at: '2025-09-10T10:00:00+02:00' },
  ]),
];

const NOW = at('2026-12-03T09:00:00+01:00');
const figures = monitorFigures({ municipalityCode: UTRECHT, entries: ENTRIES, alerts: ALERTS, nowMs: NOW }, policy, '2026-11');

function row(of: MonitorFigures, block: string, table: string, key: string): { month: MonitorValue; yearToDate: MonitorValue } {
  const found = of.blocks.find((b) => b.id === block)?.tables.find((t) => t.id === table)?.rows.find((r) => r.key === key);
  if (!found) throw new Error(`no row ${block}/${table}/${key}`);
  return { month: found.month, yearToDate: found.yearToDate };
}
const count = (month: number | string, yearToDate: number | string) => ({ month: { kind: 'count', n: month }, yearToDate: { kind: 'count', n: yearToDate } });
const share = (month: [number | string, number | string], yearToDate: [number | string, number | string]) => ({
  month: { kind: 'share', numerator: month[0], denominator: month[1] },
  yearToDate: { kind: 'share', numerator: yearToDate[0], denominator: yearToDate[1] },
});

describe('monitorFigures, on a hand-counted November', () => {
  it('reads the lookback before January for entries and the 6 months before it for alerts', () => {
    const months = monitorMonths('2026-11', policy);
    expect(months.entries[0]).toBe('2025-07');
    expect(months.alerts[0]).toBe('2025-07');
    expect(months.entries.at(-1)).toBe('2026-11');
    expect(months.entries).toHaveLength(17);
  });

  it('counts intake by partner, detail type, outcome and rejection rule, and signals per 1,000 residents', () => {
    expect(figures.municipalityName).toBe('Utrecht');
    // November: mitros E1 E3 E4 E5 E8, ggd E2 E6 E7; the year adds E9 (mitros), E10 E11 (ggd).
    expect(row(figures, 'intake', 'entries-by-partner', 'mitros')).toEqual(count(5, 6));
    expect(row(figures, 'intake', 'entries-by-partner', 'ggd')).toEqual(count(3, 5));
    expect(row(figures, 'intake', 'entries-by-type', 'RentArrearsReported')).toEqual(count(5, 6));
    expect(row(figures, 'intake', 'entries-by-type', 'CareSignalReported')).toEqual(count(2, 4));
    expect(row(figures, 'intake', 'entries-by-type', 'NuisanceReported')).toEqual(count(1, 1));
    expect(row(figures, 'intake', 'outcomes', 'accepted')).toEqual(count(3, 6));
    for (const outcome of ['duplicate', 'repeat', 'below-threshold', 'withdrawn', 'rejected']) expect(row(figures, 'intake', 'outcomes', outcome)).toEqual(count(1, 1));
    expect(row(figures, 'intake', 'rejected-by-rule', 'postcode-area')).toEqual(count(1, 1));
    // Stored signals (accepted, repeat, below-threshold): 5 in November, 8 in the year's 11 months; Utrecht 374,000 residents.
    expect(row(figures, 'intake', 'signals-per-1000', 'signals')).toEqual({
      month: { kind: 'rate', signals: 5, residents: 374_000, months: 1, perThousand: 0.01 },
      yearToDate: { kind: 'rate', signals: 8, residents: 374_000, months: 11, perThousand: 0 },
    });
  });

  it('counts households with live signals, those with 2 or more partners and those alerted in the 6 months before', () => {
    // November: A (mitros, ggd), B (mitros), D (mitros, ggd in June), E (October: mitros, ggd); F's lookback ended in June, C withdrawn.
    expect(row(figures, 'matching', 'households', 'live')).toEqual(count(4, 5));
    expect(row(figures, 'matching', 'households', 'two-or-more-partners')).toEqual(share([3, 4], [3, 5]));
    // Alerted in May-October: A (a7), E (a6); in July-December 2025: E (a9).
    expect(row(figures, 'matching', 'households', 'alerted-before')).toEqual(share([2, 4], [1, 5]));
  });

  it('counts households alerted per level, alerts per team and level, forwards and capacity', () => {
    expect(row(figures, 'escalation', 'households-alerted', 'signal')).toEqual(count(2, 4)); // A D; + E B
    expect(row(figures, 'escalation', 'households-alerted', 'case')).toEqual(count(3, 3)); // A B D
    expect(row(figures, 'escalation', 'households-alerted', 'urgent')).toEqual(count(0, 0));
    expect(row(figures, 'escalation', 'alerts-by-team', `${SCHULDHULP}/signal`)).toEqual(count(2, 5)); // a1 a4; + a6 a7 a8
    expect(row(figures, 'escalation', 'alerts-by-team', `${SCHULDHULP}/case`)).toEqual(count(1, 1));
    expect(row(figures, 'escalation', 'alerts-by-team', `${VOORKOM}/case`)).toEqual(count(2, 2));
    expect(row(figures, 'escalation', 'forwards', 'forwarded')).toEqual(count(1, 1));
    expect(row(figures, 'escalation', 'capacity', VOORKOM)).toEqual({ month: { kind: 'capacity', used: 2, capacity: 120 }, yearToDate: { kind: 'capacity', used: 2, capacity: 120 } });
    expect(() => row(figures, 'escalation', 'capacity', SCHULDHULP)).toThrow(); // no capacity in the policy
  });

  it('measures response: answered in time, days to pick-up, overdue now and escalated', () => {
    // In time: a1 a2 a4 of a1-a5; the year adds a7 a8 (a6 was picked up late).
    expect(row(figures, 'response', 'response', 'answered-in-time')).toEqual(share([3, 5], [5, 8]));
    // Days to pick-up: a1 2, a4 1; the year adds a6 10, a7 2.
    expect(row(figures, 'response', 'response', 'days-to-pick-up')).toEqual({
      month: { kind: 'days', n: 2, median: 1.5, p90: 2 },
      yearToDate: { kind: 'days', n: 4, median: 2, p90: 10 },
    });
    // a3: respondBy 28 November 10:00, now 3 December 09:00: 4 days 23 hours.
    expect(row(figures, 'response', 'response', 'overdue-now')).toEqual({ month: { kind: 'oldest', n: 1, days: 5 }, yearToDate: { kind: 'oldest', n: 1, days: 5 } });
    expect(row(figures, 'response', 'response', 'escalated')).toEqual(count(1, 1));
  });

  it('measures reach: households reached of those alerted, days to the first reached contact, attempts per channel', () => {
    // November: A reached of A B D; the year: A and E of A B D E.
    expect(row(figures, 'reach', 'reached', 'reached')).toEqual(share([1, 3], [2, 4]));
    // A: a1 raised 3 November, reached 8 November; E: a6 raised 12 October, reached 23 October.
    expect(row(figures, 'reach', 'reached', 'days-to-reach')).toEqual({ month: { kind: 'days', n: 1, median: 5, p90: 5 }, yearToDate: { kind: 'days', n: 2, median: 8, p90: 11 } });
    // Only reached households' attempts: D's letter is not counted.
    expect(row(figures, 'reach', 'attempts-by-channel', 'phone')).toEqual({ month: { kind: 'ratio', numerator: 1, denominator: 1 }, yearToDate: { kind: 'ratio', numerator: 2, denominator: 2 } });
    expect(row(figures, 'reach', 'attempts-by-channel', 'home-visit')).toEqual({ month: { kind: 'ratio', numerator: 1, denominator: 1 }, yearToDate: { kind: 'ratio', numerator: 1, denominator: 2 } });
    expect(() => row(figures, 'reach', 'attempts-by-channel', 'letter')).toThrow();
  });

  it('counts results: not-taken by reason, closed by result and detail', () => {
    expect(row(figures, 'results', 'not-taken-by-reason', 'repeat')).toEqual(count(1, 1));
    expect(row(figures, 'results', 'not-taken-by-reason', 'unjustified')).toEqual(count(0, 1));
    expect(row(figures, 'results', 'closed-by-result', 'resolved/paid-or-arrangement')).toEqual(count(1, 1));
    expect(row(figures, 'results', 'closed-by-result', 'resolved/quick-fix')).toEqual(count(0, 1));
    expect(row(figures, 'results', 'closed-by-result', 'referred/referred-financial')).toEqual(count(0, 1));
  });

  it('refuses a month that is not YYYY-MM', () => {
    expect(() => monitorFigures({ municipalityCode: UTRECHT, entries: [], alerts: [], nowMs: NOW }, policy, '2026-13')).toThrow(/YYYY-MM/);
  });
});

/** Every number in a value that counts households (not days, rates or a team's capacity). */
function householdCounts(value: MonitorValue): (number | string)[] {
  switch (value.kind) {
    case 'count':
      return [value.n];
    case 'share':
    case 'ratio':
      return [value.numerator, value.denominator];
    case 'days':
    case 'oldest':
      return [value.n];
    case 'rate':
      return [value.signals];
    case 'capacity':
      return [value.used];
  }
}

describe('publishable', () => {
  const published = publishable(figures);

  it('leaves no household count under 5', () => {
    const cells = published.blocks.flatMap((b) => b.tables.flatMap((t) => t.rows.flatMap((r) => [...householdCounts(r.month), ...householdCounts(r.yearToDate)])));
    expect(cells.length).toBeGreaterThan(50);
    expect(cells.filter((n) => typeof n === 'number' && n < 5)).toEqual([]);
    expect(published.published).toBe(true);
  });

  it('hides the other cell beside a lone <5 in counts that split a total, and keeps what is 5 or more', () => {
    // November by partner: mitros 5, ggd 3: the total of entries would give ggd's 3 away.
    expect(row(published, 'intake', 'entries-by-partner', 'ggd')).toEqual(count(SUPPRESSED, 5));
    expect(row(published, 'intake', 'entries-by-partner', 'mitros')).toEqual(count(HIDDEN, 6));
  });

  it('drops a percentage, a median or a rate that a small count would give away', () => {
    expect(row(published, 'response', 'response', 'answered-in-time')).toEqual(share([SUPPRESSED, 5], [5, 8]));
    expect(row(published, 'response', 'response', 'days-to-pick-up').month).toEqual({ kind: 'days', n: SUPPRESSED, median: null, p90: null });
    expect(row(published, 'response', 'response', 'overdue-now').month).toEqual({ kind: 'oldest', n: SUPPRESSED, days: null });
    expect(row(published, 'intake', 'signals-per-1000', 'signals').month).toEqual({ kind: 'rate', signals: 5, residents: 374_000, months: 1, perThousand: 0.01 });
    expect(row(published, 'escalation', 'capacity', VOORKOM).month).toEqual({ kind: 'capacity', used: SUPPRESSED, capacity: 120 });
  });

  it('changes nothing in the operator\'s own figures', () => {
    expect(row(figures, 'intake', 'entries-by-partner', 'ggd')).toEqual(count(3, 5));
    expect(figures.published).toBe(false);
  });
});
