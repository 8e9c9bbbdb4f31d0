/**
 * The replay's summary of the teams' alerts at the end (contract v1.1): per team how many are
 * open and overdue, were picked up and reached, and how the others ended, read from the
 * households' alert records; and the lines whose Now lay before the clock.
 */
import { describe, expect, it } from 'vitest';
import type { AlertRecord, TimelineEntry } from '@vroegsignaal/domain';
import type { TeamMessage } from '@vroegsignaal/events';
import { formatSummary, tallyAlerts, type ReplayResult } from '@vroegsignaal/tools';

const END = Date.parse('2026-12-01T09:00:00+01:00');
const BEFORE_END = END - 1000;

function record(alertId: string, team: string, fields: Partial<AlertRecord> = {}, timeline: TimelineEntry[] = []): AlertRecord {
  return {
    alertId,
    team,
    level: 'signal',
    sequence: 0,
    raisedAt: '2026-11-01T09:00:00+01:00',
    raisedAtMs: Date.parse('2026-11-01T09:00:00+01:00'),
    notifiedSignalVersion: 1,
    ...(timeline.length > 0 ? { timeline } : {}),
    ...fields,
  };
}

const closed = (result: string, atMs: number): Pick<AlertRecord, 'closedAtMs' | 'ending'> & { timeline: TimelineEntry[] } => ({
  closedAtMs: atMs,
  ending: 'closed',
  timeline: [{ type: 'closed', atMs, result }],
});

describe('tallyAlerts', () => {
  it('counts per team the open alerts and the overdue among them, picked up, reached, and each ending', () => {
    const records = [
      record('a1', 'team-a', { respondByMs: BEFORE_END }),
      record('a2', 'team-a', { respondByMs: END + 1000 }),
      record('a3', 'team-a', { pickedUpAtMs: 1, respondByMs: BEFORE_END }),
      record('a4', 'team-a', { pickedUpAtMs: 1, reachedAtMs: 2 }),
      record('a5', 'team-a', { pickedUpAtMs: 1, reachedAtMs: 2, ...closed('referred', 3) }),
      record('a6', 'team-a', { pickedUpAtMs: 1, ...closed('resolved', 3) }),
      record('b1', 'team-b', { closedAtMs: 3, ending: 'not-taken' }),
      record('b2', 'team-b', { closedAtMs: 3, ending: 'forwarded' }),
      record('b3', 'team-b', { pickedUpAtMs: 1, closedAtMs: 3 }),
    ];

    expect(Object.fromEntries(tallyAlerts(records, END))).toEqual({
      // Overdue: still raised past its respondBy; a picked-up case past it is not.
      'team-a': { open: 4, overdue: 1, 'picked-up': 4, reached: 2, referred: 1, resolved: 1 },
      // A v1 record closed without a timeline keeps no result.
      'team-b': { 'not-taken': 1, forwarded: 1, 'picked-up': 1, 'closed-no-result': 1 },
    });
  });

  it("takes an alert's deadline from its message when the record does not keep it", () => {
    const records = [record('a1', 'team-a'), record('a2', 'team-a')];

    expect(tallyAlerts(records, END, (alertId) => (alertId === 'a1' ? BEFORE_END : undefined)).get('team-a')).toEqual({ open: 2, overdue: 1 });
  });

  it('counts the ending a report set aside after the end does not change', () => {
    const timeline: TimelineEntry[] = [
      { type: 'closed', atMs: 3, result: 'declined' },
      { type: 'closed', atMs: 4, result: 'resolved', afterEnd: true },
    ];

    expect(tallyAlerts([record('a1', 'team-a', { closedAtMs: 3, ending: 'closed', timeline })], END).get('team-a')).toEqual({ declined: 1 });
  });
});

describe('formatSummary', () => {
  const message = { kind: 'alert', alertId: 'a1', team: 'team-a', level: 'signal', respondBy: '2026-11-29T09:00:00+01:00', capacityExceeded: false } as unknown as TeamMessage;
  const result: ReplayResult = {
    engine: 'memory',
    outcomes: [{ partnerId: 'mitros', signalId: 's', outcome: 'accepted', eventId: 'e', line: 1 }],
    messages: [{ team: 'team-a', message }],
    entries: 3,
    elapsedMs: 10,
    clockMs: END,
    schedulesFired: 0,
    clockHeld: [{ line: 3, nowMs: Date.parse('2026-11-20T09:00:00+01:00'), clockMs: Date.parse('2026-11-25T09:00:00+01:00') }],
    alertRecords: [record('a1', 'team-a')],
  };

  it('shows the alerts per team at the clock of the end, and names each line whose Now lay before the clock', () => {
    const lines = formatSummary(result).split('\n');
    const heading = lines.indexOf("The teams' alerts at 2026-12-01T09:00:00+01:00: open (of which overdue), picked up, reached, and how they ended:");

    expect(heading).toBeGreaterThan(0);
    expect(lines[heading + 1]).toMatch(/^team +open +overdue +picked-up +reached +resolved +referred +no-contact +declined +not-taken +forwarded$/);
    expect(lines[heading + 2]).toMatch(/^team-a +1 +1 +0 +0 +0 +0 +0 +0 +0 +0$/);
    expect(lines).toContain('  line 3: Now 2026-11-20T09:00:00+01:00, the clock 2026-11-25T09:00:00+01:00');
  });

  it('leaves the alerts out when the records were not read', () => {
    const { alertRecords: _, ...withoutRecords } = result;

    expect(formatSummary(withoutRecords)).not.toContain("The teams' alerts");
  });
});
