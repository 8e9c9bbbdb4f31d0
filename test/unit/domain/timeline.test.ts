/**
 * An alert's timeline (contract v1.1, sections 1, 2 and 5): team reports as entries of codes and
 * times, ordered by their own `at` whatever order they arrived in; the earliest ending ends the
 * alert; the fields a v1 reader knows derived from it; a v1 record without a timeline read as before.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TeamReport } from '@vroegsignaal/events';
import { alertStatus, endingEntry, entryOfReport, holderOf, partOfDayAt, recordOnTimeline, timelineOf, type AlertRecord, type TimelineEntry } from '@vroegsignaal/domain';
import { alertRecord, HOUR } from './fixtures.ts';

const RAISED = Date.parse('2026-06-15T10:00:00+02:00');
const at = (hours: number) => new Date(RAISED + hours * HOUR).toISOString();
const fresh = (): AlertRecord => alertRecord({ alertId: 'al_timeline', team: 'utrecht-schuldhulp', level: 'signal', raisedAtMs: RAISED, timeline: [{ type: 'raised', atMs: RAISED }] });

let counter = 0;
function entry(report: TeamReport, eventId = `evt-${++counter}`): TimelineEntry {
  return entryOfReport(report, eventId);
}
const common = (hours: number, by?: string) => ({ schemaVersion: 1 as const, alertId: 'al_timeline', at: at(hours), ...(by ? { by } : {}) });
const pickUp = (hours: number, by?: string): TeamReport => ({ detailType: 'AlertPickedUp', detail: common(hours, by) });
const attempt = (hours: number, reached: boolean, by?: string): TeamReport => ({ detailType: 'ContactAttemptLogged', detail: { ...common(hours, by), channel: 'phone', reached } });
const notTaken = (hours: number): TeamReport => ({ detailType: 'AlertNotTaken', detail: { ...common(hours), reason: 'already-in-debt-help' } });
const forwarded = (hours: number): TeamReport => ({ detailType: 'AlertForwarded', detail: { ...common(hours), toTeam: 'utrecht-buurtteam-oost', reason: 'other-district' } });
const closed = (hours: number): TeamReport => ({ detailType: 'CaseClosed', detail: { ...common(hours), result: 'resolved', detail: 'paid-or-arrangement' } });

const apply = (record: AlertRecord, entries: TimelineEntry[]) => entries.reduce(recordOnTimeline, record);
const types = (record: AlertRecord) => timelineOf(record).map((e) => (e.afterEnd ? `${e.type} (set aside)` : e.type));

describe('partOfDayAt', () => {
  it('reads the hour in Amsterdam: before 12:00 morning, before 18:00 afternoon, else evening, in summer and winter time', () => {
    // Act
    const parts = [
      '2026-06-16T11:59:59+02:00',
      '2026-06-16T10:00:00Z', // 12:00 in Amsterdam (summer time)
      '2026-12-16T17:59:00+01:00',
      '2026-12-16T17:00:00Z', // 18:00 in Amsterdam (winter time)
      '2026-12-16T23:30:00Z', // 00:30 the next day in Amsterdam
    ].map((iso) => partOfDayAt(Date.parse(iso)));

    // Assess
    expect(parts).toEqual(['morning', 'afternoon', 'afternoon', 'evening', 'morning']);
  });
});

describe('entryOfReport', () => {
  it("keeps codes, times and the member's id only; an attempt without partOfDay gets it from its at", () => {
    // Act
    const derived = entryOfReport({ detailType: 'ContactAttemptLogged', detail: { schemaVersion: 1, alertId: 'al_x', at: '2026-06-16T19:15:00+02:00', channel: 'home-visit', reached: false, by: 'm-17' } }, 'evt-a');
    const given = entryOfReport({ detailType: 'ContactAttemptLogged', detail: { schemaVersion: 1, alertId: 'al_x', at: '2026-06-16T19:15:00+02:00', channel: 'phone', reached: true, partOfDay: 'afternoon' } }, 'evt-b');
    const closing = entryOfReport({ detailType: 'CaseClosed', detail: { schemaVersion: 1, alertId: 'al_x', at: '2026-06-20T09:00:00+02:00', result: 'referred', detail: 'referred-financial', by: 'm-17' } }, 'evt-c');

    // Assess
    expect(derived).toEqual({ type: 'attempt', atMs: Date.parse('2026-06-16T19:15:00+02:00'), by: 'm-17', channel: 'home-visit', partOfDay: 'evening', reached: false, eventId: 'evt-a' });
    expect(given.partOfDay).toBe('afternoon');
    expect(closing).toEqual({ type: 'closed', atMs: Date.parse('2026-06-20T09:00:00+02:00'), by: 'm-17', result: 'referred', detail: 'referred-financial', eventId: 'evt-c' });
  });
});

describe('recordOnTimeline', () => {
  it('orders the reports by at, not by arrival, and derives picked up, reached and closed from them', () => {
    // Prepare: the close arrives first, the pick-up last.
    const arrivals = [entry(closed(48)), entry(attempt(26, true)), entry(attempt(25, false)), entry(pickUp(24, 'm-1'))];

    // Act
    const record = apply(fresh(), arrivals);

    // Assess
    expect(types(record)).toEqual(['raised', 'picked-up', 'attempt', 'attempt', 'closed']);
    expect(record).toMatchObject({ pickedUpAtMs: RAISED + 24 * HOUR, reachedAtMs: RAISED + 26 * HOUR, closedAtMs: RAISED + 48 * HOUR, ending: 'closed' });
    expect(alertStatus(record)).toBe('closed');
  });

  it('ends the alert by the earliest ending by at: a later ending and reports dated after it are set aside, without effect', () => {
    // Prepare: a close and an attempt that reached arrive first; a not-taken dated before both follows.
    const record = apply(fresh(), [entry(closed(30)), entry(attempt(20, true)), entry(pickUp(18))]);

    // Act
    const after = recordOnTimeline(record, entry(notTaken(10)));

    // Assess
    expect(types(after)).toEqual(['raised', 'not-taken', 'picked-up (set aside)', 'attempt (set aside)', 'closed (set aside)']);
    expect(after).toMatchObject({ ending: 'not-taken', closedAtMs: RAISED + 10 * HOUR });
    expect(after.pickedUpAtMs).toBeUndefined();
    expect(after.reachedAtMs).toBeUndefined();
    expect(endingEntry(after)?.type).toBe('not-taken');
  });

  it('counts a case closed without a pick-up as picked up when closed (as v1), but not an alert not taken or forwarded', () => {
    // Act
    const closedOnly = recordOnTimeline(fresh(), entry(closed(5)));
    const notTakenOnly = recordOnTimeline(fresh(), entry(notTaken(5)));
    const forwardedOnly = recordOnTimeline(fresh(), entry(forwarded(5)));

    // Assess
    expect(closedOnly).toMatchObject({ pickedUpAtMs: RAISED + 5 * HOUR, closedAtMs: RAISED + 5 * HOUR, ending: 'closed' });
    expect(notTakenOnly.pickedUpAtMs).toBeUndefined();
    expect(alertStatus(notTakenOnly)).toBe('not-taken');
    expect(forwardedOnly.pickedUpAtMs).toBeUndefined();
    expect(alertStatus(forwardedOnly)).toBe('forwarded');
  });

  it('marks the household reached at the first attempt by at that reached it, and open until an ending', () => {
    // Act
    const record = apply(fresh(), [entry(pickUp(1)), entry(attempt(9, true)), entry(attempt(3, false)), entry(attempt(6, true))]);

    // Assess
    expect(record.reachedAtMs).toBe(RAISED + 6 * HOUR);
    expect(record.closedAtMs).toBeUndefined();
    expect(alertStatus(record)).toBe('reached');
  });

  it('knows the holder of the case as the by of its latest pick-up: a later one with another by re-assigns', () => {
    // Act
    const first = apply(fresh(), [entry(pickUp(2, 'm-1'))]);
    const reassigned = apply(first, [entry(pickUp(5, 'm-2')), entry(pickUp(4))]);

    // Assess
    expect(holderOf(first)).toBe('m-1');
    expect(holderOf(reassigned)).toBe('m-2');
    expect(reassigned.pickedUpAtMs).toBe(RAISED + 2 * HOUR);
  });

  it('changes nothing for a report already on the timeline: the same bus event, or the same report sent again', () => {
    // Prepare
    const report = attempt(3, false, 'm-1');
    const record = apply(fresh(), [entry(report, 'evt-first')]);

    // Act
    const redelivered = recordOnTimeline(record, entry(report, 'evt-first'));
    const resent = recordOnTimeline(record, entry(report, 'evt-again'));

    // Assess
    expect(redelivered).toBe(record);
    expect(resent).toBe(record);
    expect(timelineOf(record).filter((e) => e.type === 'attempt')).toHaveLength(1);
  });

  it('reads a v1 record without a timeline as before, and keeps what it knew when a v1.1 report arrives', () => {
    // Prepare: picked up and closed under v1: fields, no timeline.
    const v1: AlertRecord = alertRecord({ alertId: 'al_v1', team: 'utrecht-schuldhulp', level: 'signal', raisedAtMs: RAISED, pickedUpAtMs: RAISED + HOUR, closedAtMs: RAISED + 9 * HOUR });
    const v1Open: AlertRecord = alertRecord({ alertId: 'al_v1b', team: 'utrecht-schuldhulp', level: 'signal', raisedAtMs: RAISED, pickedUpAtMs: RAISED + HOUR });

    // Act
    const attempted = recordOnTimeline(v1Open, entry(attempt(2, true)));

    // Assess
    expect(alertStatus(v1)).toBe('closed');
    expect(types(v1)).toEqual(['raised', 'picked-up', 'closed']);
    expect(types(attempted)).toEqual(['raised', 'picked-up', 'attempt']);
    expect(attempted).toMatchObject({ pickedUpAtMs: RAISED + HOUR, reachedAtMs: RAISED + 2 * HOUR });
    expect(attempted.closedAtMs).toBeUndefined();
  });
});

describe('recordOnTimeline, whatever the arrival order', () => {
  const hours = fc.integer({ min: 0, max: 12 });
  const by = fc.constantFrom(undefined, 'm-1', 'm-2');
  const report: fc.Arbitrary<TeamReport> = fc.oneof(
    fc.tuple(hours, by).map(([h, b]) => pickUp(h, b)),
    fc.tuple(hours, fc.boolean(), by).map(([h, reached, b]) => attempt(h, reached, b)),
    hours.map(notTaken),
    hours.map(forwarded),
    hours.map(closed),
  );
  // Distinct reports: two that say the same are one report sent twice.
  const reports = fc.uniqueArray(report, { minLength: 1, maxLength: 8, selector: (r) => JSON.stringify(r) }).map((list) => list.map((r, i) => entryOfReport(r, `evt-${i}`)));
  /** The reports, some delivered again, in any order. */
  const arrivals = (copy: (e: TimelineEntry, n: number) => TimelineEntry) =>
    reports.chain((entries) =>
      fc
        .array(fc.nat({ max: entries.length - 1 }), { maxLength: 6 })
        .chain((again) => {
          const all = [...entries, ...again.map((i, n) => copy(entries[i]!, n))];
          return fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length });
        })
        .map((arrived) => ({ entries, arrived })),
    );
  const state = (record: AlertRecord) => {
    const { timeline: _timeline, ...derived } = record;
    return derived;
  };

  it('ends in the same state and timeline for any permutation and redelivery of a set of reports', () => {
    fc.assert(
      fc.property(
        arrivals((e) => e),
        ({ entries, arrived }) => {
          const inOrder = apply(fresh(), entries);
          const shuffled = apply(fresh(), arrived);
          expect(timelineOf(shuffled)).toEqual(timelineOf(inOrder));
          expect(state(shuffled)).toEqual(state(inOrder));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('ends in the same state, and the same timeline but for which copy carried a report, when teams resend reports', () => {
    const withoutEventIds = (record: AlertRecord) => timelineOf(record).map(({ eventId: _eventId, ...e }) => e);
    fc.assert(
      fc.property(
        arrivals((e, n) => ({ ...e, eventId: `resend-${n}` })),
        ({ entries, arrived }) => {
          const inOrder = apply(fresh(), entries);
          const shuffled = apply(fresh(), arrived);
          expect(withoutEventIds(shuffled)).toEqual(withoutEventIds(inOrder));
          expect(state(shuffled)).toEqual(state(inOrder));
        },
      ),
      { numRuns: 300 },
    );
  });
});
