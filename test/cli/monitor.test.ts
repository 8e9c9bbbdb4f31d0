/**
 * npm run monitor as an operator meets it, through the file its npm script runs: --help, the
 * usage errors (exit 64, plain words), the sample feed's report for Utrecht (an HTML file with
 * charts, a CSV per block, the headline on stdout), and --publish leaving no cell under 5.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { MONITOR_BLOCKS } from '@vroegsignaal/domain';
import { formatAmsterdamIso } from '@vroegsignaal/calendar';
import { SAMPLE_FEED_FILE, SAMPLE_FEED_NOW } from '@vroegsignaal/events';
import { compilePolicy, loadPolicyDir } from '@vroegsignaal/policy';
import { startLocalPipeline } from '@vroegsignaal/stand-ins';
import { onStandIns, replayOn } from '@vroegsignaal/tools';

const run = promisify(execFile);
const ENTRY = 'packages/tools/src/cli/monitor.ts';
const ENV = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };

async function monitor(args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', ENTRY, ...args], { env: ENV });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failed = error as { stdout: string; stderr: string; code: number };
    return { stdout: failed.stdout, stderr: failed.stderr, code: failed.code };
  }
}

const UTRECHT_NOVEMBER = ['--municipality', 'GM0344', '--month', '2026-11'];

/** The CSV's cells that count households (or entries and attempts about them): aantal, teller, noemer. */
function countCells(csv: string): string[] {
  const [header, ...lines] = csv.trim().split('\n');
  const columns = header!.split(';');
  const counted = ['aantal', 'teller', 'noemer'].map((name) => columns.indexOf(name));
  return lines.flatMap((line) => {
    const cells = line.split(';');
    return counted.map((i) => cells[i]!).filter((cell) => cell !== '');
  });
}

