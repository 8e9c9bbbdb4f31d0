/**
 * What became of the rows of a file, told the same way by `push` (this send's outcome of each
 * row) and `outcomes` (each row's story so far). The pipeline keeps, per (partner, signalId),
 * the claim (first outcome, resends told `duplicate`, later outcomes) and the newest rejection
 * beside it; both are read with a strongly consistent BatchGetItem under keys that start
 * `SIG#<partnerId>#`, which a partner's role can be limited to.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { readPartnerRecords, type PartnerSignalRecords } from '@vroegsignaal/adapters';
import { formatAmsterdamIso } from '@vroegsignaal/calendar';
import { DUPLICATE_REASON, rejectionRuleOf, type RejectionRule } from '@vroegsignaal/domain';
import { FIRST_SIGNAL_OUTCOMES, type FirstSignalOutcome } from '@vroegsignaal/events';
import type { PreparedFile } from './prepare.ts';

/** The local stack's table (LOCAL_TABLE_NAME in @vroegsignaal/stand-ins). */
export const LOCAL_TABLE_NAME = 'vroegsignaal-households';

/**
 * One row, as both commands report it.
 * - refused: this tool did not send it (the rule the pipeline would have rejected it by);
 * - same-as-earlier-row: an identical row earlier in the file was sent instead;
 * - received: the pipeline told an outcome;
 * - none: no outcome (yet): `push` stopped waiting, or `outcomes` finds nothing kept.
 */
export interface RowOutcome {
  line: number;
  signalId: string | null;
  status: 'refused' | 'same-as-earlier-row' | 'received' | 'none';
  outcome?: FirstSignalOutcome;
  rule?: RejectionRule;
  reason?: string;
  sameAs?: number;
  /** `outcomes` only: the resends told `duplicate` (the newest kept, and how many in all), later outcomes, and a rejection beside an accepted claim. */
  resends?: { at: string }[];
  resendCount?: number;
  laterOutcomes?: { outcome: string; at: string }[];
  rejectedAlso?: { rule: RejectionRule; reason: string; at: string };
}

export type ReadRecords = (signalIds: readonly string[]) => Promise<Map<string, PartnerSignalRecords>>;

export function tableReader(db: Pick<DynamoDBDocumentClient, 'send'>, tableName: string, partnerId: string): ReadRecords {
  return (signalIds) => readPartnerRecords(db, tableName, partnerId, signalIds);
}

/** The rows this tool did not send, as both commands report them. */
export function unsentRows(file: PreparedFile): RowOutcome[] {
  return [
    ...file.rejected.map((r): RowOutcome => ({ line: r.line, signalId: null, status: 'refused', rule: r.rule, reason: r.reason })),
    ...file.repeated.map((r): RowOutcome => ({ line: r.line, signalId: r.signalId, status: 'same-as-earlier-row', sameAs: r.sameAs })),
  ];
}

const at = (ms: number) => formatAmsterdamIso(new Date(ms)).slice(0, 16).replace('T', ' ');

/** What the pipeline told about one bus event of a signal: undefined while nothing is kept for it. */
export function outcomeOfEvent(records: PartnerSignalRecords, eventId: string): Pick<RowOutcome, 'outcome' | 'rule' | 'reason'> | undefined {
  const { claim, rejection } = records;
  if (rejection?.eventId === eventId) return { outcome: 'rejected', rule: rejection.rule, reason: rejection.reason };
  if (claim?.eventId === eventId && claim.outcome !== null) return told(claim.outcome, claim.reason);
  if (claim?.resends.some((r) => r.eventId === eventId)) return { outcome: 'duplicate', reason: DUPLICATE_REASON };
  return undefined;
}

function told(outcome: FirstSignalOutcome, reason: string | null): Pick<RowOutcome, 'outcome' | 'rule' | 'reason'> {
  // A claim rejected after it was made (the partner's share of the household filled up meanwhile).
  return { outcome, ...(outcome === 'rejected' && reason ? { rule: rejectionRuleOf(reason) } : {}), ...(reason ? { reason } : {}) };
}

/** A row's story so far, for `outcomes`. */
export function historyOf(line: number, signalId: string, records: PartnerSignalRecords): RowOutcome {
  const { claim, rejection } = records;
  // A claim that holds only a withdrawal waiting for its signal: the signal itself never came.
  if (claim && claim.outcome !== null) {
    return {
      line,
      signalId,
      status: 'received',
      ...told(claim.outcome, claim.reason),
      ...(claim.resendCount > 0 ? { resends: claim.resends.map((r) => ({ at: at(r.atMs) })), resendCount: claim.resendCount } : {}),
      ...(claim.laterOutcomes.length > 0 ? { laterOutcomes: claim.laterOutcomes.map((l) => ({ outcome: l.outcome, at: at(l.atMs) })) } : {}),
      ...(rejection ? { rejectedAlso: { rule: rejection.rule, reason: rejection.reason, at: at(rejection.atMs) } } : {}),
    };
  }
  if (rejection) return { line, signalId, status: 'received', outcome: 'rejected', rule: rejection.rule, reason: rejection.reason };
  return { line, signalId, status: 'none' };
}

export async function readOutcomes(read: ReadRecords, file: PreparedFile): Promise<RowOutcome[]> {
  const records = await read(file.rows.map((row) => row.signalId));
  const rows = file.rows.map((row) => historyOf(row.line, row.signalId, records.get(row.signalId) ?? {}));
  return [...unsentRows(file), ...rows].sort((a, b) => a.line - b.line);
}

export interface SentRow {
  line: number;
  signalId: string;
  eventId: string;
}

