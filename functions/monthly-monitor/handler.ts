/**
 * The monthly monitor: on the 1st of a month (the schedule, on AWS), the previous calendar
 * month's monitor of every municipality of the policy, as `npm run monitor` writes it (the HTML
 * report and a CSV per block), filed under `<municipality>/<month>/`, and a notice to that
 * municipality's operators. Read through the month indexes (MonitorSource), never a scan;
 * aggregates only, the operators' own view (not suppressed). A rerun of a month replaces its files.
 */
import { addCalendarMonthsMs } from '@vroegsignaal/calendar';
import { monitorMonthOf, readMonitorFigures, type MonitorReports, type MonitorSource } from '@vroegsignaal/domain';
import type { CompiledPolicy } from '@vroegsignaal/policy';
import { logger } from '../lib/observability.ts';
import { monitorCsv, monitorReportHtml, monthInDutch } from '../monitor/report.ts';

export interface MonthlyMonitorDeps {
  policy: () => CompiledPolicy;
  monitor: MonitorSource;
  reports: MonitorReports;
  clock: () => number;
}

export interface MonthlyMonitorResult {
  month: string;
  /** The keys written, per municipality. */
  files: Record<string, string[]>;
}

export function createMonthlyMonitorHandler(deps: MonthlyMonitorDeps): () => Promise<MonthlyMonitorResult> {
  return async () => {
    const nowMs = deps.clock();
    const month = monitorMonthOf(addCalendarMonthsMs(nowMs, -1));
    const policy = deps.policy();
    const files: Record<string, string[]> = {};
    for (const municipality of policy.policy.municipalities) {
      const code = municipality.code;
      const figures = await readMonitorFigures(deps.monitor, policy, code, month, nowMs);
      const written = [{ key: `${code}/${month}/monitor.html`, body: monitorReportHtml(figures), type: 'text/html; charset=utf-8' }];
      for (const [block, csv] of Object.entries(monitorCsv(figures))) written.push({ key: `${code}/${month}/${block}.csv`, body: csv, type: 'text/csv; charset=utf-8' });
      for (const file of written) await deps.reports.put(file.key, file.body, file.type);
      files[code] = written.map((f) => f.key);
      await deps.reports.notify(
        code,
        `Monitor vroegsignalering ${municipality.name}, ${monthInDutch(month)}`,
        `De monitor vroegsignalering van ${municipality.name} over ${monthInDutch(month)} staat klaar: ${files[code].join(', ')} (alleen aantallen, niet voor publicatie).`,
      );
      logger.info('monthly monitor written', { municipalityCode: code, month, files: written.length });
    }
    return { month, files };
  };
}
