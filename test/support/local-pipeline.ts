/**
 * Test harness: the real local pipeline (stand-ins, buses, handlers) with a clock the test
 * moves, and entries written as objects. Each call replays entries through the same path as
 * `npm run replay` and returns what the teams received and what the partners were told.
 */
import { compilePolicy, loadPolicyDir, type CompiledPolicy } from '@vroegsignaal/policy';
import type { TeamMessage } from '@vroegsignaal/events';
import { startLocalPipeline, type LocalPipeline, type LocalPipelineOptions } from '@vroegsignaal/stand-ins';
import { onStandIns, replayOn, type ReplayOutcome } from '@vroegsignaal/tools';

export interface TestEntry {
  Source: string;
  DetailType: string;
  Detail: unknown;
  Account?: string;
}

export interface TestPipeline {
  pipeline: LocalPipeline;
  policy: CompiledPolicy;
  setNow(iso: string): void;
  send(...entries: TestEntry[]): Promise<{ outcomes: ReplayOutcome[]; messages: TeamMessage[] }>;
  /** Moves the clock, runs the reminder checks due by then, and returns what the teams received. */
  advanceTo(iso: string): Promise<TeamMessage[]>;
  stop(): Promise<void>;
}

let defaultPolicy: CompiledPolicy | undefined;
export function defaultCompiledPolicy(): CompiledPolicy {
  defaultPolicy ??= compilePolicy(loadPolicyDir());
  return defaultPolicy;
}

export async function startTestPipeline(options: { now: string; policy?: CompiledPolicy } & Partial<Omit<LocalPipelineOptions, 'policy' | 'clock'>>): Promise<TestPipeline> {
  let nowMs = Date.parse(options.now);
  const policy = options.policy ?? defaultCompiledPolicy();
  const pipeline = await startLocalPipeline({ ...options, policy, clock: () => nowMs });
  return {
    pipeline,
    policy,
    setNow(iso) {
      nowMs = Date.parse(iso);
    },
    async send(...entries) {
      const result = await replayOn(onStandIns(pipeline), entries.map((e) => JSON.stringify(e)), { nowMs });
      return { outcomes: result.outcomes, messages: result.messages.map((m) => m.message) };
    },
    async advanceTo(iso) {
      nowMs = Date.parse(iso);
      await pipeline.fireSchedules(nowMs);
      return (await pipeline.collectTeamMessages()).map((d) => d.message);
    },
    stop: () => pipeline.stop(),
  };
}

let sequence = 0;
/** A unique signalId per call, so scenarios never collide on the shared stand-ins. */
export function nextSignalId(prefix = 's'): string {
  sequence += 1;
  return `${prefix}-${sequence}`;
}
