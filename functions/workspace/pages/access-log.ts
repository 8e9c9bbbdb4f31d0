/**
 * The privacy officer's page: the access records of their municipality for one calendar month
 * (NEN 7513), oldest first. Alert ids are not links: the officer is in no team, and the alert
 * page would show the personal data the log is about.
 */
import { html } from 'hono/html';
import { amsterdamWallTimeMs } from '@vroegsignaal/calendar';
import type { AccessRecord } from '@vroegsignaal/domain';
import { formatDateTime, formatMonth } from '../i18n.ts';
import { dataTable, messageBlock, municipalityName, page, teamName, type Html, type View } from './layout.ts';

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function isMonth(value: string | undefined): value is string {
  return value !== undefined && MONTH.test(value);
}

/** The month `delta` months from `month` (`2026-01`, -1: `2025-12`). */
export function shiftMonth(month: string, delta: number): string {
  const [year, m] = month.split('-').map(Number) as [number, number];
  const index = year * 12 + (m - 1) + delta;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

export function accessLogPage(view: View, p: { municipalityCode: string; month: string; records: AccessRecord[]; badMonth: boolean; municipalities: string[] }): Html {
  const { t } = view;
  const a = t.access;
  const monthLabel = formatMonth(view.locale, amsterdamWallTimeMs(`${p.month}-01`, '12:00'));
  const municipality = municipalityName(view, p.municipalityCode);
  const link = (month: string) => `/toegang?maand=${month}${p.municipalities.length > 1 ? `&gemeente=${p.municipalityCode}` : ''}`;
  const body = html`<h1 class="utrecht-heading-1">${a.heading(municipality, monthLabel)}</h1>
<p class="utrecht-paragraph">${a.intro}</p>
${p.badMonth ? messageBlock('error', a.badMonth) : ''}
<form method="get" action="/toegang" class="vs-filters">
${p.municipalities.length > 1 ? html`<input type="hidden" name="gemeente" value="${p.municipalityCode}">` : ''}
<div class="utrecht-form-field"><div class="utrecht-form-field__label"><label class="utrecht-form-label" for="maand">${a.month}</label></div>
<div class="utrecht-form-field-description" id="maand-hint">${a.monthHint}</div>
<div class="utrecht-form-field__input"><input class="utrecht-textbox utrecht-textbox--html-input" type="month" id="maand" name="maand" value="${p.month}" pattern="[0-9]{4}-[0-9]{2}" aria-describedby="maand-hint" required></div></div>
<button type="submit" class="utrecht-button utrecht-button--secondary-action">${a.show}</button>
</form>
<nav class="vs-pagination" aria-label="${a.month}"><a class="utrecht-link" href="${link(shiftMonth(p.month, -1))}">${a.previous}</a><a class="utrecht-link" href="${link(shiftMonth(p.month, 1))}">${a.next}</a></nav>
${
  p.records.length === 0
    ? html`<p class="utrecht-paragraph">${a.none}</p>`
    : dataTable({
        id: 'toegang-tabel',
        caption: a.caption(p.records.length),
        headers: [a.columns.when, a.columns.member, a.columns.team, a.columns.alert],
        rows: p.records.map(
        (r) =>
          html`<tr class="utrecht-table__row"><td class="utrecht-table__cell">${formatDateTime(view.locale, r.atMs)}</td><td class="utrecht-table__cell">${r.memberId}</td>${
            r.view === 'alert'
              ? html`<td class="utrecht-table__cell">${teamName(view, r.team)}</td><td class="utrecht-table__cell">${r.alertId}</td>`
              : html`<td class="utrecht-table__cell">${a.export(r.channel)}</td><td class="utrecht-table__cell">${a.period(r.from, r.to)}</td>`
          }</tr>`,
        ),
      })
}`;
  return page(view, { title: a.title, place: 'access', body });
}
