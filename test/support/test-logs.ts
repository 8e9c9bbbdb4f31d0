/**
 * Every test file's own output (the handlers' JSON log lines and metrics, the stand-ins'
 * diagnostics such as a retried invocation) goes to `.data/test-logs/<test file>.log` instead of
 * the terminal, so that the only red a newcomer sees there is a failing test. Vitest's report
 * and a test's console calls do not pass through process.stdout, so they still show. Set
 * TEST_LOGS=terminal to see everything as it happens.
 */
import { appendFileSync, mkdirSync, openSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TEST_LOG_DIR = join(ROOT, '.data', 'test-logs');

// Vitest names the test file in expect's state before it loads the setup files.
const testPath = expect.getState().testPath;

if (process.env.TEST_LOGS !== 'terminal' && testPath) {
  mkdirSync(TEST_LOG_DIR, { recursive: true });
  const fd = openSync(join(TEST_LOG_DIR, `${relative(ROOT, testPath).replaceAll(/[\\/]/g, '__')}.log`), 'w');
  // Written synchronously: what servers write as they close after the last test must not be
  // lost when the worker exits.
  const divert = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    appendFileSync(fd, chunk);
    (rest.find((arg) => typeof arg === 'function') as (() => void) | undefined)?.();
    return true;
  }) as typeof process.stdout.write;
  process.stdout.write = divert;
  process.stderr.write = divert;
}
