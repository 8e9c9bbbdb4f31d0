/**
 * npm run policy:diff -- --base DIR --candidate DIR --feed FILE [--now ISO] [--engine memory|stand-ins] [--changes FILE] [--svg FILE]
 * Replays the feed under both policies (on the in-memory engine by default, one worker thread
 * per policy) and prints, per team and level, the alerts gained and lost; writes a histogram of
 * household scores with the level thresholds marked, and, with --changes, the households that
 * moved (by reference and the feed's line numbers, never an address).
 */
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { PolicyError } from '@vroegsignaal/policy';
import { divertHandlerOutput } from '@vroegsignaal/stand-ins';
import { isEngineName } from '../engines.ts';
import { diffPolicyDirs, formatChanges, formatDiff } from '../policy-diff.ts';
import { renderScoreHistogram } from '../score-histogram.ts';

const USAGE = 'usage: npm run policy:diff -- --base DIR --candidate DIR --feed FILE [--now ISO] [--engine memory|stand-ins] [--changes FILE] [--svg FILE]\n';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      base: { type: 'string' },
      candidate: { type: 'string' },
      feed: { type: 'string' },
      now: { type: 'string' },
      engine: { type: 'string' },
      changes: { type: 'string' },
      svg: { type: 'string' },
    },
  });
  const engine = values.engine ?? 'memory';
  if (!values.base || !values.candidate || !values.feed || !isEngineName(engine)) {
    process.stderr.write(USAGE);
    return 64;
  }
  if (!existsSync(values.feed) || !statSync(values.feed).isFile()) {
    process.stderr.write(`policy:diff: --feed ${values.feed} is not a file\n${USAGE}`);
    return 64;
  }
  const nowMs = values.now ? Date.parse(values.now) : Date.now();
  // The handlers' own logs (stand-ins engine) are not what the operator asked for.
  const terminal = divertHandlerOutput(null);
  const startedAt = performance.now();
  const diff = await diffPolicyDirs(values.feed, values.base, values.candidate, nowMs, engine).catch(async (error: unknown) => {
    await terminal.restore();
    throw error;
  });
  const seconds = (performance.now() - startedAt) / 1000;
  const svgPath = values.svg ?? '.data/policy-diff/scores.svg';
  write(
    svgPath,
    renderScoreHistogram(`Household scores: ${values.base} vs ${values.candidate}`, [
      { label: `base (${values.base})`, scores: diff.base.scores, colour: '#9aa5b1' },
      { label: `candidate (${values.candidate})`, scores: diff.candidate.scores, colour: '#1f6feb' },
    ]),
  );
  if (values.changes) write(values.changes, formatChanges(diff));
  await terminal.restore();
  const written = [`score histogram: ${svgPath}`, ...(values.changes ? [`households that moved: ${values.changes}`] : [])];
  terminal.out(
    `${formatDiff(diff)}Replayed ${diff.base.entries} entries under both policies on the ${engine} engine in ${seconds.toFixed(1)} s.\nWritten: ${written.join('; ')}\n`,
  );
  return 0;
}

function write(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    process.exitCode = 1;
    const message = error instanceof PolicyError ? error.message : `policy:diff could not run: ${(error as Error).message}`;
    console.error(message);
  },
);
