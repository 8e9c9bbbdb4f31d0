/**
 * The replay as a user runs it (contract section 4): a child process on the shipped sample
 * feed, with --out, --outcomes and --now, and a scan of everything it printed or logged for
 * the personal data in the input.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { teamMessageSchema, SAMPLE_FEED_NOW } from '@vroegsignaal/events';
import { arrears, T0, verdict, verdictTaken, VH } from '../support/weeks-feed.ts';


const run = promisify(execFile);
const FEED = 'events/samples/feed.ndjson';
const REPLAY = ['tsx', 'packages/tools/src/cli/replay.ts'];

interface Run {
  stdout: string;
  stderr: string;
  code: number;
}

async function replay(args: string[]): Promise<Run> {
  try {
    const { stdout, stderr } = await run('npx', [...REPLAY, ...args], {
      env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'DEBUG', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      maxBuffer: 64 * 1024 * 1024,
    });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failed = error as { stdout: string; stderr: string; code: number };
    return { stdout: failed.stdout, stderr: failed.stderr, code: failed.code };
  }
}

/** Every postcode (both spellings), postcode + house number, name, phone and e-mail in the feed. */
function personalDataIn(feedLines: string[]): string[] {
  const values = new Set<string>();
  for (const line of feedLines) {
    let entry: { Detail?: unknown };
    try {
      entry = JSON.parse(line);
    } catch {
      continue;
    }
    const detail = (typeof entry.Detail === 'string' ? JSON.parse(entry.Detail) : entry.Detail) as {
      address?: { postcode?: unknown; houseNumber?: unknown };
      contact?: Record<string, unknown>;
    };
    const postcode = detail?.address?.postcode;
    // A full postcode names a street; a bare 4-digit area (as in the feed's malformed line)
    // does not, and would match timestamps and ids by chance.
    if (typeof postcode === 'string' && /^[1-9][0-9]{3} ?[A-Za-z]{2}$/.test(postcode)) {
      const compact = postcode.replace(' ', '').toUpperCase();
      values.add(compact);
      values.add(`${compact.slice(0, 4)} ${compact.slice(4)}`);
    }
    for (const value of Object.values(detail?.contact ?? {})) if (typeof value === 'string') values.add(value);
  }
  return [...values];
}

