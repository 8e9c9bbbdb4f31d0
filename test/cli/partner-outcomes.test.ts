/**
 * What a partner learns of its rows, from the real `vroegsignaal-partner` as a process against
 * a local pipeline: `push` waits for the outcomes of what it sent and ends with them; pushed
 * again, every row sent is a duplicate; `outcomes` tells the duplicate, the rejected and the
 * refused rows in the same words. And waitForOutcomes on its own: only rows still waiting are
 * read again, and a row without an outcome when the time is up is said to have none.
 */
import '../scenarios/quiet-logs.ts';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PartnerSignalRecords } from '@vroegsignaal/adapters';
import { countOutcomes, describeCounts, waitForOutcomes } from '@vroegsignaal/cli';
import { startTestPipeline, type TestPipeline } from '../support/local-pipeline.ts';

const run = promisify(execFile);
const NOW = '2026-11-15T09:00:00+01:00';
const EXAMPLE = 'packages/cli/examples/huurachterstand-export.csv';
const PARTNER = 'packages/cli/bin/vroegsignaal-partner.mjs';

/** Two rows the pipeline rejects (the address lies elsewhere; a municipality mitros is not registered for), one this tool refuses, one it sends. */
const MIXED = `Peildatum;Postcode;Huisnummer;Gemeentecode;Achterstand (EUR);Maanden achterstand
02-11-2026;3521 AK;12;0344;802,95;1
03-11-2026;1012 AB;7;0344;1.605,90;2
04-11-2026;3511 AB;9;0363;1.605,90;2
05-11-2026;3521 AK;14;0344;abc;2
`;

const rowLines = (stdout: string) => stdout.split('\n').filter((line) => line.startsWith('line '));

describe('vroegsignaal-partner as a process, on a local pipeline', () => {
  let test: TestPipeline;
  let env: NodeJS.ProcessEnv;
  const mixed = join(mkdtempSync(join(tmpdir(), 'partner-outcomes-')), 'mixed.csv');
  writeFileSync(mixed, MIXED);

  const partner = async (...args: string[]) => {
    try {
      const { stdout, stderr } = await run(process.execPath, [PARTNER, ...args, '--partner', 'mitros'], { env });
      return { stdout, stderr, code: 0 };
    } catch (error) {
      const failed = error as { stdout: string; stderr: string; code: number };
      return { stdout: failed.stdout, stderr: failed.stderr, code: failed.code };
    }
  };

  beforeAll(async () => {
    test = await startTestPipeline({ now: NOW });
    const { standIns } = test.pipeline;
    // A clean environment with the local stack's endpoints, as `. .data/serve/env.sh` gives.
    const base = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_') && !name.startsWith('VROEGSIGNAAL_')));
    env = {
      ...base,
      AWS_ENDPOINT_URL_EVENTBRIDGE: standIns.eventBridgeEndpoint,
      AWS_ENDPOINT_URL_DYNAMODB: standIns.dynamodbEndpoint,
      AWS_REGION: 'eu-west-1',
      VROEGSIGNAAL_NOW: NOW,
    };
  });
  afterAll(() => test?.stop());

  let firstPush: string[];

  it('push waits for the outcomes and ends with them: the rows accepted, below the threshold, and refused before sending', async () => {
    const push = await partner('push', EXAMPLE);
    expect(push.code, push.stderr).toBe(0);
    expect(push.stdout).toContain('Summary: sent 36, refused 4, retried 0, failed 0\n');
    expect(push.stdout).toContain('Outcomes: accepted 32, duplicate 0, repeat 0, below-threshold 4, withdrawn 0, rejected 0; refused before sending 4 (contract 3, observed-at 1)\n');
    firstPush = rowLines(push.stdout);
    // Only what was not accepted is listed, one line per row.
    expect(firstPush.filter((line) => line.includes(': below-threshold ('))).toHaveLength(4);
    expect(firstPush.filter((line) => line.includes(': refused before sending: '))).toHaveLength(4);
    expect(firstPush).toContain('line 31: refused before sending: observed-at (observedAt (column "Peildatum"): is more than 5 minutes in the future)');
    expect(firstPush).toHaveLength(8);
  });

  it('push of the same file again: every row sent is a duplicate, and says so', async () => {
    const again = await partner('push', EXAMPLE);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('Outcomes: accepted 0, duplicate 36, repeat 0, below-threshold 0, withdrawn 0, rejected 0; refused before sending 4 (contract 3, observed-at 1)\n');
    const lines = rowLines(again.stdout);
    expect(lines.filter((line) => line.endsWith(': duplicate (this partner sent this signalId before)'))).toHaveLength(36);
    // The refused rows, word for word as the first time.
    expect(lines.filter((line) => line.includes('refused before sending'))).toEqual(firstPush.filter((line) => line.includes('refused before sending')));
  });

  it('outcomes tells each row its first outcome and the resend told duplicate, and the refused rows as push did', async () => {
    const outcomes = await partner('outcomes', EXAMPLE);
    expect(outcomes.code, outcomes.stderr).toBe(0);
    const lines = rowLines(outcomes.stdout);
    expect(lines).toHaveLength(40);
    expect(lines).toContain('line 2: accepted (stored); sent again 2026-11-15 09:00: duplicate');
    expect(lines.filter((line) => line.endsWith('; sent again 2026-11-15 09:00: duplicate'))).toHaveLength(36);
    expect(lines.filter((line) => line.includes('refused before sending'))).toEqual(firstPush.filter((line) => line.includes('refused before sending')));
    expect(outcomes.stdout).toContain('Outcomes: accepted 32, duplicate 0, repeat 0, below-threshold 4, withdrawn 0, rejected 0; sent again 36; refused before sending 4 (contract 3, observed-at 1)\n');
  });

  it('tells the rows the pipeline rejected by rule, the same way in push and outcomes, also after they were sent again', async () => {
    const push = await partner('push', mixed, '--no-policy-check');
    expect(push.code, push.stderr).toBe(0);
    expect(push.stdout).toContain('Outcomes: accepted 1, duplicate 0, repeat 0, below-threshold 0, withdrawn 0, rejected 2 (postcode-area 1, municipality 1); refused before sending 1 (contract 1)\n');
    const told = rowLines(push.stdout);
    expect(told).toEqual([
      'line 3: rejected: postcode-area (postcode area 1012 lies in GM0363, not in GM0344)',
      'line 4: rejected: municipality (partner "mitros" is not registered for municipality GM0363)',
      'line 5: refused before sending: contract (arrears.amountCents (column "Achterstand (EUR)"): expected an amount in euros like 1.234,56)',
    ]);

    // A rejected entry is not remembered as a claim: sent again, it is judged again, not a duplicate.
    const again = await partner('push', mixed, '--no-policy-check');
    expect(rowLines(again.stdout)).toEqual(['line 2: duplicate (this partner sent this signalId before)', ...told]);

    const outcomes = await partner('outcomes', mixed, '--no-policy-check');
    expect(outcomes.code, outcomes.stderr).toBe(0);
    expect(rowLines(outcomes.stdout)).toEqual(['line 2: accepted (stored); sent again 2026-11-15 09:00: duplicate', ...told]);
  });

  it('push --strict exits 1 for rows the pipeline rejected; --no-wait sends without waiting and says where to look, with the options that decide the signal ids', async () => {
    expect((await partner('push', mixed, '--no-policy-check', '--strict')).code).toBe(1);
    const quick = await partner('push', mixed, '--no-policy-check', '--no-wait', '--encoding', 'utf-8');
    expect(quick.code, quick.stderr).toBe(0);
    expect(quick.stdout).not.toContain('Outcomes:');
    expect(quick.stdout).toContain(`Each entry gets an outcome from the pipeline; to see them: vroegsignaal-partner outcomes ${mixed} --partner mitros --encoding utf-8\n`);
    expect((await partner('push', mixed, '--no-wait', '--wait', '5')).code).toBe(64);
  });
});

