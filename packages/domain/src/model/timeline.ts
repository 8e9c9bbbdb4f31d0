/**
 * An alert's life as its timeline says it (contract v1.1, sections 1, 2 and 5). Team reports
 * arrive at least once and in any order, so what an alert is follows from its timeline ordered
 * by the reports' own `at`, never from the order they arrived in: the earliest ending ends it,
 * and the fields a v1 reader knows (pickedUpAtMs, closedAtMs) are derived from it again after
 * every report.
 */
import type { PartOfDay, TeamReport } from '@vroegsignaal/events';
import type { CompiledPolicy, Settings } from '@vroegsignaal/policy';
import { formatAmsterdamIso } from '@vroegsignaal/calendar';
import { alertStatus, type AlertEnding, type AlertRecord, type AlertStatus, type TimelineEntry } from './household.ts';

type ReportEntryType = 'picked-up' | 'attempt' | 'not-taken' | 'forwarded' | 'closed';

/** The life order of the entries: the tie-break between entries dated the same moment. */
const TYPE_ORDER: readonly TimelineEntry['type'][] = ['raised', 'update', 'reminder', 'picked-up', 'attempt', 'not-taken', 'forwarded', 'closed'];
const REPORT_TYPES: ReadonlySet<TimelineEntry['type']> = new Set<ReportEntryType>(['picked-up', 'attempt', 'not-taken', 'forwarded', 'closed']);
const ENDING_TYPES: ReadonlySet<TimelineEntry['type']> = new Set<AlertEnding>(['not-taken', 'forwarded', 'closed']);

/** The contract's name for the catch-all team a team may forward to, whatever the policy calls it. */
export const UNROUTED_TEAM = 'unrouted';

export function isReportEntry(entry: TimelineEntry): boolean {
  return REPORT_TYPES.has(entry.type);
}

function isEnding(entry: TimelineEntry): entry is TimelineEntry & { type: AlertEnding } {
  return ENDING_TYPES.has(entry.type);
}

/** Before 12:00 in Amsterdam morning, before 18:00 afternoon, else evening. */
export function partOfDayAt(atMs: number): PartOfDay {
  const hour = Number(formatAmsterdamIso(new Date(atMs)).slice(11, 13));
  return hour < 12 ? 'morning' : hour < 18 ? 'afternoon' : 'evening';
}

/** A team's report as its timeline entry: codes, its time and the member's pseudonymous id; the bus event that carried it. */
export function entryOfReport(report: TeamReport, eventId: string): TimelineEntry {
  const atMs = Date.parse(report.detail.at);
  const base = { atMs, ...(report.detail.by !== undefined ? { by: report.detail.by } : {}), eventId };
  switch (report.detailType) {
    case 'AlertPickedUp':
      return { type: 'picked-up', ...base };
    case 'ContactAttemptLogged':
      return { type: 'attempt', ...base, channel: report.detail.channel, partOfDay: report.detail.partOfDay ?? partOfDayAt(atMs), reached: report.detail.reached };
    case 'AlertNotTaken':
      return { type: 'not-taken', ...base, reason: report.detail.reason };
    case 'AlertForwarded':
      return { type: 'forwarded', ...base, toTeam: report.detail.toTeam, ...(report.detail.reason !== undefined ? { reason: report.detail.reason } : {}) };
    case 'CaseClosed':
      return { type: 'closed', ...base, result: report.detail.result, ...(report.detail.detail !== undefined ? { detail: report.detail.detail } : {}) };
  }
}

