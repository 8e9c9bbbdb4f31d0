/**
 * The whole pipeline in memory: the two buses with the rules of events/src/patterns.ts, and the
 * four stages as the deployed handlers run them (ingest, deliver, team-report, outcomes), each
 * calling the same domain use case on the in-memory ports. What the AWS path adds around a use
 * case is kept: PutEvents' checks of an entry and its size, the caller's account, the event
 * envelope, pattern matching, and a record that keeps failing ends in a dead-letter list with
 * its reason instead of an outcome.
 *
 * Events are handled one at a time, in the order they were put: a put returns once everything
 * it caused has been handled, as the stand-ins' replay waits for the pipeline to settle. The
 * event ids are a counter, not random, so the same feed gives the same bytes.
 */
import {
  BUSES,
  DEFAULT_ACCOUNT,
  deliveryDueSchema,
  LOCAL_REGION,
  isOverRequestLimit,
  refusedWithRequest,
  matchesEventPattern,
  PIPELINE_DETAIL_TYPES,
  PIPELINE_SOURCE,
  RULES,
  takeEntry,
  type BusName,
  type EventEnvelope,
  type EventPattern,
  type PutEventsEntryFields,
  type PutEventsEntryError,
  type SignalOutcome,
  type TeamMessage,
  toEventTime,
} from '@vroegsignaal/events';
import { deliverOwed, failureReason, handleTeamReport, ingestEntry, recordPartnerOutcome, type HouseholdState, type PipelineEvent } from '@vroegsignaal/domain';
import type { CompiledPolicy } from '@vroegsignaal/policy';
import { createMemoryEngine, type MemoryEngine } from './engine.ts';


export interface MemoryPipelineOptions {
  policy: CompiledPolicy;
  /** What "now" means for every stage: the replay's clock. */
  clock: () => number;
  householdSecret: string;
  /** The pipeline's own account and region, for the envelopes it writes. */
  account?: string;
  region?: string;
}

export interface DeadLetter {
  stage: StageName;
  eventId: string;
  /** Why the record failed, as the handlers' dead-letter reason: a class name or our own code and message. */
  reason: string;
}

/** An entry the bus took: its event id, and the household ingest found it about (null: none, or not a partner entry). */
export interface AcceptedEntry {
  EventId: string;
  householdRef: string | null;
}

export type StageName = 'ingest' | 'deliver' | 'team-report' | 'outcomes';

export interface MemoryPipeline {
  engine: MemoryEngine;
  policy: CompiledPolicy;
  /**
   * PutEvents of one entry on the signals bus from `account`, handled to the end. Answers as
   * PutEvents does: the event id, or the entry's error (a request over the size limit is
   * refused as a whole: `ValidationException`).
   */
  putEntry(entry: PutEventsEntryFields, account: string, parsedDetail?: unknown): Promise<AcceptedEntry | PutEventsEntryError>;
  /** Observes every event put on the pipeline bus (outcomes, deliveries due). Returns a function that stops it. */
  onPipelineEvent(listener: (event: EventEnvelope) => void): () => void;
  /** The team messages sent since the last call, oldest first, taken off the queues as the teams would take them. */
  collectTeamMessages(): { team: string; message: TeamMessage }[];
  /** Runs the reminder checks due at `nowMs`, handled to the end; returns how many ran. */
  fireSchedules(nowMs: number): Promise<number>;
  /** When the earliest reminder check not yet run is due, or undefined when none is waiting. */
  nextScheduleAt(): number | undefined;
  /** The moment the stages judge by: the caller's clock, or where moveClockTo put it. */
  now(): number;
  /** From here on the stages judge at `ms`, not by the caller's clock: how a replay's time passes. */
  moveClockTo(ms: number): void;
  /** Every household stored. */
  households(): HouseholdState[];
  readonly deadLetters: readonly DeadLetter[];
}

