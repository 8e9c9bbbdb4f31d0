/**
 * The Amsterdam date of a partner's date-time, for the contract's relative checks (intake
 * v1.1, "Values within reason"). Internal to this package (not exported from its entry point).
 */
import * as z from 'zod';
import { amsterdamDateOfMs } from '@vroegsignaal/calendar';

/** The contract's date-time: ISO-8601 with an offset or Z (as `isoDateTimeWithOffset`). */
const dateTimeWithOffset = z.iso.datetime({ offset: true });

/**
 * The calendar date (`YYYY-MM-DD`) in Europe/Amsterdam of an ISO-8601 date-time with an
 * offset, or undefined when it is not one (its own format check reports that; `Date.parse`
 * alone would read "2026-03-01 09:00" as local time) or lies outside years 1..9999.
 */
export function amsterdamDateOf(dateTime: unknown): string | undefined {
  if (typeof dateTime !== 'string' || !dateTimeWithOffset.safeParse(dateTime).success) return undefined;
  return amsterdamDateOfMs(Date.parse(dateTime));
}
