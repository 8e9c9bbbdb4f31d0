/**
 * The replay's human summary, for stderr: the messages per team and level, what became of the
 * teams' alerts by the end (open, overdue, picked up, reached, how they ended), outcomes, and
 * the rejected lines with their reasons. It names teams, levels, line numbers, times and
 * reasons only: never an address or contact data.
 */
import { formatAmsterdamIso } from '@vroegsignaal/calendar';
import { CASE_RESULTS, LEVELS, type TeamMessage } from '@vroegsignaal/events';
import { alertStatus, endingEntry, type AlertRecord } from '@vroegsignaal/domain';
import type { ReplayResult } from './replay.ts';

type Row = Record<string, number>;

/** Open alerts, then the ways an alert ends: closed (by result), not taken, forwarded. */
const ALERT_COLUMNS = ['open', 'overdue', 'picked-up', 'reached', ...CASE_RESULTS, 'not-taken', 'forwarded'] as const;
/** A closed alert whose record keeps no result (a v1 record). */
const RESULT_UNKNOWN = 'closed-no-result';

/**
 * Per team, what its alerts are at `endMs`: open (raised, picked up or reached) and of those
 * overdue (still raised past respondBy); ever picked up, ever reached; and how those that
 * ended, ended: closed by result, not taken, forwarded. `respondByOf` gives an alert's
 * deadline from its message, for a record that does not keep it.
 */
export function tallyAlerts(records: Iterable<AlertRecord>, endMs: number, respondByOf: (alertId: string) => number | undefined = () => undefined): Map<string, Row> {
  const rows = new Map<string, Row>();
  for (const record of records) {
    const row = rows.get(record.team) ?? {};
    rows.set(record.team, row);
    const count = (column: string) => {
      row[column] = (row[column] ?? 0) + 1;
    };
    const status = alertStatus(record);
    if (status === 'raised' || status === 'picked-up' || status === 'reached') count('open');
    const respondByMs = record.respondByMs ?? respondByOf(record.alertId);
    if (status === 'raised' && respondByMs !== undefined && respondByMs < endMs) count('overdue');
    if (record.pickedUpAtMs !== undefined) count('picked-up');
    if (record.reachedAtMs !== undefined) count('reached');
    if (status === 'closed') count(endingEntry(record)?.result ?? RESULT_UNKNOWN);
    if (status === 'not-taken' || status === 'forwarded') count(status);
  }
  return rows;
}

/** The replay's alert tally per team at its clock's end (undefined when the records were not read): what the summary shows. */
export function alertsAtEnd(result: Pick<ReplayResult, 'alertRecords' | 'clockMs' | 'messages'>): Map<string, Row> | undefined {
  return result.alertRecords && tallyAlerts(result.alertRecords, result.clockMs, respondByOfMessages(result.messages));
}

/** The deadline of every alert message sent, by alert id. */
function respondByOfMessages(messages: readonly { message: TeamMessage }[]): (alertId: string) => number | undefined {
  const deadlines = new Map<string, number>();
  for (const { message } of messages) if (message.kind === 'alert') deadlines.set(message.alertId, Date.parse(message.respondBy));
  return (alertId) => deadlines.get(alertId);
}

function formatTable(rows: Map<string, Row>, columns: readonly string[]): string[] {
  const teamWidth = Math.max(4, ...[...rows.keys()].map((t) => t.length));
  const lines = [['team'.padEnd(teamWidth), ...columns.map((c) => c.padStart(Math.max(6, c.length)))].join('  ')];
  for (const team of [...rows.keys()].sort()) {
    const row = rows.get(team)!;
    lines.push([team.padEnd(teamWidth), ...columns.map((c) => String(row[c] ?? 0).padStart(Math.max(6, c.length)))].join('  '));
  }
  return lines;
}

export function formatSummary(result: ReplayResult): string {
  const rows = new Map<string, Row>();
  for (const { team, message } of result.messages) {
    const row = rows.get(team) ?? {};
    const column = message.kind === 'alert' ? message.level : message.kind;
    row[column] = (row[column] ?? 0) + 1;
    if (message.kind !== 'reminder' && message.capacityExceeded) row.overCapacity = (row.overCapacity ?? 0) + 1;
    rows.set(team, row);
  }
  const lines: string[] = [];
  lines.push(`Replayed ${result.entries} entries on the ${result.engine} engine in ${(result.elapsedMs / 1000).toFixed(1)} s: ${result.messages.length} team messages.`);
  lines.push('');
  lines.push(...formatTable(rows, [...LEVELS, 'update', 'reminder', 'overCapacity']));
  const alerts = alertsAtEnd(result);
  if (alerts && alerts.size > 0) {
    const unknownResult = [...alerts.values()].some((row) => row[RESULT_UNKNOWN] !== undefined);
    lines.push('');
    lines.push(`The teams' alerts at ${formatAmsterdamIso(new Date(result.clockMs))}: open (of which overdue), picked up, reached, and how they ended:`);
    lines.push(...formatTable(alerts, unknownResult ? [...ALERT_COLUMNS, RESULT_UNKNOWN] : ALERT_COLUMNS));
  }
  const counts = new Map<string, number>();
  for (const o of result.outcomes) counts.set(o.outcome, (counts.get(o.outcome) ?? 0) + 1);
  lines.push('');
  lines.push(`Outcomes: ${[...counts.entries()].map(([k, v]) => `${k} ${v}`).join(', ')}`);
  const overCapacity = result.messages.filter(({ message }) => message.kind === 'alert' && message.capacityExceeded);
  for (const { team, message } of overCapacity) {
    lines.push(`Warning: ${team} is past its yearly capacity; alert ${message.kind === 'alert' ? message.alertId : ''} was delivered with capacityExceeded.`);
  }
  if (result.clockHeld.length > 0) {
    lines.push('');
    lines.push('Lines whose Now lies before the clock (the clock never runs back; each was judged at the clock):');
    for (const held of result.clockHeld) lines.push(`  line ${held.line}: Now ${formatAmsterdamIso(new Date(held.nowMs))}, the clock ${formatAmsterdamIso(new Date(held.clockMs))}`);
  }
  const rejected = result.outcomes.filter((o) => o.outcome === 'rejected');
  if (rejected.length > 0) {
    lines.push('');
    lines.push('Rejected lines:');
    for (const o of rejected) lines.push(`  line ${o.line}: ${o.reason}`);
  }
  return `${lines.join('\n')}\n`;
}
