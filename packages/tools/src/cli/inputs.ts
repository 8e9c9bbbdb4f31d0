/**
 * What the replay, `npm start` and `npm run serve` take alike: a feed file, a policy directory
 * and a clock. Each is checked before the command opens its log or outputs, so a wrong input
 * leaves the previous run's files as they were.
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { formatAmsterdamIso } from '@vroegsignaal/calendar';
import { checkInputDir, checkInputFile, inputProblem, UsageError } from '@vroegsignaal/command';
import { compilePolicy, DEFAULT_POLICY_DIR, loadPolicyDir, type CompiledPolicy } from '@vroegsignaal/policy';
import { parseInstant } from '../replay.ts';

export const FEED_FILE = 'a feed file (NDJSON, one PutEvents entry a line)';

/** The feed's lines; refused when the file is missing, empty or has only blank lines. */
export function readFeedLines(path: string): string[] {
  checkInputFile(path, FEED_FILE);
  const lines = readFileSync(path, 'utf8').split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  if (lines.every((line) => line.trim() === '')) throw inputProblem(FEED_FILE, path, 'has no entries, only blank lines');
  return lines;
}

/**
 * A feed too big to read whole (policy:diff streams a year of signals): refused when missing,
 * or when it has nothing but whitespace. Reads only until the first entry's first character.
 */
export function checkFeedFile(path: string): void {
  checkInputFile(path, FEED_FILE);
  const fd = openSync(path, 'r');
  try {
    const chunk = Buffer.alloc(64 * 1024);
    for (let read = readSync(fd, chunk); read > 0; read = readSync(fd, chunk)) {
      if (chunk.subarray(0, read).toString('latin1').trim() !== '') return;
    }
  } finally {
    closeSync(fd);
  }
  throw inputProblem(FEED_FILE, path, 'has no entries, only blank lines');
}

/** The policy in --config DIR, or the shipped defaults. */
export function loadPolicyOption(dir: string | undefined): CompiledPolicy {
  if (dir !== undefined) checkInputDir(dir, 'a policy directory (its YAML files, as in packages/policy/defaults)');
  return compilePolicy(loadPolicyDir(dir ?? DEFAULT_POLICY_DIR));
}

export const NOW_OPTION = {
  type: 'string',
  value: 'T',
  description: 'judge every entry at this moment (ISO-8601 with an offset, e.g. 2026-11-15T09:00:00+01:00); default the wall clock',
} as const;

/** --now as epoch ms, or undefined for the wall clock. */
export function parseNow(value: string | undefined): number | undefined {
  return parseInstantOption('--now', value);
}

/** An option's ISO-8601 date-time with an offset as epoch ms (undefined when not given); anything else is a usage error. */
export function parseInstantOption(option: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseInstant(value);
  if (ms === undefined) throw new UsageError(`${option} must be an ISO-8601 date-time with an offset, e.g. 2026-11-15T09:00:00+01:00, not "${value}"`);
  return ms;
}

/** `judged at 2026-11-15T09:00:00+01:00 (--now)`: the moment every entry was judged at, and where it came from. */
export function describeClock(nowMs: number, source: string): string {
  return `judged at ${formatAmsterdamIso(new Date(nowMs))} (${source})`;
}
