/** What both CLIs share: their streams (injectable for tests), --now, and the error wrapper. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { describeError } from '@vroegsignaal/command';
import { CliError, EXIT, UsageError } from './errors.ts';
import { ISO_DATE_TIME } from './values.ts';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether stderr is a terminal (the progress bar draws only then). */
  stderrIsTTY: boolean;
  env: NodeJS.ProcessEnv;
}

export function processIo(): CliIo {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    stderrIsTTY: process.stderr.isTTY === true,
    env: process.env,
  };
}

/**
 * "Now" for checks and report times: --now, else VROEGSIGNAAL_NOW (which `npm run serve --
 * --now T` writes to its env file), else the wall clock. A local stack on a pinned clock judges
 * every entry at that moment, so a team's `at` and a partner's age checks must use it too.
 */
export function resolveNow(option: string | undefined, env: NodeJS.ProcessEnv): number {
  const value = option ?? env.VROEGSIGNAAL_NOW;
  if (value === undefined || value === '') return Date.now();
  if (!ISO_DATE_TIME.test(value) || Number.isNaN(Date.parse(value))) {
    throw new UsageError(`${option !== undefined ? '--now' : 'VROEGSIGNAAL_NOW'} must be an ISO-8601 date-time with an offset, e.g. 2026-11-15T09:00:00+01:00`);
  }
  return Date.parse(value);
}

/** node:util parseArgs, with its errors turned into usage errors. */
export function parseOptions<T extends ParseArgsConfig['options']>(argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, ''));
  }
}

/** Runs a command and maps what it throws to a message on stderr and an exit code. */
export async function runCommand(io: CliIo, command: () => Promise<number>): Promise<number> {
  try {
    return await command();
  } catch (error) {
    if (error instanceof CliError) {
      io.stderr(`${error.exitCode === EXIT.usage ? 'usage error' : 'error'}: ${error.message}\n`);
      return error.exitCode;
    }
    io.stderr(`error: ${describeError(error)}\n`);
    return EXIT.failed;
  }
}

export function integerOption(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < min || number > max) throw new UsageError(`${name} must be a whole number from ${min} to ${max}`);
  return number;
}
