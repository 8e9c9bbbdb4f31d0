/**
 * Input files and directories, checked before a command opens anything it writes, so that a
 * wrong path leaves the previous run's output as it was and says what it received.
 */
import { accessSync, constants, statSync, type Stats } from 'node:fs';
import { describeError, UsageError } from './errors.ts';

/** `expected a feed file (...), but "x" is empty`: the one shape of every input complaint. */
export function inputProblem(expected: string, path: string, problem: string): UsageError {
  return new UsageError(`expected ${expected}, but "${path}" ${problem}`);
}

function statInput(expected: string, path: string): Stats {
  try {
    const stats = statSync(path);
    accessSync(path, constants.R_OK);
    return stats;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ENOENT') throw inputProblem(expected, path, 'does not exist');
    if (code === 'ENOTDIR') throw inputProblem(expected, path, 'does not exist (a part of its path is a file)');
    if (code === 'EACCES' || code === 'EPERM') throw inputProblem(expected, path, 'cannot be read (permission denied)');
    throw inputProblem(expected, path, `cannot be read: ${describeError(error)}`);
  }
}

/**
 * Checks that `path` is a readable, non-empty file. `expected` says what it should be, as it
 * reads after "expected": `a feed file (NDJSON, one entry a line)`.
 */
export function checkInputFile(path: string, expected: string): void {
  const stats = statInput(expected, path);
  if (stats.isDirectory()) throw inputProblem(expected, path, 'is a directory');
  if (!stats.isFile()) throw inputProblem(expected, path, 'is not a regular file');
  if (stats.size === 0) throw inputProblem(expected, path, 'is empty');
}

/** Checks that `path` is a readable directory; `expected` as for checkInputFile (`a policy directory`). */
export function checkInputDir(path: string, expected: string): void {
  if (!statInput(expected, path).isDirectory()) throw inputProblem(expected, path, 'is a file, not a directory');
}

/**
 * Checks that `path` can be written as a file: not a directory, and no file where a directory
 * of its path should be. Run before anything is written, so a bad path fails with a sentence
 * instead of a stream's error event after the run.
 */
export function checkOutputFile(path: string, expected: string): void {
  let stats: Stats | undefined;
  try {
    stats = statSync(path);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ENOTDIR') throw new UsageError(`expected ${expected}, but a part of "${path}" is a file, not a directory`);
    if (code !== 'ENOENT') throw new UsageError(`expected ${expected}, but "${path}" cannot be used: ${describeError(error)}`);
  }
  if (stats?.isDirectory()) throw new UsageError(`expected ${expected}, but "${path}" is a directory`);
}
