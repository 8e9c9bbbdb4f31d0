/**
 * The two engines a replay runs on. `stand-ins`: the deployed handler code on the AWS
 * stand-ins, through the real SDK clients (the protocol path, as deployed). `memory`: the same
 * use cases on the in-memory ports (@vroegsignaal/engine-memory), for a what-if over a year of
 * signals. A differential test holds them to the same team messages and outcomes.
 */
import { PutEventsCommand, type PutEventsRequestEntry, type PutEventsResultEntry } from '@aws-sdk/client-eventbridge';
import { DEFAULT_ACCOUNT, refusedWithRequest, type EventEnvelope, type TeamMessage } from '@vroegsignaal/events';
import { householdRef, takeIn, type HouseholdState } from '@vroegsignaal/domain';
import { createMemoryPipeline, type MemoryPipeline } from '@vroegsignaal/engine-memory';
import type { CompiledPolicy } from '@vroegsignaal/policy';
import { LOCAL_HOUSEHOLD_SECRET, startLocalPipeline, type LocalPipeline, type LocalPipelineOptions } from '@vroegsignaal/stand-ins';
import type { ParsedLine } from './replay.ts';

export const ENGINE_NAMES = ['stand-ins', 'memory'] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];
export const isEngineName = (name: string): name is EngineName => (ENGINE_NAMES as readonly string[]).includes(name);

/** An event on the pipeline bus, as an observer sees it. */
export type ObservedEvent = Pick<EventEnvelope, 'detail-type' | 'detail'>;

/** PutEvents' answer for the entry, and the household ingest found it about (null: none). */
export type EngineAnswer = PutEventsResultEntry & { householdRef?: string | null };

export interface ReplayEngine {
  readonly name: EngineName;
  readonly policy: CompiledPolicy;
  /**
   * Puts a line's entry on the signals bus, from its account or its partner's registered one,
   * and waits until everything it caused is done. Answers as PutEvents does.
   */
  put(line: ParsedLine): Promise<EngineAnswer>;
  onPipelineEvent(listener: (event: ObservedEvent) => void): () => void;
  /** The team messages sent since the last call, oldest first. */
  collectTeamMessages(): Promise<{ team: string; message: TeamMessage }[]>;
  /** Runs the reminder checks due at `nowMs`, and waits for what they send. */
  fireSchedules(nowMs: number): Promise<number>;
  /** When the earliest reminder check not yet run is due (a whole second), or undefined when none is waiting. */
  nextScheduleAt(): number | undefined;
  /** From here on the engine judges at `ms`, not by the clock it was started with. */
  moveClockTo(ms: number): void;
  households(): Promise<HouseholdState[]>;
  /** Why the record of an event ended in a dead letter, where the engine knows it at once (memory). */
  deadLetterReason?(eventId: string): string | undefined;
  stop(): Promise<void>;
}

export interface EngineOptions {
  policy: CompiledPolicy;
  clock: () => number;
  /** Stand-ins only: how the local pipeline runs (retries, timeouts, client decorations). */
  standIns?: Omit<LocalPipelineOptions, 'policy' | 'clock'>;
}

export async function startEngine(name: EngineName, options: EngineOptions): Promise<ReplayEngine> {
  if (name === 'memory') {
    return onMemory(createMemoryPipeline({ policy: options.policy, clock: options.clock, householdSecret: LOCAL_HOUSEHOLD_SECRET }));
  }
  return onStandIns(await startLocalPipeline({ ...options.standIns, policy: options.policy, clock: options.clock }));
}

/** Starts an engine, runs `use` on it, and stops it however `use` ends. */
export async function withEngine<T>(name: EngineName, options: EngineOptions, use: (engine: ReplayEngine) => Promise<T>): Promise<T> {
  const engine = await startEngine(name, options);
  try {
    return await use(engine);
  } finally {
    await engine.stop();
  }
}

