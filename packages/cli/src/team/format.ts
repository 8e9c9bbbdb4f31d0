/** How the team CLI shows alerts: a list to scan, and one alert in full. */
import { LEVELS, type AlertMessage, type ReminderMessage, type UpdateMessage } from '@vroegsignaal/events';
import { formatAmsterdamIso } from '@vroegsignaal/calendar';
import { current, isAfterEnd, isOverdue, reportsByTime, type InboxEntry, type InboxEscalation, type InboxReport } from './inbox.ts';
import { CHANNEL_WORDS, codeInWords, DETAIL_WORDS, NOT_TAKEN_WORDS, REMINDER_WORDS, RESULT_WORDS } from './words.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** `3d 4h`, `5h 12m`, `12m`, `under a minute`. */
export function formatDuration(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < MINUTE) return 'under a minute';
  const days = Math.floor(abs / DAY);
  const hours = Math.floor((abs % DAY) / HOUR);
  const minutes = Math.floor((abs % HOUR) / MINUTE);
  if (days > 0) return hours > 0 ? `${days}d ${hours}h` : `${days}d`;
  if (hours > 0) return minutes > 0 ? `${hours}h ${minutes}m` : `${hours}h`;
  return `${minutes}m`;
}

/** `2026-11-15 09:00` in Amsterdam time. */
export function formatLocal(iso: string): string {
  return formatAmsterdamIso(new Date(Date.parse(iso))).slice(0, 16).replace('T', ' ');
}

export function respondByText(respondBy: string, nowMs: number): string {
  const left = Date.parse(respondBy) - nowMs;
  return left < 0 ? `${formatLocal(respondBy)} (overdue ${formatDuration(-left)})` : `${formatLocal(respondBy)} (in ${formatDuration(left)})`;
}

/** Most pressing first: higher level, then the earliest deadline. */
export function byUrgency(a: InboxEntry, b: InboxEntry): number {
  const ca = current(a);
  const cb = current(b);
  const level = LEVELS.indexOf(cb.level) - LEVELS.indexOf(ca.level);
  return level !== 0 ? level : Date.parse(ca.respondBy) - Date.parse(cb.respondBy);
}

function partnersOf(message: AlertMessage | UpdateMessage | ReminderMessage): string {
  return 'partners' in message ? message.partners.join(', ') : '';
}

function createdAtOf(entry: InboxEntry): string {
  return entry.alert?.createdAt ?? entry.updates[0]?.message.createdAt ?? entry.reminders[0]!.message.createdAt;
}

export interface ListRow {
  alertId: string;
  level: string;
  status: string;
  waited: string;
  respondBy: string;
  partners: string;
  reasons: string;
}

export function listRows(entries: readonly InboxEntry[], nowMs: number): ListRow[] {
  return [...entries].sort(byUrgency).map((entry) => {
    const message = current(entry);
    const extras = [entry.updates.length ? `${entry.updates.length} update${entry.updates.length === 1 ? '' : 's'}` : '', entry.reminders.length ? `${entry.reminders.length} reminder${entry.reminders.length === 1 ? '' : 's'}` : '']
      .filter(Boolean)
      .join(', ');
    const status = isOverdue(entry, nowMs) ? `${entry.status}, overdue` : entry.status;
    return {
      alertId: entry.alertId,
      level: message.level,
      status: extras ? `${status} (${extras})` : status,
      waited: formatDuration(nowMs - Date.parse(createdAtOf(entry))),
      respondBy: respondByText(message.respondBy, nowMs),
      partners: partnersOf(message),
      reasons: message.reasons.map((r) => r.text).join('; '),
    };
  });
}

/** A plain text table; the last column is cut to the terminal width when one is known. */
function formatColumns<Row extends { [K in keyof Row]: string }>(headers: Record<keyof Row, string>, rows: readonly Row[], width?: number): string {
  const keys = Object.keys(headers) as (keyof Row)[];
  const widths = keys.map((key) => Math.max(headers[key].length, ...rows.map((row) => row[key].length)));
  const line = (cells: string[]) => {
    const text = cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ');
    return width && text.length > width ? `${text.slice(0, Math.max(width - 1, 20))}…` : text;
  };
  return [line(keys.map((k) => headers[k])), ...rows.map((row) => line(keys.map((k) => row[k])))].join('\n');
}

export function formatTable(rows: readonly ListRow[], width?: number): string {
  return formatColumns<ListRow>({ alertId: 'ALERT', level: 'LEVEL', status: 'STATUS', waited: 'WAITED', respondBy: 'RESPOND BY', partners: 'PARTNERS', reasons: 'REASONS' }, rows, width);
}

/** Other teams' alerts escalated to a coordinating team: which team to chase, and how long the alert has waited. */
export function formatEscalations(escalations: readonly InboxEscalation[], nowMs: number, width?: number): string {
  const rows = [...escalations]
    .sort((a, b) => Date.parse(a.message.dueAt) - Date.parse(b.message.dueAt))
    .map(({ alertId, alertTeam, message }) => ({
      alertId,
      team: alertTeam,
      level: message.level,
      waited: formatDuration(nowMs - Date.parse(message.alertCreatedAt ?? message.createdAt)),
      respondBy: respondByText(message.respondBy, nowMs),
      escalated: formatLocal(message.dueAt),
    }));
  return formatColumns({ alertId: 'ALERT', team: 'TEAM', level: 'LEVEL', waited: 'WAITED', respondBy: 'RESPOND BY', escalated: 'ESCALATED' }, rows, width);
}

