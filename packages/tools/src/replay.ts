/**
 * The replay (contract section 4, and v1.1 section 7 over weeks): NDJSON PutEvents entries in,
 * team messages and one first outcome per line out. Each entry is put on the local signals bus
 * and the pipeline is let settle before the next, so every entry is judged as if it arrived
 * alone, in file order. A line's `Now` moves the replay's clock forward; the reminder checks
 * that fall due on the way run first, each at its own time.
 */
import type { PutEventsResultEntry } from '@aws-sdk/client-eventbridge';
import { formatAmsterdamIso } from '@vroegsignaal/calendar';
import { ACCOUNT_PATTERN, PIPELINE_DETAIL_TYPES, partnerIdFromSource, type TeamMessage } from '@vroegsignaal/events';
import type { CompiledPolicy } from '@vroegsignaal/policy';
import { idOf, type AlertRecord } from '@vroegsignaal/domain';
import { withEngine, type EngineName, type EngineOptions, type ObservedEvent, type ReplayEngine } from './engines.ts';

export interface ReplayOutcome {
  partnerId: string | null;
  signalId: string | null;
  outcome: string;
  reason?: string;
  eventId: string | null;
  line: number;
  /** Set for team report lines. */
  teamId?: string | null;
  alertId?: string | null;
}

/** A line whose `Now` lay before the replay's clock: it was judged at the clock instead. */
export interface ClockHeld {
  line: number;
  nowMs: number;
  clockMs: number;
}

export interface ReplayResult {
  engine: EngineName;
  outcomes: ReplayOutcome[];
  messages: { team: string; message: TeamMessage }[];
  entries: number;
  elapsedMs: number;
  /** The replay's clock at the end: --now, moved on by the lines' `Now` and by --until. */
  clockMs: number;
  /** Reminder checks that came due and ran during the replay. */
  schedulesFired: number;
  clockHeld: ClockHeld[];
  /** Every alert record the households hold at the end (replayLines reads them for the summary). */
  alertRecords?: AlertRecord[];
}

/**
 * The whole second `ms` lies in. The replay moves its clock in whole seconds, as EventBridge
 * Scheduler's times are, so that a reminder check run at its second finds itself due.
 */
export const wholeSecond = (ms: number): number => Math.floor(ms / 1000) * 1000;

/**
 * Rounds in a row in which reminder checks come due without the clock moving on: past this,
 * checks are scheduling themselves again and again, and the replay stops instead of hanging.
 */
const MAX_STALLED_ROUNDS = 1000;

export interface ReplayOptions {
  policy: CompiledPolicy;
  nowMs: number;
  /** After the last line the clock runs on to this moment, firing what falls due (--until). */
  untilMs?: number;
  /** Where the replay runs: `stand-ins` (the default, the protocol path) or `memory`. */
  engine?: EngineName;
  onMessage?: (message: TeamMessage) => void;
  onOutcome?: (outcome: ReplayOutcome) => void;
  /** Each line the bus took, with the household ingest found it about (null: none). */
  onHousehold?: (line: number, householdRef: string | null) => void;
  /** Keep every outcome and message in the result (the default); a what-if over a year streams instead. */
  keep?: boolean;
  pipeline?: EngineOptions['standIns'];
}

/** Replays `lines` on a new engine, and reads the households' alert records at the end. */
export function replayLines(lines: Iterable<string> | AsyncIterable<string>, options: ReplayOptions): Promise<ReplayResult> {
  const engineOptions = { policy: options.policy, clock: () => options.nowMs, ...(options.pipeline ? { standIns: options.pipeline } : {}) };
  return withEngine(options.engine ?? 'stand-ins', engineOptions, async (engine) => {
    const result = await replayOn(engine, lines, options);
    result.alertRecords = (await engine.households()).flatMap((state) => state.alerts);
    return result;
  });
}

/**
 * Replays `lines` on `engine`, whose clock reads `options.nowMs` until a line's `Now` (or
 * `untilMs`) moves it on.
 */
