/**
 * From a CSV export to contract entries: every row mapped to a `RentArrearsReported` (or, with
 * a type column, `NuisanceReported`) detail, validated with the pipeline's own zod schemas and
 * the checks intake makes (age of observedAt, the partner's municipalities, the 64 KiB limit),
 * so that a bad row is reported here, with its line, before anything is sent.
 *
 * Reasons name the contract field and the column, never a cell's value.
 */
import { createHash } from 'node:crypto';
import {
  MAX_DETAIL_BYTES,
  MAX_FUTURE_SKEW_MS,
  MAX_SIGNAL_AGE_DAYS,
  NUISANCE_CATEGORIES,
  NUISANCE_SEVERITIES,
  PARTNER_ID_PATTERN,
  PARTNER_SOURCE_PREFIX,
  parsePartnerDetail,
  type PartnerDetailType,
} from '@vroegsignaal/events';
import type { RejectionRule } from '@vroegsignaal/domain';
import type { CompiledPolicy } from '@vroegsignaal/policy';
import { parseCsv, type CsvTable, type Delimiter } from '../csv.ts';
import { decodeText, type Encoding, type ReadAs } from '../encoding.ts';
import { UsageError } from '../errors.ts';
import {
  amsterdamDateOf,
  detectDecimalMark,
  eurosToCents,
  normalisePostcodeCell,
  parseBoolean,
  parseDate,
  parseDecimal,
  parseInteger,
  parseObservedAt,
  splitHouseNumber,
  type DateFormat,
  type DecimalMark,
} from '../values.ts';
import { contractPath, FIELD_KINDS, normaliseHeader, planColumns, type ColumnPlan, type Field, type MappingFile } from './mapping.ts';

/** Detail types a CSV row can carry. */
export const CSV_DETAIL_TYPES = ['RentArrearsReported', 'NuisanceReported'] as const satisfies readonly PartnerDetailType[];
export type CsvDetailType = (typeof CSV_DETAIL_TYPES)[number];

const TYPE_WORDS: Record<string, CsvDetailType> = {
  rentarrearsreported: 'RentArrearsReported',
  rentarrears: 'RentArrearsReported',
  arrears: 'RentArrearsReported',
  huurachterstand: 'RentArrearsReported',
  achterstand: 'RentArrearsReported',
  huurschuld: 'RentArrearsReported',
  nuisancereported: 'NuisanceReported',
  nuisance: 'NuisanceReported',
  overlast: 'NuisanceReported',
  woonoverlast: 'NuisanceReported',
};

const CATEGORY_WORDS: Record<string, (typeof NUISANCE_CATEGORIES)[number]> = {
  ...Object.fromEntries(NUISANCE_CATEGORIES.map((c) => [c, c])),
  geluid: 'noise',
  geluidsoverlast: 'noise',
  lawaai: 'noise',
  bedreiging: 'threat',
  intimidatie: 'threat',
  drugsoverlast: 'drugs',
  verwaarlozing: 'neglect',
  vervuiling: 'pollution',
  verzamelwoede: 'hoarding',
  verzamelen: 'hoarding',
  overig: 'other',
  anders: 'other',
};

const SEVERITY_WORDS: Record<string, (typeof NUISANCE_SEVERITIES)[number]> = {
  ...Object.fromEntries(NUISANCE_SEVERITIES.map((s) => [s, s])),
  laag: 'low',
  licht: 'low',
  middel: 'medium',
  gemiddeld: 'medium',
  matig: 'medium',
  hoog: 'high',
  ernstig: 'high',
  zwaar: 'high',
};

const DAY_MS = 24 * 60 * 60 * 1000;

export interface PrepareOptions {
  partnerId?: string;
  mapping?: MappingFile;
  /** Overrides the mapping's constant; else the column, else the partner's only municipality. */
  municipalityCode?: string;
  /** The policy the pipeline runs; enables the registration checks. */
  policy?: CompiledPolicy;
  /** "Now" for the age checks on observedAt; leave out to skip them. */
  nowMs?: number;
  /**
   * The file was sent earlier (outcomes): a row that has aged past 400 days since still has its
   * claim, so only a date in the future now (it was then too) is refused.
   */
  sentEarlier?: boolean;
  delimiter?: Delimiter;
  /** The encoding of a file given as bytes; left out, it is detected. */
  encoding?: Encoding;
}

