/**
 * Calendar arithmetic in the Europe/Amsterdam time zone.
 *
 * Contract rules implemented here:
 * - "Months and years in windows are calendar months in Europe/Amsterdam;
 *   '400 days' and '5 minutes' are exact durations." Exact durations need no
 *   help from this module (plain millisecond arithmetic); calendar months do.
 * - Deadlines: "Weeks and days are calendar days; working days are Monday to
 *   Friday without Dutch public holidays, counted in Europe/Amsterdam, at the
 *   same time of day."
 *
 * Pure and dependency-free: wall-clock parts and UTC offsets come from
 * `Intl.DateTimeFormat` (Node 20 has no Temporal). DST is handled by
 * converting wall-clock times back to instants with the offset that is valid
 * at the target:
 * - a wall time that does not exist (spring-forward gap, 02:00–03:00 on the
 *   last Sunday of March) is moved forward by the length of the gap
 *   (02:30 → 03:30 CEST), as Temporal's 'compatible' disambiguation does;
 * - a wall time that occurs twice (fall-back overlap, 02:00–03:00 on the last
 *   Sunday of October) resolves to the offset of the starting instant when that
 *   is one of the two candidates, otherwise to the earlier occurrence.
 */

const TIME_ZONE = 'Europe/Amsterdam';
const MS_PER_DAY = 86_400_000;

export type Term = { weeks: number } | { days: number } | { workingDays: number };

