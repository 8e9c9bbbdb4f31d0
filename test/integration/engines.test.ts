/**
 * The two engines, held to each other: the same feed replayed on the stand-ins (the deployed
 * handlers, through the real SDK clients) and on the in-memory engine gives byte-identical
 * team messages, the same outcome for every line, and the same stored households. Event ids
 * are the one difference allowed: the stand-in bus draws random ones, the in-memory bus counts.
 */
import '../scenarios/quiet-logs.ts';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SAMPLE_FEED_FILE, SAMPLE_FEED_NOW } from '@vroegsignaal/events';
import { canonical, generateFeed } from '@vroegsignaal/harness';
import { compilePolicy, loadPolicyDir } from '@vroegsignaal/policy';
import { withEngine, replayOn, type EngineName, type ReplayOutcome } from '@vroegsignaal/tools';

const policy = compilePolicy(loadPolicyDir());

interface EngineRun {
  messages: string[];
  outcomes: string[];
  households: string[];
  /** Lines whose entry the bus took, with the household ingest found it about. */
  householdsByLine: string[];
}

/** What an engine made of a feed, in a form compared byte for byte. */
function run(engine: EngineName, lines: readonly string[], nowMs: number): Promise<EngineRun> {
  return withEngine(engine, { policy, clock: () => nowMs }, async (replay) => {
    const householdsByLine: string[] = [];
    const result = await replayOn(replay, lines, { nowMs, onHousehold: (line, ref) => householdsByLine.push(`${line} ${ref}`) });
    return {
      messages: result.messages.map(({ team, message }) => `${team} ${JSON.stringify(message)}`),
      outcomes: result.outcomes.map(withoutEventId),
      households: (await replay.households()).map(canonical).sort(),
      householdsByLine,
    };
  });
}

function withoutEventId({ eventId, ...outcome }: ReplayOutcome): string {
  return JSON.stringify({ ...outcome, hadEventId: eventId !== null });
}

function expectSameRuns(standIns: EngineRun, memory: EngineRun): void {
  expect(memory.outcomes).toEqual(standIns.outcomes);
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

  it.each([7, 20261202])('give byte-identical results on a generated feed (seed %i)', async (seed) => {
    const feed = generateFeed({ size: 60, seed, policy });

    const [standIns, memory] = [await run('stand-ins', feed.lines, feed.nowMs), await run('memory', feed.lines, feed.nowMs)];

    expect(standIns.messages.length).toBeGreaterThan(20);
    expectSameRuns(standIns, memory);
  }, 120_000);
});