export interface PreparedRow {
  line: number;
  signalId: string;
  detailType: CsvDetailType;
  detail: Record<string, unknown>;
  entry: { Source: string; DetailType: CsvDetailType; Detail: string };
}

export interface RejectedRow {
  line: number;
  /** The pipeline's rule the row would break, so that both are counted alike. */
  rule: RejectionRule;
  reason: string;
}

export interface PreparedFile {
  partnerId: string;
  /** How a file given as bytes was decoded. */
  readAs?: ReadAs;
  delimiter: Delimiter;
  decimalMark: DecimalMark;
  plan: ColumnPlan;
  /** How the municipality is known, for the report. */
  municipalitySource: string;
  rows: PreparedRow[];
  rejected: RejectedRow[];
  /** Rows identical to an earlier row (same derived signalId): not sent twice. */
  repeated: { line: number; sameAs: number; signalId: string }[];
  /** Data rows in the file (blank rows not counted). */
  total: number;
  notes: string[];
}

/**
 * The signal id of a row: the partner id and the first 24 hex digits of a SHA-256 over the
 * normalised address, the date of observedAt and the figures. The same row in a later export
 * gives the same id, so sending a file twice gives duplicates, not new signals; a changed
 * amount or date is a new signal, as it should be.
 */
export function deriveSignalId(partnerId: string, detailType: CsvDetailType, detail: Record<string, unknown>): string {
  const address = (detail.address ?? {}) as Record<string, unknown>;
  const observedAt = typeof detail.observedAt === 'string' && !Number.isNaN(Date.parse(detail.observedAt)) ? amsterdamDateOf(detail.observedAt) : String(detail.observedAt ?? '');
  const place = [
    typeof address.postcode === 'string' ? address.postcode.replace(/\s+/g, '').toUpperCase() : '',
    String(address.houseNumber ?? ''),
    typeof address.houseLetter === 'string' ? address.houseLetter.toUpperCase() : '',
    typeof address.houseNumberAddition === 'string' ? address.houseNumberAddition.toUpperCase() : '',
  ];
  let parts: string[];
  if (detailType === 'RentArrearsReported') {
    const arrears = (detail.arrears ?? {}) as Record<string, unknown>;
    parts = [partnerId, ...place, observedAt, String(arrears.amountCents ?? ''), String(arrears.monthsInArrears ?? '')];
  } else {
    const nuisance = (detail.nuisance ?? {}) as Record<string, unknown>;
    parts = [detailType, partnerId, ...place, observedAt, String(nuisance.category ?? ''), String(nuisance.severity ?? '')];
  }
  return `${partnerId}-${createHash('sha256').update(parts.join('|')).digest('hex').slice(0, 24)}`;
}

/** A CBS code from `GM0344`, `gm0344`, `0344`, `344`, or a municipality name the policy knows. */
export function municipalityCodeFrom(value: string, names: ReadonlyMap<string, string>): string {
  const text = value.trim();
  if (/^gm\d{4}$/i.test(text)) return text.toUpperCase();
  if (/^\d{1,4}$/.test(text)) return `GM${text.padStart(4, '0')}`;
  return names.get(normaliseHeader(text)) ?? text;
}

interface Problem {
  path: string;
  source: string;
  text: string;
}

type Converted = { value: unknown } | { problem: string } | undefined;

function describeSource(plan: ColumnPlan, field: Field, municipalitySource: string): string {
  const column = plan.columns.find((c) => c.field === field);
  if (column) return `column "${column.header}"`;
  return field === 'municipalityCode' ? municipalitySource : 'constant in the mapping';
}

