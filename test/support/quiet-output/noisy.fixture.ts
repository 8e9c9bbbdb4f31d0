// A test file as the suite's handlers and stand-ins make them: output on stdout and stderr.
import { expect, it } from 'vitest';

it('writes what a handler and a stand-in write', () => {
  process.stdout.write('{"level":"INFO","message":"entry ingested","marker":"quiet-output-fixture"}\n');
  process.stderr.write('[sqs-event-source] quiet-output-fixture: invocation failed (TimeoutError); 1 records will be retried\n');
  expect(true).toBe(true);
});
