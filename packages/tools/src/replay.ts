/**
 * The replay (contract section 4): NDJSON PutEvents entries in, team messages and one first
 * outcome per line out. Each entry is put on the local signals bus and the pipeline is let
 * settle before the next, so every entry is judged as if it arrived alone, in file order.
 */
import type { PutEventsResultEntry } from '@aws-sdk/client-eventbridge';
import { ACCOUNT_PATTERN, PIPELINE_DETAIL_TYPES, partnerIdFromSource, type TeamMessage } from '@vroegsignaal/events';
import type { CompiledPolicy } from '@vroegsignaal/policy';
import { idOf } from '@vroegsignaal/domain';
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

export interface ReplayResult {
  engine: EngineName;
  outcomes: ReplayOutcome[];
  messages: { team: string; message: TeamMessage }[];
  entries: number;
  elapsedMs: number;
}

export interface ReplayOptions {
  policy: CompiledPolicy;
  nowMs: number;
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

export function replayLines(lines: Iterable<string> | AsyncIterable<string>, options: ReplayOptions): Promise<ReplayResult> {
  const engineOptions = { policy: options.policy, clock: () => options.nowMs, ...(options.pipeline ? { standIns: options.pipeline } : {}) };
  return withEngine(options.engine ?? 'stand-ins', engineOptions, (engine) => replayOn(engine, lines, options));
}

export async function replayOn(
  engine: ReplayEngine,
  lines: Iterable<string> | AsyncIterable<string>,
  options: Pick<ReplayOptions, 'onMessage' | 'onOutcome' | 'onHousehold' | 'keep' | 'nowMs'>,
): Promise<ReplayResult> {
  const keep = options.keep ?? true;
  const startedAt = Date.now();
  const firstOutcomes = new Map<string, ObservedEvent>();
  const stopListening = engine.onPipelineEvent((event) => {
    const eventId = (event.detail as { eventId?: string }).eventId;
    const isOutcome = event['detail-type'] === PIPELINE_DETAIL_TYPES.signalOutcome || event['detail-type'] === PIPELINE_DETAIL_TYPES.teamReportOutcome;
    if (isOutcome && eventId && !firstOutcomes.has(eventId)) firstOutcomes.set(eventId, event);
  });
  const result: ReplayResult = { engine: engine.name, outcomes: [], messages: [], entries: 0, elapsedMs: 0 };
  const emitOutcome = (outcome: ReplayOutcome) => {
    if (keep) result.outcomes.push(outcome);
    options.onOutcome?.(outcome);
  };

  let line = 0;
  for await (const text of lines) {
    line += 1;
    if (text.trim() === '') continue;
    result.entries++;
    const entry = parseLine(text);
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
    for (const delivery of await engine.collectTeamMessages()) {
      if (keep) result.messages.push(delivery);
      options.onMessage?.(delivery.message);
    }
  }
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
}

/** A line as PutEvents would get it; what cannot even be sent is rejected here, with a reason. */
export function parseLine(text: string): ParsedLine | { reason: string; partnerId: string | null; signalId: string | null } {
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
  const missing = ['Source', 'DetailType', 'Detail'].filter((field) => record[field] === undefined || record[field] === '');
  if (missing.length > 0) return { reason: `the entry has no ${missing.join(', ')}`, partnerId, signalId };
  if (typeof record.Source !== 'string' || typeof record.DetailType !== 'string') {
    return { reason: 'Source and DetailType must be strings', partnerId, signalId };
  }
  if (record.Account !== undefined && (typeof record.Account !== 'string' || !ACCOUNT_PATTERN.test(record.Account))) {
    return { reason: 'Account must be a 12-digit AWS account id', partnerId, signalId };
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
  };
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
