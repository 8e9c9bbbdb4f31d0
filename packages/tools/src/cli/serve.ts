/**
 * npm run serve -- [--now ISO] [--feed FILE] [--config DIR] [--env-script F] [--log F] [--quiet]
 * (`--env-script`, not `--env-file`: Node 20 takes `--env-file` for itself even after the script name.)
 *
 * The local pipeline, kept running for the partner and team CLIs (and any SDK client): the
 * stand-ins, buses, queues and handlers of `npm start`, without the replay that ends it. It
 * prints the endpoints and names, writes them as shell variables to an env file
 * (`source .data/serve/env.sh` in another terminal, and the CLIs need no --endpoint), and stops
 * cleanly on Ctrl-C. Everything is in memory: a restart starts empty.
 *
 * `--feed FILE` puts a file of PutEvents entries (NDJSON, as `npm run replay` takes) on the bus
 * first, and leaves the team messages it raises on the team queues, for the teams to read.
 * `--now T` pins the clock at T, as the replay does (every entry is judged at that moment);
 * the env file then carries VROEGSIGNAAL_NOW, so the CLIs use the same moment.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { BUSES, PIPELINE_DETAIL_TYPES, partnerIdFromSource } from '@vroegsignaal/events';
import { teamQueueName } from '@vroegsignaal/adapters';
import { compilePolicy, DEFAULT_POLICY_DIR, loadPolicyDir, PolicyError, type CompiledPolicy } from '@vroegsignaal/policy';
import { divertHandlerOutput } from '@vroegsignaal/stand-ins';
import { LOCAL_QUEUE_PREFIX, LOCAL_TABLE_NAME, startLocalPipeline, type LocalPipeline } from '@vroegsignaal/stand-ins';

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

class UsageError extends Error {
  readonly code = 'USAGE';
}

interface ServeArgs {
  now?: string;
  feed?: string;
  config?: string;
  envFile: string;
  log: string;
  quiet: boolean;
}

function parseServeArgs(argv: string[]): ServeArgs {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      now: { type: 'string' },
      feed: { type: 'string' },
      config: { type: 'string' },
      'env-script': { type: 'string' },
      log: { type: 'string' },
      quiet: { type: 'boolean' },
    },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"; a feed is given with --feed FILE`);
  if (values.now !== undefined && (!ISO_WITH_OFFSET.test(values.now) || Number.isNaN(Date.parse(values.now)))) {
    throw new UsageError('--now must be an ISO-8601 date-time with an offset, e.g. 2026-11-15T09:00:00+01:00');
  }
  return {
    ...(values.now !== undefined ? { now: values.now } : {}),
    ...(values.feed !== undefined ? { feed: values.feed } : {}),
    ...(values.config !== undefined ? { config: values.config } : {}),
    envFile: values['env-script'] ?? '.data/serve/env.sh',
    log: values.log ?? '.data/serve/handlers.log',
    quiet: values.quiet === true,
  };
}

/** Puts a feed's entries on the signals bus one by one, letting the pipeline settle after each. */
async function feed(pipeline: LocalPipeline, path: string): Promise<{ sent: number; refused: number; skipped: number }> {
  const counts = { sent: 0, refused: 0, skipped: 0 };
  for (const text of readFileSync(path, 'utf8').split(/\r?\n/)) {
    if (text.trim() === '') continue;
    let entry: Record<string, unknown>;
    try {
      entry = JSON.parse(text) as Record<string, unknown>;
    } catch {
      counts.skipped++;
      continue;
    }
    if (typeof entry.Source !== 'string' || typeof entry.DetailType !== 'string' || entry.Detail === undefined) {
      counts.skipped++;
      continue;
    }
    const partnerId = partnerIdFromSource(entry.Source);
    const account = typeof entry.Account === 'string' ? entry.Account : partnerId ? pipeline.policy.partner(partnerId)?.accountId : undefined;
    const response = await pipeline.busClient(account).send(
      new PutEventsCommand({
        Entries: [{ EventBusName: pipeline.signalsBusName, Source: entry.Source, DetailType: entry.DetailType, Detail: typeof entry.Detail === 'string' ? entry.Detail : JSON.stringify(entry.Detail) }],
      }),
    );
    if (response.Entries?.[0]?.EventId) counts.sent++;
    else counts.refused++;
    await pipeline.settle();
  }
  return counts;
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export async function serve(argv: string[]): Promise<number> {
  let args: ServeArgs;
  let policy: CompiledPolicy;
  try {
    args = parseServeArgs(argv);
    policy = compilePolicy(loadPolicyDir(args.config ?? DEFAULT_POLICY_DIR));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return error instanceof PolicyError ? 1 : 64;
  }
  const pinnedMs = args.now ? Date.parse(args.now) : undefined;
  const terminal = divertHandlerOutput(args.log, { append: true });
  let pipeline: LocalPipeline;
  try {
    pipeline = await startLocalPipeline({ policy, clock: pinnedMs === undefined ? Date.now : () => pinnedMs });
  } catch (error) {
    terminal.err(`the local stack could not start: ${(error as Error).message}\n`);
    return 1;
  }
  const { standIns } = pipeline;

  let stopping: Promise<void> | undefined;
  const stop = (signal: string) => {
    stopping ??= (async () => {
      terminal.err(`\n${signal}: stopping the local stack ...\n`);
      rmSync(args.envFile, { force: true });
      await pipeline.stop();
      await terminal.restore();
      terminal.err('stopped.\n');
    })();
    return stopping;
  };
  const done = new Promise<void>((resolveDone) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void stop(signal).then(resolveDone));
  });

  if (args.feed) {
    const counts = await feed(pipeline, args.feed);
    terminal.out(`Fed ${args.feed}: ${counts.sent} entries on the bus${counts.refused ? `, ${counts.refused} refused by the bus` : ''}${counts.skipped ? `, ${counts.skipped} lines skipped (not an entry)` : ''}; their team messages wait on the team queues.\n`);
  }

  const variables: Record<string, string> = {
    AWS_ENDPOINT_URL_EVENTBRIDGE: standIns.eventBridgeEndpoint,
    AWS_ENDPOINT_URL_SQS: standIns.sqsEndpoint,
    AWS_ENDPOINT_URL_DYNAMODB: standIns.dynamodbEndpoint,
    AWS_REGION: standIns.region,
    ...(args.now ? { VROEGSIGNAAL_NOW: args.now } : {}),
  };
  mkdirSync(dirname(args.envFile), { recursive: true });
  writeFileSync(
    args.envFile,
    `# Written by npm run serve; removed when it stops. Source it: . ${args.envFile}\n${Object.entries(variables)
      .map(([name, value]) => `export ${name}=${shellQuote(value)}`)
      .join('\n')}\n`,
  );
  const teams = policy.teams();
  terminal.out(
    [
      'vroegsignaal local stack is running. Ctrl-C stops it; everything is in memory.',
      `  clock        ${args.now ? `pinned at ${args.now} (pass --now ${args.now} to the CLIs, or source the env file)` : 'the wall clock'}`,
      `  EventBridge  ${standIns.eventBridgeEndpoint}   buses: ${BUSES.signals} (partners and teams send here), ${BUSES.pipeline}`,
      `  SQS          ${standIns.sqsEndpoint}   team queues: ${teamQueueName(LOCAL_QUEUE_PREFIX, '<teamId>')} (${teams.length} teams)`,
      `  DynamoDB     ${standIns.dynamodbEndpoint}   table: ${LOCAL_TABLE_NAME}`,
      `  region       ${standIns.region}; any credentials work (the access key id LOCAL<12 digits> names the account)`,
      `  handler logs ${args.log}`,
      '',
      'In another terminal:',
      `  . ${args.envFile}`,
      '  npx vroegsignaal-partner push packages/cli/examples/huurachterstand-export.csv --partner mitros',
      '  npx vroegsignaal-team inbox --team utrecht-schuldhulp',
      '',
    ].join('\n'),
  );

  if (!args.quiet) {
    // What the pipeline makes of each entry, as it happens: ids and outcomes only, never an address.
    pipeline.onPipelineEvent((event) => {
      const detail = event.detail as Record<string, unknown>;
      const time = new Date().toISOString().slice(11, 19);
      if (event['detail-type'] === PIPELINE_DETAIL_TYPES.signalOutcome) {
        terminal.out(`${time}  signal ${detail.partnerId ?? '?'}/${detail.signalId ?? '?'}: ${detail.outcome}${detail.outcome === 'rejected' && detail.reason ? ` (${String(detail.reason)})` : ''}\n`);
      } else if (event['detail-type'] === PIPELINE_DETAIL_TYPES.teamReportOutcome) {
        terminal.out(`${time}  team ${detail.teamId ?? '?'} report on ${detail.alertId ?? '?'}: ${detail.outcome}${detail.reason ? ` (${String(detail.reason)})` : ''}\n`);
      }
    });
  }
  await done;
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}` || resolve(process.argv[1] ?? '') === resolve(new URL(import.meta.url).pathname)) {
  process.exitCode = await serve(process.argv.slice(2));
}
