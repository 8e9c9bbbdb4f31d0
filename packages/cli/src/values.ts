/**
 * Cell values as Dutch and English exports write them: amounts with a decimal comma or point
 * (and the other as thousands separator), dates day-first or ISO, yes/no in either language.
 * Every parser returns `undefined` for a blank cell and `null` for a value it cannot read, so
 * that the caller can tell "not given" from "given wrong" and say which.
 */
import { formatAmsterdamIso, startOfAmsterdamDay } from '@vroegsignaal/calendar';
import { NORMALISED_POSTCODE_PATTERN } from '@vroegsignaal/events';

export type DecimalMark = ',' | '.';

/** A number in an export: optional sign, currency and spaces, thousands groups, decimals. */
const NUMBER_SHAPE = /^[-+]?\d{1,3}([.,\s']\d{3})*([.,]\d+)?$|^[-+]?\d+([.,]\d+)?$/;

function cleanNumber(raw: string): string {
  return raw
    .trim()
    .replace(/^(€|eur|euro)\s*/i, '')
    .replace(/\s*(€|eur|euro)$/i, '')
    .replace(/[\u00a0\u202f]/g, ' ')
    .replace(/^-\s+/, '-')
    .trim();
}

/**
 * The decimal mark of a column (or a file): `,` when some value ends in a comma and one or two
 * digits with no point after it (`1234,5`, `1.234,56`), else `.`. One or two digits, because
 * `1,234` is a thousands group in an English export and a decimal in no export we know of.
 */
export function detectDecimalMark(values: Iterable<string>): DecimalMark {
  let comma = 0;
  let point = 0;
  for (const raw of values) {
    const value = cleanNumber(raw);
    if (/,\d{1,2}$/.test(value) && !/,.*\./.test(value)) comma++;
    else if (/\.\d{1,2}$/.test(value) && !/\..*,/.test(value)) point++;
    else if (/\d\.\d{3},\d+$/.test(value)) comma++;
    else if (/\d,\d{3}\.\d+$/.test(value)) point++;
  }
  return comma > point ? ',' : '.';
}

/**
 * A decimal number, or null when the text is not one. Only `1.234` and `1,234` (one separator,
 * three digits after it) are ambiguous; `mark` decides those. Otherwise the text says itself
 * which is which: with both marks the last is the decimal one, a mark that repeats groups
 * thousands, and one followed by other than three digits is decimal.
 */
export function parseDecimal(raw: string, mark: DecimalMark): number | null | undefined {
  const value = cleanNumber(raw);
  if (value === '') return undefined;
  if (!NUMBER_SHAPE.test(value)) return null;
  const compact = value.replace(/[\s']/g, '');
  const commas = compact.split(',').length - 1;
  const points = compact.split('.').length - 1;
  let decimal: DecimalMark | undefined;
  if (commas > 0 && points > 0) decimal = compact.lastIndexOf(',') > compact.lastIndexOf('.') ? ',' : '.';
  else if (commas + points === 1) {
    const sep: DecimalMark = commas === 1 ? ',' : '.';
    const digitsAfter = compact.length - compact.indexOf(sep) - 1;
    decimal = digitsAfter !== 3 || sep === mark ? sep : undefined;
  }
  const thousands = decimal === undefined ? (commas > 0 ? ',' : '.') : decimal === ',' ? '.' : ',';
  const normalised = compact.split(thousands).join('').replace(',', '.');
  if (!/^[-+]?\d+(\.\d+)?$/.test(normalised)) return null;
  const number = Number(normalised);
  return Number.isFinite(number) ? number : null;
}

/**
 * Euros to whole cents without floating-point rounding (`1.234,56` -> 123456). More than two
 * decimals are rounded half up; a sign is kept so that the contract's "greater than 0" rule,
 * not this parser, rejects a negative amount.
 */
export function eurosToCents(raw: string, mark: DecimalMark): number | null | undefined {
  const euros = parseDecimal(raw, mark);
  if (euros === undefined || euros === null) return euros;
  const [whole = '0', fraction = ''] = Math.abs(euros).toFixed(6).split('.');
  const cents = Number(whole) * 100 + Math.round(Number(`${fraction.slice(0, 2)}.${fraction.slice(2)}`));
  return euros < 0 ? -cents : cents;
}

/** An integer, or null when the text is something else (`12a`, `1,5`). */
export function parseInteger(raw: string): number | null | undefined {
  const value = raw.trim();
  if (value === '') return undefined;
  return /^[-+]?\d+$/.test(value) ? Number(value) : null;
}

const TRUE_WORDS = new Set(['ja', 'j', 'yes', 'y', 'true', 'waar', '1', 'x', 'wel']);
const FALSE_WORDS = new Set(['nee', 'n', 'no', 'false', 'onwaar', '0', 'geen', 'niet']);

export function parseBoolean(raw: string): boolean | null | undefined {
  const value = raw.trim().toLowerCase();
  if (value === '') return undefined;
  if (TRUE_WORDS.has(value)) return true;
  if (FALSE_WORDS.has(value)) return false;
  return null;
}

/**
 * Date formats a mapping file may name. `auto` reads ISO (`2026-11-02`, or a date-time with an
 * offset) and day-first Dutch dates (`2-11-2026`, `02/11/2026`, `02.11.2026`).
 */
export const DATE_FORMATS = ['auto', 'dd-mm-yyyy', 'yyyy-mm-dd', 'mm/dd/yyyy'] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];

const ISO_DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const DAY_FIRST = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/;
const MONTH_FIRST = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
/** An ISO-8601 date-time with an offset or Z (seconds optional), as a cell or --now may give it. */
export const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
/** A time of day after a date, as spreadsheets add it: `02-11-2026 00:00`, `2026-11-02 14:30:00`. */
const TRAILING_TIME = /\s+\d{1,2}:\d{2}(:\d{2})?$/;

function isoDate(year: string, month: string, day: string): string | null {
  const iso = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
  try {
    startOfAmsterdamDay(iso); // throws on 31-02 and the like
    return iso;
  } catch {
    return null;
  }
}

/** A calendar date `YYYY-MM-DD`, or null. A date-time with an offset gives its Amsterdam date. */
export function parseDate(raw: string, format: DateFormat = 'auto'): string | null | undefined {
  const value = raw.trim();
  if (value === '') return undefined;
  if (ISO_DATE_TIME.test(value) && (format === 'auto' || format === 'yyyy-mm-dd')) {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? null : formatAmsterdamIso(new Date(ms)).slice(0, 10);
  }
  const date = value.replace(TRAILING_TIME, '');
  const iso = format === 'auto' || format === 'yyyy-mm-dd' ? ISO_DATE.exec(date) : null;
  if (iso) return isoDate(iso[1]!, iso[2]!, iso[3]!);
  const dayFirst = format === 'auto' || format === 'dd-mm-yyyy' ? DAY_FIRST.exec(date) : null;
  if (dayFirst) return isoDate(dayFirst[3]!, dayFirst[2]!, dayFirst[1]!);
  const monthFirst = format === 'mm/dd/yyyy' ? MONTH_FIRST.exec(date) : null;
  if (monthFirst) return isoDate(monthFirst[3]!, monthFirst[1]!, monthFirst[2]!);
  return null;
}

/**
 * `observedAt` from a cell: a date-time with an offset is kept as that instant; a date becomes
 * 00:00 Europe/Amsterdam that day (the peildatum of the export), with the offset of that day.
 */
export function parseObservedAt(raw: string, format: DateFormat = 'auto'): string | null | undefined {
  const value = raw.trim();
  if (value === '') return undefined;
  if (ISO_DATE_TIME.test(value) && (format === 'auto' || format === 'yyyy-mm-dd')) {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? null : formatAmsterdamIso(new Date(ms));
  }
  const date = parseDate(value, format);
  if (date === undefined || date === null) return date;
  return formatAmsterdamIso(startOfAmsterdamDay(date));
}

/** The Amsterdam calendar date of an ISO date-time. */
export function amsterdamDateOf(iso: string): string {
  return formatAmsterdamIso(new Date(Date.parse(iso))).slice(0, 10);
}

/** Postcode as `1234AB` when it has that shape with any spacing or case; otherwise as given. */
export function normalisePostcodeCell(raw: string): string | undefined {
  const value = raw.trim();
  if (value === '') return undefined;
  const compact = value.replace(/\s+/g, '').toUpperCase();
  return NORMALISED_POSTCODE_PATTERN.test(compact) ? compact : value;
}

/**
 * A house number cell that also holds the letter or addition, as many systems export it:
 * `12A`, `12 A`, `12-2`, `12 bis`, `12A-2`. Returns null when it is no house number at all.
 */
export function splitHouseNumber(raw: string): { houseNumber: number; houseLetter?: string; addition?: string } | null | undefined {
  const value = raw.trim();
  if (value === '') return undefined;
  const match = /^(\d{1,5})(?:\s*([A-Za-z])(?![A-Za-z0-9]))?(?:\s*[-/\s]\s*([A-Za-z0-9]{1,4}))?$/.exec(value);
  if (!match) return null;
  return {
    houseNumber: Number(match[1]),
    ...(match[2] ? { houseLetter: match[2].toUpperCase() } : {}),
    ...(match[3] ? { addition: match[3].toUpperCase() } : {}),
  };
}