export function createMemoryPipeline(options: MemoryPipelineOptions): MemoryPipeline {
  const { policy, householdSecret } = options;
  // A replay moves the clock on (a line's Now, --until); until one does, the caller's clock holds.
  let movedTo: number | undefined;
  const clock = () => movedTo ?? options.clock();
  const account = options.account ?? DEFAULT_ACCOUNT;
  const region = options.region ?? LOCAL_REGION;
  const engine = createMemoryEngine({ teams: policy.teams().map((t) => t.id) });
  const listeners: ((event: EventEnvelope) => void)[] = [];
  const deadLetters: DeadLetter[] = [];
  const pending: { stage: StageName; event: EventEnvelope }[] = [];
  let eventCount = 0;
  let ingested: { eventId: string; householdRef: string | null } | undefined;

  const eventId = () => {
    eventCount += 1;
    return `00000000-0000-4000-8000-${eventCount.toString(16).padStart(12, '0')}`;
  };
  const envelope = (source: string, detailType: string, detail: Record<string, unknown>, time: string, from: string): EventEnvelope => ({
    version: '0',
    id: eventId(),
    'detail-type': detailType,
    source,
    account: from,
    time,
    region,
    resources: [],
    detail,
  });

  // The use cases' dependencies, made anew only when the clock moves (a replay's stands still).
  let portsNow: (MemoryEngine & { policy: CompiledPolicy; nowMs: number; householdSecret: string }) | undefined;
  const ports = () => {
    const nowMs = clock();
    if (portsNow?.nowMs !== nowMs) portsNow = Object.assign({}, engine, { policy, nowMs, householdSecret });
    return portsNow;
  };
  const stages: Record<StageName, (event: EventEnvelope) => Promise<PipelineEvent[] | undefined>> = {
    ingest: async (event) => {
      const result = await ingestEntry(event, ports());
      ingested = { eventId: event.id, householdRef: result.householdRef };
      return result.events;
    },
    'team-report': async (event) => (await handleTeamReport(event, ports())).events,
    deliver: async (event) => {
      await deliverOwed(deliveryDueSchema.parse(event.detail).householdRef, ports());
      return undefined;
    },
    outcomes: async (event) => {
      if (event['detail-type'] !== PIPELINE_DETAIL_TYPES.signalOutcome) return undefined;
      await recordPartnerOutcome(event.detail as unknown as SignalOutcome, engine.ledger, clock());
      return undefined;
    },
  };
  const targets: Record<BusName, { pattern: EventPattern; stage: StageName }[]> = {
    [BUSES.signals]: [
      { pattern: RULES.partnerSignals.pattern, stage: 'ingest' },
      { pattern: RULES.teamReports.pattern, stage: 'team-report' },
    ],
    [BUSES.pipeline]: [
      { pattern: RULES.dueDeliveries.pattern, stage: 'deliver' },
      { pattern: RULES.signalOutcomes.pattern, stage: 'outcomes' },
    ],
  };

  // While the rules look at an event's source and detail type only, the stages an event goes
  // to are known by those two once one such event has been matched.
  const byKindOnly = Object.values(targets).every((list) => list.every((target) => onSourceAndTypeOnly(target.pattern)));
  const stagesByKind = new Map<string, StageName[]>();
  const stagesFor = (bus: BusName, event: EventEnvelope): StageName[] => {
    const match = () => targets[bus].filter((target) => matchesEventPattern(target.pattern, event)).map((target) => target.stage);
    if (!byKindOnly) return match();
    const kind = `${bus}\u0000${event.source}\u0000${event['detail-type']}`;
    let found = stagesByKind.get(kind);
    if (!found) {
      found = match();
      stagesByKind.set(kind, found);
    }
    return found;
  };

  function put(bus: BusName, event: EventEnvelope): void {
    if (bus === BUSES.pipeline) for (const listener of listeners) listener(event);
    for (const stage of stagesFor(bus, event)) pending.push({ stage, event });
  }

  /** The stages' events go out as the handlers publish them: one envelope each, their detail as its JSON carries it. */
  function publish(events: PipelineEvent[]): void {
    const time = toEventTime(clock());
    for (const e of events) put(BUSES.pipeline, envelope(PIPELINE_SOURCE, e.type, asSent(e.detail), time, account));
  }

  async function drain(): Promise<void> {
    while (pending.length > 0) {
      const { stage, event } = pending.shift()!;
      try {
        const events = await stages[stage](event);
        if (events && events.length > 0) publish(events);
      } catch (error) {
        deadLetters.push({ stage, eventId: event.id, reason: failureReason(error) });
      }
    }
  }

  return {
    engine,
    policy,
    deadLetters,
    async putEntry(entry, from, parsedDetail) {
      if (isOverRequestLimit([entry])) return refusedWithRequest('ValidationException');
      const taken = takeEntry(entry, clock(), parsedDetail);
      if ('ErrorCode' in taken) return taken;
      const event = envelope(entry.Source!, entry.DetailType!, taken.detail, taken.time, from);
      put(BUSES.signals, event);
      await drain();
      return { EventId: event.id, householdRef: ingested?.eventId === event.id ? ingested.householdRef : null };
    },
    onPipelineEvent(listener) {
      listeners.push(listener);
      return () => void listeners.splice(listeners.indexOf(listener), 1);
    },
    collectTeamMessages() {
      // Taken off the queues, as a team's consumer takes them: a year's messages are not kept.
      return engine.messenger.delivered.splice(0).map(({ team, message }) => ({ team, message }));
    },
    async fireSchedules(nowMs) {
      const due = engine.scheduler.fireDue(nowMs);
      for (const detail of due) put(BUSES.pipeline, envelope(PIPELINE_SOURCE, PIPELINE_DETAIL_TYPES.deliveryDue, { ...detail }, detail.at, account));
      await drain();
      return due.length;
    },
    nextScheduleAt: () => engine.scheduler.nextDueMs(),
    now: clock,
    moveClockTo(ms) {
      movedTo = ms;
    },
    households() {
      return [...engine.households.records.values()].map((record) => record.state);
    },
  };
}

/**
 * A detail as its JSON would carry it: the pipeline's own details are flat, so dropping the
 * fields JSON leaves out is enough; anything nested goes through JSON itself.
 */
function asSent(detail: object): Record<string, unknown> {
  const sent: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(detail)) {
    if (value === undefined) continue;
    if (typeof value === 'object' && value !== null) return JSON.parse(JSON.stringify(detail)) as Record<string, unknown>;
    sent[key] = value;
  }
  return sent;
}

/** True when a pattern looks at nothing but an event's source and detail type. */
function onSourceAndTypeOnly(pattern: EventPattern): boolean {
  return Object.keys(pattern).every((field) => field === 'source' || field === 'detail-type');
}