export async function replayOn(
  engine: ReplayEngine,
  lines: Iterable<string> | AsyncIterable<string>,
  options: Pick<ReplayOptions, 'onMessage' | 'onOutcome' | 'onHousehold' | 'keep' | 'nowMs' | 'untilMs'>,
): Promise<ReplayResult> {
  const keep = options.keep ?? true;
  const startedAt = Date.now();
  const firstOutcomes = new Map<string, ObservedEvent>();
  const stopListening = engine.onPipelineEvent((event) => {
    const eventId = (event.detail as { eventId?: string }).eventId;
    const isOutcome = event['detail-type'] === PIPELINE_DETAIL_TYPES.signalOutcome || event['detail-type'] === PIPELINE_DETAIL_TYPES.teamReportOutcome;
    if (isOutcome && eventId && !firstOutcomes.has(eventId)) firstOutcomes.set(eventId, event);
  });
  const result: ReplayResult = { engine: engine.name, outcomes: [], messages: [], entries: 0, elapsedMs: 0, clockMs: options.nowMs, schedulesFired: 0, clockHeld: [] };
  /** The clock moves forward only, in whole seconds; the engine keeps its own until the first move. */
  const moveClockTo = (ms: number) => {
    const to = wholeSecond(ms);
    if (to <= result.clockMs) return;
    result.clockMs = to;
    engine.moveClockTo(to);
  };
  const emitOutcome = (outcome: ReplayOutcome) => {
    if (keep) result.outcomes.push(outcome);
    options.onOutcome?.(outcome);
  };
  const emitMessages = async () => {
    for (const delivery of await engine.collectTeamMessages()) {
      if (keep) result.messages.push(delivery);
      options.onMessage?.(delivery.message);
    }
  };
  /** Moves the clock to `targetMs`, running every reminder check due on the way first, each at its own time. */
  const runClockTo = async (targetMs: number) => {
    let previousDue = Number.NEGATIVE_INFINITY;
    let stalled = 0;
    for (let due = engine.nextScheduleAt(); due !== undefined && due <= targetMs; due = engine.nextScheduleAt()) {
      stalled = due <= previousDue ? stalled + 1 : 0;
      if (stalled > MAX_STALLED_ROUNDS) throw new Error(`reminder checks keep coming due at ${formatAmsterdamIso(new Date(due))} without end; the replay stops`);
      previousDue = due;
      moveClockTo(due);
      result.schedulesFired += await engine.fireSchedules(result.clockMs);
      await emitMessages();
    }
    moveClockTo(targetMs);
  };

  let line = 0;
  for await (const text of lines) {
    line += 1;
    if (text.trim() === '') continue;
    result.entries++;
    const entry = parseLine(text);
    if (entry.nowMs !== undefined) {
      if (wholeSecond(entry.nowMs) < result.clockMs) result.clockHeld.push({ line, nowMs: entry.nowMs, clockMs: result.clockMs });
      await runClockTo(entry.nowMs);
    }
    if ('reason' in entry) {
      emitOutcome({ partnerId: entry.partnerId, signalId: entry.signalId, outcome: 'rejected', reason: entry.reason, eventId: null, line });
      continue;
    }
    const accepted = await engine.put(entry);
    if (!accepted.EventId) {
      emitOutcome({ partnerId: entry.partnerId, signalId: entry.signalId, outcome: 'rejected', reason: refusalReason(accepted), eventId: null, line });
      continue;
    }
    options.onHousehold?.(line, accepted.householdRef ?? null);
    const outcome = firstOutcomes.get(accepted.EventId);
    firstOutcomes.delete(accepted.EventId);
    emitOutcome(outcome ? toReplayOutcome(outcome, line) : undeliveredOutcome(entry, accepted.EventId, line, engine.deadLetterReason?.(accepted.EventId)));
    await emitMessages();
  }
  if (options.untilMs !== undefined) await runClockTo(options.untilMs);
  stopListening();
  result.elapsedMs = Date.now() - startedAt;
  return result;
}

/** A line's `rejected` reason when the bus did not take its entry. */
export function refusalReason(answer: PutEventsResultEntry | undefined): string {
  return `the bus refused the entry (${answer?.ErrorCode ?? 'unknown error'}): ${answer?.ErrorMessage ?? 'no message'}`;
}

function toReplayOutcome(event: ObservedEvent, line: number): ReplayOutcome {
  const detail = event.detail as Record<string, unknown>;
  if (event['detail-type'] === PIPELINE_DETAIL_TYPES.teamReportOutcome) {
    return {
      partnerId: null,
      signalId: null,
      teamId: detail.teamId as string | null,
      alertId: detail.alertId as string | null,
      outcome: detail.outcome as string,
      ...(detail.reason ? { reason: detail.reason as string } : {}),
      eventId: detail.eventId as string,
      line,
    };
  }
  return {
    partnerId: detail.partnerId as string | null,
    signalId: detail.signalId as string | null,
    outcome: detail.outcome as string,
    ...(detail.reason ? { reason: detail.reason as string } : {}),
    eventId: detail.eventId as string,
    line,
  };
}