/** The account a line is sent from: its own `Account`, or (the contract) its partner's registered account. */
function accountOf(policy: CompiledPolicy, line: ParsedLine): string | undefined {
  return line.account ?? (line.partnerId ? policy.partner(line.partnerId)?.accountId : undefined);
}

function entryOf(line: ParsedLine) {
  return { Source: line.source, DetailType: line.detailType, Detail: line.detail, ...(line.time ? { Time: line.time } : {}) };
}

/** The PutEvents entry a parsed line puts on the stand-ins' signals bus, and the account it is sent from. */
export function busEntryOf(pipeline: LocalPipeline, line: ParsedLine): { entry: PutEventsRequestEntry; account?: string } {
  const account = accountOf(pipeline.policy, line);
  return { entry: { EventBusName: pipeline.signalsBusName, ...entryOf(line) }, ...(account ? { account } : {}) };
}

/** The stand-ins' local pipeline as a replay engine. */
export function onStandIns(pipeline: LocalPipeline): ReplayEngine {
  return {
    name: 'stand-ins',
    policy: pipeline.policy,
    async put(line) {
      const { entry, account } = busEntryOf(pipeline, line);
      let answer: PutEventsResultEntry | undefined;
      try {
        answer = (await pipeline.busClient(account).send(new PutEventsCommand({ Entries: [entry] }))).Entries?.[0];
      } catch (error) {
        // The whole request refused (an entry over PutEvents' 256 KB, say): this line's answer, not the replay's end.
        return requestRefused(error);
      }
      if (!answer?.EventId) return answer ?? { ErrorCode: 'InternalException', ErrorMessage: 'PutEvents gave no answer for the entry' };
      await pipeline.settle();
      return { ...answer, householdRef: householdOf(pipeline.policy, line, account ?? DEFAULT_ACCOUNT, pipeline.now()) };
    },
    onPipelineEvent: (listener) => pipeline.onPipelineEvent(listener),
    collectTeamMessages: async () => (await pipeline.collectTeamMessages()).map(({ team, message }) => ({ team, message })),
    fireSchedules: (nowMs) => pipeline.fireSchedules(nowMs),
    nextScheduleAt: () => pipeline.nextScheduleAt(),
    moveClockTo: (ms) => pipeline.moveClockTo(ms),
    households: () => pipeline.households(),
    stop: () => pipeline.stop(),
  };
}

/**
 * The household a partner entry is about, as ingest finds it (the stand-ins' handlers do not
 * say, so it is worked out again here; the in-memory engine reports what ingest found).
 */
function householdOf(policy: CompiledPolicy, line: ParsedLine, account: string, nowMs: number): string | null {
  const intake = takeIn({ source: line.source, 'detail-type': line.detailType, detail: JSON.parse(line.detail), account }, policy, nowMs);
  return intake.kind === 'rejected' ? null : householdRef(intake.address, LOCAL_HOUSEHOLD_SECRET);
}

/** The in-memory pipeline as a replay engine. */
export function onMemory(pipeline: MemoryPipeline): ReplayEngine {
  return {
    name: 'memory',
    policy: pipeline.policy,
    put: (line) => pipeline.putEntry(entryOf(line), accountOf(pipeline.policy, line) ?? DEFAULT_ACCOUNT, line.parsedDetail),
    onPipelineEvent: (listener) => pipeline.onPipelineEvent(listener),
    collectTeamMessages: async () => pipeline.collectTeamMessages(),
    fireSchedules: (nowMs) => pipeline.fireSchedules(nowMs),
    nextScheduleAt: () => pipeline.nextScheduleAt(),
    moveClockTo: (ms) => pipeline.moveClockTo(ms),
    households: async () => pipeline.households(),
    deadLetterReason: (eventId) => {
      const letter = pipeline.deadLetters.find((l) => l.eventId === eventId);
      return letter && `${letter.reason} (the ${letter.stage} stage)`;
    },
    stop: async () => undefined,
  };
}

/** The answer for an entry whose whole PutEvents request was refused. */
export function requestRefused(error: unknown): PutEventsResultEntry {
  return refusedWithRequest((error as Error).name);
}
