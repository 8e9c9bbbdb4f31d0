/** Reading what the monitor of a month needs from the month indexes, one query a month, never a scan. */
import type { CompiledPolicy } from '@vroegsignaal/policy';
import { monitorFigures, monitorMonths, type MonitorFigures } from '../model/monitor.ts';
import type { MonitorSource } from '../ports.ts';

export async function readMonitorFigures(source: MonitorSource, policy: CompiledPolicy, municipalityCode: string, month: string, nowMs: number): Promise<MonitorFigures> {
  const months = monitorMonths(month, policy);
  const [entries, alerts] = await Promise.all([
    Promise.all(months.entries.map((m) => source.entriesJudged(municipalityCode, m))),
    Promise.all(months.alerts.map((m) => source.alertsRaised(municipalityCode, m))),
  ]);
  return monitorFigures({ municipalityCode, entries: entries.flat(), alerts: alerts.flat(), nowMs }, policy, month);
}
