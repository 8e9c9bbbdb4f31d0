/**
 * Which CSV column feeds which contract field. A built-in table knows the headers Dutch and
 * English exports commonly use; a mapping file (JSON) names the columns of an export that
 * differs, adds constants (the partner, the municipality) and fixes the date format.
 */
import { readFileSync } from 'node:fs';
import * as z from 'zod';
import { PARTNER_ID_PATTERN } from '@vroegsignaal/events';
import { DATE_FORMATS } from '../values.ts';
import { UsageError } from '../errors.ts';

/**
 * The fields a column can feed, with how its cells are read. `arrears.amountEuros` and
 * `arrears.monthlyRentEuros` are euros (decimal comma or point) and become the contract's
 * `amountCents` and `monthlyRentCents`; the `...Cents` fields take whole cents.
 */
export const FIELD_KINDS = {
  type: 'detailType',
  observedAt: 'observedAt',
  municipalityCode: 'municipality',
  'address.postcode': 'postcode',
  'address.houseNumber': 'houseNumber',
  'address.houseLetter': 'upper',
  'address.houseNumberAddition': 'upper',
  'household.minors': 'integer',
  'household.adults': 'integer',
  'contact.name': 'text',
  'contact.phone': 'text',
  'contact.email': 'text',
  crisis: 'boolean',
  'arrears.amountEuros': 'euros',
  'arrears.amountCents': 'integer',
  'arrears.monthsInArrears': 'decimal',
  'arrears.monthlyRentEuros': 'euros',
  'arrears.monthlyRentCents': 'integer',
  'arrears.reminderSentAt': 'date',
  'arrears.paymentArrangement': 'boolean',
  'nuisance.category': 'category',
  'nuisance.severity': 'severity',
  'nuisance.reportCount': 'integer',
  'nuisance.verified': 'boolean',
} as const;
export type Field = keyof typeof FIELD_KINDS;
export type FieldKind = (typeof FIELD_KINDS)[Field];
export const FIELDS = Object.keys(FIELD_KINDS) as [Field, ...Field[]];

/** The contract path a field ends up in (euros fields become cents). */
export function contractPath(field: Field): string {
  if (field === 'arrears.amountEuros') return 'arrears.amountCents';
  if (field === 'arrears.monthlyRentEuros') return 'arrears.monthlyRentCents';
  if (field === 'type') return 'detailType';
  return field;
}

