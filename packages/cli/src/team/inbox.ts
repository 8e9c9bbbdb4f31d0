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
import { teamMessageSchema, type AlertMessage, type CaseResult, type TeamDetailType, type ReminderMessage, type TeamMessage, type UpdateMessage } from '@vroegsignaal/events';
import { UsageError } from '../errors.ts';

export const INBOX_FORMAT = 'vroegsignaal-inbox/1';

export type InboxStatus = 'new' | 'picked-up' | 'closed';

export interface InboxReport {
  type: TeamDetailType;
  at: string;
  eventId: string;
  result?: CaseResult;
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

export type MergeResult = 'alert' | 'update' | 'reminder' | 'duplicate' | 'unreadable';

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

/** What a listing shows of an entry: the newest of alert and updates (a reminder as a fallback). */
export function current(entry: InboxEntry): AlertMessage | UpdateMessage | ReminderMessage {
  const latestUpdate = entry.updates.at(-1)?.message;
  return latestUpdate ?? entry.alert ?? entry.reminders.at(-1)!.message;
}

export function openEntries(inbox: Inbox): InboxEntry[] {
  return Object.values(inbox.alerts).filter((entry) => entry.status !== 'closed');
}

/** An entry by full alertId or by a prefix that only one alert in the inbox has. */
export function findEntry(inbox: Inbox, idOrPrefix: string): InboxEntry {
  const exact = inbox.alerts[idOrPrefix];
  if (exact) return exact;
  const matches = Object.keys(inbox.alerts).filter((id) => id.startsWith(idOrPrefix));
  if (matches.length === 1) return inbox.alerts[matches[0]!]!;
  if (matches.length > 1) throw new UsageError(`"${idOrPrefix}" matches ${matches.length} alerts; give more of the alert id`);
  throw new UsageError(`alert "${idOrPrefix}" is not in this inbox; run "vroegsignaal-team inbox" first to fetch new alerts`);
}