describe('waitForOutcomes', () => {
  const sent = [
    { line: 2, signalId: 's-2', eventId: 'e-2' },
    { line: 3, signalId: 's-3', eventId: 'e-3' },
  ];

  it('reads again only the rows still waiting, and calls a row without an outcome at the deadline "none"', async () => {
    let clock = 0;
    const asked: string[][] = [];
    const read = async (ids: readonly string[]) => {
      asked.push([...ids]);
      const claim = { partnerId: 'p', signalId: 's-2', householdRef: 'h', eventId: 'e-2', outcome: 'accepted' as const, reason: 'stored', expiresAtMs: 0, resends: [], resendCount: 0, laterOutcomes: [] };
      return new Map<string, PartnerSignalRecords>(ids.map((id) => [id, id === 's-2' ? { claim } : {}]));
    };

    const rows = await waitForOutcomes(read, sent, {
      timeoutMs: 1000,
      intervalMs: 300,
      now: () => clock,
      sleep: async (ms) => {
        clock += ms;
      },
    });

    expect(rows).toEqual([
      { line: 2, signalId: 's-2', status: 'received', outcome: 'accepted', reason: 'stored' },
      { line: 3, signalId: 's-3', status: 'none' },
    ]);
    expect(asked[0]).toEqual(['s-2', 's-3']);
    expect(asked.slice(1).every((ids) => ids.length === 1 && ids[0] === 's-3')).toBe(true);
    expect(clock).toBe(1000);
    expect(describeCounts(countOutcomes(rows))).toBe('Outcomes: accepted 1, duplicate 0, repeat 0, below-threshold 0, withdrawn 0, rejected 0; refused before sending 0; no outcome 1');
  });

  it('tells a resend by its own event id, and a rejection with its rule', async () => {
    const claim = { partnerId: 'p', signalId: 's-2', householdRef: 'h', eventId: 'e-first', outcome: 'accepted' as const, reason: 'stored', expiresAtMs: 0, resends: [{ eventId: 'e-2', atMs: 1 }], resendCount: 1, laterOutcomes: [] };
    const rejection = { partnerId: 'p', signalId: 's-3', eventId: 'e-3', rule: 'postcode-area' as const, reason: 'postcode area 1012 lies in GM0363, not in GM0344', atMs: 1 };
    const records = new Map<string, PartnerSignalRecords>([
      ['s-2', { claim }],
      ['s-3', { rejection }],
    ]);

    const rows = await waitForOutcomes(async () => records, sent, { timeoutMs: 0 });

    expect(rows.map((r) => [r.outcome, r.rule])).toEqual([
      ['duplicate', undefined],
      ['rejected', 'postcode-area'],
    ]);
  });
});