function convert(field: Field, raw: string | number | boolean, ctx: { decimalMark: DecimalMark; dateFormat: DateFormat; municipalityNames: ReadonlyMap<string, string> }): Converted {
  const kind = FIELD_KINDS[field];
  if (typeof raw === 'boolean') {
    return kind === 'boolean' ? { value: raw } : { problem: 'expected a value, not true or false' };
  }
  if (typeof raw === 'number') {
    if (kind === 'integer' || kind === 'decimal' || kind === 'houseNumber') return { value: raw };
    if (kind === 'euros') return { value: Math.round(raw * 100) };
  }
  const text = String(raw).trim();
  if (text === '') return undefined;
  const fail = (problem: string): Converted => ({ problem });
  switch (kind) {
    case 'detailType': {
      const type = TYPE_WORDS[normaliseHeader(text)];
      return type ? { value: type } : fail('expected huurachterstand or overlast (RentArrearsReported or NuisanceReported)');
    }
    case 'observedAt': {
      const value = parseObservedAt(text, ctx.dateFormat);
      return value ? { value } : fail(`expected a date like ${ctx.dateFormat === 'mm/dd/yyyy' ? '10/31/2026' : ctx.dateFormat === 'yyyy-mm-dd' ? '2026-10-31' : '31-10-2026 or 2026-10-31'}`);
    }
    case 'date': {
      const value = parseDate(text, ctx.dateFormat);
      return value ? { value } : fail('expected a date like 31-10-2026 or 2026-10-31');
    }
    case 'municipality':
      return { value: municipalityCodeFrom(text, ctx.municipalityNames) };
    case 'postcode':
      return { value: normalisePostcodeCell(text) };
    case 'houseNumber': {
      const split = splitHouseNumber(text);
      return split ? { value: split } : fail('expected a house number like 12, 12A or 12-2');
    }
    case 'upper':
      return { value: text.toUpperCase() };
    case 'text':
      return { value: text };
    case 'integer': {
      const value = parseInteger(text);
      return value === null || value === undefined ? fail('expected a whole number') : { value };
    }
    case 'decimal': {
      const value = parseDecimal(text, ctx.decimalMark);
      return value === null || value === undefined ? fail(`expected a number like ${ctx.decimalMark === ',' ? '1,5' : '1.5'}`) : { value };
    }
    case 'euros': {
      const value = eurosToCents(text, ctx.decimalMark);
      return value === null || value === undefined ? fail(`expected an amount in euros like ${ctx.decimalMark === ',' ? '1.234,56' : '1,234.56'}`) : { value };
    }
    case 'boolean': {
      const value = parseBoolean(text);
      return value === null || value === undefined ? fail('expected ja/nee or yes/no') : { value };
    }
    case 'category': {
      const value = CATEGORY_WORDS[normaliseHeader(text)];
      return value ? { value } : fail(`expected one of ${NUISANCE_CATEGORIES.join(', ')} (or the Dutch word)`);
    }
    case 'severity': {
      const value = SEVERITY_WORDS[normaliseHeader(text)];
      return value ? { value } : fail('expected low, medium or high (laag, middel, hoog)');
    }
  }
}

/** Adds `(column "X")` after each field path of a reason, so the user finds the cell. */
function annotate(reason: string, sources: ReadonlyMap<string, string>): string[] {
  return reason.split('; ').map((part) => {
    const match = /^([A-Za-z0-9_.[\]]+): (.*)$/.exec(part);
    if (!match) return part;
    const source = sources.get(match[1]!);
    return source ? `${match[1]} (${source}): ${match[2]}` : part;
  });
}

function pathOf(part: string): string | undefined {
  return /^([A-Za-z0-9_.[\]]+)[ :]/.exec(part)?.[1];
}

