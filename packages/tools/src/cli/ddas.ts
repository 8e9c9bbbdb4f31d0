/**
 * npm run ddas -- --municipality GM0344 --from 2026-10-01 --to 2026-12-31 --out FILE: the
 * municipality's DDAS v1.2 export of a period, from a feed replayed in memory (the sample feed
 * by default) or a running stack's table (--endpoint). The file holds addresses: it is written
 * for its owner alone (mode 0600) and never printed; the terminal gets counts only.
 */
import { closeSync, fchmodSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { isCalendarDate } from '@vroegsignaal/calendar';
import { checkOutputFile, defineCommand, runCommand, UsageError, type CommandArgs } from '@vroegsignaal/command';
import { readDdasExport } from '@vroegsignaal/domain';
import { ddasUitwisselmodelSchema, type DdasUitwisselmodel } from '@vroegsignaal/events';
import { loadMunicipalityPolicy, MONITOR_SOURCE_OPTIONS, MONITOR_SOURCE_USAGE, monitorSourceArgs, withMonitorSource, type MonitorSourceArgs } from './monitor-source-options.ts';

const VERSION = (JSON.parse(readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
/** codeGegevensleverancier: the product and its version. */
export const DDAS_SUPPLIER = `vroegsignaal ${VERSION}`;

export const DDAS = defineCommand({
  name: 'npm run ddas --',
  purpose: "Makes the municipality's DDAS v1.2 export of a period (the VNG exchange model for the national early-signalling monitor): its rent-arrears and debt or income signals and the cases that handled them, as one JSON document.",
  usage: [`--municipality CODE --from YYYY-MM-DD --to YYYY-MM-DD --out FILE ${MONITOR_SOURCE_USAGE.feed}`, `--municipality CODE --from YYYY-MM-DD --to YYYY-MM-DD --out FILE ${MONITOR_SOURCE_USAGE.endpoint}`],
  examples: [
    'npm run ddas -- --municipality GM0344 --from 2026-10-01 --to 2026-12-31 --out .data/ddas-GM0344-2026Q4.json',
    'npm run ddas -- --municipality GM0344 --from 2026-10-01 --to 2026-12-31 --out ddas.json --endpoint http://127.0.0.1:8000',
  ],
  options: {
    municipality: { type: 'string', value: 'CODE', description: 'the CBS code of the municipality, e.g. GM0344 (Utrecht)' },
    from: { type: 'string', value: 'YYYY-MM-DD', description: "the period's first day (Europe/Amsterdam)" },
    to: { type: 'string', value: 'YYYY-MM-DD', description: "the period's last day, included" },
    out: { type: 'string', value: 'FILE', description: 'write the document here, readable by you alone (mode 0600); it holds addresses' },
    ...MONITOR_SOURCE_OPTIONS,
  },
  notes: [
    'The document names the delivering organisation from the policy (ddas.aanleverendeOrganisatie of the municipality), else the municipality alone.',
    'It holds addresses (postcode, house number, addition; never a BSN or a birth date): it is never printed, and the terminal shows counts only. Nuisance, proceedings and care outside debt and income are not in it: DDAS is about payment arrears.',
  ],
});

export interface DdasCliArgs extends MonitorSourceArgs {
  municipalityCode: string;
  from: string;
  to: string;
  out: string;
}

export function ddasArgs({ values }: CommandArgs<typeof DDAS.options>): DdasCliArgs {
  const { municipality, from, to, out } = values;
  if (municipality === undefined) throw new UsageError('--municipality CODE is required, e.g. --municipality GM0344');
  for (const [option, value] of [['--from', from], ['--to', to]] as const) {
    if (value === undefined) throw new UsageError(`${option} YYYY-MM-DD is required, e.g. --from 2026-10-01 --to 2026-12-31`);
    if (!isCalendarDate(value)) throw new UsageError(`${option} must be a date as YYYY-MM-DD, e.g. 2026-10-01, not "${value}"`);
  }
  if (from! > to!) throw new UsageError(`--to must not lie before --from (${from})`);
  if (out === undefined) throw new UsageError('--out FILE is required: the document holds addresses and is never printed');
  return { ...monitorSourceArgs(values), municipalityCode: municipality, from: from!, to: to!, out };
}

/** Writes `text` to `path` for its owner alone, also when the file was there with wider rights. */
function writePrivateFile(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, 'w', 0o600);
  try {
    fchmodSync(fd, 0o600);
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
}

/** What the terminal may say of a document: counts, never an address. */
export function describeDdas(document: DdasUitwisselmodel): string {
  const levering = document.leveringen?.[0];
  const signals = levering?.vroegsignalen ?? [];
  const cases = levering?.vroegsignaalzaken ?? [];
  const byType = new Map<string, number>();
  for (const signal of signals) byType.set(signal.signaalpartner.type ?? '-', (byType.get(signal.signaalpartner.type ?? '-') ?? 0) + 1);
  const types = [...byType].map(([type, n]) => `${type} ${n}`).join(', ');
  const withResult = cases.filter((c) => c.resultaat !== undefined).length;
  const attempts = cases.reduce((sum, c) => sum + (c.contactpogingen?.length ?? 0), 0);
  return [
    `DDAS export of ${levering?.gemeentecode ?? '-'}, ${document.startdatumLevering} to ${document.einddatumLevering}:`,
    `  ${signals.length} vroegsignalen${types ? ` (${types})` : ''}`,
    `  ${cases.length} vroegsignaalzaken (${withResult} with a resultaat, ${cases.length - withResult} open), ${attempts} contactpogingen`,
  ].join('\n');
}

export async function runDdas(args: DdasCliArgs): Promise<void> {
  const policy = loadMunicipalityPolicy(args.config, args.municipalityCode);
  checkOutputFile(args.out, 'a file to write the document to (--out FILE)');
  const { document, description } = await withMonitorSource(args, policy, async ({ source, nowMs, description }) => ({
    document: await readDdasExport(source, policy, { municipalityCode: args.municipalityCode, from: args.from, to: args.to, nowMs, supplier: DDAS_SUPPLIER }),
    description,
  }));
  // Never write a document the standard would refuse. The error names the paths only, never a value.
  const checked = ddasUitwisselmodelSchema.safeParse(document);
  if (!checked.success) throw new Error(`the document does not validate against DDAS v1.2 at ${checked.error.issues.map((i) => i.path.join('.')).join(', ')}; nothing was written`);
  writePrivateFile(args.out, `${JSON.stringify(document, null, 2)}\n`);
  process.stdout.write(`${describeDdas(document)}\n`);
  process.stderr.write(`From ${description}.\nWritten: ${args.out} (mode 0600: it holds addresses)\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await runCommand(DDAS, process.argv.slice(2), (args) => runDdas(ddasArgs(args)));
}
