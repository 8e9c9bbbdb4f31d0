/**
 * npm run replay -- FILE: the feed through the pipeline, one entry at a time, its clock moved
 * on by the lines' `Now` and by --until. Contract: docs/contract.md, section 4.
 */
import { createWriteStream, mkdirSync, openSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { checkOutputFile, defineCommand, runCommand, UsageError, type CommandArgs } from '@vroegsignaal/command';
import { divertHandlerOutput } from '@vroegsignaal/stand-ins';
import { formatAmsterdamIso } from '@vroegsignaal/calendar';
import { replayLines, wholeSecond, type ReplayResult } from '../replay.ts';
import { ENGINE_NAMES, isEngineName, type EngineName } from '../engines.ts';
import { formatSummary } from '../summary.ts';
import { describeClock, loadPolicyOption, NOW_OPTION, parseInstantOption, parseNow, readFeedLines } from './inputs.ts';

/** The replay's options, shared with `npm start` (which fixes the feed and the clock). */
export const REPLAY_OPTIONS = {
  engine: { type: 'string', value: 'NAME', description: `where to run it: ${ENGINE_NAMES.join(' (default) or ')}` },
  config: { type: 'string', value: 'DIR', description: 'the policy directory (default packages/policy/defaults)' },
  log: { type: 'string', value: 'FILE', description: "the handlers' log lines (default .data/replay.log)" },
  out: { type: 'string', value: 'FILE', description: 'write the team messages here, one JSON a line (default stdout)' },
  outcomes: { type: 'string', value: 'FILE', description: 'write the outcome of every line here, one JSON a line' },
  until: {
    type: 'string',
    value: 'T',
    description: 'after the last line, run the clock on to this moment (ISO-8601 with an offset), sending the reminders that fall due',
  },
} as const;

export const REPLAY = defineCommand({
  name: 'npm run replay --',
  purpose: 'Replays a feed of PutEvents entries through the pipeline, one at a time in file order, and prints per team the messages it raised and every rejected line with its reason.',
  usage: ['FILE [--now T] [--until T] [--engine stand-ins|memory] [--out FILE] [--outcomes FILE] [--config DIR] [--log FILE]'],
  examples: [
    'npm run replay -- events/samples/feed.ndjson --now 2026-11-15T09:00:00+01:00 --out .data/messages.ndjson',
    'npm run replay -- feed.ndjson --engine memory',
    'npm run replay -- weeks.ndjson --now 2026-06-15T10:00:00+02:00 --until 2027-06-15T10:00:00+02:00',
  ],
  options: {
    now: { ...NOW_OPTION, description: "judge the entries at this moment (ISO-8601 with an offset, e.g. 2026-11-15T09:00:00+01:00), until a line's Now moves the clock on; default the wall clock" },
    ...REPLAY_OPTIONS,
  },
  positionals: [{ name: 'FILE', description: 'the feed: NDJSON, one PutEvents entry a line, as npm run feed writes; a line may carry "Now": T, the moment it and the lines after it are judged at' }],
  notes: [
    'A line\'s Now moves the clock forward, never back; the reminders due on the way are sent first, each at its own time.',
    'The summary goes to stderr: the engine, the teams\' messages and alerts, the clock it judged the feed by, the time it took. The sample feed (399 lines) takes about 10 s on the stand-ins, under a second in memory.',
  ],
});

export interface ReplayCliArgs {
  file: string;
  engine: EngineName;
  out?: string;
  outcomes?: string;
  config?: string;
  /** Epoch ms to judge by; undefined for the wall clock. */
  nowMs?: number;
  /** Epoch ms the clock runs on to after the last line (--until). */
  untilMs?: number;
  /** Where the clock came from, for the summary: `--now`, `the sample feed's clock`. */
  clockSource: string;
  log: string;
}

export function replayArgs({ values, positionals }: CommandArgs<typeof REPLAY.options>): ReplayCliArgs {
  const engine = values.engine ?? 'stand-ins';
  if (!isEngineName(engine)) throw new UsageError(`--engine must be one of ${ENGINE_NAMES.join(', ')}, not "${engine}"`);
  const nowMs = parseNow(values.now);
  const untilMs = parseInstantOption('--until', values.until);
  return { ...values, file: positionals[0]!, engine, nowMs, untilMs, clockSource: nowMs === undefined ? 'the wall clock' : '--now', log: values.log ?? '.data/replay.log' };
}

/** `Every entry judged at T (--now)`, or, when the clock moved on, from when to when and by what. */
function describeClockRun(startMs: number, result: ReplayResult, args: ReplayCliArgs): string {
  if (result.clockMs === startMs) return `Every entry ${describeClock(startMs, args.clockSource)}`;
  const movedBy = args.untilMs !== undefined && result.clockMs === wholeSecond(args.untilMs) ? "the feed's Now lines and --until" : "the feed's Now lines";
  return `Entries judged from ${formatAmsterdamIso(new Date(startMs))} (${args.clockSource}) to ${formatAmsterdamIso(new Date(result.clockMs))} (${movedBy})`;
}

function openOutput(path: string): WriteStream {
  mkdirSync(dirname(path), { recursive: true });
  // Opened here, synchronously, so a path that cannot be written fails as a sentence, not as a stream's error event.
  return createWriteStream(path, { fd: openSync(path, 'w') });
}

export async function runReplay(args: ReplayCliArgs): Promise<void> {
  const startedAt = performance.now();
  // Every input is read and checked before the log and outputs are opened: a wrong call leaves the last run's files.
  const lines = readFeedLines(args.file);
  const policy = loadPolicyOption(args.config);
  const outputs = { out: args.out, outcomes: args.outcomes, log: args.log };
  for (const [option, path] of Object.entries(outputs)) if (path !== undefined) checkOutputFile(path, `a file to write (--${option})`);
  // The wall clock to the second, as the clock moves: a reminder check then comes due at its own second.
  const nowMs = args.nowMs ?? wholeSecond(Date.now());
  if (args.untilMs !== undefined && args.untilMs < nowMs) throw new UsageError(`--until must not lie before the clock it starts from, ${formatAmsterdamIso(new Date(nowMs))} (${args.clockSource})`);
  const terminal = divertHandlerOutput(args.log);
  const out = args.out ? openOutput(args.out) : undefined;
  const outcomes = args.outcomes ? openOutput(args.outcomes) : undefined;
  try {
    const result = await replayLines(lines, {
      policy,
      nowMs,
      engine: args.engine,
      ...(args.untilMs !== undefined ? { untilMs: args.untilMs } : {}),
      onMessage: (message) => (out ? out.write(`${JSON.stringify(message)}\n`) : terminal.out(`${JSON.stringify(message)}\n`)),
      onOutcome: (outcome) => outcomes?.write(`${JSON.stringify(outcome)}\n`),
    });
    const files = [args.out && `team messages: ${args.out}`, args.outcomes && `outcomes: ${args.outcomes}`, `handler logs: ${args.log}`].filter(Boolean);
    const took = ((performance.now() - startedAt) / 1000).toFixed(1);
    terminal.err(`${formatSummary(result)}\nWritten: ${files.join('; ')}\n${describeClockRun(nowMs, result, args)}; ${took} s in all.\n`);
  } finally {
    await Promise.all([out, outcomes].map((stream) => stream && new Promise((resolve) => stream.end(resolve))));
    await terminal.restore();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await runCommand(REPLAY, process.argv.slice(2), (args) => runReplay(replayArgs(args)));
}
