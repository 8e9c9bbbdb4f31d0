/**
 * policy:diff, the operator's way to tune a threshold: the same feed under two policies on the
 * local pipeline, alerts gained and lost per team and level, and the score histogram.
 */
import { describe, expect, it } from 'vitest';
import { compilePolicy, loadPolicyDir, type Policy } from '@vroegsignaal/policy';
import { diffPolicies, formatDiff } from '@vroegsignaal/tools';
import { renderScoreHistogram } from '@vroegsignaal/tools';

const NOW = '2026-11-15T09:00:00+01:00';

function arrears(signalId: string, houseNumber: number, months: number, amountCents: number): string {
  return JSON.stringify({
    Source: 'partner.mitros',
    DetailType: 'RentArrearsReported',
    Detail: {
      schemaVersion: 1,
      signalId,
      observedAt: '2026-11-10T09:00:00+01:00',
      municipalityCode: 'GM0344',
      address: { postcode: '3511 AB', houseNumber },
      arrears: { amountCents, monthsInArrears: months },
    },
  });
}

describe('policy:diff', () => {
  it('shows the alerts a raised arrears threshold loses, per team and level, and the scores that move under it', async () => {
    // Prepare: one household at 1 month of arrears, one at 2; the candidate raises the threshold to 2 months.
    const base = compilePolicy(loadPolicyDir());
    const raised: Policy = { ...base.policy, settings: { ...base.policy.settings, arrearsThreshold: { minMonths: 2, minAmountCents: 7500 } } };
    const feed = [arrears('a', 1, 1, 80_000), arrears('b', 2, 2, 160_000)];

    // Act
    const diff = await diffPolicies(feed, base, compilePolicy(raised), Date.parse(NOW));

    // Assess
    expect(diff.rows).toEqual([{ team: 'utrecht-schuldhulp', level: 'signal', base: 2, candidate: 1, gained: 0, lost: 1 }]);
    expect(formatDiff(diff)).toContain('0 alert(s) gained and 1 lost');
    expect(diff.base.scores.filter((s) => s >= 100)).toHaveLength(2);
    expect(diff.candidate.scores.filter((s) => s >= 100)).toHaveLength(1);
  }, 60_000);

  it('says so when the candidate raises exactly the same alerts', async () => {
    const policy = compilePolicy(loadPolicyDir());
    const diff = await diffPolicies([arrears('c', 3, 3, 240_000)], policy, policy, Date.parse(NOW));
    expect(formatDiff(diff)).toContain('exactly the same alerts');
  }, 60_000);
});

describe('renderScoreHistogram', () => {
  it('draws both series and marks the four level thresholds', () => {
    const svg = renderScoreHistogram('scores', [
      { label: 'base', scores: [5, 120, 120, 250], colour: '#999' },
      { label: 'candidate', scores: [5, 60, 120, 250], colour: '#00f' },
    ]);
    expect(svg.startsWith('<svg')).toBe(true);
    for (const label of ['signal ≥ 100', 'case ≥ 200', 'eviction-threat ≥ 300', 'urgent ≥ 400']) expect(svg).toContain(label);
    expect(svg).toContain('base: 2 household(s) scoring 120-129');
    expect(svg).toContain('candidate: 1 household(s) scoring 60-69');
  });
});
