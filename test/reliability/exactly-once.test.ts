/**
 * At-least-once made exactly-once (issue 5, item 1), on a generated feed through the local
 * pipeline at one fixed clock:
 * - every entry arriving one to three times (the bus delivering its event again, or the
 *   partner resending it; copies anywhere after the first), and the pipeline's own events
 *   delivered twice, ends in the same household states, claims and line outcomes, and raises
 *   exactly the same alerts as the feed delivered once;
 * - the feed in a shuffled order ends in the same household states and the same final level
 *   per household, whose alert is raised once: state follows the signals' own dates, and a
 *   withdrawal that arrives before its signal still counts.
 */
import '../scenarios/quiet-logs.ts';
import { beforeAll, describe, expect, it } from 'vitest';
import { baselineRun, duplicatedRun, shuffledRun, type Baseline } from '@vroegsignaal/harness';
import { generateFeed, Rng } from '@vroegsignaal/harness';
import { defaultCompiledPolicy } from '../support/local-pipeline.ts';

const policy = defaultCompiledPolicy();
const SIZE = 120;
const SEED = 20_261_115;

let baseline: Baseline;
beforeAll(async () => {
  const feed = generateFeed({ size: SIZE, seed: SEED, policy });
  const run = await baselineRun(feed, policy);
  expect(run.row.failures).toEqual([]);
  baseline = run.baseline;
}, 60_000);

describe('a generated feed', () => {
  it('is valid, spread over the eight municipalities, and tells every kind of story', () => {
    const { feed } = baseline;
    expect(Object.keys(feed.householdsByMunicipality).sort()).toEqual(['GM0268', 'GM0307', 'GM0344', 'GM0363', 'GM0518', 'GM0599', 'GM0855', 'GM0935']);
    expect(feed.householdsByMunicipality.GM0363).toBeGreaterThan(feed.householdsByMunicipality.GM0935!);
    const outcomes = new Set([...baseline.play.outcomes.values()].map((o) => o.outcome));
    for (const outcome of ['accepted', 'duplicate', 'repeat', 'below-threshold', 'withdrawn']) expect(outcomes, outcome).toContain(outcome);
    const levels = new Set([...baseline.states.values()].map((s) => s.level));
    for (const level of ['signal', 'case', 'eviction-threat', 'urgent', null]) expect(levels, String(level)).toContain(level);
    expect(baseline.alerts.length).toBeGreaterThan(40);
    // The same options give the same feed.
    expect(generateFeed({ size: SIZE, seed: SEED, policy }).lines).toEqual(feed.lines);
  });
});

describe('every entry delivered one to three times', () => {
  it('ends in the same households, claims and outcomes, and raises exactly the same alerts', { timeout: 60_000 }, async () => {
    const row = await duplicatedRun(baseline, policy, SEED, 40);

    expect(row.failures).toEqual([]);
    expect({ lost: row.lost, doubled: row.doubled }).toEqual({ lost: 0, doubled: 0 });
    expect(row.alertsRaised).toBe(row.alertsExpected);
    expect(row.duplicates).toBeGreaterThan(baseline.feed.entries.length / 2);
    expect(row.dlq).toBe(0);
  });
});

describe('the feed shuffled', () => {
  it('ends in the same households and final levels, each final level alerted once', { timeout: 60_000 }, async () => {
    // The seeded permutation puts withdrawals before their signals, and older arrears after newer ones.
    const order = new Rng(SEED + 3).shuffle(baseline.feed.entries.map((_, id) => id));
    const position = new Map(order.map((id, at) => [id, at]));
    const entries = baseline.feed.entries;
    const signalAt = new Map(entries.map((e, id) => [`${e.partnerId}/${e.signalId}`, id]));
    const early = entries.filter((e, id) => {
      if (e.detailType !== 'SignalWithdrawn') return false;
      const withdrawn = (JSON.parse(e.line) as { Detail: unknown }).Detail;
      const target = (typeof withdrawn === 'string' ? JSON.parse(withdrawn) : withdrawn) as { withdrawal: { signalId: string } };
      const of = signalAt.get(`${e.partnerId}/${target.withdrawal.signalId}`);
      return of !== undefined && position.get(id)! < position.get(of)!;
    });
    expect(early.length).toBeGreaterThan(0);

    const row = await shuffledRun(baseline, policy, SEED, 40);

    expect(row.failures).toEqual([]);
    expect({ lost: row.lost, doubled: row.doubled }).toEqual({ lost: 0, doubled: 0 });
    expect(row.alertsExpected).toBeGreaterThan(20);
  });
});