/** A line whose entry got no outcome: its record ended in a dead letter (the in-memory engine says why). */
function undeliveredOutcome(entry: ParsedLine, eventId: string, line: number, why?: string): ReplayOutcome {
  return {
    partnerId: entry.partnerId,
    signalId: entry.signalId,
    outcome: 'rejected',
    reason: why
      ? `processing failed: ${why}`
      : 'processing failed repeatedly; the entry is in the ingest dead-letter queue for an operator to inspect',
    eventId,
    line,
  };
}

export interface ParsedLine {
  source: string;
  detailType: string;
  detail: string;
  /** `detail` parsed, when it was read as JSON already. */
  parsedDetail?: unknown;
  time?: Date;
  account?: string;
  partnerId: string | null;
  signalId: string | null;
  /** The line's `Now` (contract v1.1 section 7): the moment it and the lines after it are judged at. Never part of the entry. */
  nowMs?: number;
}

/** A line that cannot even be sent, with the reason; its `Now` still moves the clock when it was one. */
export interface RefusedLine {
  reason: string;
  partnerId: string | null;
  signalId: string | null;
  nowMs?: number;
}

export const NOW_FIELD_REASON = 'Now must be an ISO-8601 date-time with an offset, e.g. 2026-11-15T09:00:00+01:00';

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** An ISO-8601 date-time with an offset (or Z) as epoch ms; undefined for anything else, also a local time without offset. */
export function parseInstant(text: string): number | undefined {
  const ms = Date.parse(text);
  return ISO_WITH_OFFSET.test(text) && !Number.isNaN(ms) ? ms : undefined;
}

/** A line as PutEvents would get it; what cannot even be sent is rejected here, with a reason. */
export function parseLine(text: string): ParsedLine | RefusedLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { reason: 'the line is not valid JSON', partnerId: null, signalId: null };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { reason: 'the line is not a JSON object with Source, DetailType and Detail', partnerId: null, signalId: null };
  }
  const record = value as Record<string, unknown>;
  const source = typeof record.Source === 'string' ? record.Source : '';
  const partnerId = partnerIdFromSource(source) ?? null;
  const detailObject = typeof record.Detail === 'string' ? safeParse(record.Detail) : record.Detail;
  const signalId = idOf(detailObject, 'signalId');
  // A Now that cannot be read leaves the clock where it is and the line unsent: judged at the
  // wrong moment, its entry could raise an alert at the wrong time or miss a deadline.
  const nowMs = typeof record.Now === 'string' ? parseInstant(record.Now) : undefined;
  if (record.Now !== undefined && nowMs === undefined) return { reason: NOW_FIELD_REASON, partnerId, signalId };
  const now = nowMs === undefined ? {} : { nowMs };
  const missing = ['Source', 'DetailType', 'Detail'].filter((field) => record[field] === undefined || record[field] === '');
  if (missing.length > 0) return { reason: `the entry has no ${missing.join(', ')}`, partnerId, signalId, ...now };
  if (typeof record.Source !== 'string' || typeof record.DetailType !== 'string') {
    return { reason: 'Source and DetailType must be strings', partnerId, signalId, ...now };
  }
  if (record.Account !== undefined && (typeof record.Account !== 'string' || !ACCOUNT_PATTERN.test(record.Account))) {
    return { reason: 'Account must be a 12-digit AWS account id', partnerId, signalId, ...now };
  }
  const time = typeof record.Time === 'string' && !Number.isNaN(Date.parse(record.Time)) ? new Date(record.Time) : undefined;
  return {
    source: record.Source,
    detailType: record.DetailType,
    detail: typeof record.Detail === 'string' ? record.Detail : JSON.stringify(record.Detail),
    // What the bus will parse, when it parses the same text: a Detail written as an object is
    // sent as its JSON, which need not parse back to the same value (1e400 becomes null).
    ...(typeof record.Detail === 'string' && detailObject !== undefined ? { parsedDetail: detailObject } : {}),
    ...(time ? { time } : {}),
    ...(typeof record.Account === 'string' ? { account: record.Account } : {}),
    partnerId,
    signalId,
    ...now,
  };
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
