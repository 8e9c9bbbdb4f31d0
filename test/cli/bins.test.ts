/**
 * The commands as a user runs them from the README: the bin shims (through tsx), and
 * `npm run serve` keeping a local stack up for them until Ctrl-C.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const NOW = '2026-11-15T09:00:00+01:00';
const EXAMPLE = 'packages/cli/examples/huurachterstand-export.csv';
const EXAMPLE_1252 = 'packages/cli/examples/huurachterstand-export-windows-1252.csv';
const PARTNER = 'packages/cli/bin/vroegsignaal-partner.mjs';
const TEAM = 'packages/cli/bin/vroegsignaal-team.mjs';

interface Run {
  stdout: string;
  stderr: string;
  code: number;
}

async function bin(path: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  // A clean environment: no endpoint or clock variables of the machine running the tests.
  const base = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_') && !name.startsWith('VROEGSIGNAAL_')));
  try {
    const { stdout, stderr } = await run(process.execPath, [path, ...args], { env: { ...base, ...env } });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failed = error as { stdout: string; stderr: string; code: number };
    return { stdout: failed.stdout, stderr: failed.stderr, code: failed.code };
  }
}

describe('the bins', () => {
  it('vroegsignaal-partner --dry-run validates the example without sending', async () => {
    const result = await bin(PARTNER, ['push', EXAMPLE, '--partner', 'mitros', '--dry-run', '--now', NOW]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('line 8: refused before sending: contract (address.postcode (column "Postcode"): expected a Dutch postcode like "1234 AB")');
    expect(result.stdout).toContain('Dry run: 36 valid rows would be sent; nothing was sent.');
    expect(result.stdout).toContain('Summary: sent 0, refused 4, retried 0, failed 0 (dry run: 36 valid)');
    expect(result.stderr).toBe('');
  });

  it('reads a Windows-1252 export as one: the same rows and signal ids as the UTF-8 export, and says so', async () => {
    const args = ['--partner', 'mitros', '--dry-run', '--now', NOW];
    const [utf8, cp1252, text] = await Promise.all([
      bin(PARTNER, ['push', EXAMPLE, ...args, '--json']),
      bin(PARTNER, ['push', EXAMPLE_1252, ...args, '--json']),
      bin(PARTNER, ['push', EXAMPLE_1252, ...args]),
    ]);
    for (const result of [utf8, cp1252, text]) expect(result.code, result.stderr).toBe(0);
    const [fromUtf8, from1252] = [JSON.parse(utf8.stdout), JSON.parse(cp1252.stdout)];
    expect(from1252.readAs).toEqual({ encoding: 'windows-1252', basis: 'detected' });
    expect(fromUtf8.readAs).toEqual({ encoding: 'utf-8', basis: 'byte-order-mark' });
    expect(from1252.entries).toHaveLength(36);
    expect(from1252.entries).toEqual(fromUtf8.entries);
    expect(from1252.rejected).toEqual(fromUtf8.rejected);
    expect(text.stdout).toContain('; read as Windows-1252 (detected; use --encoding to override)\n');
  });

  it('refuses a file that is not text with exit 64 and the line, sending nothing', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'binary-')), 'export.csv');
    // The example's first four lines and 12 characters of the fifth, then binary bytes.
    const lines = readFileSync(EXAMPLE, 'utf8').split('\r\n');
    writeFileSync(file, Buffer.concat([Buffer.from(`${lines.slice(0, 4).join('\r\n')}\r\n${lines[4]!.slice(0, 12)}`), Buffer.from([0x00, 0x9d, 0xff, 0x00, 0x01])]));
    const result = await bin(PARTNER, ['push', file, '--partner', 'mitros', '--now', NOW, '--endpoint', 'http://127.0.0.1:9']);
    expect(result.code).toBe(64);
    expect(result.stderr).toMatch(/^usage error: the file is not text: line 5, column 13: a NUL character \(binary data, not text\)\./);
    expect(result.stdout).toBe('');
  });

  it('exit 64 with the reason on a usage error, and print help on --help', async () => {
    const usage = await bin(PARTNER, ['push', EXAMPLE]);
    expect(usage.code).toBe(64);
    expect(usage.stderr).toBe('usage error: --partner ID is required (or "partnerId" in the mapping file)\n');
    const help = await bin(TEAM, ['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^vroegsignaal-team: /);
  });
});

describe('npm run serve, by hand', () => {
  const dir = mkdtempSync(join(tmpdir(), 'serve-'));
  const envFile = join(dir, 'env.sh');
  let serve: ChildProcess | undefined;
  afterAll(() => void serve?.kill('SIGKILL'));

  it('keeps a stack up for the CLIs, writes its endpoints to an env file, and stops on Ctrl-C', async () => {
    serve = spawn(process.execPath, ['--import', 'tsx', 'packages/tools/src/cli/serve.ts', '--now', NOW, '--env-script', envFile, '--log', join(dir, 'handlers.log'), '--quiet', '--workspace-port', '0'], {
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    let output = '';
    serve.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    serve.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => serve!.once('exit', (code) => resolve(code)));
    for (let waited = 0; !output.includes('is running') && waited < 20_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    expect(output).toContain('vroegsignaal local stack is running');
    expect(output).toContain(`clock        pinned at ${NOW}`);

    // What `. .data/serve/env.sh` does in the README's second terminal.
    const env = Object.fromEntries([...readFileSync(envFile, 'utf8').matchAll(/^export (\w+)='([^']*)'$/gm)].map((m) => [m[1]!, m[2]!]));
    expect(Object.keys(env).sort()).toEqual(['AWS_ENDPOINT_URL_DYNAMODB', 'AWS_ENDPOINT_URL_EVENTBRIDGE', 'AWS_ENDPOINT_URL_SQS', 'AWS_REGION', 'VROEGSIGNAAL_NOW']);

    const push = await bin(PARTNER, ['push', EXAMPLE, '--partner', 'mitros'], env);
    expect(push.code, push.stderr).toBe(0);
    expect(push.stdout).toContain('Summary: sent 36, refused 4, retried 0, failed 0');
    expect(push.stdout).toContain('Outcomes: accepted 32, duplicate 0, repeat 0, below-threshold 4, withdrawn 0, rejected 0; refused before sending 4 (contract 3, observed-at 1)');
    // The pipeline works on after PutEvents returns: read the inbox until every alert is in.
    let inbox: Run | undefined;
    for (let attempt = 0; attempt < 20 && !inbox?.stdout.includes('utrecht-schuldhulp: 32 open alerts'); attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, 250));
      inbox = await bin(TEAM, ['inbox', '--team', 'utrecht-schuldhulp', '--inbox', join(dir, 'inbox.json')], env);
      expect(inbox.code, inbox.stderr).toBe(0);
    }
    expect(inbox!.stdout).toMatch(/^Fetched \d+ messages?: \d+ new alerts?/);
    expect(inbox!.stdout).toContain('utrecht-schuldhulp: 32 open alerts');

    // The life of an alert, as the team's guide tells it: pick up, try, reach, close; and an alert not taken, one forwarded.
    const inboxFile = join(dir, 'inbox.json');
    const team = (...args: string[]) => bin(TEAM, [...args, '--team', 'utrecht-schuldhulp', '--inbox', inboxFile], env);
    const [first, second, third] = Object.keys(JSON.parse(readFileSync(inboxFile, 'utf8')).alerts) as [string, string, string];
    const said = async (args: string[], pattern: RegExp) => {
      const result = await team(...args);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toMatch(pattern);
    };
    await said(['pick-up', first, '--by', 'sh-207'], /^Picked up: al_\w+ by sh-207\. AlertPickedUp sent \(event [\w-]+\); the partners behind the alert will be told picked-up/);
    await said(['attempt', first, '--channel', 'phone', '--not-reached', '--by', 'sh-207'], /^Contact attempt logged: al_\w+, by phone \(morning, from the report's time\), not reached by sh-207\. ContactAttemptLogged sent .*; it goes on the alert's timeline\.\n$/);
    await said(['attempt', first, '--channel', 'home-visit', '--reached', '--part-of-day', 'afternoon'], /, and the household now counts as reached\.\n$/);
    await said(['close', first, '--result', 'resolved', '--detail', 'paid-or-arrangement', '--by', 'sh-207'], /^Closed \(resolved: paid, or a payment plan agreed\): al_\w+ by sh-207\./);
    await said(['not-taken', second, '--reason', 'already-in-debt-help'], /^Not taken: al_\w+ \(the household is already in debt help\)\. AlertNotTaken sent .*the partners behind it are told not-taken, never the reason\.\n$/);
    await said(['forward', third, '--to', 'utrecht-buurtteam-oost', '--reason', 'other-district'], /^Forwarded: al_\w+ to utrecht-buurtteam-oost \(other-district\)\. AlertForwarded sent .*; the alert ends here; utrecht-buurtteam-oost gets a new alert/);
    const show = await team('show', first);
    expect(show.stdout).toMatch(
      / {2}timeline\n {4}2026-11-15 09:00 {2}received {2}alert, level \S+\n {4}2026-11-15 09:00 {2}sent {6}picked up by sh-207\n {4}2026-11-15 09:00 {2}sent {6}contact attempt by phone \(morning\): not reached by sh-207\n {4}2026-11-15 09:00 {2}sent {6}contact attempt on a home visit \(afternoon\): reached\n {4}2026-11-15 09:00 {2}sent {6}closed: resolved, paid-or-arrangement \(paid, or a payment plan agreed\) by sh-207\n/,
    );
    await said(['inbox', '--offline'], /^utrecht-schuldhulp: 29 open alerts/);
    await said(['close', first, '--result', 'declined'], /is already closed \(CaseClosed sent .*\); nothing sent\.\n$/);

    serve.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(output).toContain('stopped.');
    expect(existsSync(envFile)).toBe(false);
    serve = undefined;
  }, 60_000);
});

describe('npm run serve --feed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'serve-feed-'));
  const envFile = join(dir, 'env.sh');
  let serve: ChildProcess | undefined;
  afterAll(() => void serve?.kill('SIGKILL'));

  it('replays the sample feed over its Now lines, leaves the clock and the messages (reminders too) for the CLIs', async () => {
    serve = spawn(
      process.execPath,
      ['--import', 'tsx', 'packages/tools/src/cli/serve.ts', '--now', NOW, '--feed', 'events/samples/feed.ndjson', '--env-script', envFile, '--log', join(dir, 'handlers.log'), '--quiet', '--workspace-port', '0'],
      { env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } },
    );
    let output = '';
    serve.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    serve.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => serve!.once('exit', (code) => resolve(code)));
    for (let waited = 0; !output.includes('is running') && waited < 50_000; waited += 100) await new Promise((r) => setTimeout(r, 100));

    // The sample feed's last Now line: the team reports were judged at their own moments, not rejected as future.
    const end = '2026-11-27T10:03:00+01:00';
    expect(output).toMatch(new RegExp(`Fed events/samples/feed\\.ndjson: \\d+ entries taken, 12 rejected .*; the clock is now ${end.replace(/\+/g, '\\+')}\\.\\n`));
    expect(output).toContain(`clock        pinned at ${end}`);
    const env = Object.fromEntries([...readFileSync(envFile, 'utf8').matchAll(/^export (\w+)='([^']*)'$/gm)].map((m) => [m[1]!, m[2]!]));
    expect(env.VROEGSIGNAAL_NOW).toBe(end);

    // The unattended Maastricht alert was escalated while the feed ran: the coordinating team finds it on its queue.
    const inbox = await bin(TEAM, ['inbox', '--team', 'maastricht-procesmanagement', '--inbox', join(dir, 'pm.json')], env);
    expect(inbox.code, inbox.stderr).toBe(0);
    expect(inbox.stdout).toMatch(/[Ee]scalations/);
    expect(inbox.stdout).toContain('maastricht-vangnet-oggz');

    // The team workspace on the same stack, its login and whom to log in as printed.
    const workspace = /Team workspace {2}(http:\/\/localhost:\d+) {3}every seeded user's password: vroegsignaal-lokaal; for instance\n {2}(\S+)\.1, \2\.2 +members of \2: [1-9]\d* open alerts\n/.exec(output);
    expect(workspace, output).not.toBeNull();
    expect((await fetch(`${workspace![1]}/health`)).status).toBe(200);
    expect((await fetch(`${workspace![1]}/meldingen`, { redirect: 'manual' })).headers.get('location')).toBe('/auth/login?next=%2Fmeldingen');

    // The seeded members were mailed about the feed's urgent alerts, on this machine only.
    const outbox = /E-mail notices {2}(\S+)\/uitgaande-post .*; ([1-9]\d*) received so far, the most for \S+ \(\d+\)\n.*local SMTP server at 127\.0\.0\.1:\d+ only, nothing leaves this machine\n/.exec(output);
    expect(outbox, output).not.toBeNull();
    expect(outbox![1]).toBe(workspace![1]);

    serve.kill('SIGTERM');
    expect(await exited).toBe(0);
    serve = undefined;
  }, 90_000);
});
