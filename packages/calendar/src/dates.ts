/**
 * Dates as `YYYY-MM-DD` strings, which compare correctly as strings: what a partner's
 * date-only fields hold, and what the contract's relative checks compare.
 */
import { amsterdamDate, daysInMonth } from './calendar.ts';

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The parts of a real calendar date `YYYY-MM-DD` (no 30 February), or undefined. */
function partsOf(date: string): { year: number; month: number; day: number } | undefined {
  const match = DATE_PATTERN.exec(date);
  if (!match) return undefined;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return { year, month, day };
}

/** True for a real calendar date `YYYY-MM-DD`. */
export function isCalendarDate(value: unknown): value is string {
  return typeof value === 'string' && partsOf(value) !== undefined;
}

/**
 * The date `years` calendar years after `date` (negative: before), the day clamped to the end
 * of the month (29 February 2028 - 2 years = 28 February 2026), or undefined when `date` is not
 * a calendar date or the result leaves years 1..9999.
 */
export function addCalendarYears(date: string, years: number): string | undefined {
  const parts = partsOf(date);
  if (!parts) return undefined;
  const year = parts.year + years;
  if (year < 1 || year > 9999) return undefined;
  const day = Math.min(parts.day, daysInMonth(year, parts.month));
  return `${String(year).padStart(4, '0')}-${String(parts.month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The Amsterdam date of an instant in epoch milliseconds, or undefined outside years 1..9999. */
export function amsterdamDateOfMs(ms: number): string | undefined {
  if (!Number.isFinite(ms)) return undefined;
  const date = amsterdamDate(new Date(ms));
  // Years before 1 are written with a sign and years after 9999 with five digits.
  return DATE_PATTERN.test(date) && !date.startsWith('0000-') ? date : undefined;
}