export interface WaitOptions {
  timeoutMs: number;
  /** Between reads; doubles up to 2 s. */
  intervalMs?: number;
  onProgress?: (done: number, total: number) => void;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Reads until every sent row has its outcome or the time is up; rows still without one are
 * `none`. Only rows still waiting are read again.
 */
export async function waitForOutcomes(read: ReadRecords, sent: readonly SentRow[], options: WaitOptions): Promise<RowOutcome[]> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const deadline = now() + options.timeoutMs;
  const found = new Map<number, RowOutcome>();
  let interval = options.intervalMs ?? 250;
  for (;;) {
    const waiting = sent.filter((row) => !found.has(row.line));
    const records = await read([...new Set(waiting.map((row) => row.signalId))]);
    for (const row of waiting) {
      const outcome = outcomeOfEvent(records.get(row.signalId) ?? {}, row.eventId);
      if (outcome) found.set(row.line, { line: row.line, signalId: row.signalId, status: 'received', ...outcome });
    }
    options.onProgress?.(found.size, sent.length);
    if (found.size === sent.length || now() >= deadline) break;
    await sleep(Math.min(interval, Math.max(0, deadline - now())));
    interval = Math.min(interval * 2, 2000);
  }
  return sent.map((row) => found.get(row.line) ?? { line: row.line, signalId: row.signalId, status: 'none' });
}

/** `line N: ...` as both commands print a row; `push` lists only the rows not accepted. */
export function describeRow(row: RowOutcome): string {
  switch (row.status) {
    case 'refused':
      return `refused before sending: ${row.rule} (${row.reason})`;
    case 'same-as-earlier-row':
      return `the same signal as line ${row.sameAs}; sent once`;
    case 'none':
      return 'no outcome';
    case 'received': {
      const first = row.outcome === 'rejected' ? `rejected: ${row.rule} (${row.reason})` : `${row.outcome}${row.reason ? ` (${row.reason})` : ''}`;
      const parts = [first];
      if (row.resends?.length) {
        const last = row.resends.at(-1)!.at;
        parts.push(row.resendCount === 1 ? `sent again ${last}: duplicate` : `sent again ${row.resendCount} times, last ${last}: duplicate`);
      }
      if (row.laterOutcomes?.length) parts.push(`later: ${row.laterOutcomes.map((l) => `${l.outcome} (${l.at})`).join(', ')}`);
      if (row.rejectedAlso) parts.push(`sent ${row.rejectedAlso.at} and rejected: ${row.rejectedAlso.rule} (${row.rejectedAlso.reason})`);
      return parts.join('; ');
    }
  }
}

export interface OutcomeCounts {
  outcomes: Record<FirstSignalOutcome, number>;
  /** Rejected by the pipeline, and refused before sending, per rule. */
  rejectedByRule: Partial<Record<RejectionRule, number>>;
  refusedByRule: Partial<Record<RejectionRule, number>>;
  refused: number;
  sameAsEarlierRow: number;
  none: number;
  /** `outcomes` only: rows sent again (told duplicate), and later outcomes. */
  sentAgain: number;
  later: Record<string, number>;
}

/** The order a partner reads them in: what went well first. */
const COUNTED: readonly FirstSignalOutcome[] = ['accepted', 'duplicate', 'repeat', 'below-threshold', 'withdrawn', 'rejected'];

export function countOutcomes(rows: readonly RowOutcome[]): OutcomeCounts {
  const counts: OutcomeCounts = {
    outcomes: Object.fromEntries(FIRST_SIGNAL_OUTCOMES.map((o) => [o, 0])) as Record<FirstSignalOutcome, number>,
    rejectedByRule: {},
    refusedByRule: {},
    refused: 0,
    sameAsEarlierRow: 0,
    none: 0,
    sentAgain: 0,
    later: {},
  };
  const add = <K extends string>(into: Partial<Record<K, number>>, key: K) => {
    into[key] = (into[key] ?? 0) + 1;
  };
  for (const row of rows) {
    if (row.status === 'refused') {
      counts.refused++;
      add(counts.refusedByRule, row.rule!);
    } else if (row.status === 'same-as-earlier-row') counts.sameAsEarlierRow++;
    else if (row.status === 'none') counts.none++;
    else {
      counts.outcomes[row.outcome!]++;
      if (row.outcome === 'rejected') add(counts.rejectedByRule, row.rule!);
      if (row.resendCount) counts.sentAgain++;
      for (const later of row.laterOutcomes ?? []) add(counts.later, later.outcome);
    }
  }
  return counts;
}

const byRule = (rules: Partial<Record<RejectionRule, number>>) => {
  const entries = Object.entries(rules);
  return entries.length > 0 ? ` (${entries.map(([rule, n]) => `${rule} ${n}`).join(', ')})` : '';
};

/** The summary line both commands end with. */
export function describeCounts(counts: OutcomeCounts): string {
  const parts = [COUNTED.map((o) => `${o} ${counts.outcomes[o]}${o === 'rejected' ? byRule(counts.rejectedByRule) : ''}`).join(', ')];
  if (counts.sentAgain > 0) parts.push(`sent again ${counts.sentAgain}`);
  const later = Object.entries(counts.later);
  if (later.length > 0) parts.push(`later ${later.map(([o, n]) => `${o} ${n}`).join(', ')}`);
  parts.push(`refused before sending ${counts.refused}${byRule(counts.refusedByRule)}`);
  if (counts.sameAsEarlierRow > 0) parts.push(`same as an earlier row ${counts.sameAsEarlierRow}`);
  if (counts.none > 0) parts.push(`no outcome ${counts.none}`);
  return `Outcomes: ${parts.join('; ')}`;
}
