/**
 * policy:diff, the operator's way to tune a threshold: the same feed under two policies on the
 * local pipeline, alerts gained and lost per team and level, and the scores (what it prints
 * and draws: test/unit/tools/policy-diff-format.test.ts).
 */
import '../scenarios/quiet-logs.ts';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { compilePolicy, DEFAULT_POLICY_DIR, loadPolicyDir, type Policy } from '@vroegsignaal/policy';
import { diffPolicies, diffPolicyDirs, formatChanges, formatDiff } from '@vroegsignaal/tools';

const NOW = '2026-11-15T09:00:00+01:00';
const run = promisify(execFile);

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
    expect(formatDiff(diff)).toMatch(/^The candidate policy raises 1 fewer alert than the base policy on this feed \(1 against 2\): 0 gained and 1 lost/);
    expect(diff.base.scores.filter((s) => s >= 100)).toHaveLength(2);
    expect(diff.candidate.scores.filter((s) => s >= 100)).toHaveLength(1);
  }, 60_000);

  it('lists the households that moved by reference and the feed lines about them, never an address', async () => {
    const base = compilePolicy(loadPolicyDir());
    const raised: Policy = { ...base.policy, settings: { ...base.policy.settings, arrearsThreshold: { minMonths: 2, minAmountCents: 7500 } } };
    const feed = [arrears('a', 1, 1, 80_000), arrears('b', 2, 2, 160_000), arrears('a2', 1, 1, 80_000)];

    const diff = await diffPolicies(feed, base, compilePolicy(raised), Date.parse(NOW));

    expect(diff.changes).toEqual([{ householdRef: expect.stringMatching(/^[0-9a-f]{64}$/), base: ['utrecht-schuldhulp signal'], candidate: [], lines: [1, 3] }]);
    expect(formatChanges(diff)).not.toMatch(/3511|postcode|houseNumber/);
  }, 60_000);

  it('gives the same diff on both engines, and on the memory engine in one worker per policy', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'policy-diff-'));
    const candidateDir = join(dir, 'candidate');
    cpSync(DEFAULT_POLICY_DIR, candidateDir, { recursive: true });
    const settings = join(candidateDir, 'settings.yaml');
    writeFileSync(settings, readFileSync(settings, 'utf8').replace(/minMonths: 1\b/, 'minMonths: 2'));
    const feedFile = join(dir, 'feed.ndjson');
    writeFileSync(feedFile, `${[arrears('a', 1, 1, 80_000), arrears('b', 2, 2, 160_000)].join('\r\n')}\r\n`);
    const summary = (diff: Awaited<ReturnType<typeof diffPolicyDirs>>) => ({ rows: diff.rows, changes: diff.changes, entries: diff.base.entries });

    const inWorkers = await diffPolicyDirs(feedFile, DEFAULT_POLICY_DIR, candidateDir, Date.parse(NOW), 'memory');
    const onStandIns = await diffPolicyDirs(feedFile, DEFAULT_POLICY_DIR, candidateDir, Date.parse(NOW), 'stand-ins');

    expect(inWorkers.rows).toEqual([{ team: 'utrecht-schuldhulp', level: 'signal', base: 2, candidate: 1, gained: 0, lost: 1 }]);
    expect(inWorkers.changes.map((c) => c.lines)).toEqual([[1]]);
    expect(summary(onStandIns)).toEqual(summary(inWorkers));
  }, 60_000);

  it('npm run policy:diff writes the households that moved and says how long it took; misuse exits 64', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'policy-diff-cli-'));
    const feedFile = join(dir, 'feed.ndjson');
    writeFileSync(feedFile, `${arrears('c', 3, 3, 240_000)}\n`);
    const changes = join(dir, 'changes.ndjson');
    const env = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
    const cli = (...args: string[]) => run('npx', ['tsx', 'packages/tools/src/cli/policy-diff.ts', ...args], { env });

    const { stdout } = await cli('--base', DEFAULT_POLICY_DIR, '--candidate', DEFAULT_POLICY_DIR, '--feed', feedFile, '--now', NOW, '--changes', changes, '--svg', join(dir, 'scores.svg'));

    expect(stdout).toContain('exactly the same alerts');
    expect(stdout).toMatch(/Replayed 1 entries under both policies on the memory engine in [\d.]+ s/);
    expect(readFileSync(changes, 'utf8')).toBe('');
    await expect(cli('--base', DEFAULT_POLICY_DIR, '--feed', feedFile)).rejects.toMatchObject({ code: 64 });
    await expect(cli('--base', DEFAULT_POLICY_DIR, '--candidate', DEFAULT_POLICY_DIR, '--feed', join(dir, 'missing.ndjson'))).rejects.toMatchObject({ code: 64 });
    await expect(cli('--base', DEFAULT_POLICY_DIR, '--candidate', DEFAULT_POLICY_DIR, '--feed', feedFile, '--engine', 'cloud')).rejects.toMatchObject({ code: 64 });
  }, 60_000);

  it('says so when the candidate raises exactly the same alerts', async () => {
    const policy = compilePolicy(loadPolicyDir());
    const diff = await diffPolicies([arrears('c', 3, 3, 240_000)], policy, policy, Date.parse(NOW));
    expect(formatDiff(diff)).toContain('exactly the same alerts');
  }, 60_000);
});