/** Header text compared without case, accents, spaces or punctuation: `Achterstand (EUR)` = `achterstandeur`. */
export function normaliseHeader(header: string): string {
  return header
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/** Built-in header names, Dutch and English, by field. */
const DEFAULT_HEADERS: Record<Field, string[]> = {
  type: ['type', 'soort', 'soortsignaal', 'signaaltype', 'signaalsoort', 'signaltype', 'detailtype'],
  observedAt: [
    'datum', 'peildatum', 'datumsignalering', 'signaleringsdatum', 'signaaldatum', 'meetdatum', 'datumachterstand',
    'observedat', 'date', 'observed', 'observationdate', 'reportdate', 'referencedate',
  ],
  municipalityCode: ['gemeente', 'gemeentecode', 'cbscode', 'cbsgemeentecode', 'municipality', 'municipalitycode'],
  'address.postcode': ['postcode', 'postalcode', 'zip', 'zipcode', 'postcodehuurder'],
  'address.houseNumber': ['huisnummer', 'huisnr', 'nr', 'nummer', 'housenumber', 'houseno', 'number'],
  'address.houseLetter': ['huisletter', 'letter', 'houseletter'],
  'address.houseNumberAddition': ['toevoeging', 'huisnummertoevoeging', 'huisnrtoevoeging', 'huisnummertoev', 'toev', 'addition', 'housenumberaddition', 'suffix'],
  'household.minors': ['aantalkinderen', 'kinderen', 'minderjarigen', 'aantalminderjarigen', 'kinderenonder18', 'minors', 'children', 'numberofchildren'],
  'household.adults': ['aantalvolwassenen', 'volwassenen', 'adults', 'numberofadults'],
  'contact.name': ['naam', 'naamhuurder', 'huurder', 'contactpersoon', 'name', 'tenant', 'tenantname', 'contactname'],
  'contact.phone': ['telefoon', 'telefoonnummer', 'tel', 'telnr', 'mobiel', 'phone', 'phonenumber', 'telephone', 'mobile'],
  'contact.email': ['email', 'emailadres', 'mail', 'emailaddress'],
  crisis: ['crisis', 'acuut', 'spoed', 'acute'],
  'arrears.amountEuros': [
    'achterstand', 'achterstandeur', 'achterstandeuro', 'achterstandbedrag', 'bedragachterstand', 'huurachterstand',
    'huurachterstandeur', 'huurschuld', 'arrears', 'arrearsamount', 'arrearseur', 'amount', 'amounteur',
  ],
  'arrears.amountCents': ['achterstandcenten', 'amountcents', 'arrearsamountcents', 'arrearscents'],
  'arrears.monthsInArrears': [
    'maandenachterstand', 'aantalmaandenachterstand', 'achterstandmaanden', 'aantalmaanden', 'maanden',
    'monthsinarrears', 'monthsarrears', 'months', 'arrearsmonths',
  ],
  'arrears.monthlyRentEuros': ['huur', 'huureur', 'huurprijs', 'maandhuur', 'brutohuur', 'kalehuur', 'monthlyrent', 'rent', 'renteur', 'monthlyrenteur'],
  'arrears.monthlyRentCents': ['monthlyrentcents', 'rentcents', 'huurcenten'],
  'arrears.reminderSentAt': ['aanmaning', 'datumaanmaning', 'laatsteaanmaning', 'datumlaatsteaanmaning', 'herinnering', 'datumherinnering', 'remindersentat', 'reminderdate', 'lastreminder'],
  'arrears.paymentArrangement': ['betalingsregeling', 'regeling', 'betalingsafspraak', 'paymentarrangement', 'paymentplan'],
  'nuisance.category': ['categorie', 'overlastcategorie', 'soortoverlast', 'category', 'nuisancecategory'],
  'nuisance.severity': ['ernst', 'zwaarte', 'severity'],
  'nuisance.reportCount': ['aantalmeldingen', 'meldingen', 'aantalklachten', 'reportcount', 'complaints'],
  'nuisance.verified': ['geverifieerd', 'vastgesteld', 'verified'],
};

const DEFAULT_HEADER_INDEX = new Map<string, Field>(
  (Object.entries(DEFAULT_HEADERS) as [Field, string[]][]).flatMap(([field, names]) => names.map((name) => [name, field] as const)),
);

/** The field a header feeds under the built-in table, if any. */
export function defaultFieldFor(header: string): Field | undefined {
  return DEFAULT_HEADER_INDEX.get(normaliseHeader(header));
}

const constantValue = z.union([z.string(), z.number(), z.boolean()]);

/** A mapping file: JSON, checked whole before any row is read. */
export const mappingFileSchema = z.strictObject({
  /** Free text for the people who maintain the file. */
  description: z.string().optional(),
  partnerId: z.string().regex(PARTNER_ID_PATTERN).optional(),
  delimiter: z.enum([';', ',', 'tab', '\t']).optional(),
  decimalMark: z.enum([',', '.']).optional(),
  dateFormat: z.enum(DATE_FORMATS).optional(),
  /** Column header -> field; null marks a column as deliberately not used. */
  columns: z.record(z.string(), z.enum(FIELDS).nullable()).default({}),
  /** A value for every row, where no column gives one (e.g. municipalityCode, type). */
  constants: z.partialRecord(z.enum(FIELDS), constantValue).default({}),
  /** Also apply the built-in header names to columns the file does not list (default true). */
  useDefaultHeaders: z.boolean().default(true),
});
export type MappingFile = z.output<typeof mappingFileSchema>;

export function parseMappingFile(text: string, label = 'mapping file'): MappingFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UsageError(`${label}: not valid JSON`);
  }
  const result = mappingFileSchema.safeParse(json);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(top level)'}: ${issueText(issue)}`);
    throw new UsageError(`${label}: ${problems.join('; ')}`);
  }
  return result.data;
}

function issueText(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_value') return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
  if (issue.code === 'unrecognized_keys') return `unknown key(s) ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`;
  if (issue.code === 'invalid_type') return `expected ${issue.expected}`;
  return issue.message;
}

export function loadMappingFile(path: string): MappingFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new UsageError(`cannot read the mapping file ${path}`);
  }
  return parseMappingFile(text, path);
}

export interface ColumnPlan {
  /** Columns that feed a field, by position in the row. */
  columns: { index: number; header: string; field: Field }[];
  constants: Partial<Record<Field, string | number | boolean>>;
  /** Headers no field takes (reported, so a user sees a column the tool did not recognise). */
  unused: string[];
  warnings: string[];
}

/** Columns a mapping file lists are matched to headers the same way: case and punctuation aside. */
export function planColumns(headers: readonly string[], mapping?: MappingFile): ColumnPlan {
  const byHeader = new Map<string, Field | null>();
  for (const [header, field] of Object.entries(mapping?.columns ?? {})) byHeader.set(normaliseHeader(header), field);
  const useDefaults = mapping?.useDefaultHeaders ?? true;
  const columns: ColumnPlan['columns'] = [];
  const unused: string[] = [];
  const warnings: string[] = [];
  const taken = new Map<Field, string>();
  headers.forEach((header, index) => {
    if (header.trim() === '') return;
    const key = normaliseHeader(header);
    const field = byHeader.has(key) ? byHeader.get(key)! : useDefaults ? defaultFieldFor(header) ?? null : null;
    if (field === null) {
      if (!byHeader.has(key)) unused.push(header);
      return;
    }
    const earlier = taken.get(field);
    if (earlier !== undefined) {
      throw new UsageError(`columns "${earlier}" and "${header}" both feed ${field}; name one of them in a mapping file (--mapping), as null to leave it out`);
    }
    taken.set(field, header);
    columns.push({ index, header, field });
  });
  const present = new Set(headers.map(normaliseHeader));
  for (const header of Object.keys(mapping?.columns ?? {})) {
    if (!present.has(normaliseHeader(header))) warnings.push(`the mapping names column "${header}", which the file does not have`);
  }
  return { columns, constants: { ...(mapping?.constants ?? {}) }, unused, warnings };
}
