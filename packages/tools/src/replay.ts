/**
 * The replay (contract section 4): NDJSON PutEvents entries in, team messages and one first
 * outcome per line out. Each entry is put on the local signals bus and the pipeline is let
 * settle before the next, so every entry is judged as if it arrived alone, in file order.
 */
import { PutEventsCommand, type PutEventsRequestEntry, type PutEventsResultEntry } from '@aws-sdk/client-eventbridge';
import { PIPELINE_DETAIL_TYPES, partnerIdFromSource, type TeamMessage } from '@vroegsignaal/events';
import type { CompiledPolicy } from '@vroegsignaal/policy';
import { idOf } from '@vroegsignaal/domain';
import type { EventEnvelope } from '@vroegsignaal/stand-ins';
import { withLocalPipeline, type LocalPipeline, type LocalPipelineOptions } from '@vroegsignaal/stand-ins';

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
  outcomes: ReplayOutcome[];
  messages: { team: string; message: TeamMessage }[];
  entries: number;
  elapsedMs: number;
}

export interface ReplayOptions {
  policy: CompiledPolicy;
  nowMs: number;
  onMessage?: (message: TeamMessage) => void;
  onOutcome?: (outcome: ReplayOutcome) => void;
  pipeline?: Omit<LocalPipelineOptions, 'policy' | 'clock'>;
}

const ACCOUNT_PATTERN = /^[0-9]{12}$/;

export function replayLines(lines: string[], options: ReplayOptions): Promise<ReplayResult> {
  return withLocalPipeline({ ...options.pipeline, policy: options.policy, clock: () => options.nowMs }, (pipeline) => replayOn(pipeline, lines, options));
}

export async function replayOn(pipeline: LocalPipeline, lines: string[], options: Pick<ReplayOptions, 'onMessage' | 'onOutcome' | 'nowMs'>): Promise<ReplayResult> {
  const startedAt = Date.now();
  const firstOutcomes = new Map<string, EventEnvelope>();
  const stopListening = pipeline.onPipelineEvent((event) => {
    const eventId = (event.detail as { eventId?: string }).eventId;
    const isOutcome = event['detail-type'] === PIPELINE_DETAIL_TYPES.signalOutcome || event['detail-type'] === PIPELINE_DETAIL_TYPES.teamReportOutcome;
    if (isOutcome && eventId && !firstOutcomes.has(eventId)) firstOutcomes.set(eventId, event);
  });
  const result: ReplayResult = { outcomes: [], messages: [], entries: 0, elapsedMs: 0 };
  const emitOutcome = (outcome: ReplayOutcome) => {
    result.outcomes.push(outcome);
    options.onOutcome?.(outcome);
  };

  for (const [index, text] of lines.entries()) {
    const line = index + 1;
    if (text.trim() === '') continue;
    result.entries++;
    const entry = parseLine(text);
    if ('reason' in entry) {
      emitOutcome({ partnerId: entry.partnerId, signalId: entry.signalId, outcome: 'rejected', reason: entry.reason, eventId: null, line });
      continue;
    }
    const { entry: busEntry, account } = busEntryOf(pipeline, entry);
    let accepted: PutEventsResultEntry | undefined;
    try {
      accepted = (await pipeline.busClient(account).send(new PutEventsCommand({ Entries: [busEntry] }))).Entries?.[0];
    } catch (error) {
      // The whole request refused (an entry over PutEvents' 256 KB, say): this line's outcome, not the replay's end.
      accepted = requestRefused(error);
    }
    if (!accepted?.EventId) {
      emitOutcome({ partnerId: entry.partnerId, signalId: entry.signalId, outcome: 'rejected', reason: refusalReason(accepted), eventId: null, line });
      continue;
    }
    await pipeline.settle();
    const outcome = firstOutcomes.get(accepted.EventId);
    emitOutcome(outcome ? toReplayOutcome(outcome, line) : undeliveredOutcome(entry, accepted.EventId, line));
    for (const delivery of await pipeline.collectTeamMessages()) {
      result.messages.push({ team: delivery.team, message: delivery.message });
      options.onMessage?.(delivery.message);
    }
  }
  stopListening();
  result.elapsedMs = Date.now() - startedAt;
  return result;
}

/**
 * The PutEvents entry a parsed line puts on the pipeline's signals bus, and the account it is
 * sent from: its own `Account`, or (the contract) the partner's registered account.
 */
export function busEntryOf(pipeline: LocalPipeline, line: ParsedLine): { entry: PutEventsRequestEntry; account?: string } {
  const account = line.account ?? (line.partnerId ? pipeline.policy.partner(line.partnerId)?.accountId : undefined);
  return {
    entry: { EventBusName: pipeline.signalsBusName, Source: line.source, DetailType: line.detailType, Detail: line.detail, ...(line.time ? { Time: line.time } : {}) },
    ...(account ? { account } : {}),
  };
}

/** The answer for an entry whose whole PutEvents request was refused. */
export function requestRefused(error: unknown): PutEventsResultEntry {
  return { ErrorCode: (error as Error).name, ErrorMessage: 'PutEvents refused the request' };
}

/** A line's `rejected` reason when the bus did not take its entry. */
export function refusalReason(answer: PutEventsResultEntry | undefined): string {
  return `the bus refused the entry (${answer?.ErrorCode ?? 'unknown error'}): ${answer?.ErrorMessage ?? 'no message'}`;
}

function toReplayOutcome(event: EventEnvelope, line: number): ReplayOutcome {
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

function undeliveredOutcome(entry: ParsedLine, eventId: string, line: number): ReplayOutcome {
  return {
    partnerId: entry.partnerId,
    signalId: entry.signalId,
    outcome: 'rejected',
    reason: 'processing failed repeatedly; the entry is in the ingest dead-letter queue for an operator to inspect',
    eventId,
    line,
  };
}

export interface ParsedLine {
  source: string;
  detailType: string;
  detail: string;
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
