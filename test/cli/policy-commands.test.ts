/**
 * npm run policy:check and npm run policy:diff as an operator runs them: real processes, their
 * output and exit codes.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const exec = promisify(execFile);
const DEFAULTS = 'packages/policy/defaults';
const NOW = '2026-11-15T09:00:00+01:00';

interface Run {
  stdout: string;
  stderr: string;
  code: number;
}

async function command(file: string, args: string[]): Promise<Run> {
  try {
    const { stdout, stderr } = await exec(process.execPath, ['--import', 'tsx', file, ...args], { env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failed = error as { stdout: string; stderr: string; code: number };
    return { stdout: failed.stdout, stderr: failed.stderr, code: failed.code };
  }
}

const policyCheck = (...args: string[]) => command('packages/tools/src/cli/policy-check.ts', args);
const policyDiff = (...args: string[]) => command('packages/tools/src/cli/policy-diff.ts', args);

/** A copy of the shipped policy with each file edited by its edit. */
function policyWith(edits: Record<string, (text: string) => string>): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'policy-cli-')), 'my-policy');
  cpSync(DEFAULTS, dir, { recursive: true });
  for (const [file, edit] of Object.entries(edits)) {
    const before = readFileSync(join(dir, file), 'utf8');
    const after = edit(before);
    if (after === before) throw new Error(`the edit of ${file} changed nothing`);
    writeFileSync(join(dir, file), after);
  }
  return dir;
}

describe('npm run policy:check', () => {
  it('reports five problems of five kinds in four files in one run, each once, and exits 1', async () => {
    const dir = policyWith({
      'municipalities/utrecht.yaml': (t) => t.replace('name: Utrecht\n', 'name: Utrecht\narrearsTreshold: { minMonths: 2, minAmountCents: 7500 }\n'),
      'municipalities/denhaag.yaml': (t) => t.replace('team: denhaag-sociaal-casemanagement', 'team: denhaag-wijkteam'),
      'settings.yaml': (t) => t.replace('lookbackMonths: 6', 'lookbackMonths: six'),
      'partners.yaml': (t) => `${t}\n  - id: [unclosed\n`,
    });

    const result = await policyCheck(dir);

    expect(result.code).toBe(1);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toEqual([
      `policy in ${dir} has 5 problems in 4 files:`,
      expect.stringMatching(/^ {2}settings\.yaml:\d+ at lookbackMonths: expected a number, got "six"$/),
      expect.stringMatching(/^ {2}partners\.yaml:\d+: not valid YAML \(column \d+\): /),
      expect.stringMatching(/^ {2}municipalities\/denhaag\.yaml:\d+ at teams item 2 › id: team "denhaag-sociaal-casemanagement" is not reached by any route$/),
      expect.stringMatching(/^ {2}municipalities\/denhaag\.yaml:\d+ at routes item 2 › team: team "denhaag-wijkteam" is not in teams$/),
      expect.stringMatching(/^ {2}municipalities\/utrecht\.yaml:\d+ at arrearsTreshold: unknown key; did you mean arrearsThreshold\?$/),
    ]);
    expect(result.stderr).toBe('');
  });

  it('says plainly that a directory does not exist, and exits 64', async () => {
    const result = await policyCheck('my-polcy');
    expect(result.code).toBe(64);
    expect(result.stderr).toBe(
      'npm run policy:check: expected a policy directory (settings.yaml, partners.yaml and municipalities/*.yaml), but "my-polcy" does not exist\nSee npm run policy:check -- --help for the usage and an example.\n',
    );
  });

  it('lists the shipped teams with --list-teams, and suggests it for a misspelt option', async () => {
    const result = await policyCheck('--list-teams');
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/is valid: 8 municipalities, 59 teams/);
    expect(lines[2]).toMatch(/^team +municipality +levels +capacity per year +overdue escalated to$/);
    expect(lines.slice(3)).toHaveLength(59);
    expect(lines).toContainEqual(expect.stringMatching(/^tilburg-tweede-kans +Tilburg \(GM0855\) +eviction-threat, urgent +20 +-$/));
    expect(lines.at(-1)).toMatch(/^unrouted +catch-all +signal, case, eviction-threat, urgent +- +-$/);

    const typo = await policyCheck('--list-team');
    expect(typo.code).toBe(64);
    expect(typo.stderr).toContain('unknown option --list-team; did you mean --list-teams?');
  });

  it('prints its usage with an example on --help', async () => {
    const result = await policyCheck('--help');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: npm run policy:check -- \[DIR\] \[--list-teams\]\n/);
    expect(result.stdout).toContain('npm run policy:check -- my-policy');
  });
});