/** `input` is the file's bytes (decoded as its encoding) or text already decoded. */
export function prepareCsv(input: string | Uint8Array, options: PrepareOptions): PreparedFile {
  const mapping = options.mapping;
  const partnerId = options.partnerId ?? mapping?.partnerId;
  if (partnerId === undefined) throw new UsageError('--partner ID is required (or "partnerId" in the mapping file)');
  if (!PARTNER_ID_PATTERN.test(partnerId)) throw new UsageError('--partner must be a partner id like "mitros": 2-40 lower-case letters, digits or "-"');
  const partner = options.policy?.partner(partnerId);
  if (options.policy && !partner) {
    throw new UsageError(`partner "${partnerId}" is not registered in the policy, so the pipeline would reject every row; pass --policy DIR with your deployment's policy, or --no-policy-check`);
  }
  const { text, readAs } = textOf(input, options.encoding);
  const mappedDelimiter = mapping?.delimiter === 'tab' ? '\t' : mapping?.delimiter;
  const table: CsvTable = parseCsv(text, { delimiter: options.delimiter ?? mappedDelimiter });
  const plan = planColumns(table.headers, mapping);
  const notes = [...plan.warnings];

  // Municipality: option, then mapping constant, then column, then the partner's only one.
  let municipalitySource = 'column';
  const hasColumn = (field: Field) => plan.columns.some((c) => c.field === field);
  if (options.municipalityCode !== undefined) {
    plan.constants.municipalityCode = options.municipalityCode;
    municipalitySource = '--municipality';
  } else if (plan.constants.municipalityCode !== undefined) {
    municipalitySource = 'mapping constant';
  } else if (!hasColumn('municipalityCode') && partner && partner.municipalities !== 'all' && partner.municipalities.length === 1) {
    plan.constants.municipalityCode = partner.municipalities[0]!;
    municipalitySource = `the only municipality ${partnerId} is registered for`;
  }
  if (hasColumn('municipalityCode') && plan.constants.municipalityCode !== undefined) {
    notes.push(`column "${plan.columns.find((c) => c.field === 'municipalityCode')!.header}" fills in rows; ${municipalitySource} covers rows where it is empty`);
  }

  requireFields(plan);

  const numericCells: string[] = [];
  for (const { index, field } of plan.columns) {
    const kind = FIELD_KINDS[field];
    if (kind === 'euros' || kind === 'decimal') for (const row of table.rows) numericCells.push(row.cells[index] ?? '');
  }
  const decimalMark = mapping?.decimalMark ?? detectDecimalMark(numericCells);
  const ctx = {
    decimalMark,
    dateFormat: mapping?.dateFormat ?? ('auto' as DateFormat),
    municipalityNames: new Map((options.policy?.policy.municipalities ?? []).map((m) => [normaliseHeader(m.name), m.code])),
  };
  const sources = new Map<string, string>();
  for (const field of Object.keys(FIELD_KINDS) as Field[]) {
    if (hasColumn(field) || plan.constants[field] !== undefined) sources.set(contractPath(field), describeSource(plan, field, municipalitySource));
  }
  const houseColumn = plan.columns.find((c) => c.field === 'address.houseNumber');
  if (houseColumn) {
    sources.set('address.houseLetter', sources.get('address.houseLetter') ?? `column "${houseColumn.header}"`);
    sources.set('address.houseNumberAddition', sources.get('address.houseNumberAddition') ?? `column "${houseColumn.header}"`);
  }

  const prepared: PreparedFile = { partnerId, ...(readAs ? { readAs } : {}), delimiter: table.delimiter, decimalMark, plan, municipalitySource, rows: [], rejected: [], repeated: [], total: 0, notes };
  const seen = new Map<string, number>();
  for (const row of table.rows) {
    if (row.cells.every((cell) => cell.trim() === '')) continue;
    prepared.total++;
    const extra = row.cells.slice(table.headers.length);
    if (row.cells.length < table.headers.length || extra.some((cell) => cell.trim() !== '')) {
      prepared.rejected.push({
        line: row.line,
        rule: 'contract',
        reason: `the row has ${row.cells.length} fields where the header has ${table.headers.length} (is there a "${table.delimiter === '\t' ? 'tab' : table.delimiter}" in a value that is not in quotes?)`,
      });
      continue;
    }
    const result = mapRow(row.cells, plan, ctx, partnerId, sources);
    if ('reason' in result) {
      prepared.rejected.push({ line: row.line, rule: 'contract', reason: result.reason });
      continue;
    }
    const checks = checkRow(result.detail, { partnerId, partner, nowMs: options.nowMs, sentEarlier: options.sentEarlier === true });
    if (checks.length > 0) {
      // Intake stops at the first rule broken, in this order; the reason names them all.
      prepared.rejected.push({ line: row.line, rule: checks[0]!.rule, reason: checks.flatMap((c) => annotate(c.text, sources)).join('; ') });
      continue;
    }
    const earlier = seen.get(result.signalId);
    if (earlier !== undefined) {
      prepared.repeated.push({ line: row.line, sameAs: earlier, signalId: result.signalId });
      continue;
    }
    seen.set(result.signalId, row.line);
    prepared.rows.push({
      line: row.line,
      signalId: result.signalId,
      detailType: result.detailType,
      detail: result.detail,
      entry: { Source: `${PARTNER_SOURCE_PREFIX}${partnerId}`, DetailType: result.detailType, Detail: JSON.stringify(result.detail) },
    });
  }
  return prepared;
}

