/**
 * Every `npm run` command as a user meets it: --help, a mistyped option, a wrong input; and
 * `npm run serve` stopped by SIGTERM sent to npm. Each case starts the command once, through
 * the script package.json gives it (node --import tsx, one process), so the suite stays light.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const SCRIPTS = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;
const COMMANDS = ['start', 'replay', 'serve', 'redrive', 'feed', 'samples', 'chaos', 'bench'] as const;
const ENV = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };

interface Run {
  stdout: string;
  stderr: string;
  code: number;
}

/** The command's entry file, as its npm script runs it. */
function entryOf(command: string): string {
  const file = /\S+\.ts\b/.exec(SCRIPTS[command] ?? '')?.[0];
  if (!file) throw new Error(`npm run ${command} runs no .ts file: ${SCRIPTS[command]}`);
  return file;
}

async function command(name: string, args: string[]): Promise<Run> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', entryOf(name), ...args], { env: ENV });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failed = error as { stdout: string; stderr: string; code: number };
    return { stdout: failed.stdout, stderr: failed.stderr, code: failed.code };
  }
}

/** A usage line, an example, the exit codes; and a mistyped --log (every command but samples has options). */
describe.each(COMMANDS)('npm run %s', (name) => {
  it('prints its usage and an example on --help, exit 0', async () => {
    const help = await command(name, ['--help']);
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/^Usage: npm (start|run \S+)/);
    expect(help.stdout).toMatch(/\nExamples?:\n {2}npm /);
    expect(help.stdout).toContain('Exit codes: 0 done, 1 failed, 64 wrong usage');
  }, 30_000);

  it('refuses an unknown option with exit 64, the option it was close to, and a pointer to --help', async () => {
    const [typo, meant] = name === 'samples' ? ['--hepl', '--help'] : name === 'redrive' ? ['--dryrun', '--dry-run'] : name === 'feed' || name === 'bench' ? ['--sise', '--size'] : ['--lgo', '--log'];
    const result = await command(name, [typo, 'x']);
    expect(result.code).toBe(64);
    expect(result.stderr).toContain(`unknown option ${typo}; did you mean ${meant}?`);
    expect(result.stderr).toMatch(/See npm (start|run \S+) -- --help/);
    expect(result.stdout).toBe('');
  }, 30_000);
});

describe('npm run replay on a wrong input', () => {
  const dir = mkdtempSync(join(tmpdir(), 'replay-input-'));

  it('refuses an empty feed (and one of blank lines) with exit 64, and leaves the last --out as it was', async () => {
    const out = join(dir, 'messages.ndjson');
    writeFileSync(out, 'the last run\n');
    writeFileSync(join(dir, 'empty.ndjson'), '');
    const empty = await command('replay', [join(dir, 'empty.ndjson'), '--out', out, '--log', join(dir, 'log')]);
    expect(empty.code).toBe(64);
    expect(empty.stderr).toContain(`expected a feed file (NDJSON, one PutEvents entry a line), but "${join(dir, 'empty.ndjson')}" is empty`);
    writeFileSync(join(dir, 'blank.ndjson'), '\n  \n\n');
    const blank = await command('replay', [join(dir, 'blank.ndjson'), '--out', out]);
    expect(blank.code).toBe(64);
    expect(blank.stderr).toContain('has no entries, only blank lines');
    expect(readFileSync(out, 'utf8')).toBe('the last run\n');
    expect(readdirSync(dir).sort()).toEqual(['blank.ndjson', 'empty.ndjson', 'messages.ndjson']);
  }, 30_000);

  it('says what it received instead of a feed', async () => {
    const missing = await command('replay', ['x.ndjsn']);
    expect(missing.code).toBe(64);
    expect(missing.stderr).toContain('expected a feed file (NDJSON, one PutEvents entry a line), but "x.ndjsn" does not exist');
    expect(missing.stderr).not.toMatch(/ENOENT|Error:/);
  }, 30_000);
});

/** Every process below `pid`, from /proc. */
function descendants(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The command name (field 2) is in parentheses and may hold spaces; the ppid follows the state after it.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // Gone between the listing and the read.
    }
  }
  const found: number[] = [];
  for (let frontier = [pid]; frontier.length > 0; ) {
    frontier = [...parents].filter(([, parent]) => frontier.includes(parent)).map(([child]) => child);
    found.push(...frontier);
  }
  return found;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('npm run serve', () => {
  it('refuses a workspace port that is not one, with exit 64, before starting anything', async () => {
    for (const port of ['70000', 'http']) {
      const result = await command('serve', ['--workspace-port', port]);
      expect(result.code, port).toBe(64);
      expect(result.stderr).toMatch(/--workspace-port must be a (whole number of at least 0|port number \(0 to 65535\)), not "/);
    }
  }, 30_000);

  it('lists the teams to try, and on SIGTERM to npm stops every process it started, says goodbye and exits 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'serve-term-'));
    const npm = spawn('npm', ['run', 'serve', '--', '--quiet', '--env-script', join(dir, 'env.sh'), '--log', join(dir, 'handlers.log'), '--workspace-port', '0'], { env: ENV });
    let output = '';
    npm.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    npm.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => npm.once('exit', (code) => resolve(code)));
    try {
      for (let waited = 0; !output.includes('Teams to try') && waited < 40_000; waited += 100) await new Promise((r) => setTimeout(r, 100));
      expect(output).toMatch(/Teams to try \(\d+, from the policy\)/);
      expect(output).toMatch(/ {2}Utrecht +utrecht-schuldhulp, /);
      expect(output).toContain('npx vroegsignaal-team inbox --team utrecht-schuldhulp');
      const started = descendants(npm.pid!);
      expect(started.length).toBeGreaterThan(0);
      npm.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(output).toContain('SIGTERM: stopping the local stack');
      expect(output).toContain('stopped. Goodbye.');
      expect(started.filter(alive)).toEqual([]);
    } finally {
      for (const pid of [npm.pid!, ...descendants(npm.pid!)]) if (alive(pid)) process.kill(pid, 'SIGKILL');
    }
  }, 60_000);
});