describe('npm run monitor', () => {
  it('prints its usage and an example on --help, exit 0', async () => {
    const help = await monitor(['--help']);
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/^Usage: npm run monitor -- --municipality CODE --month YYYY-MM/);
    expect(help.stdout).toContain('npm run monitor -- --municipality GM0344 --month 2026-11');
  }, 30_000);

  // Each case is a process of its own (about 4 s): the month, the municipality, a typo.
  it.each([
    [['--municipality', 'GM0344', '--month', '2026-13'], '--month must be a calendar month as YYYY-MM, e.g. 2026-11, not "2026-13"'],
    [['--municipality', 'GM9999', '--month', '2026-11'], '--municipality GM9999 has no policy; the policy has GM0307 (Amersfoort)'],
    [[...UTRECHT_NOVEMBER, '--pubish'], 'unknown option --pubish; did you mean --publish?'],
  ])('refuses %j with exit 64 and says why', async (args, why) => {
    const result = await monitor(args);
    expect(result.code).toBe(64);
    expect(result.stderr).toContain(why);
    expect(result.stdout).toBe('');
  }, 30_000);

  it("writes the sample feed's report for Utrecht: the HTML with its charts, a CSV per block, and the headline", async () => {
    const out = mkdtempSync(join(tmpdir(), 'monitor-'));
    const result = await monitor([...UTRECHT_NOVEMBER, '--out', out]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Monitor vroegsignalering Utrecht \(GM0344\), november 2026\nMeldingen van partners: \d+/);
    expect(result.stdout).toMatch(/Opgepakt of afgewezen binnen de termijn: \d+ van \d+/);
    expect(readdirSync(out).sort()).toEqual(['monitor-GM0344-2026-11.html', ...MONITOR_BLOCKS.map((block) => `monitor-GM0344-2026-11-${block}.csv`)].sort());
    const html = readFileSync(join(out, 'monitor-GM0344-2026-11.html'), 'utf8');
    expect(html).toContain('<h1>Monitor vroegsignalering Utrecht, november 2026</h1>');
    expect(html.match(/<svg class="monitor-chart-svg"/g)?.length).toBeGreaterThan(5);
    // Partners' names and teams' names, never an address or a household reference.
    expect(html).toContain('Mitros');
    expect(html).not.toMatch(/\b\d{4} ?[A-Z]{2}\b/);
    const intake = readFileSync(join(out, 'monitor-GM0344-2026-11-intake.csv'), 'utf8');
    expect(intake.split('\n')[0]).toBe('tabel;sleutel;naam;periode;aantal;teller;noemer;procent;mediaan_dagen;p90_dagen;oudste_dagen;per_1000_inwoners;capaciteit');
    expect(intake).toMatch(/\noutcomes;accepted;aangenomen;2026-11;\d+;/);
    // The operator's own report shows the small numbers.
    expect(MONITOR_BLOCKS.flatMap((block) => countCells(readFileSync(join(out, `monitor-GM0344-2026-11-${block}.csv`), 'utf8'))).some((cell) => Number(cell) > 0 && Number(cell) < 5)).toBe(true);
  }, 60_000);

  it('--publish leaves no cell under 5 households, in the CSVs or the HTML', async () => {
    const out = mkdtempSync(join(tmpdir(), 'monitor-publish-'));
    writeFileSync(join(out, 'monitor-GM0344-2026-11.html'), 'the last run');
    const result = await monitor([...UTRECHT_NOVEMBER, '--publish', '--out', out]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('voor publicatie');
    const cells = MONITOR_BLOCKS.flatMap((block) => countCells(readFileSync(join(out, `monitor-GM0344-2026-11-${block}.csv`), 'utf8')));
    expect(cells.length).toBeGreaterThan(40);
    expect(cells).toContain('<5');
    expect(cells.filter((cell) => cell !== '<5' && cell !== 'x' && Number(cell) < 5)).toEqual([]);
    const html = readFileSync(join(out, 'monitor-GM0344-2026-11.html'), 'utf8');
    expect(html).toContain('<td>&#60;5</td>');
    // Every table cell with a number of its own: none under 5.
    const tableCells = [...html.matchAll(/<td>(\d+)<\/td>/g)].map((m) => Number(m[1]));
    expect(tableCells.filter((n) => n < 5)).toEqual([]);
  }, 60_000);

  it("--endpoint reads a running stack's table: the same report as the same feed in memory", async () => {
    // The sample feed's first 150 lines (Utrecht's stories among them), through the deployed handlers on the stand-ins.
    const dir = mkdtempSync(join(tmpdir(), 'monitor-endpoint-'));
    const feed = join(dir, 'feed.ndjson');
    writeFileSync(feed, `${readFileSync(SAMPLE_FEED_FILE, 'utf8').split('\n').slice(0, 150).join('\n')}\n`);
    const startMs = Date.parse(SAMPLE_FEED_NOW);
    const pipeline = await startLocalPipeline({ policy: compilePolicy(loadPolicyDir()), clock: () => startMs });
    try {
      const replay = await replayOn(onStandIns(pipeline), readFileSync(feed, 'utf8').trim().split('\n'), { nowMs: startMs, keep: false });
      const [stack, memory] = [join(dir, 'stack'), join(dir, 'memory')];
      const fromStack = await monitor([...UTRECHT_NOVEMBER, '--endpoint', pipeline.standIns.dynamodbEndpoint, '--now', formatAmsterdamIso(new Date(replay.clockMs)), '--out', stack]);
      expect(fromStack.code, fromStack.stderr).toBe(0);
      expect(fromStack.stderr).toContain(`table vroegsignaal-households at ${pipeline.standIns.dynamodbEndpoint}`);
      const fromFeed = await monitor([...UTRECHT_NOVEMBER, '--feed', feed, '--now', SAMPLE_FEED_NOW, '--out', memory]);
      expect(fromFeed.code, fromFeed.stderr).toBe(0);
      expect(fromStack.stdout).toMatch(/Meldingen van partners: [1-9]\d*/);
      expect(fromStack.stdout).toBe(fromFeed.stdout);
      for (const name of readdirSync(memory)) expect(readFileSync(join(stack, name), 'utf8'), name).toBe(readFileSync(join(memory, name), 'utf8'));
    } finally {
      await pipeline.stop();
    }
  }, 60_000);
});
