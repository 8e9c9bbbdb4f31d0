/**
 * The handlers write JSON log lines and EMF metrics to stdout and stderr, as they do for
 * CloudWatch in Lambda. A local command sends that to a log file (or drops it), so that its own
 * stdout and stderr carry only what the command is for; the returned writers reach the terminal.
 */
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export interface Terminal {
  out(text: string): void;
  err(text: string): void;
  /** Gives stdout and stderr back and closes the log file. */
  restore(): Promise<void>;
}

export function divertHandlerOutput(logPath: string | null, options: { append?: boolean } = {}): Terminal {
  const writers = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };
  let log: ReturnType<typeof createWriteStream> | undefined;
  if (logPath) {
    mkdirSync(dirname(logPath), { recursive: true });
    log = createWriteStream(logPath, { flags: options.append ? 'a' : 'w' });
  }
  const divert = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    if (log) return log.write(chunk, ...(rest as []));
    (rest.find((r) => typeof r === 'function') as (() => void) | undefined)?.();
    return true;
  }) as typeof process.stdout.write;
  process.stdout.write = divert;
  process.stderr.write = divert;
  return {
    out: (text) => void writers.out(text),
    err: (text) => void writers.err(text),
    restore: () =>
      new Promise<void>((resolve) => {
        process.stdout.write = writers.out as typeof process.stdout.write;
        process.stderr.write = writers.err as typeof process.stderr.write;
        if (log) log.end(() => resolve());
        else resolve();
      }),
  };
}
