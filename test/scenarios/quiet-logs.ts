/**
 * The handlers log and emit metrics per entry; in scenario runs that drowns the test report.
 * Imported first by entries.ts, before the handlers' modules create their logger. Set
 * SCENARIO_LOGS=1 to see them.
 */
if (process.env.SCENARIO_LOGS !== '1') {
  process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
}
export {};
