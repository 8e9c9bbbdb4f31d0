/**
 * npm run monitor -- --municipality GM0344 --month 2026-11 [--publish] [--out DIR]: the
 * municipality's monitor of a month, as an HTML report, a CSV per block and the headline on the
 * terminal. From a feed replayed on the in-memory engine (the sample feed by default), or from a
 * running stack's table (--endpoint).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkOutputFile, defineCommand, runCommand, UsageError, type CommandArgs } from '@vroegsignaal/command';
import { isMonitorMonth, publishable, readMonitorFigures, type MonitorFigures } from '@vroegsignaal/domain';
import { monitorCsv, monitorHeadline, monitorReportHtml } from '@vroegsignaal/functions';
import { loadMunicipalityPolicy, MONITOR_SOURCE_OPTIONS, MONITOR_SOURCE_USAGE, monitorSourceArgs, withMonitorSource, type MonitorSourceArgs } from './monitor-source-options.ts';

const DEFAULT_OUT = '.data/monitor';

const MONITOR = defineCommand({
  name: 'npm run monitor --',
  purpose: "Makes the municipality's monitor of a calendar month (intake, matching, escalation, response, reach, results; the month and the year to date): an HTML report with charts, a CSV per block, and the headline figures printed here.",
  usage: [`--municipality CODE --month YYYY-MM [--publish] [--out DIR] ${MONITOR_SOURCE_USAGE.feed}`, `--municipality CODE --month YYYY-MM [--publish] [--out DIR] ${MONITOR_SOURCE_USAGE.endpoint}`],
  examples: [
    'npm run monitor -- --municipality GM0344 --month 2026-11',
    'npm run monitor -- --municipality GM0344 --month 2026-11 --publish --out reports',
    'npm run monitor -- --municipality GM0344 --month 2026-11 --endpoint http://127.0.0.1:8000',
  ],
  options: {
    municipality: { type: 'string', value: 'CODE', description: 'the CBS code of the municipality, e.g. GM0344 (Utrecht)' },
    month: { type: 'string', value: 'YYYY-MM', description: 'the calendar month (Europe/Amsterdam); the year to date runs from January to its end' },
    publish: { type: 'boolean', description: 'for publication: every cell of fewer than 5 households shown as <5, and what would give it away left out' },
    out: { type: 'string', value: 'DIR', description: `write the report and the CSVs here (default ${DEFAULT_OUT})` },
    ...MONITOR_SOURCE_OPTIONS,
  },
  notes: [
    'Writes DIR/monitor-CODE-MONTH.html (one file: open it in a browser, print it or mail it) and DIR/monitor-CODE-MONTH-BLOCK.csv per block (;-separated, as Dutch Excel opens it).',
    'Aggregate only: counts, shares and days, never an address, a contact or a household. The sample feed takes about a second.',
  ],
});

export interface MonitorCliArgs extends MonitorSourceArgs {
  municipalityCode: string;
  month: string;
  publish: boolean;
  out: string;
}

export function monitorArgs({ values }: CommandArgs<typeof MONITOR.options>): MonitorCliArgs {
  if (values.municipality === undefined) throw new UsageError('--municipality CODE is required, e.g. --municipality GM0344');
  if (values.month === undefined) throw new UsageError('--month YYYY-MM is required, e.g. --month 2026-11');
  if (!isMonitorMonth(values.month)) throw new UsageError(`--month must be a calendar month as YYYY-MM, e.g. 2026-11, not "${values.month}"`);
  return { ...monitorSourceArgs(values), municipalityCode: values.municipality, month: values.month, publish: values.publish === true, out: values.out ?? DEFAULT_OUT };
}

/** The files of a report: the HTML, then a CSV per block. */
export function monitorFiles(figures: MonitorFigures): Record<string, string> {
  const stem = `monitor-${figures.municipalityCode}-${figures.month}`;
  const csv = Object.entries(monitorCsv(figures)).map(([block, text]) => [`${stem}-${block}.csv`, text] as const);
  return Object.fromEntries([[`${stem}.html`, monitorReportHtml(figures)], ...csv]);
}

export async function runMonitor(args: MonitorCliArgs): Promise<void> {
  const policy = loadMunicipalityPolicy(args.config, args.municipalityCode);
  const { figures, description } = await withMonitorSource(args, policy, async ({ source, nowMs, description }) => ({
    figures: await readMonitorFigures(source, policy, args.municipalityCode, args.month, nowMs),
    description,
  }));
  const report = args.publish ? publishable(figures) : figures;
  const files = monitorFiles(report);
  for (const name of Object.keys(files)) checkOutputFile(join(args.out, name), 'a file to write the report to (--out DIR)');
  mkdirSync(args.out, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(args.out, name), text);
  process.stdout.write(`${monitorHeadline(report).join('\n')}\n`);
  process.stderr.write(`From ${description}.\nWritten: ${Object.keys(files).map((name) => join(args.out, name)).join(', ')}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await runCommand(MONITOR, process.argv.slice(2), (args) => runMonitor(monitorArgs(args)));
}
