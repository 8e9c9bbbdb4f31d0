/**
 * The DDAS export on feeds replayed in memory, read through MonitorSource as a deployment's
 * month indexes are: the sample feed and a generated one give documents that validate (zod and
 * Ajv 2020); and `npm run ddas` as a user runs it: the file for its owner alone, counts only on
 * the terminal, usage errors with exit 64.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { readDdasExport } from '@vroegsignaal/domain';
import { SAMPLE_FEED_FILE, SAMPLE_FEED_NOW, type DdasUitwisselmodel } from '@vroegsignaal/events';
import { generateFeed } from '@vroegsignaal/harness';
import { compilePolicy, loadPolicyDir } from '@vroegsignaal/policy';
import { monitorSourceOfFeed } from '@vroegsignaal/tools';
import { checkDdas } from '../support/ddas.ts';

const policy = compilePolicy(loadPolicyDir());
const SUPPLIER = 'vroegsignaal test';

async function exportOfFeed(lines: string[], nowMs: number, municipalityCode: string, from: string, to: string): Promise<DdasUitwisselmodel> {
  const { source, replay } = await monitorSourceOfFeed(lines, { policy, nowMs });
  return readDdasExport(source, policy, { municipalityCode, from, to, nowMs: replay.clockMs, supplier: SUPPLIER });
}

describe('the DDAS export of a feed', () => {
  it("validates for the sample feed, every municipality's, with signals, cases, attempts and a result", async () => {
    // Prepare
    const lines = readFileSync(SAMPLE_FEED_FILE, 'utf8').trimEnd().split('\n');
    const { source, replay } = await monitorSourceOfFeed(lines, { policy, nowMs: Date.parse(SAMPLE_FEED_NOW) });

    // Act
    const documents = await Promise.all(
      policy.policy.municipalities.map((m) => readDdasExport(source, policy, { municipalityCode: m.code, from: '2026-01-01', to: '2026-12-31', nowMs: replay.clockMs, supplier: SUPPLIER })),
    );

    // Assess
    for (const document of documents) expect(checkDdas(document), document.leveringen?.[0]?.gemeentecode).toEqual({ ajv: [], zod: [] });
    const leveringen = documents.map((d) => d.leveringen![0]!);
    const signals = leveringen.flatMap((l) => l.vroegsignalen ?? []);
    const cases = leveringen.flatMap((l) => l.vroegsignaalzaken ?? []);
    expect(new Set(signals.map((s) => s.signaalpartner.type))).toEqual(new Set(['Huur', 'Overige']));
    expect(cases.length).toBeGreaterThan(10);
    expect(cases.some((c) => c.resultaat !== undefined && c.datumOpgepakt !== undefined && (c.contactpogingen?.length ?? 0) > 0)).toBe(true);
    expect(signals.some((s) => s.status === 'Opgepakt')).toBe(true);
    // Every case's signals are in its own levering (zod checks it; here it is also non-trivial).
    for (const l of leveringen) {
      const ids = new Set((l.vroegsignalen ?? []).map((s) => s.ID));
      for (const c of l.vroegsignaalzaken ?? []) for (const ref of c.vroegsignalen ?? []) expect(ids).toContain(ref.ID);
    }
  }, 30_000);

  it('validates for a generated feed', async () => {
    // Prepare
    const feed = generateFeed({ size: 300, seed: 16, policy });

    // Act
    const document = await exportOfFeed(feed.lines, feed.nowMs, 'GM0344', '2026-01-01', '2026-12-31');

    // Assess
    expect(checkDdas(document)).toEqual({ ajv: [], zod: [] });
    expect(document.leveringen![0]!.vroegsignalen!.length).toBeGreaterThan(5);
    expect(document.leveringen![0]!.vroegsignaalzaken!.length).toBeGreaterThan(0);
  }, 30_000);
});

describe('npm run ddas', () => {
  const script = /\S+\.ts\b/.exec((JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts.ddas ?? '')![0];
  const env = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };

  async function ddas(args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
    try {
      return { ...(await promisify(execFile)(process.execPath, ['--import', 'tsx', script, ...args], { env })), code: 0 };
    } catch (error) {
      const failed = error as { stdout: string; stderr: string; code: number };
      return { stdout: failed.stdout, stderr: failed.stderr, code: failed.code };
    }
  }

  it("writes the sample feed's document for its owner alone (0600) and prints counts, never an address", async () => {
    // Prepare
    const out = join(mkdtempSync(join(tmpdir(), 'ddas-')), 'export.json');

    // Act
    const { stdout, stderr, code } = await ddas(['--municipality', 'GM0344', '--from', '2026-10-01', '--to', '2026-12-31', '--out', out]);

    // Assess
    expect(code, stderr).toBe(0);
    const document = JSON.parse(readFileSync(out, 'utf8')) as DdasUitwisselmodel;
    expect(checkDdas(document)).toEqual({ ajv: [], zod: [] });
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const signals = document.leveringen![0]!.vroegsignalen!;
    expect(stdout).toContain(`${signals.length} vroegsignalen`);
    for (const postcode of new Set(signals.map((s) => ('postcode' in s.client ? s.client.postcode : '')))) {
      expect(stdout + stderr).not.toContain(postcode);
    }
  }, 60_000);

  it.concurrent.each([
    [['--municipality', 'GM0344', '--from', '2026-10-01', '--to', '2026-12-31'], '--out FILE is required'],
    [['--municipality', 'GM0344', '--from', '2026-12-31', '--to', '2026-10-01', '--out', 'x.json'], '--to must not lie before --from'],
    [['--municipality', 'GM9999', '--from', '2026-10-01', '--to', '2026-12-31', '--out', 'x.json'], '--municipality GM9999 has no policy'],
  ])('refuses %j with exit 64 and says why', async (argv, reason) => {
    // Act
    const result = await ddas(argv);

    // Assess
    expect(result.code).toBe(64);
    expect(result.stderr).toContain(reason);
    expect(result.stdout).toBe('');
  }, 30_000);

  it('tells on --help what it writes and what it leaves out', async () => {
    // Act
    const result = await ddas(['--help']);

    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/--endpoint URL[\s\S]*mode 0600[\s\S]*Nuisance, proceedings and care outside debt and income/);
  }, 30_000);
});
