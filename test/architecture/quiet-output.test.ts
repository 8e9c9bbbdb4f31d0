/**
 * A newcomer running `npm test` sees the test report, not the handlers' logs: vitest run as a
 * process on a noisy fixture prints neither its log line nor its diagnostic, and both are in
 * the fixture's file under .data/test-logs/.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const run = promisify(execFile);

it('keeps the output of a test file out of the terminal and in its log file', async () => {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('VITEST') && name !== 'TEST_LOGS'));
  const { stdout, stderr } = await run(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', '--config', 'test/support/quiet-output/vitest.config.ts'], { env });
  expect(stdout).toMatch(/1 passed/);
  expect(`${stdout}${stderr}`).not.toContain('quiet-output-fixture');
  const log = readFileSync('.data/test-logs/test__support__quiet-output__noisy.fixture.ts.log', 'utf8');
  expect(log).toContain('"marker":"quiet-output-fixture"');
  expect(log).toContain('[sqs-event-source] quiet-output-fixture');
}, 60_000);
