/**
 * npm run policy:diff -- --base DIR --candidate DIR --feed FILE [--now T] [--engine memory|stand-ins] [--changes FILE] [--svg FILE] [--all]
 * Replays the feed under both policies (on the in-memory engine by default, one worker thread
 * per policy) and says what changed: a summary first, then the teams and levels whose alerts
 * differ; writes a picture of the household scores under both and the change per score band,
 * and, with --changes, the households that moved (by reference and the feed's line numbers,
 * never an address).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { CommandError, defineCommand, EXIT, inputProblem, runCommand, UsageError } from '@vroegsignaal/command';
import { POLICY_DIRECTORY, policyDirectoryProblem } from '@vroegsignaal/policy';
import { divertHandlerOutput } from '@vroegsignaal/stand-ins';
import { ENGINE_NAMES, isEngineName } from '../engines.ts';
import { checkPolicyDir } from '../policy-check.ts';
import { diffPolicyDirs, formatChanges, formatDiff } from '../policy-diff.ts';
import { renderScoreHistogram } from '../score-histogram.ts';
import { checkFeedFile, NOW_OPTION, parseNow } from './inputs.ts';

const DEFAULT_SVG = '.data/policy-diff/scores.svg';

const POLICY_DIFF = defineCommand({
  name: 'npm run policy:diff --',
  purpose: 'Replays a feed under two policies and says what the candidate changes: the alerts gained and lost per team and level, and how household scores shift.',
  usage: ['--base DIR --candidate DIR --feed FILE [--now T] [--engine memory|stand-ins] [--changes FILE] [--svg FILE] [--all]'],
  examples: [
    'npm run policy:diff -- --base packages/policy/defaults --candidate my-policy --feed events/samples/feed.ndjson --now 2026-11-15T09:00:00+01:00',
    'npm run policy:diff -- --base packages/policy/defaults --candidate my-policy --feed feed.ndjson --changes .data/moved.ndjson --all',
  ],
  options: {
    base: { type: 'string', value: 'DIR', description: 'the policy in force' },
    candidate: { type: 'string', value: 'DIR', description: 'the policy you want to try' },
    feed: { type: 'string', value: 'FILE', description: 'the feed to replay: NDJSON, one PutEvents entry a line (streamed, so it may be a year of signals)' },
    now: NOW_OPTION,
    engine: { type: 'string', value: 'NAME', description: `where to run: ${[...ENGINE_NAMES].reverse().join(' (default) or ')}` },
    changes: { type: 'string', value: 'FILE', description: 'write the households that moved here, one JSON a line (reference, alerts under each policy, feed lines)' },
    svg: { type: 'string', value: 'FILE', description: `write the score picture here (default ${DEFAULT_SVG})` },
    all: { type: 'boolean', description: 'print every team and level, also those that did not change' },
  },
  notes: ['The memory engine runs each policy in its own worker thread, side by side; the stand-ins run them one after the other, slower but on the protocol path. Both give the same diff.'],
});

function required(value: string | undefined, option: string, what: string): string {
  if (value === undefined) throw new UsageError(`--${option} ${what} is required`);
  return value;
}

/** A policy directory given as --option: a wrong path is a usage error, a policy with problems a failure. */
function checkPolicyOption(option: string, dir: string): void {
  const directoryProblem = policyDirectoryProblem(dir);
  if (directoryProblem) throw inputProblem(`--${option} to be ${POLICY_DIRECTORY}`, dir, directoryProblem);
  const result = checkPolicyDir(dir);
  if (!result.ok) throw new CommandError(`the --${option} ${result.report}\nnpm run policy:check -- ${dir} reports the same.`);
}

function write(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

process.exitCode = await runCommand(POLICY_DIFF, process.argv.slice(2), async ({ values }) => {
  const base = required(values.base, 'base', 'DIR');
  const candidate = required(values.candidate, 'candidate', 'DIR');
  const feed = required(values.feed, 'feed', 'FILE');
  const engine = values.engine ?? 'memory';
  if (!isEngineName(engine)) throw new UsageError(`--engine must be one of ${ENGINE_NAMES.join(', ')}, not "${engine}"`);
  const nowMs = parseNow(values.now) ?? Date.now();
  checkFeedFile(feed);
  checkPolicyOption('base', base);
  checkPolicyOption('candidate', candidate);

  // The handlers' own logs (stand-ins engine) are not what the operator asked for.
  const terminal = divertHandlerOutput(null);
  const startedAt = performance.now();
  const diff = await diffPolicyDirs(feed, base, candidate, nowMs, engine).finally(() => terminal.restore());
  const seconds = (performance.now() - startedAt) / 1000;
  const svg = values.svg ?? DEFAULT_SVG;
  write(
    svg,
    renderScoreHistogram(`Household scores: ${base} (base) and ${candidate} (candidate)`, [
      { label: base, scores: diff.base.scores },
      { label: candidate, scores: diff.candidate.scores },
    ]),
  );
  if (values.changes) write(values.changes, formatChanges(diff));
  const written = [`score picture: ${svg}`, ...(values.changes ? [`households that moved: ${values.changes}`] : [])];
  process.stdout.write(
    `${formatDiff(diff, { all: values.all })}\nReplayed ${diff.base.entries} entries under both policies on the ${engine} engine in ${seconds.toFixed(1)} s.\nWritten: ${written.join('; ')}\n`,
  );
  return EXIT.ok;
});
