/**
 * npm run replay -- FILE [--engine stand-ins|memory] [--out F] [--outcomes F] [--config DIR] [--now T] [--log F]
 * Contract: docs/contract.md, section 4.
 */
import { createWriteStream, mkdirSync, readFileSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { compilePolicy, loadPolicyDir, DEFAULT_POLICY_DIR, PolicyError } from '@vroegsignaal/policy';
import { replayLines } from '../replay.ts';
import { ENGINE_NAMES, isEngineName, type EngineName } from '../engines.ts';
import { divertHandlerOutput } from '@vroegsignaal/stand-ins';
import { formatSummary } from '../summary.ts';

export interface ReplayCliArgs {
  file: string;
  engine: EngineName;
  out?: string;
  outcomes?: string;
  config?: string;
  now?: string;
  log?: string;
}

export function parseReplayArgs(argv: string[]): ReplayCliArgs {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { engine: { type: 'string' }, out: { type: 'string' }, outcomes: { type: 'string' }, config: { type: 'string' }, now: { type: 'string' }, log: { type: 'string' } },
  });
  if (positionals.length !== 1) throw new UsageError('expected exactly one FILE to replay');
  const engine = values.engine ?? 'stand-ins';
  if (!isEngineName(engine)) throw new UsageError(`--engine must be one of ${ENGINE_NAMES.join(', ')}, not "${engine}"`);
  if (values.now !== undefined && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(values.now)) {
    throw new UsageError('--now must be an ISO-8601 date-time with an offset, e.g. 2026-11-15T09:00:00+01:00');
  }
  return { file: positionals[0]!, ...values, engine };
}


export class UsageError extends Error {
  readonly code = 'USAGE';
}

function openOutput(path: string): WriteStream {
  mkdirSync(dirname(path), { recursive: true });
  return createWriteStream(path);
}

export async function runReplayCli(args: ReplayCliArgs): Promise<void> {
  const policy = compilePolicy(loadPolicyDir(args.config ?? DEFAULT_POLICY_DIR));
  const nowMs = args.now ? Date.parse(args.now) : Date.now();
  const lines = readFileSync(args.file, 'utf8').split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  const logPath = args.log ?? '.data/replay.log';
  const terminal = divertHandlerOutput(logPath);
  const out = args.out ? openOutput(args.out) : undefined;
  const outcomes = args.outcomes ? openOutput(args.outcomes) : undefined;
  const result = await replayLines(lines, {
    policy,
    nowMs,
    engine: args.engine,
    onMessage: (message) => (out ? out.write(`${JSON.stringify(message)}\n`) : terminal.out(`${JSON.stringify(message)}\n`)),
    onOutcome: (outcome) => outcomes?.write(`${JSON.stringify(outcome)}\n`),
  });
  await Promise.all([out, outcomes].map((stream) => stream && new Promise((resolve) => stream.end(resolve))));
  const files = [args.out && `team messages: ${args.out}`, args.outcomes && `outcomes: ${args.outcomes}`, `handler logs: ${logPath}`].filter(Boolean);
  terminal.err(`${formatSummary(result)}\nWritten: ${files.join('; ')}\n`);
}

export async function main(argv: string[]): Promise<number> {
  try {
    await runReplayCli(parseReplayArgs(argv));
    return 0;
  } catch (error) {
    const message = error instanceof PolicyError || error instanceof UsageError ? error.message : `replay could not run: ${(error as Error).message}`;
    process.stderr.write(`${message}\n`);
    return error instanceof UsageError ? 64 : 1;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await main(process.argv.slice(2));
}
