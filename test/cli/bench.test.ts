/**
 * `npm run bench` as the README documents it, at a small size (a feed of 12 households, a team
 * inbox of 40 open alerts): it runs, prints its table and writes the results file with the
 * fields runs are compared by. (What it measures is not asserted here: numbers belong to the
 * benchmark, never to a timed test; test/integration/workspace-inbox-cost.test.ts holds the
 * workspace's measurement to its targets.)
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

describe('npm run bench', () => {
  it('scales with --size, prints the table and writes every field a later run is compared by', { timeout: 180_000 }, async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'bench-')), 'results.json');

    const { stdout } = await run('npm', ['run', '--silent', 'bench', '--', '--size', '12', '--inbox-alerts', '40', '--out', out], { maxBuffer: 16 * 2 ** 20 });

    const results = JSON.parse(readFileSync(out, 'utf8'));
    expect(results.households).toBe(12);
    for (const field of ['machine', 'signals', 'floorEntriesPerSecond', 'domainEntriesPerSecond', 'engineEntriesPerSecond', 'replaySignalsPerSecond', 'standInRawRequestsPerSecond', 'costPerMillionSignalsUsd', 'peakRssBytes']) {
      expect(results[field], field).toBeTruthy();
    }
    // The core does all the floor does and more, and the engine all the core does and more.
    expect(results.domainShareOfFloor).toBeGreaterThan(0);
    expect(results.domainShareOfFloor).toBeLessThan(1);
    expect(results.engineShareOfFloor).toBeLessThan(results.domainShareOfFloor);
    // Every stored signal costs at least the household read, the claim and the household write.
    expect(results.dynamodbRequestsPerSignal).toBeGreaterThanOrEqual(3);
    expect(results.awsRequestsPerSignal).toBeGreaterThan(results.dynamodbRequestsPerSignal);
    // The notices the local users (as members, every kind on) were sent, costed apart from the signals: SES per mail, notify's own requests.
    expect(results.notices.sent).toBeGreaterThan(0);
    expect(results.notices.perAlert).toBe(Number((results.notices.sent / results.alerts).toFixed(3)));
    expect(results.notices.costBreakdownPerMillionSignalsUsd.ses).toBeGreaterThan(0);
    expect(results.notices.dynamodbRequestsPerNotice).toBeGreaterThan(0);
    expect(results.costBreakdownPerMillionSignalsUsd.ses).toBe(0);
    expect(Object.keys(results.bundleBytes).sort()).toEqual(['deliver', 'ingest', 'mail-feedback', 'notice-digest', 'notify', 'outcomes', 'team-report']);
    expect(Object.values(results.bundleBytes).every((bytes) => typeof bytes === 'number' && bytes > 10_000)).toBe(true);
    expect(results.workspace.openAlerts).toBe(40);
    expect(Object.keys(results.workspace.dynamodbRequestsPerInboxPage)).toEqual(['first', 'second', 'filtered']);
    expect(Object.keys(results.workspace.firstLoadBytes)).toEqual(['raw', 'gzip', 'brotli', 'files']);
    expect(Object.keys(results.workspace.pass)).toEqual(['requestsPerInboxPage', 'firstLoad']);
    expect(stdout).toMatch(/^domain core\s+[\d.]+ of the floor/m);
    expect(stdout).toMatch(/^in-memory engine\s+[\d,]+ entries\/s/m);
    expect(stdout).toMatch(/^DynamoDB requests \/ signal\s+[\d.]+/m);
    expect(stdout).toMatch(/^notices \/ alert\s+[\d.]+\s+\d+ e-mails to the local users/m);
    expect(stdout).toMatch(/^notices cost \/ million signals\s+USD [\d.]+\s+.*\bses [\d.]+/m);
    expect(stdout).toMatch(/^workspace inbox\s+\d+ \/ \d+ \/ \d+ DynamoDB requests\s+page 1 \/ page 2 \/ filtered, 40 open alerts/m);
    expect(stdout).toMatch(/^workspace first load\s+[\d,]+ bytes gzip/m);
    expect(stdout).toContain(`Results: ${out}`);
  });
});
