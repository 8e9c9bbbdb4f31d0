/**
 * A team's inbox: the messages of its queue folded into one entry per alert, kept in a local
 * JSON file so that they survive being deleted from the queue. Alerts are keyed by alertId; an
 * `update` or `reminder` is attached to the alert it names; the same message twice (SQS FIFO
 * deduplicates for five minutes only) changes nothing.
 *
 * The file holds the team's need-to-know data (addresses, contact details): it is written
 * readable by its owner only, and belongs on the team's own machine or share.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { alertStatus, endingEntry, entryOfReport, recordOnTimeline, type AlertRecord } from '@vroegsignaal/domain';
import {
  teamMessageSchema,
  type AlertMessage,
  type CaseDetail,
  type CaseResult,
  type ContactChannel,
  type NotTakenReason,
  type PartOfDay,
  type ReminderMessage,
  type TeamDetailType,
  type TeamMessage,
  type TeamReport,
  type UpdateMessage,
} from '@vroegsignaal/events';
import { UsageError } from '../errors.ts';

export const INBOX_FORMAT = 'vroegsignaal-inbox/1';

/**
 * The contract's states of an alert (v1.1 section 1) in the inbox's words: `new` is the
 * contract's `raised`. `reached`, `picked-up` and `new` are open; the other three end it.
 */
export type InboxStatus = 'new' | 'picked-up' | 'reached' | 'not-taken' | 'forwarded' | 'closed';
const ENDED_STATUSES: readonly InboxStatus[] = ['not-taken', 'forwarded', 'closed'];

/** A report the team sent, with its codes only (no free text, no contact data). */
export interface InboxReport {
  type: TeamDetailType;
  at: string;
  eventId: string;
  by?: string;
  /** ContactAttemptLogged */
  channel?: ContactChannel;
  reached?: boolean;
  partOfDay?: PartOfDay;
  /** AlertNotTaken: its reason; AlertForwarded: its optional code. */
  reason?: NotTakenReason | string;
  /** AlertForwarded */
  toTeam?: string;
  /** CaseClosed */
  result?: CaseResult;
  detail?: CaseDetail;
}

/**
 * An overdue-escalated reminder to a coordinating team: another team's alert, still untouched.
 * It names the alert and the team holding it, never the household; the coordinator chases the
 * team and cannot report on the alert, so it is kept apart from the team's own alerts.
 */
export interface InboxEscalation {
  alertId: string;
  alertTeam: string;
  receivedAt: string;
  message: ReminderMessage;
}

export interface InboxEntry {
  alertId: string;
  status: InboxStatus;
  /** The alert as raised; null when only an update or reminder for it reached this inbox. */
  alert: AlertMessage | null;
  updates: { receivedAt: string; message: UpdateMessage }[];
  reminders: { receivedAt: string; message: ReminderMessage }[];
  firstReceivedAt: string;
  /** Copies of messages already held (SQS FIFO deduplicates within five minutes only). */
  duplicates: number;
  reports: InboxReport[];
}

export interface Inbox {
  format: typeof INBOX_FORMAT;
  team: string;
  updatedAt: string | null;
  alerts: Record<string, InboxEntry>;
  /** Bodies that are not contract v1 team messages: kept, so nothing taken off the queue is lost. */
  unreadable: { receivedAt: string; reason: string; body: string }[];
  /** Overdue-escalated reminders about other teams' alerts, by alertId (absent in files from before v1.1). */
  escalations?: Record<string, InboxEscalation>;
}

export function emptyInbox(team: string): Inbox {
  return { format: INBOX_FORMAT, team, updatedAt: null, alerts: {}, unreadable: [] };
}

export function defaultInboxPath(team: string, cwd = process.cwd()): string {
  return join(cwd, '.data', 'inbox', `${team}.json`);
}

