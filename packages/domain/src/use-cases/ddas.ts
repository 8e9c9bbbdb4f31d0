/** Reading what the DDAS export of a period needs from the month indexes: a query a month and index, then the households by reference; never a scan. */
import type { CompiledPolicy } from '@vroegsignaal/policy';
import type { DdasUitwisselmodel } from '@vroegsignaal/events';
import { ddasDocument, monthsOfPeriod, type DdasExportInput } from '../model/ddas.ts';
import type { MonitorSource } from '../ports.ts';

export type DdasExportRequest = Omit<DdasExportInput, 'alerts' | 'households'>;

export async function readDdasExport(source: MonitorSource, policy: CompiledPolicy, request: DdasExportRequest): Promise<DdasUitwisselmodel> {
  const months = monthsOfPeriod(request.from, request.to);
  const [entries, alerts] = await Promise.all([
    Promise.all(months.map((month) => source.entriesJudged(request.municipalityCode, month))),
    Promise.all(months.map((month) => source.alertsRaised(request.municipalityCode, month))),
  ]);
  const refs = new Set<string>();
  for (const alert of alerts.flat()) refs.add(alert.householdRef);
  for (const entry of entries.flat()) if (entry.householdRef !== undefined) refs.add(entry.householdRef);
  const households = await source.households([...refs].sort());
  return ddasDocument({ ...request, alerts: alerts.flat(), households }, policy);
}
