/**
 * Calendar dates for the contract's relative checks (intake v1.1, "Values within reason"):
 * dates as `YYYY-MM-DD` strings, which compare correctly as strings, and the date of an
 * instant in Europe/Amsterdam. Internal to this package (not exported from its entry point);
 * the events package must not depend on the domain, so this is a small, separate helper.
 */

import * as z from 'zod';

const TIME_ZONE = 'Europe/Amsterdam';
/** The contract's date-time: ISO-8601 with an offset or Z (as `isoDateTimeWithOffset`). */
const dateTimeWithOffset = z.iso.datetime({ offset: true });
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

let formatter: Intl.DateTimeFormat | undefined;

function amsterdamFormatter(): Intl.DateTimeFormat {
  formatter ??= new Intl.DateTimeFormat('en-US', {
    timeZone: TIME_ZONE,
    era: 'short',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
  });
  return formatter;
}

function pad(value: number, length: number): string {
  return String(value).padStart(length, '0');
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Days in `month` (1-12) of `year`, Gregorian. */
function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

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
 * The calendar date (`YYYY-MM-DD`) in Europe/Amsterdam of an ISO-8601 date-time with an
 * offset, or undefined when it is not one (its own format check reports that; `Date.parse`
 * alone would read "2026-03-01 09:00" as local time) or lies outside years 1..9999.
 */
export function amsterdamDateOf(dateTime: unknown): string | undefined {
  if (!dateTimeWithOffset.safeParse(dateTime).success) return undefined;
  if (typeof dateTime !== 'string') return undefined;
  const ms = Date.parse(dateTime);
  if (!Number.isFinite(ms)) return undefined;
  // Europe/Amsterdam changes its offset only on the hour, so one UTC hour has one date there;
  // formatting is the costly part, and a feed's entries share few hours.
  const hour = Math.floor(ms / HOUR_MS);
  const known = datesByUtcHour.get(hour);
  if (known !== undefined) return known ?? undefined;
  if (datesByUtcHour.size >= MAX_REMEMBERED_HOURS) datesByUtcHour.clear();
  const date = formatAmsterdamDate(ms);
  datesByUtcHour.set(hour, date ?? null);
  return date;
}

const HOUR_MS = 3_600_000;
/** About a year of hours: enough for a feed, small enough to keep. */
const MAX_REMEMBERED_HOURS = 10_000;
const datesByUtcHour = new Map<number, string | null>();

function formatAmsterdamDate(ms: number): string | undefined {
  const parts = amsterdamFormatter().formatToParts(ms);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value;
  const year = Number(part('year'));
  const month = Number(part('month'));
  const day = Number(part('day'));
  if (part('era') !== 'AD' || !(year >= 1 && year <= 9999) || !month || !day) return undefined;
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
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
  return `${pad(year, 4)}-${pad(parts.month, 2)}-${pad(day, 2)}`;
}