export function loadInbox(path: string, team: string): Inbox {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyInbox(team);
    throw new UsageError(`cannot read the inbox file ${path}`);
  }
  let inbox: Inbox;
  try {
    inbox = JSON.parse(text) as Inbox;
  } catch {
    throw new UsageError(`the inbox file ${path} is not valid JSON; move it aside to start a new one`);
  }
  if (inbox?.format !== INBOX_FORMAT) throw new UsageError(`${path} is not an inbox file (${INBOX_FORMAT})`);
  if (inbox.team !== team) throw new UsageError(`${path} is the inbox of team "${inbox.team}", not "${team}"; pass --inbox FILE`);
  return inbox;
}

/** Written whole to a temporary file and renamed over the old one, readable by the owner only. */
export function saveInbox(path: string, inbox: Inbox): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(inbox, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, path);
}

export type MergeResult = 'alert' | 'update' | 'reminder' | 'escalation' | 'duplicate' | 'unreadable';

/** Folds one queue message body into the inbox. */
export function mergeMessage(inbox: Inbox, body: string, receivedAt: string): MergeResult {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    inbox.unreadable.push({ receivedAt, reason: 'not JSON', body });
    return 'unreadable';
  }
  const parsed = teamMessageSchema.safeParse(json);
  if (!parsed.success) {
    inbox.unreadable.push({ receivedAt, reason: 'not a contract v1 team message', body });
    return 'unreadable';
  }
  const message: TeamMessage = parsed.data;
  if (message.kind === 'reminder' && message.reason === 'overdue-escalated') return mergeEscalation(inbox, message, receivedAt);
  let entry = inbox.alerts[message.alertId];
  if (!entry) {
    entry = {
      alertId: message.alertId,
      status: message.kind === 'update' ? 'picked-up' : 'new',
      alert: null,
      updates: [],
      reminders: [],
      firstReceivedAt: receivedAt,
      duplicates: 0,
      reports: [],
    };
    inbox.alerts[message.alertId] = entry;
  }
  const same = (a: unknown) => JSON.stringify(a) === JSON.stringify(message);
  switch (message.kind) {
    case 'alert':
      // A copy, or the same alertId raised with other figures, which cannot happen (the id
      // names one household, team, level and sequence): either way keep the first, count the copy.
      if (entry.alert) return duplicate(entry);
      entry.alert = message;
      return 'alert';
    case 'update':
      if (entry.updates.some((u) => same(u.message))) return duplicate(entry);
      entry.updates.push({ receivedAt, message });
      return 'update';
    case 'reminder':
      if (entry.reminders.some((r) => same(r.message))) return duplicate(entry);
      entry.reminders.push({ receivedAt, message });
      return 'reminder';
  }
}

function duplicate(entry: InboxEntry): MergeResult {
  entry.duplicates++;
  return 'duplicate';
}

/** One escalation per alert: the pipeline escalates an alert once, so a second one is a copy. */
function mergeEscalation(inbox: Inbox, message: ReminderMessage, receivedAt: string): MergeResult {
  inbox.escalations ??= {};
  if (inbox.escalations[message.alertId]) return 'duplicate';
  inbox.escalations[message.alertId] = { alertId: message.alertId, alertTeam: message.alertTeam!, receivedAt, message };
  return 'escalation';
}

export function isOpen(entry: InboxEntry): boolean {
  return !ENDED_STATUSES.includes(entry.status);
}

/**
 * The alert as the pipeline keeps it, from what this inbox holds: the reports sent, put on its
 * timeline by the pipeline's own rules (ordered by their `at`, never by the order they were
 * sent; the earliest ending ends the alert; a report dated after it set aside; the same report
 * twice counted once).
 */
function pipelineRecord(entry: InboxEntry): AlertRecord {
  const message = current(entry);
  const raisedAt = entry.alert?.createdAt ?? message.createdAt;
  let record: AlertRecord = { alertId: entry.alertId, team: message.team, level: message.level, sequence: 0, raisedAt, raisedAtMs: Date.parse(raisedAt), notifiedSignalVersion: 0 };
  for (const { type, eventId, ...codes } of entry.reports) {
    const report = { detailType: type, detail: { schemaVersion: 1, alertId: entry.alertId, ...codes } } as TeamReport;
    record = recordOnTimeline(record, entryOfReport(report, eventId));
  }
  return record;
}