function textOf(input: string | Uint8Array, encoding: Encoding | undefined): { text: string; readAs?: ReadAs } {
  if (typeof input === 'string') return { text: input };
  const { text, ...readAs } = decodeText(input, encoding);
  return { text, readAs };
}

const FIELD_HINTS: Partial<Record<Field, string>> = {
  observedAt: '"Datum", "Peildatum" or "Observed at"',
  'address.postcode': '"Postcode"',
  'address.houseNumber': '"Huisnummer" or "House number"',
  municipalityCode: '"Gemeente" or "Municipality", or --municipality GM0344',
  'arrears.amountEuros': '"Achterstand (EUR)" or "Arrears amount"',
  'arrears.monthsInArrears': '"Maanden achterstand" or "Months in arrears" (or a monthly rent column, "Huur", to compute it from)',
};

/** Fields every row needs: missing in the whole file, it is one message, not one per row. */
function requireFields(plan: ColumnPlan): void {
  const has = (field: Field) => plan.columns.some((c) => c.field === field) || plan.constants[field] !== undefined;
  const missing: Field[] = (['observedAt', 'address.postcode', 'address.houseNumber', 'municipalityCode'] as Field[]).filter((f) => !has(f));
  const onlyArrears = !plan.columns.some((c) => c.field === 'type') && (plan.constants.type === undefined || TYPE_WORDS[normaliseHeader(String(plan.constants.type))] === 'RentArrearsReported');
  if (onlyArrears) {
    if (!has('arrears.amountEuros') && !has('arrears.amountCents')) missing.push('arrears.amountEuros');
    if (!has('arrears.monthsInArrears') && !has('arrears.monthlyRentEuros') && !has('arrears.monthlyRentCents')) missing.push('arrears.monthsInArrears');
  }
  if (missing.length > 0) {
    const list = missing.map((f) => `${contractPath(f)} (a column like ${FIELD_HINTS[f] ?? `"${f}"`})`).join('; ');
    throw new UsageError(`the file has no column for ${list}. Name the columns of your export in a mapping file (--mapping FILE; see packages/cli/examples/mapping.json)`);
  }
}

type Mapped = { reason: string } | { detailType: CsvDetailType; detail: Record<string, unknown>; signalId: string };

