/**
 * The replay's human summary, for stderr: counts per team and level, outcomes, and the
 * rejected lines with their reasons. It names teams, levels, line numbers and reasons only:
 * never an address or contact data.
 */
import { LEVELS } from '@vroegsignaal/events';
import type { ReplayResult } from './replay.ts';

export function formatSummary(result: ReplayResult): string {
  const rows = new Map<string, Record<string, number>>();
  for (const { team, message } of result.messages) {
    const row = rows.get(team) ?? {};
    const column = message.kind === 'alert' ? message.level : message.kind;
    row[column] = (row[column] ?? 0) + 1;
    if (message.kind !== 'reminder' && message.capacityExceeded) row.overCapacity = (row.overCapacity ?? 0) + 1;
    rows.set(team, row);
  }
  const columns = [...LEVELS, 'update', 'reminder', 'overCapacity'];
  const teamWidth = Math.max(4, ...[...rows.keys()].map((t) => t.length));
  const lines: string[] = [];
  lines.push(`Replayed ${result.entries} entries on the ${result.engine} engine in ${(result.elapsedMs / 1000).toFixed(1)} s: ${result.messages.length} team messages.`);
  lines.push('');
  lines.push(['team'.padEnd(teamWidth), ...columns.map((c) => c.padStart(Math.max(6, c.length)))].join('  '));
  for (const team of [...rows.keys()].sort()) {
    const row = rows.get(team)!;
    lines.push([team.padEnd(teamWidth), ...columns.map((c) => String(row[c] ?? 0).padStart(Math.max(6, c.length)))].join('  '));
  }
  const counts = new Map<string, number>();
  for (const o of result.outcomes) counts.set(o.outcome, (counts.get(o.outcome) ?? 0) + 1);
  lines.push('');
  lines.push(`Outcomes: ${[...counts.entries()].map(([k, v]) => `${k} ${v}`).join(', ')}`);
  const overCapacity = result.messages.filter(({ message }) => message.kind === 'alert' && message.capacityExceeded);
  for (const { team, message } of overCapacity) {
    lines.push(`Warning: ${team} is past its yearly capacity; alert ${message.kind === 'alert' ? message.alertId : ''} was delivered with capacityExceeded.`);
  }
  const rejected = result.outcomes.filter((o) => o.outcome === 'rejected');
  if (rejected.length > 0) {
    lines.push('');
    lines.push('Rejected lines:');
    for (const o of rejected) lines.push(`  line ${o.line}: ${o.reason}`);
  }
  return `${lines.join('\n')}\n`;
}