/** What an entry says, without the bus event that carried it or its mark: two reports saying the same are one report sent twice. */
function contentKey(entry: TimelineEntry): string {
  const { eventId: _eventId, afterEnd: _afterEnd, ...content } = entry;
  return JSON.stringify(Object.entries(content).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** By `at`, then in the order of an alert's life, then by content: the same entries in the same order, however they arrived. */
export function compareEntries(a: TimelineEntry, b: TimelineEntry): number {
  if (a.atMs !== b.atMs) return a.atMs - b.atMs;
  const byType = TYPE_ORDER.indexOf(a.type) - TYPE_ORDER.indexOf(b.type);
  if (byType !== 0) return byType;
  const [ka, kb] = [contentKey(a), contentKey(b)];
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** The record with a message's entry (update, reminder) in its timeline, in the timeline's one order. */
export function appendToTimeline(record: AlertRecord, entry: TimelineEntry): AlertRecord {
  return { ...record, timeline: [...(record.timeline ?? []), entry].sort(compareEntries) };
}

/**
 * The record's timeline, also for a record written before there were timelines: its raising,
 * and the pick-up and close v1 kept as fields, as entries (the close of a v1 record had no result kept).
 */
export function timelineOf(record: AlertRecord): TimelineEntry[] {
  const timeline = record.timeline ?? [];
  const seeds: TimelineEntry[] = [];
  if (!timeline.some((e) => e.type === 'raised')) seeds.push({ type: 'raised', atMs: record.raisedAtMs });
  if (!timeline.some(isReportEntry)) {
    if (record.pickedUpAtMs !== undefined) seeds.push({ type: 'picked-up', atMs: record.pickedUpAtMs });
    if (record.closedAtMs !== undefined) seeds.push({ type: record.ending ?? 'closed', atMs: record.closedAtMs });
  }
  return seeds.length === 0 ? timeline : [...timeline, ...seeds].sort(compareEntries);
}

/** One report, twice: the same bus event delivered again, or the team sending the same report again. */
export function isSameReport(recorded: TimelineEntry, entry: TimelineEntry): boolean {
  return isReportEntry(recorded) && ((entry.eventId !== undefined && recorded.eventId === entry.eventId) || contentKey(recorded) === contentKey(entry));
}

/** The entry on the record for the same report, if it is there. */
export function recordedReport(record: AlertRecord, entry: TimelineEntry): TimelineEntry | undefined {
  return timelineOf(record).find((e) => isSameReport(e, entry));
}

/** The report that ended the alert: the earliest ending by `at`. */
export function endingEntry(record: AlertRecord): (TimelineEntry & { type: AlertEnding }) | undefined {
  return timelineOf(record).find((e): e is TimelineEntry & { type: AlertEnding } => isEnding(e) && !e.afterEnd);
}

/** The reports that count: those not set aside as dated after the alert's end. */
function effectiveReports(record: AlertRecord): TimelineEntry[] {
  return timelineOf(record).filter((e) => isReportEntry(e) && !e.afterEnd);
}

/** The pseudonymous member who holds the case: the `by` of its latest pick-up that named one. */
export function holderOf(record: AlertRecord): string | undefined {
  return effectiveReports(record).findLast((e) => e.type === 'picked-up' && e.by !== undefined)?.by;
}

/**
 * The record with `entry` on its timeline (a report already there changes nothing), the reports
 * after the earliest ending marked as set aside, and the derived fields recomputed: picked up at
 * the first pick-up (a case closed without one was picked up when closed, as in v1), ended by the
 * earliest ending, reached at the first attempt that reached the household.
 */
export function recordOnTimeline(record: AlertRecord, entry: TimelineEntry): AlertRecord {
  if (recordedReport(record, entry)) return record;
  const { afterEnd: _afterEnd, ...fresh } = entry;
  return withDerivedState(record, [...timelineOf(record), fresh].sort(compareEntries));
}

function withDerivedState(record: AlertRecord, timeline: TimelineEntry[]): AlertRecord {
  const ending = timeline.find(isEnding);
  // Only one report ends an alert: any later ending, and any report dated after it, is set aside.
  const marked = timeline.map((e): TimelineEntry => {
    const { afterEnd: _afterEnd, ...entry } = e;
    const setAside = ending !== undefined && e !== ending && isReportEntry(e) && (isEnding(e) || e.atMs > ending.atMs);
    return setAside ? { ...entry, afterEnd: true as const } : entry;
  });
  const counted = marked.filter((e) => isReportEntry(e) && !e.afterEnd);
  const pickedUpAtMs = counted.find((e) => e.type === 'picked-up')?.atMs ?? (ending?.type === 'closed' ? ending.atMs : undefined);
  const reachedAtMs = counted.find((e) => e.type === 'attempt' && e.reached === true)?.atMs;
  const { pickedUpAtMs: _p, closedAtMs: _c, ending: _e, reachedAtMs: _r, ...rest } = record;
  return {
    ...rest,
    timeline: marked,
    ...(pickedUpAtMs !== undefined ? { pickedUpAtMs } : {}),
    ...(ending ? { closedAtMs: ending.atMs, ending: ending.type } : {}),
    ...(reachedAtMs !== undefined ? { reachedAtMs } : {}),
  };
}

/**
 * An alert's life as the alert index keeps it for 24 months (contract v1.1 section 5), after
 * the household item, which holds the address, has gone: the timeline and what follows from it.
 * Codes, times and pseudonymous ids only; without the bus events that carried the reports,
 * which only the household's copy needs (to tell a resend), and which would tie the record to
 * the pipeline's event logs.
 */
export interface AlertLife {
  timeline: Omit<TimelineEntry, 'eventId'>[];
  status: AlertStatus;
  ending?: AlertEnding;
  pickedUpAtMs?: number;
  reachedAtMs?: number;
  closedAtMs?: number;
  /** The case's result and its detail, when a CaseClosed ended it. */
  result?: string;
  detail?: string;
  /** The member who holds the case (holderOf), for the team's inbox. */
  holder?: string;
  /** When the coordinating team was told the alert is overdue (overdue-escalated). */
  escalatedAtMs?: number;
}

/** The record's life for the alert index. Its timeline only grows, so its length orders two copies: the longer is the newer. */
export function lifeOf(record: AlertRecord): AlertLife {
  const ending = endingEntry(record);
  const holder = holderOf(record);
  return {
    timeline: timelineOf(record).map(({ eventId: _eventId, ...entry }) => entry),
    status: alertStatus(record),
    ...(ending ? { ending: ending.type, closedAtMs: ending.atMs } : {}),
    ...(record.pickedUpAtMs !== undefined ? { pickedUpAtMs: record.pickedUpAtMs } : {}),
    ...(record.reachedAtMs !== undefined ? { reachedAtMs: record.reachedAtMs } : {}),
    ...(ending?.result !== undefined ? { result: ending.result } : {}),
    ...(ending?.detail !== undefined ? { detail: ending.detail } : {}),
    ...(holder !== undefined ? { holder } : {}),
    ...(record.escalatedAtMs !== undefined ? { escalatedAtMs: record.escalatedAtMs } : {}),
  };
}

/** The team a forward goes to: the contract's `unrouted` is the policy's catch-all team. */
export function receivingTeam(toTeam: string, settings: Pick<Settings, 'unroutedTeam'>): string {
  return toTeam === UNROUTED_TEAM ? settings.unroutedTeam.id : toTeam;
}

/** Why a forward may not go where it is sent; undefined when it may. */
export type ForwardRefusal = 'own-team' | 'unknown-team' | 'other-municipality';

/**
 * Where a forward may go (contract v1.1): another team of the alert's municipality, or the
 * catch-all team (`unrouted`). One rule for the pipeline and for the team CLI, which checks it
 * before sending; each says it in its own words.
 */
export function forwardRefusal(policy: CompiledPolicy, fromTeam: string, toTeam: string, municipalityCode: string | null | undefined): ForwardRefusal | undefined {
  const target = receivingTeam(toTeam, policy.settings);
  if (target === fromTeam) return 'own-team';
  if (target === policy.settings.unroutedTeam.id) return undefined;
  const receiving = policy.team(target);
  if (!receiving) return 'unknown-team';
  return receiving.municipalityCode === municipalityCode ? undefined : 'other-municipality';
}

/** The forward that ended the alert and is not delivered yet: the receiving team is still owed its alert or update. */
export function owedForward(record: AlertRecord): (TimelineEntry & { type: 'forwarded'; toTeam: string }) | undefined {
  if (record.ending !== 'forwarded' || record.forwardDelivered) return undefined;
  const ending = endingEntry(record);
  return ending?.type === 'forwarded' && ending.toTeam !== undefined ? { ...ending, type: 'forwarded', toTeam: ending.toTeam } : undefined;
}