/** A rent-arrears entry from the municipality's corporation (Utrecht: mitros, Den Haag: staedion). */
function arrears(signalId: string, houseNumber: number, months: number, postcode: string, municipalityCode: 'GM0344' | 'GM0518'): string {
  return JSON.stringify({
    Source: municipalityCode === 'GM0344' ? 'partner.mitros' : 'partner.staedion',
    DetailType: 'RentArrearsReported',
    Detail: { schemaVersion: 1, signalId, observedAt: '2026-11-10T09:00:00+01:00', municipalityCode, address: { postcode, houseNumber }, arrears: { amountCents: months * 80_000, monthsInArrears: months } },
  });
}

describe('npm run policy:diff', () => {
  it('leads with the summary and prints only the rows that changed (all with --all), and writes the picture', async () => {
    // Two Utrecht households at 1 month of arrears, one at 2; one Den Haag household at 1 month.
    // The candidate raises Utrecht's threshold to 2 months: Utrecht loses two alerts, Den Haag keeps its one.
    const candidate = policyWith({ 'municipalities/utrecht.yaml': (t) => t.replace('name: Utrecht\n', 'name: Utrecht\narrearsThreshold: { minMonths: 2, minAmountCents: 7500 }\n') });
    const dir = join(candidate, '..');
    const feed = join(dir, 'feed.ndjson');
    writeFileSync(feed, `${[arrears('u1', 1, 1, '3511 AB', 'GM0344'), arrears('u2', 2, 1, '3511 AB', 'GM0344'), arrears('u3', 3, 2, '3511 AB', 'GM0344'), arrears('d1', 1, 1, '2511 AB', 'GM0518')].join('\n')}\n`);
    const svg = join(dir, 'scores.svg');

    const result = await policyDiff('--base', DEFAULTS, '--candidate', candidate, '--feed', feed, '--now', NOW, '--svg', svg);

    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe('The candidate policy raises 2 fewer alerts than the base policy on this feed (2 against 4): 0 gained and 2 lost, in 1 of 2 team and level rows; 2 households moved.');
    expect(lines[1]).toBe('Most changed: utrecht-schuldhulp at signal (-2).');
    expect(lines[2]).toBe('Households per level at the end of the feed, base -> candidate: no level 0 -> 2 (+2), signal 4 -> 2 (-2).');
    expect(lines.slice(4, 7)).toEqual([
      expect.stringMatching(/^team +level +base +cand\. +gained +lost$/),
      expect.stringMatching(/^utrecht-schuldhulp +signal +3 +1 +\+0 +-2$/),
      '(1 unchanged row not shown; --all shows every row)',
    ]);
    expect(result.stdout).not.toContain('denhaag-schuldhulp');
    expect(result.stdout).toMatch(/\nReplayed 4 entries under both policies on the memory engine in [\d.]+ s\.\nWritten: score picture: .*scores\.svg\n$/);
    expect(readFileSync(svg, 'utf8')).toContain('<title id="chart-title">');

    const all = await policyDiff('--base', DEFAULTS, '--candidate', candidate, '--feed', feed, '--now', NOW, '--svg', svg, '--all');
    expect(all.stdout).toMatch(/^denhaag-schuldhulp +signal +1 +1 +\+0 +-0$/m);
    expect(all.stdout).not.toContain('not shown');
  }, 60_000);

  it('refuses a candidate policy with problems, naming them, and exits 1 before replaying', async () => {
    const candidate = policyWith({ 'settings.yaml': (t) => t.replace('lookbackMonths: 6', 'lookbackMonths: six') });
    const feed = join(candidate, '..', 'feed.ndjson');
    writeFileSync(feed, `${arrears('u1', 1, 1, '3511 AB', 'GM0344')}\n`);
    const result = await policyDiff('--base', DEFAULTS, '--candidate', candidate, '--feed', feed);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^npm run policy:diff: the --candidate policy in ${candidate} has 1 problem:\n {2}settings\\.yaml:\\d+ at lookbackMonths: expected a number, got "six"\n`));
    expect(result.stdout).toBe('');
  });

  it('refuses a feed of blank lines and a clock without an offset, exit 64, before replaying', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'policy-diff-input-'));
    const blank = join(dir, 'blank.ndjson');
    writeFileSync(blank, '\n  \n\r\n');
    const empty = await policyDiff('--base', DEFAULTS, '--candidate', DEFAULTS, '--feed', blank);
    expect(empty.code).toBe(64);
    expect(empty.stderr).toContain(`${blank}`);
    expect(empty.stderr).toContain('has no entries, only blank lines');

    const feed = join(dir, 'feed.ndjson');
    writeFileSync(feed, `${arrears('u1', 1, 1, '3511 AB', 'GM0344')}\n`);
    const local = await policyDiff('--base', DEFAULTS, '--candidate', DEFAULTS, '--feed', feed, '--now', '2026-11-15T09:00:00');
    expect(local.code).toBe(64);
    expect(local.stderr).toContain('--now must be an ISO-8601 date-time with an offset');
    expect(local.stdout).toBe('');
  });
});
