/**
 * vroegsignaal-team's report commands refuse a wrong call as the bin, before anything is sent:
 * exit 64 with the reason in the user's words (the endpoint is one nothing listens on, so a
 * report that got through would exit 2 instead).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { alertMessageSchema } from '@vroegsignaal/events';
import { emptyInbox, mergeMessage, saveInbox } from '@vroegsignaal/cli';

const run = promisify(execFile);
const TEAM = 'packages/cli/bin/vroegsignaal-team.mjs';
const ALERT = 'al_first000000000000000000';

describe('vroegsignaal-team report commands, called wrongly', () => {
  const inboxFile = join(mkdtempSync(join(tmpdir(), 'team-commands-')), 'inbox.json');

  beforeAll(() => {
    const inbox = emptyInbox('utrecht-schuldhulp');
    const alert = alertMessageSchema.parse({
      kind: 'alert',
      alertId: ALERT,
      householdRef: 'a'.repeat(64),
      municipalityCode: 'GM0344',
      team: 'utrecht-schuldhulp',
      level: 'signal',
      score: 130,
      reasons: [{ code: 'arrears-1m', text: '1.5 months of rent in arrears' }],
      partners: ['mitros'],
      signals: [],
      address: { postcode: '3521BE', houseNumber: 85 },
      createdAt: '2026-11-13T09:00:00+01:00',
      respondBy: '2026-12-11T09:00:00+01:00',
      capacityExceeded: false,
    });
    mergeMessage(inbox, JSON.stringify(alert), '2026-11-13T09:00:00+01:00');
    saveInbox(inboxFile, inbox);
  });

  async function team(...args: string[]) {
    const base = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_') && !name.startsWith('VROEGSIGNAAL_')));
    try {
      const { stdout, stderr } = await run(process.execPath, [TEAM, ...args, '--team', 'utrecht-schuldhulp', '--inbox', inboxFile, '--now', '2026-11-15T09:00:00+01:00', '--endpoint', 'http://127.0.0.1:9'], { env: base });
      return { stdout, stderr, code: 0 };
    } catch (error) {
      return error as { stdout: string; stderr: string; code: number };
    }
  }

  it.each([
    [
      'a forward to a team of another municipality',
      ['forward', ALERT, '--to', 'amsterdam-vroeg-eropaf'],
      /^usage error: cannot forward to amsterdam-vroeg-eropaf: team amsterdam-vroeg-eropaf works for municipality GM0363, and this alert is about a household in GM0344: an alert goes only to a team of its own municipality \(forward to utrecht-[a-z-]+, .*unrouted\)\n$/,
    ],
    ['a channel that is not one', ['attempt', ALERT, '--channel', 'phnoe', '--reached'], /^usage error: attempt needs --channel, one of letter, .*, not "phnoe"; did you mean phone\?\n$/],
    ['an attempt without saying whether it reached', ['attempt', ALERT, '--channel', 'phone'], /^usage error: attempt needs either --reached or --not-reached/],
    [
      'a detail that does not fit the result',
      ['close', ALERT, '--result', 'resolved', '--detail', 'never-reached'],
      /^usage error: --detail "never-reached" does not fit --result resolved; for resolved give one of: quick-fix \(advice or a quick fix\), paid-or-arrangement/,
    ],
    ['--by with an e-mail address', ['pick-up', ALERT, '--by', 'j.jansen@utrecht.nl'], /^usage error: --by must be a pseudonymous member id .*never a name or e-mail address; this looks like an e-mail address\n$/],
    ['a not-taken reason that is not one', ['not-taken', ALERT, '--reason', 'busy'], /^usage error: not-taken needs --reason, one of unjustified, repeat, already-in-debt-help, other-trajectory, not-resident, deceased, other, not "busy"\n$/],
    ['a mistyped command', ['atempt', ALERT], /^usage error: unknown command "atempt"; did you mean attempt\?/],
    ['an option of another command', ['attempt', ALERT, '--channel', 'phone', '--reached', '--detail', 'quick-fix'], /^usage error: --detail belongs to close, not attempt\n$/],
    ['a mistyped option', ['attempt', ALERT, '--chanel', 'phone', '--reached'], /^usage error: unknown option --chanel; did you mean --channel\? \(see --help\)\n$/],
  ])('refuses %s with exit 64, sending nothing', async (_what, args, message) => {
    const result = await team(...args);
    expect(result.code).toBe(64);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
  });

  it('answers --help for every command, with its codes in words', async () => {
    const notTaken = await team('not-taken', '--help');
    expect(notTaken.code).toBe(0);
    expect(notTaken.stdout).toContain('    other-trajectory      another professional already has the household\n');
    const forward = await team('forward', '--help');
    expect(forward.stdout).toMatch(/^vroegsignaal-team forward ALERT --team ID --to TEAM/);
  });
});