/** The reports in the order the pipeline keeps them: by their `at`, then in the order of an alert's life. */
export function reportsByTime(entry: InboxEntry): InboxReport[] {
  const order = (pipelineRecord(entry).timeline ?? []).map((e) => e.eventId);
  const rank = (report: InboxReport) => (order.includes(report.eventId) ? order.indexOf(report.eventId) : order.length);
  return [...entry.reports].sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || rank(a) - rank(b));
}

/** The report that ended the alert: the earliest ending by `at`, as the pipeline decides it. */
export function endingOf(entry: InboxEntry): InboxReport | undefined {
  const ending = endingEntry(pipelineRecord(entry));
  return ending && entry.reports.find((report) => report.eventId === ending.eventId);
}

/** A report dated after the ending of its alert, or a second ending: kept, shown, and of no effect on the status. */
export function isAfterEnd(entry: InboxEntry, report: InboxReport): boolean {
  return pipelineRecord(entry).timeline?.find((e) => e.eventId === report.eventId)?.afterEnd === true;
}

/**
 * The alert's state as the pipeline derives it from the same reports (alertStatus), in the
 * inbox's words: `raised` is `new`. An entry known only from an update is a case the team holds (v1).
 */
export function deriveStatus(entry: InboxEntry): InboxStatus {
  const status = alertStatus(pipelineRecord(entry));
  if (status !== 'raised') return status;
  return entry.alert === null && entry.updates.length > 0 ? 'picked-up' : 'new';
}

/**
 * Whether the alert is past its deadline and still untouched (contract v1.1 section 3): new,
 * and its respondBy has passed or the pipeline has sent an overdue reminder for it. The
 * deadline is the one the alert was raised with, as the pipeline keeps it; an update does not
 * move it.
 */
export function isOverdue(entry: InboxEntry, nowMs: number): boolean {
  if (entry.status !== 'new') return false;
  const respondBy = entry.alert?.respondBy ?? current(entry).respondBy;
  return Date.parse(respondBy) < nowMs || entry.reminders.some((r) => r.message.reason === 'overdue');
}

/** What a listing shows of an entry: the newest of alert and updates (a reminder as a fallback). */
export function current(entry: InboxEntry): AlertMessage | UpdateMessage | ReminderMessage {
  const latestUpdate = entry.updates.at(-1)?.message;
  return latestUpdate ?? entry.alert ?? entry.reminders.at(-1)!.message;
}

export function openEntries(inbox: Inbox): InboxEntry[] {
  return Object.values(inbox.alerts).filter(isOpen);
}

/** An escalation (another team's alert) by full alertId or by a prefix only it has; undefined when there is none. */
export function findEscalation(inbox: Inbox, idOrPrefix: string): InboxEscalation | undefined {
  const matches = Object.values(inbox.escalations ?? {}).filter((e) => e.alertId.startsWith(idOrPrefix));
  return matches.length === 1 ? matches[0] : undefined;
}

/** An entry by full alertId or by a prefix that only one alert in the inbox has. */
export function findEntry(inbox: Inbox, idOrPrefix: string): InboxEntry {
  const exact = inbox.alerts[idOrPrefix];
  if (exact) return exact;
  const matches = Object.keys(inbox.alerts).filter((id) => id.startsWith(idOrPrefix));
  if (matches.length === 1) return inbox.alerts[matches[0]!]!;
  if (matches.length > 1) throw new UsageError(`"${idOrPrefix}" matches ${matches.length} alerts; give more of the alert id`);
  const escalation = findEscalation(inbox, idOrPrefix);
  if (escalation) {
    throw new UsageError(`${escalation.alertId} is an alert of team ${escalation.alertTeam}, escalated to you as overdue; only that team can report on it (see "inbox", under escalations)`);
  }
  throw new UsageError(`alert "${idOrPrefix}" is not in this inbox; run "vroegsignaal-team inbox" first to fetch new alerts`);
}
