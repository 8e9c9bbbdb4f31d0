/**
 * The DDAS export as the workspace hands it out, to a member of the municipality role (a
 * download from the monitor page) or to the statistics office's machine client (`POST
 * /gegevens`): the access record first (NEN 7513: the document holds addresses), then the
 * document from the month indexes. Never logged: a log line says which municipality and
 * period, and how many signals, no more.
 */
import { addCalendarYears, isCalendarDate } from '@vroegsignaal/calendar';
import { accessRecordExpiresAtMs, readDdasExport } from '@vroegsignaal/domain';
import type { DdasUitwisselmodel } from '@vroegsignaal/events';
import type { WorkspaceDeps } from './deps.ts';

/** codeGegevensleverancier: the product that delivers the data. */
export const DDAS_SUPPLIER = 'vroegsignaal';

/** From a date to a date not before it, at most a year (the reporting periods are months to a year). */
export function isPeriod(from: unknown, to: unknown): boolean {
  if (!isCalendarDate(from) || !isCalendarDate(to) || from > to) return false;
  const yearOn = addCalendarYears(from, 1);
  return yearOn !== undefined && to < yearOn;
}

export interface ExportRequest {
  municipalityCode: string;
  from: string;
  to: string;
  /** The member's pseudonymous id, or the machine client's id. */
  by: string;
  channel: 'download' | 'pull';
}

/** Writes the access record, then makes the document; throws (and makes none) when the record cannot be written. */
export async function exportDdas(deps: WorkspaceDeps, request: ExportRequest, nowMs: number): Promise<DdasUitwisselmodel> {
  await deps.access.record({
    municipalityCode: request.municipalityCode,
    memberId: request.by,
    view: 'ddas-export',
    channel: request.channel,
    from: request.from,
    to: request.to,
    atMs: nowMs,
    expiresAtMs: accessRecordExpiresAtMs(nowMs),
  });
  return readDdasExport(deps.monitor, deps.policy(), { municipalityCode: request.municipalityCode, from: request.from, to: request.to, nowMs, supplier: DDAS_SUPPLIER });
}

/**
 * One page of a document's signals (in the document's order) and the cases that handled them,
 * each listing only its signals on this page: every page is a valid document of its own, and a
 * case whose signals span two pages is on both.
 */
export function ddasPage(document: DdasUitwisselmodel, page: number, size: number): { document: DdasUitwisselmodel; pages: number; signals: number } {
  const levering = document.leveringen?.[0];
  if (!levering) return { document, pages: 1, signals: 0 };
  const all = levering.vroegsignalen ?? [];
  const signals = all.slice((page - 1) * size, page * size);
  const onPage = new Set(signals.map((s) => s.ID));
  const cases = (levering.vroegsignaalzaken ?? []).flatMap((zaak) => {
    const ids = (zaak.vroegsignalen ?? []).filter((s) => onPage.has(s.ID));
    return ids.length > 0 ? [{ ...zaak, vroegsignalen: ids }] : [];
  });
  const paged = { ...document, leveringen: [{ ...levering, vroegsignalen: signals, vroegsignaalzaken: cases }] } as DdasUitwisselmodel;
  return { document: paged, pages: Math.max(1, Math.ceil(all.length / size)), signals: all.length };
}
