/**
 * vroegsignaal-partner: push a CSV export of rent arrears to the signals bus, and read back
 * what became of its rows. See packages/cli/README.md, "For partners".
 */
import { readFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { documentClient } from '@vroegsignaal/adapters';
import { REJECTION_KEPT_DAYS } from '@vroegsignaal/domain';
import { loadPolicyOption } from '../policy-option.ts';
import { connectionOptions, resolveConnection } from '../aws.ts';
import { integerOption, parseOptions, resolveNow, runCommand, type CliIo } from '../cli.ts';
import { describeReadAs, parseEncoding } from '../encoding.ts';
import { CliError, EXIT, unreachable, UsageError } from '../errors.ts';
import { progressBar } from '../progress.ts';
import { NETWORK_HINT } from '../put-events.ts';
import { loadMappingFile } from './mapping.ts';
import { countOutcomes, describeCounts, describeRow, LOCAL_TABLE_NAME, readOutcomes, tableReader, unsentRows, waitForOutcomes, type RowOutcome } from './outcomes.ts';
import { prepareCsv, type PreparedFile, type PrepareOptions } from './prepare.ts';
import { pushCsv, type PushResult } from './push.ts';

/** Long enough for a local stack or a deployed one to judge a few thousand rows; `--wait` for more. */
const DEFAULT_WAIT_SECONDS = 60;

export const PARTNER_HELP = `vroegsignaal-partner: send rent arrears from a CSV export to vroegsignaal

Usage:
  vroegsignaal-partner push FILE --partner ID [options]       validate every row, send the valid ones, wait for their outcomes
  vroegsignaal-partner push FILE --partner ID --dry-run       validate only; nothing is sent
  vroegsignaal-partner outcomes FILE --partner ID [options]   what became of each row of a file sent earlier

The file: a CSV export, ";" "," or tab separated (detected), Dutch or English headers
(Postcode, Huisnummer, Huisletter, Toevoeging, Gemeente, Datum/Peildatum, Achterstand (EUR),
Maanden achterstand, Huur, Betalingsregeling, Naam, Telefoon, E-mail, Aantal kinderen ...),
amounts with a decimal comma or point, dates as 31-10-2026 or 2026-10-31; in UTF-8 (with or
without BOM), UTF-16 or Windows-1252 (detected, and said which). Each row becomes one
RentArrearsReported signal; its signalId is derived from the row, so sending a file again gives
duplicates, never new signals. Bad rows are reported as "line N: reason" and not sent.

Options:
  --partner ID            your partner id (Source partner.ID), or "partnerId" in the mapping file
  --mapping FILE          JSON mapping for an export with other headers (see examples/mapping.json)
  --municipality CODE     CBS code for every row (e.g. GM0344) when the file has no Gemeente column
  --encoding NAME         utf-8, utf-16le, utf-16be or windows-1252 (latin1 and iso-8859-1 are
                          read as windows-1252, as browsers do); default: detected
  --policy DIR            policy to check registration against (default: the shipped defaults)
  --no-policy-check       skip the partner and municipality registration checks
  --now ISO               "now" for the age checks (default: VROEGSIGNAAL_NOW, else the clock)
  --dry-run               validate and report; send nothing
  --wait SECONDS          push: wait at most this long for the outcomes of what was sent (default ${DEFAULT_WAIT_SECONDS})
  --no-wait               push: do not wait; see them later with outcomes
  --strict                exit 1 when any row was rejected
  --json                  print the result as JSON on stdout
  --verbose               also show which column feeds which field

Where to send (both commands):
  --endpoint URL          EventBridge endpoint, e.g. the local stack's (default: AWS_ENDPOINT_URL_EVENTBRIDGE, else AWS)
  --region REGION         AWS region (default: AWS_REGION; eu-west-1 for a local endpoint)
  --profile NAME          AWS profile for credentials (default: the SDK's default chain)
  --account ID            local stack only: the 12-digit account the local bus attributes entries to
  --bus NAME              event bus name or ARN (default: signals)
  --max-attempts N        attempts per entry for throttled or failed entries (default 5)

Where outcomes are read (outcomes, and push while it waits):
  --table NAME            the household table (default: ${LOCAL_TABLE_NAME}, the local stack's)
  --dynamodb-endpoint URL DynamoDB endpoint (default: AWS_ENDPOINT_URL_DYNAMODB, else AWS)
  Give outcomes the same --mapping, --municipality and --encoding as push: they decide the
  signal ids.

Both end with what became of the rows: "line N: outcome (reason)" (push lists the rows not
accepted), and the counts of accepted, duplicate, repeat, below-threshold, withdrawn and
rejected (per rule), and of rows refused before sending (per rule).

Exit status: 0 done (rejected rows are reported, not fatal), 1 entries the bus did not take
(or rejected rows with --strict), 2 the bus or table cannot be reached, 64 usage error.
`;

const OPTIONS = {
  partner: { type: 'string' },
  mapping: { type: 'string' },
  municipality: { type: 'string' },
  encoding: { type: 'string' },
  policy: { type: 'string' },
  'no-policy-check': { type: 'boolean' },
  now: { type: 'string' },
  'dry-run': { type: 'boolean' },
  wait: { type: 'string' },
  'no-wait': { type: 'boolean' },
  strict: { type: 'boolean' },
  json: { type: 'boolean' },
  verbose: { type: 'boolean' },
  endpoint: { type: 'string' },
  region: { type: 'string' },
  profile: { type: 'string' },
  account: { type: 'string' },
  bus: { type: 'string' },
  'max-attempts': { type: 'string' },
  table: { type: 'string' },
  'dynamodb-endpoint': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parseOptions<typeof OPTIONS>>['values'];


export async function runPartnerCli(argv: string[], io: CliIo): Promise<number> {
  return runCommand(io, async () => {
    const { values, positionals } = parseOptions(argv, OPTIONS);
    const [command, file, ...rest] = positionals;
    if (values.help || command === undefined || command === 'help') {
      io.stdout(PARTNER_HELP);
      return command === undefined && !values.help ? EXIT.usage : EXIT.ok;
    }
    if (command !== 'push' && command !== 'outcomes') throw new UsageError(`unknown command "${command}"; expected push or outcomes (see --help)`);
    if (file === undefined) throw new UsageError(`${command} needs a FILE`);
    if (rest.length > 0) throw new UsageError(`${command} takes one FILE`);
    const bytes = readBytes(file);
    const prepareOptions = prepareOptionsFrom(values, io.env, command === 'outcomes');
    return command === 'push' ? push(file, bytes, prepareOptions, values, io) : outcomes(file, bytes, prepareOptions, values, io);
  });
}

function readBytes(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch {
    throw new UsageError(`cannot read ${path}`);
  }
}


function prepareOptionsFrom(values: Values, env: NodeJS.ProcessEnv, sentEarlier: boolean): PrepareOptions {
  if (values['no-policy-check'] && values.policy !== undefined) throw new UsageError('--policy and --no-policy-check exclude each other');
  return {
    ...(values.partner !== undefined ? { partnerId: values.partner } : {}),
    ...(values.mapping !== undefined ? { mapping: loadMappingFile(values.mapping) } : {}),
    ...(values.municipality !== undefined ? { municipalityCode: values.municipality } : {}),
    ...(values.encoding !== undefined ? { encoding: parseEncoding(values.encoding) } : {}),
    ...(values['no-policy-check'] ? {} : { policy: loadPolicyOption(values.policy) }),
    nowMs: resolveNow(values.now, env),
    // Outcomes are read later: a row that has aged since it was sent still has its claim.
    ...(sentEarlier ? { sentEarlier } : {}),
  };
}

function describeFile(name: string, file: PreparedFile): string {
  const delimiter = file.delimiter === '\t' ? 'tab' : `"${file.delimiter}"`;
  return `${name}: ${file.total} rows, ${delimiter}-separated, decimal ${file.decimalMark === ',' ? 'comma' : 'point'}; partner ${file.partnerId}; municipality from ${file.municipalitySource}${file.readAs ? `; ${describeReadAs(file.readAs)}` : ''}\n`;
}

function reportPreparation(name: string, file: PreparedFile, values: Values, io: CliIo): void {
  io.stdout(describeFile(name, file));
  if (values.verbose) {
    for (const { header, field } of file.plan.columns) io.stdout(`  column "${header}" -> ${field}\n`);
    for (const [field, value] of Object.entries(file.plan.constants)) io.stdout(`  constant ${field} = ${JSON.stringify(value)}\n`);
  }
  for (const note of file.notes) io.stdout(`note: ${note}\n`);
  if (file.plan.unused.length > 0) io.stdout(`note: not used: ${file.plan.unused.map((h) => `"${h}"`).join(', ')} (map them in a mapping file if they should be)\n`);
}

function reportRows(rows: readonly RowOutcome[], io: CliIo): void {
  for (const row of rows) io.stdout(`line ${row.line}: ${describeRow(row)}\n`);
}

async function push(name: string, bytes: Uint8Array, prepareOptions: PrepareOptions, values: Values, io: CliIo): Promise<number> {
  const maxAttempts = integerOption(values['max-attempts'], '--max-attempts', 1, 20);
  if (values['no-wait'] && values.wait !== undefined) throw new UsageError('--wait and --no-wait exclude each other');
  const waitSeconds = values['no-wait'] ? 0 : (integerOption(values.wait, '--wait', 0, 3600) ?? DEFAULT_WAIT_SECONDS);
  // Drawn only on a terminal, and only for files large enough to wait for (over 200 entries).
  const bar = progressBar(io.stderr, io.stderrIsTTY && !values.json, 'entries', 200);
  const result = await pushCsv(bytes, {
    ...prepareOptions,
    dryRun: values['dry-run'] === true,
    ...(values.bus !== undefined ? { busName: values.bus } : {}),
    connection: connectionOptions(values, values.endpoint),
    env: io.env,
    send: { ...(maxAttempts ? { maxAttempts } : {}), onProgress: (done, total) => bar.update(done, total) },
  });
  bar.finish();
  const summary = summarise(result);
  const sent = result.pushed.flatMap((row) => (row.eventId ? [{ line: row.line, signalId: row.signalId, eventId: row.eventId }] : []));
  const waiting = !result.dryRun && !result.send?.stopped && sent.length > 0 && waitSeconds > 0;
  let received: RowOutcome[] = [];
  let waitError: Error | undefined;
  if (waiting) {
    try {
      received = await waitFor(sent, result.file.partnerId, waitSeconds, values, io);
    } catch (error) {
      if (!(error instanceof CliError)) throw error;
      waitError = error;
    }
  }
  const rows = [...unsentRows(result.file), ...received].sort((a, b) => a.line - b.line);
  const counts = countOutcomes(rows);
  const later = outcomesCommand(name, result.file.partnerId, values);
  if (values.json) {
    io.stdout(`${JSON.stringify({ ...pushJson(name, result, summary), outcomes: { waitedSeconds: waiting ? waitSeconds : 0, rows, counts } }, null, 2)}\n`);
  } else {
    reportPreparation(name, result.file, values, io);
    for (const row of result.pushed) {
      if (!row.eventId && row.attempts > 0) io.stdout(`line ${row.line}: not taken by the bus (${row.errorCode ?? 'unknown error'} after ${row.attempts} attempt${row.attempts === 1 ? '' : 's'})\n`);
    }
    if (result.dryRun) io.stdout(`Dry run: ${result.file.rows.length} valid rows would be sent; nothing was sent.\n`);
    else if (result.send?.stopped) io.stdout(`Sending stopped after ${result.send.sent} entr${result.send.sent === 1 ? 'y' : 'ies'}: see the error below. Sending the file again is safe (the signal ids are the same).\n`);
    else if (result.send) io.stdout(`Sent to bus "${result.busName}" (${result.target}) in ${result.send.requests} request${result.send.requests === 1 ? '' : 's'}.\n`);
    io.stdout(`Summary: sent ${summary.sent}, refused ${summary.rejected}, retried ${summary.retried}, failed ${summary.failed}${summary.notAttempted ? `, not attempted ${summary.notAttempted}` : ''}${result.dryRun ? ` (dry run: ${result.file.rows.length} valid)` : ''}\n`);
    reportRows(rows.filter((row) => row.outcome !== 'accepted'), io);
    if (waiting && !waitError) io.stdout(`${describeCounts(counts)}\n`);
    if (waiting && counts.none > 0) {
      io.stdout(`${counts.none} of ${sent.length} sent entr${sent.length === 1 ? 'y' : 'ies'} had no outcome within ${waitSeconds} s; the pipeline may still be at work. To see them later: ${later}\n`);
    } else if (sent.length > 0 && (!waiting || waitError)) {
      io.stdout(`Each entry gets an outcome from the pipeline; to see them: ${later}\n`);
    }
  }
  if (result.send?.stopped) {
    io.stderr(`error: ${result.send.stopped.message}\n`);
    return EXIT.unreachable;
  }
  if (waitError) {
    io.stderr(`error: the entries were sent, but their outcomes cannot be read: ${waitError.message} Pass --no-wait to send without waiting.\n`);
    return EXIT.unreachable;
  }
  if (summary.failed > 0) return EXIT.failed;
  if (values.strict && (summary.rejected > 0 || counts.outcomes.rejected > 0)) return EXIT.failed;
  return EXIT.ok;
}

/** The outcomes command for the file just pushed, with the options that decide its signal ids. */
function outcomesCommand(name: string, partnerId: string, values: Values): string {
  const sameAsPush = (['mapping', 'municipality', 'encoding'] as const).flatMap((option) => (values[option] === undefined ? [] : [` --${option} ${values[option]}`]));
  return `vroegsignaal-partner outcomes ${name} --partner ${partnerId}${sameAsPush.join('')}`;
}

/** Reads the table until every sent entry has its outcome or `seconds` passed; the bar counts outcomes. */
async function waitFor(sent: Parameters<typeof waitForOutcomes>[1], partnerId: string, seconds: number, values: Values, io: CliIo): Promise<RowOutcome[]> {
  const { client, table, target } = tableClient(values, io);
  const bar = progressBar(io.stderr, io.stderrIsTTY && !values.json, 'outcomes');
  try {
    return await waitForOutcomes(tableReader(documentClient(client), table, partnerId), sent, { timeoutMs: seconds * 1000, onProgress: (done, total) => bar.update(done, total) });
  } catch (error) {
    throw tableUnreachable(error, table, target) ?? error;
  } finally {
    bar.finish();
    client.destroy();
  }
}

function tableClient(values: Values, io: CliIo) {
  const connection = resolveConnection('dynamodb', connectionOptions(values, values['dynamodb-endpoint']), io.env);
  return { client: new DynamoDBClient(connection.config), table: values.table ?? LOCAL_TABLE_NAME, target: connection.target };
}

function tableUnreachable(error: unknown, table: string, target: string) {
  return unreachable(error, `table "${table}" (${target})`, { network: NETWORK_HINT, missing: 'For AWS, pass --table with the stack output TableName.' });
}

export interface PushSummary {
  sent: number;
  rejected: number;
  retried: number;
  failed: number;
  notAttempted: number;
  sameAsEarlierRow: number;
}

export function summarise(result: PushResult): PushSummary {
  return {
    sent: result.send?.sent ?? 0,
    rejected: result.file.rejected.length,
    retried: result.send?.retried ?? 0,
    failed: result.send?.failed ?? 0,
    notAttempted: result.send?.notAttempted ?? 0,
    sameAsEarlierRow: result.file.repeated.length,
  };
}

function pushJson(name: string, result: PushResult, summary: PushSummary) {
  return {
    file: name,
    partnerId: result.file.partnerId,
    readAs: result.file.readAs,
    dryRun: result.dryRun,
    bus: result.busName,
    rows: result.file.total,
    valid: result.file.rows.length,
    summary,
    rejected: result.file.rejected,
    sameAsEarlierRow: result.file.repeated,
    entries: result.dryRun ? result.file.rows.map((r) => ({ line: r.line, signalId: r.signalId })) : result.pushed,
    ...(result.send?.stopped ? { error: result.send.stopped.message } : {}),
  };
}

async function outcomes(name: string, bytes: Uint8Array, prepareOptions: PrepareOptions, values: Values, io: CliIo): Promise<number> {
  const file = prepareCsv(bytes, prepareOptions);
  const { client, table, target } = tableClient(values, io);
  let rows: RowOutcome[];
  try {
    rows = await readOutcomes(tableReader(documentClient(client), table, file.partnerId), file);
  } catch (error) {
    throw tableUnreachable(error, table, target) ?? error;
  } finally {
    client.destroy();
  }
  const counts = countOutcomes(rows);
  if (values.json) {
    io.stdout(`${JSON.stringify({ file: name, partnerId: file.partnerId, readAs: file.readAs, table, rows, counts }, null, 2)}\n`);
    return EXIT.ok;
  }
  io.stdout(describeFile(name, file));
  reportRows(rows, io);
  io.stdout(`${describeCounts(counts)}\n`);
  if (counts.none > 0) {
    io.stdout(`"no outcome": not sent yet, still on its way, or rejected more than ${REJECTION_KEPT_DAYS} days ago (a rejection is kept that long).\n`);
  }
  return EXIT.ok;
}
