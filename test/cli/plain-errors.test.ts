/**
 * A file that is not CSV, run through the real bin: the user is told what is wrong with the
 * file and where, with the usage exit code, never an error class or a stack.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const run = promisify(execFile);

it('refuses a CSV with a quote that is never closed with exit 64, the line, and no class name', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'vroegsignaal-csv-')), 'export.csv');
  writeFileSync(file, 'Postcode;Huisnummer\n3521 AK;"97\n3521 BE;85\n');
  const failed = await run(process.execPath, ['packages/cli/bin/vroegsignaal-partner.mjs', 'push', file, '--partner', 'mitros', '--dry-run']).then(
    () => ({ code: 0, stderr: '' }),
    (error: { code: number; stderr: string }) => error,
  );
  expect(failed.code).toBe(64);
  expect(failed.stderr).toBe('usage error: the file is not valid CSV: line 2: a quoted field is never closed (a " is missing)\n');
});
