/**
 * What the monitor and the DDAS export read (MonitorSource), from a feed or from a running
 * stack: a feed is replayed on the in-memory engine, which keeps the month indexes as a
 * deployment does; a stack's table is read through the DynamoDB adapter. Never a scan.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoMonitor } from '@vroegsignaal/adapters';
import type { MonitorSource } from '@vroegsignaal/domain';
import { createMemoryPipeline } from '@vroegsignaal/engine-memory';
import type { CompiledPolicy } from '@vroegsignaal/policy';
import { LOCAL_HOUSEHOLD_SECRET } from '@vroegsignaal/stand-ins';
import { onMemory } from './engines.ts';
import { replayOn, type ReplayResult } from './replay.ts';

export interface FeedSourceOptions {
  policy: CompiledPolicy;
  /** The clock the feed is judged from, until a line's Now moves it on. */
  nowMs: number;
  /** After the last line the clock runs on to this moment, sending the reminders that fall due. */
  untilMs?: number;
}

/** The month indexes after replaying `lines` in memory, and the replay (its clock at the end is "now"). */
export async function monitorSourceOfFeed(lines: Iterable<string>, options: FeedSourceOptions): Promise<{ source: MonitorSource; replay: ReplayResult }> {
  const pipeline = createMemoryPipeline({ policy: options.policy, clock: () => options.nowMs, householdSecret: LOCAL_HOUSEHOLD_SECRET });
  const replay = await replayOn(onMemory(pipeline), lines, { nowMs: options.nowMs, keep: false, ...(options.untilMs !== undefined ? { untilMs: options.untilMs } : {}) });
  return { source: pipeline.engine.monitor, replay };
}

/** The month indexes in a stack's table (`npm run serve`'s, or a deployment's). */
export function monitorSourceOfTable(db: DynamoDBDocumentClient, tableName: string): MonitorSource {
  return new DynamoMonitor(db, tableName);
}
