/**
 * The replay over weeks (contract v1.1 section 7), on both engines: a line's `Now` moves the
 * clock, the reminders due on the way are sent first at their own time, the clock never runs
 * back, --until runs it on after the last line; and the summary's alerts per team at the end.
 */
import '../scenarios/quiet-logs.ts';
import { describe, expect, it } from 'vitest';
import type { TeamMessage } from '@vroegsignaal/events';
import { compilePolicy, loadPolicyDir } from '@vroegsignaal/policy';
import { alertsAtEnd, ENGINE_NAMES, NOW_FIELD_REASON, replayLines } from '@vroegsignaal/tools';
import { alertIdOf, arrears, T0, teamReport, verdict, verdictTaken, VH, type Line } from '../support/weeks-feed.ts';

const policy = compilePolicy(loadPolicyDir());
const brief = ({ kind, team, createdAt }: TeamMessage) => ({ kind, team, createdAt });

describe.each(ENGINE_NAMES)('the replay over weeks on the %s engine', (engine) => {
  const replay = (lines: Line[], untilMs?: number) =>
    replayLines(
      lines.map((line) => JSON.stringify(line)),
      { policy, engine, nowMs: Date.parse(T0), ...(untilMs === undefined ? {} : { untilMs }) },
    );

  it('sends the reminder that falls due before a later Now first, at its own time, then judges the line at its Now', async () => {
    const result = await replay([verdict({ Now: T0 }), verdictTaken, arrears(1, '2027-04-09T09:00:00+02:00', { Now: '2027-04-10T09:00:00+02:00' })]);

    expect(result.messages.map(({ message }) => brief(message))).toEqual([
      { kind: 'alert', team: VH, createdAt: T0 },
      { kind: 'reminder', team: VH, createdAt: '2027-04-01T00:00:00+02:00' },
      { kind: 'alert', team: 'utrecht-schuldhulp', createdAt: '2027-04-10T09:00:00+02:00' },
    ]);
    expect(result.messages[1]!.message).toMatchObject({ dueAt: '2027-06-01T00:00:00+02:00' });
    expect(result.messages[1]!.message.reasons[0]).toMatchObject({ code: 'verdict-lapses' });
    expect(result.outcomes.map((o) => o.outcome)).toEqual(['accepted', 'accepted', 'accepted']);
    expect(result.clockMs).toBe(Date.parse('2027-04-10T09:00:00+02:00'));
    expect(result.clockHeld).toEqual([]);
  }, 60_000);

  it('never runs the clock back: a line whose Now lies before the clock is judged at the clock, and named', async () => {
    const result = await replay([verdict({ Now: '2026-06-16T10:00:00+02:00' }), arrears(1, '2026-06-10T09:00:00+02:00', { Now: T0 })]);

    expect(result.clockHeld).toEqual([{ line: 2, nowMs: Date.parse(T0), clockMs: Date.parse('2026-06-16T10:00:00+02:00') }]);
    expect(result.messages.map(({ message }) => message.createdAt)).toEqual(['2026-06-16T10:00:00+02:00', '2026-06-16T10:00:00+02:00']);
  }, 60_000);

  it('rejects a line whose Now is no date-time with an offset, leaves the clock, and never sends Now itself on', async () => {
    const result = await replay([verdict({ Now: '2026-06-16T10:00:00+02:00' }), arrears(1, '2026-06-10T09:00:00+02:00', { Now: '2026-06-20 10:00' }), arrears(3, '2026-06-10T09:00:00+02:00')]);

    expect(result.outcomes.map(({ line, outcome, reason }) => ({ line, outcome, reason }))).toEqual([
      { line: 1, outcome: 'accepted', reason: expect.any(String) },
      { line: 2, outcome: 'rejected', reason: NOW_FIELD_REASON },
      { line: 3, outcome: 'accepted', reason: expect.any(String) },
    ]);
    expect(result.messages.map(({ message }) => brief(message))).toEqual([
      { kind: 'alert', team: VH, createdAt: '2026-06-16T10:00:00+02:00' },
      { kind: 'alert', team: 'utrecht-schuldhulp', createdAt: '2026-06-16T10:00:00+02:00' },
    ]);
  }, 60_000);

  it('runs the clock on to --until after the last line, sending what falls due, and no further', async () => {
    const without = await replay([verdict(), verdictTaken]);
    const until = await replay([verdict(), verdictTaken], Date.parse('2027-05-01T00:00:00+02:00'));

    expect(without.messages.map(({ message }) => message.kind)).toEqual(['alert']);
    expect(until.messages.map(({ message }) => brief(message))).toEqual([
      { kind: 'alert', team: VH, createdAt: T0 },
      { kind: 'reminder', team: VH, createdAt: '2027-04-01T00:00:00+02:00' },
    ]);
    expect(until.clockMs).toBe(Date.parse('2027-05-01T00:00:00+02:00'));
  }, 60_000);

  it("counts per team, from the households' alert records at the end, the alerts open, overdue, picked up and closed by result", async () => {
    const picked = alertIdOf({ postcode: '3511 AB', houseNumber: 1 }, T0, 'utrecht-schuldhulp', 'signal');
    const result = await replay(
      [
        arrears(1, '2026-06-10T09:00:00+02:00', { Now: T0 }),
        arrears(3, '2026-06-10T09:00:00+02:00'),
        verdict(),
        teamReport('utrecht-schuldhulp', 'AlertPickedUp', { alertId: picked, at: '2026-06-16T09:00:00+02:00', by: 'sh-07' }, '2026-06-16T09:05:00+02:00'),
        teamReport('utrecht-schuldhulp', 'CaseClosed', { alertId: picked, at: '2026-06-20T14:00:00+02:00', result: 'resolved' }, '2026-06-20T14:05:00+02:00'),
      ],
      // Past both deadlines: the verdict's two weeks (29 June) and the arrears' four (13 July).
      Date.parse('2026-07-20T10:00:00+02:00'),
    );

    expect(result.outcomes.map((o) => o.outcome)).toEqual(['accepted', 'accepted', 'accepted', 'accepted', 'accepted']);
    expect(Object.fromEntries(alertsAtEnd(result)!)).toEqual({
      'utrecht-schuldhulp': { open: 1, overdue: 1, 'picked-up': 1, resolved: 1 },
      [VH]: { open: 1, overdue: 1 },
    });
  }, 60_000);
});