describe('npm run replay on the sample feed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'replay-'));
  const paths = { out: join(dir, 'messages.ndjson'), outcomes: join(dir, 'outcomes.ndjson'), log: join(dir, 'handlers.log') };
  const feedLines = readFileSync(FEED, 'utf8').split('\n');
  let result: Run;

  beforeAll(async () => {
    result = await replay([FEED, '--now', SAMPLE_FEED_NOW, '--out', paths.out, '--outcomes', paths.outcomes, '--log', paths.log]);
  }, 120_000);

  it('exits 0 and prints a per-team summary on stderr', () => {
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/Replayed \d+ entries/);
    // The sample feed's team reports carry their own Now, a few days after the partner entries.
    expect(result.stderr).toMatch(/\nEntries judged from 2026-11-15T09:00:00\+01:00 \(--now\) to 2026-11-\d\dT\d\d:\d\d:00\+01:00 \(the feed's Now lines\); \d+\.\d s in all\.\n/);
    expect(result.stderr).toContain('utrecht-schuldhulp');
    expect(result.stderr).toContain('Rejected lines:');
  });

  it('gives every non-blank line exactly one outcome, numbered by its physical line', () => {
    const outcomes = readFileSync(paths.outcomes, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { line: number; outcome: string; reason?: string });
    const expectedLines = feedLines.flatMap((text, i) => (text.trim() === '' ? [] : [i + 1])).filter((n) => n <= feedLines.length);
    expect(outcomes.map((o) => o.line)).toEqual(expectedLines.filter((n) => n !== feedLines.length || feedLines[n - 1]!.trim() !== ''));
    for (const o of outcomes.filter((x) => x.outcome === 'rejected')) expect(o.reason).toBeTruthy();
  });

  it('writes only valid team messages, and none to stdout when --out is given', () => {
    const messages = readFileSync(paths.out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(messages.length).toBeGreaterThan(50);
    for (const message of messages) expect(teamMessageSchema.safeParse(message).success).toBe(true);
    expect(result.stdout.trim()).toBe('');
  });

  it('shows no postcode, name, phone or e-mail of the input in stderr or in any log line', () => {
    const personal = personalDataIn(feedLines);
    expect(personal.length).toBeGreaterThan(100);
    const log = readFileSync(paths.log, 'utf8');
    expect(log.split('\n').length).toBeGreaterThan(100);
    const leaks = personal.filter((value) => result.stderr.includes(value) || log.includes(value));
    expect(leaks).toEqual([]);
  });

  it('produces the same messages on a second run (the clock is fixed, order is file order)', async () => {
    const second = await replay([FEED, '--now', SAMPLE_FEED_NOW, '--log', join(dir, 'second.log')]);
    const strip = (text: string) => text.trim().split('\n').map((l) => JSON.parse(l));
    expect(strip(second.stdout)).toEqual(strip(readFileSync(paths.out, 'utf8')));
  }, 120_000);
});

describe('npm run replay arguments', () => {
  it('replays with another policy directory given by --config', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'replay-config-'));
    const feed = join(dir, 'feed.ndjson');
    writeFileSync(
      feed,
      `${JSON.stringify({ Source: 'partner.mitros', DetailType: 'RentArrearsReported', Detail: { schemaVersion: 1, signalId: 'a', observedAt: '2026-11-01T09:00:00+01:00', municipalityCode: 'GM0344', address: { postcode: '3511AB', houseNumber: 1 }, arrears: { amountCents: 90000, monthsInArrears: 1 } } })}\n`,
    );
    const missing = await replay([feed, '--config', join(dir, 'no-such-policy'), '--now', '2026-11-02T09:00:00+01:00']);
    expect(missing.code).toBe(64);
    expect(missing.stderr).toContain(`expected a policy directory (its YAML files, as in packages/policy/defaults), but "${join(dir, 'no-such-policy')}" does not exist`);
    const defaults = await replay([feed, '--config', 'packages/policy/defaults', '--now', '2026-11-02T09:00:00+01:00', '--log', join(dir, 'log')]);
    expect(defaults.code).toBe(0);
    expect(JSON.parse(defaults.stdout.trim())).toMatchObject({ kind: 'alert', team: 'utrecht-schuldhulp', level: 'signal' });
  }, 60_000);

  it('runs the clock with the Now lines and on to --until, sending the reminders due in time order, and names a line whose Now lay before the clock', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'replay-weeks-'));
    const feed = join(dir, 'feed.ndjson');
    const backwards = arrears(1, '2026-06-10T09:00:00+02:00', { Now: '2026-06-15T12:00:00+02:00' });
    writeFileSync(feed, `${[verdict({ Now: T0 }), verdictTaken, backwards].map((line) => JSON.stringify(line)).join('\n')}\n`);

    const result = await replay([feed, '--now', T0, '--until', '2027-04-02T00:00:00+02:00', '--engine', 'memory', '--log', join(dir, 'log')]);

    expect(result.code).toBe(0);
    const sent = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as { kind: string; team: string; createdAt: string });
    expect(sent.map(({ kind, team, createdAt }) => `${kind} ${team} ${createdAt}`)).toEqual([
      `alert ${VH} ${T0}`,
      'alert utrecht-schuldhulp 2026-06-16T09:05:00+02:00',
      // Four weeks on, debt help has not picked up its alert: overdue.
      'reminder utrecht-schuldhulp 2026-07-14T09:05:00+02:00',
      `reminder ${VH} 2027-04-01T00:00:00+02:00`,
    ]);
    expect(result.stderr).toContain('  line 3: Now 2026-06-15T12:00:00+02:00, the clock 2026-06-16T09:05:00+02:00\n');
    expect(result.stderr).toMatch(/\nEntries judged from 2026-06-15T10:00:00\+02:00 \(--now\) to 2027-04-02T00:00:00\+02:00 \(the feed's Now lines and --until\); /);
  }, 60_000);

  it.each([
    ['2027-04-02', '--until must be an ISO-8601 date-time with an offset, e.g. 2026-11-15T09:00:00+01:00, not "2027-04-02"'],
    ['2026-06-15T09:59:59+02:00', '--until must not lie before the clock it starts from, 2026-06-15T10:00:00+02:00 (--now)'],
  ])('refuses --until %s with a usage error, before writing anything', async (until, message) => {
    const dir = mkdtempSync(join(tmpdir(), 'replay-until-'));
    const feed = join(dir, 'feed.ndjson');
    writeFileSync(feed, `${JSON.stringify(verdict())}\n`);

    const result = await replay([feed, '--now', T0, '--until', until, '--out', join(dir, 'out.ndjson'), '--engine', 'memory']);

    expect(result.code).toBe(64);
    expect(result.stderr).toContain(message);
    expect(existsSync(join(dir, 'out.ndjson'))).toBe(false);
  }, 30_000);

  it('refuses a --now without an offset with a usage error', async () => {
    const result = await replay([FEED, '--now', '2026-11-15T09:00:00']);
    expect(result.code).toBe(64);
    expect(result.stderr).toContain('--now must be an ISO-8601 date-time with an offset');
  }, 30_000);
});