function mapRow(cells: readonly string[], plan: ColumnPlan, ctx: Parameters<typeof convert>[2], partnerId: string, sources: ReadonlyMap<string, string>): Mapped {
  const values = new Map<Field, unknown>();
  const problems: Problem[] = [];
  const fields = new Set<Field>([...plan.columns.map((c) => c.field), ...(Object.keys(plan.constants) as Field[])]);
  for (const field of fields) {
    const column = plan.columns.find((c) => c.field === field);
    const cell = column ? cells[column.index] ?? '' : '';
    const raw = cell.trim() !== '' ? cell : plan.constants[field];
    if (raw === undefined) continue;
    const converted = convert(field, raw, ctx);
    if (converted === undefined) continue;
    if ('problem' in converted) {
      problems.push({ path: contractPath(field), source: column && cell.trim() !== '' ? `column "${column.header}"` : 'constant in the mapping', text: converted.problem });
      continue;
    }
    values.set(field, converted.value);
  }
  const detailType = (values.get('type') as CsvDetailType | undefined) ?? 'RentArrearsReported';
  const get = <T>(field: Field) => values.get(field) as T | undefined;

  const house = get<{ houseNumber: number; houseLetter?: string; addition?: string } | number>('address.houseNumber');
  const houseParts = typeof house === 'number' ? { houseNumber: house } : house;
  const address = compact({
    postcode: get('address.postcode'),
    houseNumber: houseParts?.houseNumber,
    houseLetter: get('address.houseLetter') ?? houseParts?.houseLetter,
    houseNumberAddition: get('address.houseNumberAddition') ?? houseParts?.addition,
  });
  const household = compact({ minors: get('household.minors'), adults: get('household.adults') });
  const contact = compact({ name: get('contact.name'), phone: get('contact.phone'), email: get('contact.email') });
  const detail: Record<string, unknown> = compact({
    schemaVersion: 1,
    signalId: '',
    observedAt: get('observedAt'),
    municipalityCode: get('municipalityCode'),
    address,
    household: Object.keys(household).length > 0 ? household : undefined,
    contact: Object.keys(contact).length > 0 ? contact : undefined,
    crisis: get('crisis'),
  });
  if (detailType === 'RentArrearsReported') {
    const amountCents = get<number>('arrears.amountEuros') ?? get<number>('arrears.amountCents');
    const monthlyRentCents = get<number>('arrears.monthlyRentEuros') ?? get<number>('arrears.monthlyRentCents');
    let monthsInArrears = get<number>('arrears.monthsInArrears');
    // Without a months column, months follow from the amount and the rent (1.5 = one and a half).
    if (monthsInArrears === undefined && typeof amountCents === 'number' && typeof monthlyRentCents === 'number' && monthlyRentCents > 0 && amountCents > 0) {
      monthsInArrears = Math.round((amountCents / monthlyRentCents) * 100) / 100;
    }
    detail.arrears = compact({
      amountCents,
      monthsInArrears,
      monthlyRentCents,
      reminderSentAt: get('arrears.reminderSentAt'),
      paymentArrangement: get('arrears.paymentArrangement'),
    });
  } else {
    detail.nuisance = compact({
      category: get('nuisance.category'),
      severity: get('nuisance.severity'),
      reportCount: get('nuisance.reportCount'),
      verified: get('nuisance.verified'),
    });
  }
  const signalId = deriveSignalId(partnerId, detailType, detail);
  detail.signalId = signalId;

  const parsed = parsePartnerDetail(detailType, detail);
  const problemPaths = new Set(problems.map((p) => p.path));
  const parts = problems.map((p) => `${p.path} (${p.source}): ${p.text}`);
  if (!parsed.ok) {
    for (const part of annotate(parsed.reason, sources)) {
      const path = pathOf(part);
      // A cell this tool could not read is reported once, in its own words, not again by zod.
      if (path !== undefined && [...problemPaths].some((p) => path === p || path.startsWith(`${p}.`))) continue;
      parts.push(part);
    }
  }
  if (parts.length > 0) return { reason: parts.join('; ') };
  return { detailType, detail, signalId };
}

/** Intake's own checks that need more than the schema, in its words (packages/domain/src/intake.ts). */
function checkRow(
  detail: Record<string, unknown>,
  ctx: { partnerId: string; partner: ReturnType<CompiledPolicy['partner']>; nowMs: number | undefined; sentEarlier: boolean },
): { rule: RejectionRule; text: string }[] {
  const problems: { rule: RejectionRule; text: string }[] = [];
  if (Buffer.byteLength(JSON.stringify(detail)) > MAX_DETAIL_BYTES) problems.push({ rule: 'size', text: `detail is larger than ${MAX_DETAIL_BYTES / 1024} KiB` });
  const observedAtMs = Date.parse(detail.observedAt as string);
  if (ctx.nowMs !== undefined) {
    if (observedAtMs > ctx.nowMs + MAX_FUTURE_SKEW_MS) problems.push({ rule: 'observed-at', text: 'observedAt: is more than 5 minutes in the future' });
    if (!ctx.sentEarlier && observedAtMs < ctx.nowMs - MAX_SIGNAL_AGE_DAYS * DAY_MS) problems.push({ rule: 'observed-at', text: `observedAt: is more than ${MAX_SIGNAL_AGE_DAYS} days ago` });
  }
  const code = detail.municipalityCode as string;
  if (ctx.partner && ctx.partner.municipalities !== 'all' && !ctx.partner.municipalities.includes(code)) {
    problems.push({ rule: 'municipality', text: `municipalityCode: partner "${ctx.partnerId}" is not registered for municipality ${code}` });
  }
  return problems;
}

function compact<T extends Record<string, unknown>>(object: T): Partial<T> {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as Partial<T>;
}
