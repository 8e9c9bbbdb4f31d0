/**
 * npm run policy:diff -- --base DIR --candidate DIR --feed FILE [--now ISO] [--svg FILE]
 * Replays the feed under both policies and prints, per team and level, the alerts gained and
 * lost; writes a histogram of household scores with the level thresholds marked.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { compilePolicy, loadPolicyDir, PolicyError } from '@vroegsignaal/policy';
import { divertHandlerOutput } from '@vroegsignaal/stand-ins';
import { diffPolicies, formatDiff } from '../policy-diff.ts';
import { renderScoreHistogram } from '../score-histogram.ts';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { base: { type: 'string' }, candidate: { type: 'string' }, feed: { type: 'string' }, now: { type: 'string' }, svg: { type: 'string' } },
  });
  if (!values.base || !values.candidate || !values.feed) {
    process.stderr.write('usage: npm run policy:diff -- --base DIR --candidate DIR --feed FILE [--now ISO] [--svg FILE]\n');
    return 64;
  }
  const [base, candidate] = [values.base, values.candidate].map((dir) => compilePolicy(loadPolicyDir(dir))) as [ReturnType<typeof compilePolicy>, ReturnType<typeof compilePolicy>];
  const lines = readFileSync(values.feed, 'utf8').split(/\r?\n/);
  const nowMs = values.now ? Date.parse(values.now) : Date.now();
  // The handlers' own logs are not what the operator asked for.
  const terminal = divertHandlerOutput(null);
  const diff = await diffPolicies(lines, base, candidate, nowMs);
  const svgPath = values.svg ?? '.data/policy-diff/scores.svg';
  mkdirSync(dirname(svgPath), { recursive: true });
  writeFileSync(
    svgPath,
    renderScoreHistogram(`Household scores: ${values.base} vs ${values.candidate}`, [
      { label: `base (${values.base})`, scores: diff.base.scores, colour: '#9aa5b1' },
      { label: `candidate (${values.candidate})`, scores: diff.candidate.scores, colour: '#1f6feb' },
    ]),
  );
  await terminal.restore();
  terminal.out(`${formatDiff(diff)}Score histogram: ${svgPath}\n`);
  return 0;
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    process.exitCode = 1;
    const message = error instanceof PolicyError ? error.message : `policy:diff could not run: ${(error as Error).message}`;
    console.error(message);
  },
);
