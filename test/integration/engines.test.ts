/**
 * The two engines, held to each other: the same feed replayed on the stand-ins (the deployed
 * handlers, through the real SDK clients) and on the in-memory engine gives byte-identical
 * team messages, the same outcome for every line, and the same stored households, also when
 * the feed's Now lines move the clock and reminder checks come due. Event ids are the one
 * difference allowed: the stand-in bus draws random ones, the in-memory bus counts.
 */
import '../scenarios/quiet-logs.ts';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SAMPLE_FEED_FILE, SAMPLE_FEED_NOW } from '@vroegsignaal/events';
import { canonical, generateFeed } from '@vroegsignaal/harness';
import type { HouseholdState } from '@vroegsignaal/domain';
import { compilePolicy, loadPolicyDir } from '@vroegsignaal/policy';
import { withEngine, replayOn, type EngineName, type ReplayOutcome } from '@vroegsignaal/tools';
import { alertIdOf, arrears, T0, teamReport, verdict, verdictTaken } from '../support/weeks-feed.ts';

const policy = compilePolicy(loadPolicyDir());

interface EngineRun {
  messages: string[];
  outcomes: string[];
  /** Where the clock ended, and how many reminder checks ran on the way. */
  clock: string;
  households: string[];
  /** Lines whose entry the bus took, with the household ingest found it about. */
  householdsByLine: string[];
}

/** What an engine made of a feed, in a form compared byte for byte. */
function run(engine: EngineName, lines: readonly string[], nowMs: number, untilMs?: number): Promise<EngineRun> {
  return withEngine(engine, { policy, clock: () => nowMs }, async (replay) => {
    const householdsByLine: string[] = [];
    const result = await replayOn(replay, lines, { nowMs, ...(untilMs === undefined ? {} : { untilMs }), onHousehold: (line, ref) => householdsByLine.push(`${line} ${ref}`) });
    return {
      messages: result.messages.map(({ team, message }) => `${team} ${JSON.stringify(message)}`),
      outcomes: result.outcomes.map(withoutEventId),
      clock: `${new Date(result.clockMs).toISOString()} after ${result.schedulesFired} checks, held ${JSON.stringify(result.clockHeld)}`,
      households: (await replay.households()).map((state) => canonical(withoutTimelineEventIds(state))).sort(),
      householdsByLine,
    };
  });
}

/** A household with the bus's event ids its alerts' timelines keep (random on the stand-ins) marked only as there. */
function withoutTimelineEventIds(state: HouseholdState): HouseholdState {
  const alerts = state.alerts.map((alert) => (alert.timeline ? { ...alert, timeline: alert.timeline.map(({ eventId, ...entry }) => ({ ...entry, hadEventId: eventId !== undefined })) } : alert));
  return { ...state, alerts };
}

function withoutEventId({ eventId, ...outcome }: ReplayOutcome): string {
  return JSON.stringify({ ...outcome, hadEventId: eventId !== null });
}

function expectSameRuns(standIns: EngineRun, memory: EngineRun): void {
  expect(memory.outcomes).toEqual(standIns.outcomes);
  expect(memory.clock).toEqual(standIns.clock);
  expect(memory.messages).toEqual(standIns.messages);
  expect(memory.households).toEqual(standIns.households);
  expect(memory.householdsByLine).toEqual(standIns.householdsByLine);
}

describe('the in-memory engine and the stand-ins', () => {
  it('give byte-identical team messages, outcomes and households on the sample feed', async () => {
    const lines = readFileSync(SAMPLE_FEED_FILE, 'utf8').split('\n').filter((line) => line !== '');
    const nowMs = Date.parse(SAMPLE_FEED_NOW);

    const [standIns, memory] = [await run('stand-ins', lines, nowMs), await run('memory', lines, nowMs)];

    expect(standIns.messages.length).toBeGreaterThan(50);
    expect(new Set(standIns.outcomes.map((o) => JSON.parse(o).outcome))).toEqual(new Set(['accepted', 'below-threshold', 'duplicate', 'rejected', 'repeat', 'withdrawn']));
    expectSameRuns(standIns, memory);
  }, 120_000);

  it('give byte-identical results on a feed over weeks: Now lines, team reports, a verdict reminder come due, --until', async () => {
    const picked = alertIdOf({ postcode: '3511 AB', houseNumber: 1 }, T0, 'utrecht-schuldhulp', 'signal');
    const lines = [
      verdict({ Now: T0 }),
      arrears(1, '2026-06-10T09:00:00+02:00'),
      verdictTaken,
      teamReport('utrecht-schuldhulp', 'AlertPickedUp', { alertId: picked, at: '2026-06-17T09:00:00+02:00' }, '2026-06-17T09:05:00+02:00'),
      teamReport('utrecht-schuldhulp', 'CaseClosed', { alertId: picked, at: '2026-07-01T14:00:00+02:00', result: 'referred' }, '2026-07-01T14:05:00+02:00'),
      // Ten months on: the verdict's reminder (due 1 April 2027) goes out before this line.
      arrears(3, '2027-04-09T09:00:00+02:00', { Now: '2027-04-10T09:00:00+02:00' }),
      // A Now before the clock is judged at the clock.
      arrears(5, '2027-01-09T09:00:00+01:00', { Now: '2027-01-10T09:00:00+01:00' }),
    ].map((line) => JSON.stringify(line));
    const [nowMs, untilMs] = [Date.parse(T0), Date.parse('2027-06-15T10:00:00+02:00')];

    const [standIns, memory] = [await run('stand-ins', lines, nowMs, untilMs), await run('memory', lines, nowMs, untilMs)];

    expect(standIns.messages.filter((m) => m.includes('"kind":"reminder"')).length).toBeGreaterThan(0);
    expect(standIns.clock).toMatch(/^2027-06-15T08:00:00.000Z after [1-9]\d* checks, held \[\{"line":7,/);
    expectSameRuns(standIns, memory);
  }, 120_000);

  it.each([7, 20261202])('give byte-identical results on a generated feed (seed %i)', async (seed) => {
    const feed = generateFeed({ size: 60, seed, policy });

    const [standIns, memory] = [await run('stand-ins', feed.lines, feed.nowMs), await run('memory', feed.lines, feed.nowMs)];

    expect(standIns.messages.length).toBeGreaterThan(20);
    expectSameRuns(standIns, memory);
  }, 120_000);
});
