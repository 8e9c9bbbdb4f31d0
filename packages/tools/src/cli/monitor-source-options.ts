/**
 * The options `npm run monitor` and `npm run ddas` share: a feed replayed in memory (the sample
 * feed by default) or a running stack's table (--endpoint), the clock and the policy; and the
 * MonitorSource they give.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { documentClient } from '@vroegsignaal/adapters';
import { formatAmsterdamIso } from '@vroegsignaal/calendar';
import { UsageError, type OptionValues } from '@vroegsignaal/command';
import type { MonitorSource } from '@vroegsignaal/domain';
import { SAMPLE_FEED_FILE, SAMPLE_FEED_NOW } from '@vroegsignaal/events';
import type { CompiledPolicy } from '@vroegsignaal/policy';
import { LOCAL_TABLE_NAME } from '@vroegsignaal/stand-ins';
import { monitorSourceOfFeed, monitorSourceOfTable } from '../monitor-source.ts';
import { loadPolicyOption, parseInstantOption, readFeedLines } from './inputs.ts';

export const MONITOR_SOURCE_OPTIONS = {
  feed: { type: 'string', value: 'FILE', description: 'replay this feed on the in-memory engine (default the sample feed, events/samples/feed.ndjson)' },
  now: {
    type: 'string',
    value: 'T',
    description: `judge the feed from this moment (ISO-8601 with an offset); default ${SAMPLE_FEED_NOW} for the sample feed, else the wall clock. With --endpoint: the moment it is made at`,
  },
  until: { type: 'string', value: 'T', description: "after the feed's last line, run the clock on to this moment, sending the reminders that fall due; it is made as of then" },
  config: { type: 'string', value: 'DIR', description: 'the policy directory (default packages/policy/defaults)' },
  endpoint: { type: 'string', value: 'URL', description: "read a running stack's table instead of a feed: its DynamoDB endpoint (npm run serve prints it)" },
  table: { type: 'string', value: 'NAME', description: `the table to read with --endpoint (default ${LOCAL_TABLE_NAME}, npm run serve's)` },
} as const;

/** The two usage forms' tails: from a feed, or from a stack. */
export const MONITOR_SOURCE_USAGE = { feed: '[--feed FILE] [--now T] [--until T] [--config DIR]', endpoint: '--endpoint URL [--table NAME] [--now T] [--config DIR]' } as const;

export interface MonitorSourceArgs {
  feed: string;
  nowMs: number | undefined;
  untilMs: number | undefined;
  config: string | undefined;
  endpoint: string | undefined;
  table: string;
}

export function monitorSourceArgs(values: OptionValues<typeof MONITOR_SOURCE_OPTIONS>): MonitorSourceArgs {
  if (values.endpoint !== undefined && (values.feed !== undefined || values.until !== undefined)) throw new UsageError('--endpoint reads a running stack: give it without --feed and --until');
  if (values.endpoint === undefined && values.table !== undefined) throw new UsageError('--table goes with --endpoint');
  return {
    feed: values.feed ?? SAMPLE_FEED_FILE,
    nowMs: parseInstantOption('--now', values.now ?? (values.feed === undefined && values.endpoint === undefined ? SAMPLE_FEED_NOW : undefined)),
    untilMs: parseInstantOption('--until', values.until),
    config: values.config,
    endpoint: values.endpoint,
    table: values.table ?? LOCAL_TABLE_NAME,
  };
}

/** The policy, refusing a municipality it has no part for (a usage error naming those it has). */
export function loadMunicipalityPolicy(config: string | undefined, municipalityCode: string): CompiledPolicy {
  const policy = loadPolicyOption(config);
  if (!policy.municipality(municipalityCode)) {
    const known = policy.policy.municipalities.map((m) => `${m.code} (${m.name})`).join(', ');
    throw new UsageError(`--municipality ${municipalityCode} has no policy; the policy has ${known}`);
  }
  return policy;
}

/** What `use` was given: the source, the moment it stands at, and where it came from in words. */
export interface OpenedSource {
  source: MonitorSource;
  nowMs: number;
  /** `399 lines of FILE replayed in memory, as of T` or `table NAME at URL, as of T`. */
  description: string;
}

/** Opens the source the options name, gives it to `use`, and closes it however `use` ends. */
export async function withMonitorSource<T>(args: MonitorSourceArgs, policy: CompiledPolicy, use: (opened: OpenedSource) => Promise<T>): Promise<T> {
  if (args.endpoint !== undefined) {
    const local = /^https?:\/\/(127\.0\.0\.1|localhost)[:/]/.test(args.endpoint);
    const client = new DynamoDBClient({
      endpoint: args.endpoint,
      region: process.env.AWS_REGION ?? 'eu-west-1',
      ...(local ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
    });
    const nowMs = args.nowMs ?? Date.now();
    try {
      return await use({ source: monitorSourceOfTable(documentClient(client), args.table), nowMs, description: `table ${args.table} at ${args.endpoint}, as of ${formatAmsterdamIso(new Date(nowMs))}` });
    } finally {
      client.destroy();
    }
  }
  const lines = readFeedLines(args.feed);
  const startMs = args.nowMs ?? Date.now();
  if (args.untilMs !== undefined && args.untilMs < startMs) throw new UsageError(`--until must not lie before the clock it starts from, ${formatAmsterdamIso(new Date(startMs))}`);
  const { source, replay } = await monitorSourceOfFeed(lines, { policy, nowMs: startMs, ...(args.untilMs !== undefined ? { untilMs: args.untilMs } : {}) });
  return use({ source, nowMs: replay.clockMs, description: `${replay.entries} lines of ${args.feed} replayed in memory, as of ${formatAmsterdamIso(new Date(replay.clockMs))}` });
}
