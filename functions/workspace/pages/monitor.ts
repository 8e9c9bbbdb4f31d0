/**
 * The municipality's monitor page: the report of one calendar month and the year to date, as
 * `npm run monitor` writes it (the same fragment, styled by the workspace's stylesheet), with a
 * month picker; and the form that downloads the DDAS export of a period. Aggregates only on the
 * page: the export, which holds addresses, is a file the browser saves, never a page.
 */
import { html, raw } from 'hono/html';
import { amsterdamWallTimeMs } from '@vroegsignaal/calendar';
import { formatMonth } from '../i18n.ts';
import { shiftMonth } from './access-log.ts';
import { csrfField, messageBlock, municipalityName, page, type Html, type View } from './layout.ts';

export const MONITOR_PATH = '/monitor';
export const DDAS_DOWNLOAD_PATH = '/monitor/ddas';

/** The last day of a month (`2026-02`: `2026-02-28`). */
export function lastDayOf(month: string): string {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return `${month}-${String(new Date(Date.UTC(year, m, 0)).getUTCDate()).padStart(2, '0')}`;
}

export interface MonitorPageProps {
  municipalityCode: string;
  month: string;
  /** The report as monitorReportFragment renders it (escaped there). */
  report: string;
  badMonth: boolean;
  badPeriod: boolean;
  /** The municipalities the member holds the role for: more than one, and the forms say which. */
  municipalities: string[];
}

export function monitorPage(view: View, p: MonitorPageProps): Html {
  const m = view.t.monitor;
  const monthLabel = formatMonth(view.locale, amsterdamWallTimeMs(`${p.month}-01`, '12:00'));
  const several = p.municipalities.length > 1;
  const which = several ? html`<input type="hidden" name="gemeente" value="${p.municipalityCode}">` : '';
  const link = (month: string) => `${MONITOR_PATH}?maand=${month}${several ? `&gemeente=${p.municipalityCode}` : ''}`;
  const dateField = (id: string, label: string, value: string) =>
    html`<div class="utrecht-form-field"><div class="utrecht-form-field__label"><label class="utrecht-form-label" for="${id}">${label}</label></div>
<div class="utrecht-form-field-description" id="${id}-hint">${m.dateHint}</div>
<div class="utrecht-form-field__input"><input class="utrecht-textbox utrecht-textbox--html-input" type="date" id="${id}" name="${id}" value="${value}" aria-describedby="${id}-hint" required${p.badPeriod ? html` aria-invalid="true"` : ''}></div></div>`;
  const body = html`<h1 class="utrecht-heading-1">${m.heading(municipalityName(view, p.municipalityCode), monthLabel)}</h1>
<p class="utrecht-paragraph">${m.intro}</p>
${p.badMonth ? messageBlock('error', m.badMonth) : ''}
<form method="get" action="${MONITOR_PATH}" class="vs-filters">
${which}
<div class="utrecht-form-field"><div class="utrecht-form-field__label"><label class="utrecht-form-label" for="maand">${m.month}</label></div>
<div class="utrecht-form-field-description" id="maand-hint">${m.monthHint}</div>
<div class="utrecht-form-field__input"><input class="utrecht-textbox utrecht-textbox--html-input" type="month" id="maand" name="maand" value="${p.month}" pattern="[0-9]{4}-[0-9]{2}" aria-describedby="maand-hint" required></div></div>
<button type="submit" class="utrecht-button utrecht-button--secondary-action">${m.show}</button>
</form>
<nav class="vs-pagination" aria-label="${m.month}"><a class="utrecht-link" href="${link(shiftMonth(p.month, -1))}">${m.previous}</a><a class="utrecht-link" href="${link(shiftMonth(p.month, 1))}">${m.next}</a></nav>
${raw(p.report)}
<section aria-labelledby="ddas-kop">
<h2 class="utrecht-heading-2" id="ddas-kop">${m.ddasHeading}</h2>
<p class="utrecht-paragraph">${m.ddasIntro}</p>
${p.badPeriod ? messageBlock('error', m.badPeriod) : ''}
<form method="post" action="${DDAS_DOWNLOAD_PATH}" class="vs-filters">
${csrfField(view)}${which}
${dateField('van', m.from, `${p.month}-01`)}
${dateField('tot', m.to, lastDayOf(p.month))}
<button type="submit" class="utrecht-button utrecht-button--primary-action">${m.download}</button>
</form>
</section>`;
  return page(view, { title: m.title, place: 'monitor', body });
}