interface WallClock {
  year: number;
  /** 1–12 */
  month: number;
  /** 1–31 */
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

let formatter: Intl.DateTimeFormat | undefined;

function amsterdamFormatter(): Intl.DateTimeFormat {
  formatter ??= new Intl.DateTimeFormat('en-US', {
    timeZone: TIME_ZONE,
    hourCycle: 'h23',
    era: 'short',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  return formatter;
}

function assertValidInstant(instant: Date): number {
  const t = instant.getTime();
  if (!Number.isFinite(t)) throw new RangeError('Invalid Date');
  return t;
}

function assertInteger(value: number, name: string): void {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${name} must be a safe integer, got ${value}`);
}

/**
 * Since 1996 Amsterdam follows the EU rule: CEST (UTC+2) from 01:00 UTC on the last Sunday of
 * March to 01:00 UTC on the last Sunday of October, CET (UTC+1) otherwise (Directive
 * 2000/84/EC; tzdata agrees, which a test checks against Intl). Computing that directly is a
 * hundred times faster than asking Intl, and the hot path asks for every live signal.
 */
const EU_RULE_YEARS = { from: 1996, to: 2199 } as const;
const HOUR_MS = 3_600_000;
const transitionsByYear = new Map<number, readonly [number, number]>();

function lastSundayAt0100Utc(year: number, month: number): number {
  const lastDay = Date.UTC(year, month, 0);
  const weekday = new Date(lastDay).getUTCDay();
  return lastDay - weekday * MS_PER_DAY + HOUR_MS;
}

function euRuleOffset(epochMs: number): number | undefined {
  const year = new Date(epochMs).getUTCFullYear();
  if (year < EU_RULE_YEARS.from || year > EU_RULE_YEARS.to) return undefined;
  let transitions = transitionsByYear.get(year);
  if (!transitions) {
    transitions = [lastSundayAt0100Utc(year, 3), lastSundayAt0100Utc(year, 10)] as const;
    transitionsByYear.set(year, transitions);
  }
  return epochMs >= transitions[0] && epochMs < transitions[1] ? 2 * HOUR_MS : HOUR_MS;
}

/** Wall-clock time in Amsterdam for an epoch-millisecond instant. */
function wallClock(epochMs: number): WallClock {
  const offset = euRuleOffset(epochMs);
  if (offset !== undefined) {
    const local = new Date(epochMs + offset);
    return {
      year: local.getUTCFullYear(),
      month: local.getUTCMonth() + 1,
      day: local.getUTCDate(),
      hour: local.getUTCHours(),
      minute: local.getUTCMinutes(),
      second: local.getUTCSeconds(),
      millisecond: local.getUTCMilliseconds(),
    };
  }
  return wallClockFromIntl(epochMs);
}

/** Wall-clock time from the platform's time-zone data, for years outside the EU rule. */
function wallClockFromIntl(epochMs: number): WallClock {
  const parts = amsterdamFormatter().formatToParts(new Date(epochMs));
  let year = NaN;
  let month = NaN;
  let day = NaN;
  let hour = NaN;
  let minute = NaN;
  let second = NaN;
  let bc = false;
  for (const part of parts) {
    switch (part.type) {
      case 'year':
        year = Number(part.value);
        break;
      case 'month':
        month = Number(part.value);
        break;
      case 'day':
        day = Number(part.value);
        break;
      case 'hour':
        hour = Number(part.value);
        break;
      case 'minute':
        minute = Number(part.value);
        break;
      case 'second':
        second = Number(part.value);
        break;
      case 'era':
        bc = part.value.startsWith('B');
        break;
      default:
        break;
    }
  }
  if (bc) year = 1 - year;
  // Some ICU versions have rendered midnight as 24 despite h23.
  if (hour === 24) hour = 0;
  const millisecond = ((epochMs % 1000) + 1000) % 1000;
  return { year, month, day, hour, minute, second, millisecond };
}

/** Wall-clock fields read as if they were UTC, in epoch milliseconds. */
function wallAsUtc(w: WallClock): number {
  return utcMs(w.year, w.month, w.day, w.hour, w.minute, w.second, w.millisecond);
}

/** Date.UTC without the 0–99 → 1900–1999 year mapping. */
function utcMs(
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
  millisecond = 0,
): number {
  // Date.UTC maps years 0-99 to 1900-1999; only those need the slow way.
  if (year >= 100) return Date.UTC(year, month - 1, day, hour, minute, second, millisecond);
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, millisecond);
  return d.getTime();
}

/** Amsterdam UTC offset (ms, east positive) in force at an instant. */
function offsetAt(epochMs: number): number {
  return euRuleOffset(epochMs) ?? wallAsUtc(wallClockFromIntl(epochMs)) - epochMs;
}

/**
 * The instant at which Amsterdam's clocks show `w`. See the module comment for
 * gaps and overlaps. `preferredOffset` picks between the two candidates of an
 * overlap.
 */
function instantFromWall(w: WallClock, preferredOffset?: number): number {
  const local = wallAsUtc(w);
  // Amsterdam has at most one transition within any 2-day window.
  const before = offsetAt(local - MS_PER_DAY);
  const after = offsetAt(local + MS_PER_DAY);
  const candidates: number[] = [];
  for (const offset of before === after ? [before] : [before, after]) {
    const t = local - offset;
    if (wallAsUtc(wallClock(t)) === local) candidates.push(t);
  }
  if (candidates.length === 0) {
    // Gap: interpreting the wall time with the offset in force before the
    // transition lands after it, i.e. forward by the length of the gap.
    return local - before;
  }
  if (candidates.length > 1 && preferredOffset !== undefined) {
    const preferred = candidates.find((t) => local - t === preferredOffset);
    if (preferred !== undefined) return preferred;
  }
  return Math.min(...candidates);
}

/** Days in `month` (1-12) of `year`, proleptic Gregorian. */
export function daysInMonth(year: number, month: number): number {
  return new Date(utcMs(year, month + 1, 0)).getUTCDate();
}

function pad(n: number, width = 2): string {
  const s = String(Math.abs(n)).padStart(width, '0');
  return n < 0 ? `-${s}` : s;
}

function isoDate(year: number, month: number, day: number): string {
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

/** 0 = Sunday … 6 = Saturday, for a proleptic Gregorian date. */
function weekday(year: number, month: number, day: number): number {
  return new Date(utcMs(year, month, day)).getUTCDay();
}

/** Shift a calendar date by whole days (pure date arithmetic, no time zone). */
function shiftDate(year: number, month: number, day: number, days: number) {
  const d = new Date(utcMs(year, month, day) + days * MS_PER_DAY);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

// ---------------------------------------------------------------------------
// Calendar months and days
// ---------------------------------------------------------------------------

/**
 * Same Amsterdam wall-clock time `months` calendar months later (negative:
 * earlier). The day is clamped to the end of the target month
 * (31 Jan + 1 month = 28/29 Feb).
 */
/**
 * Remembered results of calendar-month arithmetic, per number of months: a household's state is
 * judged many times over the same few dates (each signal's live-until, each alert's window), so
 * most calls repeat. Cleared when it grows large: a cache, not a store.
 */
const monthsLater = new Map<number, Map<number, number>>();
const MONTHS_LATER_CAPACITY = 50_000;

export function addCalendarMonths(instant: Date, months: number): Date {
  return new Date(addCalendarMonthsMs(assertValidInstant(instant), months));
}

/** addCalendarMonths on epoch milliseconds, without the Date objects (the hot path). */
export function addCalendarMonthsMs(t: number, months: number): number {
  assertInteger(months, 'months');
  if (months === 0) return t;
  let byInstant = monthsLater.get(months);
  if (!byInstant) {
    byInstant = new Map();
    monthsLater.set(months, byInstant);
  }
  let result = byInstant.get(t);
  if (result === undefined) {
    if (!Number.isFinite(t)) throw new RangeError('Invalid Date');
    result = monthsLaterUncached(t, months);
    if (byInstant.size >= MONTHS_LATER_CAPACITY) byInstant.clear();
    byInstant.set(t, result);
  }
  return result;
}

function monthsLaterUncached(t: number, months: number): number {
  const w = wallClock(t);
  const index = w.year * 12 + (w.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  const day = Math.min(w.day, daysInMonth(year, month));
  return instantFromWall({ ...w, year, month, day }, offsetAt(t));
}

/**
 * Same Amsterdam wall-clock time `days` calendar days later (negative:
 * earlier). Across a DST change this is 23 or 25 hours per day crossed.
 */
export function addCalendarDays(instant: Date, days: number): Date {
  const t = assertValidInstant(instant);
  assertInteger(days, 'days');
  if (days === 0) return new Date(t);
  const w = wallClock(t);
  const target = shiftDate(w.year, w.month, w.day, days);
  return new Date(instantFromWall({ ...w, ...target }, offsetAt(t)));
}

// ---------------------------------------------------------------------------
// Dutch public holidays and working days
// ---------------------------------------------------------------------------

/** Easter Sunday (Gregorian), anonymous Gregorian / Meeus–Jones–Butcher algorithm. */
function easterSunday(year: number): { month: number; day: number } {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return { month, day };
}

/** The day the monarch's birthday is celebrated. */
function royalDay(year: number): { month: number; day: number } {
  if (year >= 2014) {
    // Koningsdag: 27 April, or Saturday 26 April when the 27th is a Sunday.
    return weekday(year, 4, 27) === 0 ? { month: 4, day: 26 } : { month: 4, day: 27 };
  }
  // Koninginnedag (1980–2013 rule): 30 April, or 29 April when the 30th is a
  // Sunday. Earlier years followed other rules and are not modelled.
  return weekday(year, 4, 30) === 0 ? { month: 4, day: 29 } : { month: 4, day: 30 };
}

const holidayCache = new Map<number, readonly string[]>();

/**
 * Dutch public holidays ('YYYY-MM-DD', sorted) as used for counting deadlines:
 * the "algemeen erkende feestdagen" of the Algemene termijnenwet (Awt,
 * Stb. 1964, 314), art. 3:
 * - lid 1: "de Nieuwjaarsdag, de Christelijke tweede Paas- en Pinksterdag, de
 *   beide Kerstdagen, de Hemelvaartsdag, de dag waarop de verjaardag van de
 *   Koning wordt gevierd en de vijfde mei";
 * - lid 2: "Voor de toepassing van deze wet wordt Goede Vrijdag met de in het
 *   vorige lid genoemde dagen gelijkgesteld."
 *
 * So:
 * - Nieuwjaarsdag (1 Jan);
 * - Goede Vrijdag (Good Friday, Easter − 2). INCLUDED because Awt art. 3
 *   lid 2 equates it with the holidays for counting terms, even though it is
 *   not a general day off (only some employers and collective agreements give
 *   it). To count it as a working day instead, drop the `fromEaster(-2)` line.
 * - eerste en tweede Paasdag (Easter Sunday and Monday);
 * - Koningsdag (27 April, Saturday 26 April when the 27th is a Sunday);
 * - Bevrijdingsdag (5 May) every year: the Awt names "de vijfde mei" without
 *   the five-yearly pattern that many employers use for it as a day off;
 * - Hemelvaartsdag (Ascension, Easter + 39);
 * - eerste en tweede Pinksterdag (Whit Sunday and Monday, Easter + 49/50);
 * - eerste en tweede Kerstdag (25 and 26 Dec).
 * Easter Sunday and Whit Sunday are always Sundays, so listing them changes no
 * working-day count; they are included for completeness.
 *
 * Not modelled: days equated by decree under art. 3 lid 3 (e.g. the Friday
 * after Ascension), which are published periodically in the Staatscourant
 * rather than following from a rule.
 */
export function dutchPublicHolidays(year: number): string[] {
  assertInteger(year, 'year');
  let cached = holidayCache.get(year);
  if (cached === undefined) {
    const easter = easterSunday(year);
    const fromEaster = (offset: number): string => {
      const d = shiftDate(year, easter.month, easter.day, offset);
      return isoDate(d.year, d.month, d.day);
    };
    const royal = royalDay(year);
    const dates = new Set<string>([
      isoDate(year, 1, 1), // Nieuwjaarsdag
      fromEaster(-2), // Goede Vrijdag (Awt art. 3 lid 2)
      fromEaster(0), // Eerste Paasdag
      fromEaster(1), // Tweede Paasdag
      isoDate(year, royal.month, royal.day), // Koningsdag
      isoDate(year, 5, 5), // Bevrijdingsdag
      fromEaster(39), // Hemelvaartsdag
      fromEaster(49), // Eerste Pinksterdag
      fromEaster(50), // Tweede Pinksterdag
      isoDate(year, 12, 25), // Eerste Kerstdag
      isoDate(year, 12, 26), // Tweede Kerstdag
    ]);
    cached = Object.freeze([...dates].sort());
    holidayCache.set(year, cached);
  }
  return [...cached];
}

function isWorkingDate(year: number, month: number, day: number): boolean {
  const wd = weekday(year, month, day);
  if (wd === 0 || wd === 6) return false;
  if (!holidayCache.has(year)) dutchPublicHolidays(year);
  return !(holidayCache.get(year) ?? []).includes(isoDate(year, month, day));
}

/** Whether the Amsterdam date of `instant` is Monday–Friday and not a Dutch public holiday. */
export function isDutchWorkingDay(instant: Date): boolean {
  const w = wallClock(assertValidInstant(instant));
  return isWorkingDate(w.year, w.month, w.day);
}

/**
 * Same Amsterdam wall-clock time `days` working days later (negative:
 * earlier), skipping Saturdays, Sundays and Dutch public holidays. The start
 * day itself is never counted, so Saturday + 1 working day is Monday.
 * `days === 0` returns the instant unchanged.
 */
export function addWorkingDays(instant: Date, days: number): Date {
  const t = assertValidInstant(instant);
  assertInteger(days, 'days');
  if (days === 0) return new Date(t);
  const w = wallClock(t);
  const step = days > 0 ? 1 : -1;
  let remaining = Math.abs(days);
  let date = { year: w.year, month: w.month, day: w.day };
  while (remaining > 0) {
    date = shiftDate(date.year, date.month, date.day, step);
    if (isWorkingDate(date.year, date.month, date.day)) remaining -= 1;
  }
  return new Date(instantFromWall({ ...w, ...date }, offsetAt(t)));
}

// ---------------------------------------------------------------------------
// Terms
// ---------------------------------------------------------------------------

/** Add a deadline term: weeks and days are calendar days, working days skip weekends and holidays. */
export function addTerm(instant: Date, term: Term): Date {
  if ('weeks' in term) {
    assertInteger(term.weeks, 'weeks');
    return addCalendarDays(instant, term.weeks * 7);
  }
  if ('days' in term) return addCalendarDays(instant, term.days);
  return addWorkingDays(instant, term.workingDays);
}

// ---------------------------------------------------------------------------
// Dates and formatting
// ---------------------------------------------------------------------------

/** The 'YYYY-MM-DD' date of `instant` as seen in Amsterdam. */
export function amsterdamDate(instant: Date): string {
  const w = wallClock(assertValidInstant(instant));
  return isoDate(w.year, w.month, w.day);
}

/** The calendar year of `instant` as seen in Amsterdam. */
export function amsterdamYear(instant: Date): number {
  return wallClock(assertValidInstant(instant)).year;
}

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The instant of 00:00 Amsterdam time on a 'YYYY-MM-DD' date (for date-only fields). */
export function startOfAmsterdamDay(date: string): Date {
  return new Date(startOfAmsterdamDayMs(date));
}

/**
 * Remembered day starts: every proceeding entry's dates are converted, and they are few distinct
 * days (a court's calendar), so most conversions repeat. Cleared when it grows large, as monthsLater.
 */
const dayStarts = new Map<string, number>();
const DAY_STARTS_CAPACITY = 10_000;

/** startOfAmsterdamDay in epoch milliseconds (the hot path). */
export function startOfAmsterdamDayMs(date: string): number {
  let start = dayStarts.get(date);
  if (start === undefined) {
    start = dayStartUncached(date);
    if (dayStarts.size >= DAY_STARTS_CAPACITY) dayStarts.clear();
    dayStarts.set(date, start);
  }
  return start;
}

function dayStartUncached(date: string): number {
  return amsterdamWallTimeMs(date, '00:00');
}

const TIME_PATTERN = /^(\d{2}):(\d{2})$/;

/**
 * The instant, in epoch milliseconds, of an Amsterdam wall-clock time ('HH:MM', and seconds)
 * on a 'YYYY-MM-DD' date. A time in the spring-forward gap moves on by the gap; one that
 * occurs twice in the autumn is the earlier.
 */
export function amsterdamWallTimeMs(date: string, time: string, second = 0): number {
  const match = DATE_PATTERN.exec(date);
  const year = Number(match?.[1]);
  const month = Number(match?.[2]);
  const day = Number(match?.[3]);
  if (!match || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    throw new RangeError(`Invalid date '${date}', expected YYYY-MM-DD`);
  }
  const clock = TIME_PATTERN.exec(time);
  const hour = Number(clock?.[1]);
  const minute = Number(clock?.[2]);
  if (!clock || hour > 23 || minute > 59) throw new RangeError(`Invalid time '${time}', expected HH:MM`);
  return instantFromWall({ year, month, day, hour, minute, second, millisecond: 0 });
}

/**
 * ISO-8601 with the Amsterdam offset at seconds precision (milliseconds are
 * truncated), e.g. `2026-03-01T10:00:00+01:00`.
 */
export function formatAmsterdamIso(instant: Date): string {
  const t = assertValidInstant(instant);
  const w = wallClock(t);
  const offsetMinutes = Math.round(offsetAt(t) / 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return (
    `${isoDate(w.year, w.month, w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}