/** One escalation: the alert and the team to chase, its deadlines; it carries no household data to show. */
export function formatEscalation(escalation: InboxEscalation, nowMs: number): string {
  const { message } = escalation;
  const raisedAt = message.alertCreatedAt ?? message.createdAt;
  return `${[
    `Escalation ${escalation.alertId}: ${message.level}, an alert of team ${escalation.alertTeam} still untouched`,
    `  municipality  ${message.municipalityCode}`,
    `  raised        ${formatLocal(raisedAt)} (waited ${formatDuration(nowMs - Date.parse(raisedAt))})`,
    `  respond by    ${respondByText(message.respondBy, nowMs)}`,
    `  escalated     ${formatLocal(message.dueAt)} (received ${formatLocal(escalation.receivedAt)})`,
    '  reasons',
    ...message.reasons.map((reason) => `    - ${reason.text} [${reason.code}]`),
    `  what to do    chase team ${escalation.alertTeam}: only that team can pick up, forward or close the alert`,
  ].join('\n')}\n`;
}

function addressLine(address: AlertMessage['address']): string {
  const number = `${address.houseNumber}${address.houseLetter ?? ''}${address.houseNumberAddition ? `-${address.houseNumberAddition}` : ''}`;
  return `${address.postcode.slice(0, 4)} ${address.postcode.slice(4)} ${number}`;
}

function figures(values: Record<string, string | number | boolean>): string {
  return Object.entries(values)
    .map(([key, value]) => `${key} ${value}`)
    .join(', ');
}

/** One alert in full, need-to-know data included: for the team that makes the visit. */
export function formatEntry(entry: InboxEntry, nowMs: number): string {
  const message = current(entry);
  const out: string[] = [];
  out.push(`Alert ${entry.alertId}: ${message.level}, ${entry.status}`);
  out.push(`  team          ${message.team} (municipality ${message.municipalityCode})`);
  out.push(`  raised        ${formatLocal(createdAtOf(entry))} (waited ${formatDuration(nowMs - Date.parse(createdAtOf(entry)))})`);
  out.push(`  respond by    ${respondByText(message.respondBy, nowMs)}`);
  if ('score' in message) out.push(`  score         ${message.score}${message.capacityExceeded ? ' (the team is past its yearly capacity)' : ''}`);
  out.push('  reasons');
  for (const reason of message.reasons) out.push(`    - ${reason.text} [${reason.code}]`);
  if ('partners' in message) {
    out.push(`  partners      ${message.partners.join(', ')}`);
    out.push('  signals');
    for (const signal of message.signals) out.push(`    - ${signal.type} from ${signal.partnerId}, observed ${formatLocal(signal.observedAt)}: ${figures(signal.figures)}`);
    out.push('  need-to-know (for the visit only; do not copy it elsewhere)');
    out.push(`    address     ${addressLine(message.address)}`);
    if (message.household) out.push(`    household   ${figures(message.household as Record<string, number>)}`);
    if (message.contact) {
      if (message.contact.name) out.push(`    name        ${message.contact.name}`);
      if (message.contact.phone) out.push(`    phone       ${message.contact.phone}`);
      if (message.contact.email) out.push(`    e-mail      ${message.contact.email}`);
    }
  }
  out.push('  timeline');
  for (const line of timelineOf(entry)) out.push(`    ${formatLocal(line.at)}  ${line.direction.padEnd(8)}  ${line.text}`);
  if (entry.duplicates > 0) out.push(`  (${entry.duplicates} duplicate message${entry.duplicates === 1 ? '' : 's'} folded in)`);
  return `${out.join('\n')}\n`;
}

/** A report in words: codes as the pipeline keeps them, with what they mean; never free text. */
function reportText(report: InboxReport): string {
  const by = report.by ? ` by ${report.by}` : '';
  switch (report.type) {
    case 'AlertPickedUp':
      return `picked up${by}`;
    case 'ContactAttemptLogged':
      return `contact attempt ${CHANNEL_WORDS[report.channel!]}${report.partOfDay ? ` (${report.partOfDay})` : ''}: ${report.reached ? 'reached' : 'not reached'}${by}`;
    case 'AlertNotTaken':
      return `not taken: ${NOT_TAKEN_WORDS[report.reason as keyof typeof NOT_TAKEN_WORDS]}${by}`;
    case 'AlertForwarded':
      return `forwarded to ${report.toTeam}${report.reason ? ` (${report.reason})` : ''}${by}`;
    case 'CaseClosed':
      return `closed: ${RESULT_WORDS[report.result!]}${report.detail ? `, ${codeInWords(report.detail, DETAIL_WORDS)}` : ''}${by}`;
  }
}

export interface TimelineLine {
  at: string;
  direction: 'received' | 'sent';
  text: string;
}

/**
 * What the team received (alert, updates, reminders) and sent (its reports), in the order of
 * their own times; a report dated after the alert's end is marked so. Codes and levels only:
 * the address and contact details stay in the need-to-know part above.
 */
export function timelineOf(entry: InboxEntry): TimelineLine[] {
  const lines: TimelineLine[] = [];
  if (entry.alert) lines.push({ at: entry.alert.createdAt, direction: 'received', text: `alert, level ${entry.alert.level}${entry.alert.forwardedFrom ? `, forwarded from ${entry.alert.forwardedFrom}` : ''}` });
  for (const { message } of entry.updates) lines.push({ at: message.createdAt, direction: 'received', text: `update: level ${message.level}; ${message.reasons.map((r) => r.code).join(', ')}` });
  for (const { message } of entry.reminders) {
    lines.push({ at: message.createdAt, direction: 'received', text: `reminder: ${REMINDER_WORDS[message.reason ?? 'verdict-lapses']} (due ${formatLocal(message.dueAt)})` });
  }
  for (const report of reportsByTime(entry)) {
    lines.push({ at: report.at, direction: 'sent', text: `${reportText(report)}${isAfterEnd(entry, report) ? ' (after the alert had ended: no effect)' : ''}` });
  }
  return lines.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}
