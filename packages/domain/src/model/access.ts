/**
 * The access log's rules (NEN 7513: logging who saw a care record): which month a view is filed
 * under, and how long its record is kept.
 */
import { addCalendarMonthsMs, amsterdamDate } from '@vroegsignaal/calendar';

/**
 * Years an access record is kept. NEN 7513 leaves the period to the organisation; five years is
 * the common practice for care logging, and here it outlives what the records are about (an
 * alert's record goes after 24 months): a household that asks who saw its address (AVG article
 * 15), or a privacy officer looking into an incident found late, still finds every view.
 */
export const ACCESS_RECORD_RETENTION_YEARS = 5;

/** When an access record made at `atMs` may be deleted. */
export function accessRecordExpiresAtMs(atMs: number): number {
  return addCalendarMonthsMs(atMs, 12 * ACCESS_RECORD_RETENTION_YEARS);
}

/** The calendar month a view is filed under, in Amsterdam time (`2026-11`): what the privacy officer asks for. */
export function accessMonthOf(atMs: number): string {
  return amsterdamDate(new Date(atMs)).slice(0, 7);
}
