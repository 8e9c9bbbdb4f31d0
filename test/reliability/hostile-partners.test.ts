/**
 * Hostile partners (contract v1.1, "trust no partner"), on a generated feed through the local
 * pipeline: registered partners label a household's address with another municipality's code
 * (divert attempts) or flood a household with low signals. No team message goes to a team of
 * another municipality than the address lies in, no rejected attacker's contact reaches a
 * team, and every alert of the feed delivered once is still raised (`npm run chaos`, row
 * hostile-partners: diverted 0, blocked 0). The row counts what the attacks were told, and
 * catches an intake that takes a mislabelled code.
 */
import '../scenarios/quiet-logs.ts';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_SIGNALS_PER_PARTNER } from '@vroegsignaal/domain';
import { compilePolicy } from '@vroegsignaal/policy';
import { baselineRun, formatChaosTable, hostilePartnersRun, rowOk, type Baseline } from '@vroegsignaal/harness';
import { generateFeed } from '@vroegsignaal/harness';
import { defaultCompiledPolicy } from '../support/local-pipeline.ts';

const policy = defaultCompiledPolicy();
const SIZE = 60;
const SEED = 7_070;

let baseline: Baseline;
beforeAll(async () => {
  const feed = generateFeed({ size: SIZE, seed: SEED, policy });
  const run = await baselineRun(feed, policy);
  expect(run.row.failures).toEqual([]);
  expect(run.row.diverted).toBe(0);
  baseline = run.baseline;
}, 60_000);

describe('registered partners attacking households', () => {
  it('divert attempts are each rejected by the rule expected, floods stop at the partner\'s share: nothing diverted, nothing blocked', { timeout: 60_000 }, async () => {
    const row = await hostilePartnersRun(baseline, policy, SEED, 40);

    expect(row.failures).toEqual([]);
    expect({ lost: row.lost, doubled: row.doubled, diverted: row.diverted, blocked: row.blocked }).toEqual({ lost: 0, doubled: 0, diverted: 0, blocked: 0 });
    expect(rowOk(row)).toBe(true);
    expect(row.alertsExpected).toBeGreaterThan(20);
    expect(row.alertsRaised).toBe(row.alertsExpected);
    const { attacks } = row;
    // Divert attempts: all rejected, by both rules, none otherwise.
    expect(attacks.divertAttempts).toBeGreaterThanOrEqual(6);
    expect(attacks.divertUnexpected).toBe(0);
    expect(Object.keys(attacks.divertOutcomes).sort()).toEqual(['municipality', 'postcode-area']);
    expect(attacks.divertOutcomes['postcode-area']).toBeGreaterThan(0);
    expect(attacks.divertOutcomes.municipality).toBeGreaterThan(0);
    expect(attacks.divertOutcomes['postcode-area']! + attacks.divertOutcomes.municipality!).toBe(attacks.divertAttempts);
    // Floods: stored up to the partner's share, the rest refused by partner-quota.
    expect(attacks.floods).toBeGreaterThanOrEqual(2);
    expect(attacks.floodAccepted).toBeGreaterThan(0);
    expect(attacks.floodAccepted).toBeLessThanOrEqual(attacks.floods * MAX_SIGNALS_PER_PARTNER);
    expect(attacks.floodRefused).toBeGreaterThanOrEqual(attacks.floods * 10);
    expect(attacks.floodAccepted + attacks.floodRefused).toBe(attacks.floodEntries);
    // The contact of every rejected attack entry was looked for in every team message.
    expect(attacks.markersChecked).toBe(attacks.divertAttempts + attacks.floodRefused);
    expect(attacks.teamMessages).toBeGreaterThanOrEqual(row.alertsRaised);
    expect(attacks.extraAlerts).toBe(0);
    // The table shows the row with its two columns.
    const table = formatChaosTable({ feed: { entries: 0, households: SIZE, resends: 0, seed: SEED }, rows: [row], ok: true });
    expect(table).toMatch(/\| diverted \| blocked \|/);
    expect(table).toMatch(/^\| hostile-partners .*\| +0 \| +0 \| +ok \|/m);
  });

  it('an intake that takes a mislabelled code (a policy without postcode areas) is caught: attempts not rejected, alerts diverted', { timeout: 60_000 }, async () => {
    const blind = compilePolicy({ ...policy.policy, municipalities: policy.policy.municipalities.map(({ postcodeAreas: _, ...municipality }) => municipality) });
    expect(blind.municipalityOfPostcodeArea(3512)).toBeUndefined();

    const row = await hostilePartnersRun(baseline, policy, SEED, 40, { pipelinePolicy: blind });

    expect(rowOk(row)).toBe(false);
    expect(row.attacks.divertOutcomes['not-rejected']).toBeGreaterThan(0);
    expect(row.failures.join(' ')).toContain('not rejected by the rule expected');
    expect(row.diverted).toBeGreaterThan(0);
    expect(row.notes.join(' ')).toMatch(/diverted: alert for household \w+ \(GM\d{4}\) to [\w-]+/);
  });
});
