/**
 * The team's inbox: one row per open alert, most pressing first, with codes, times and
 * pseudonymous ids only (never an address, a contact or free text: the district and the
 * reasons are enough to choose what to open). Filters are a GET form, so they work without
 * JavaScript and a filtered inbox can be bookmarked; counts per status at the top; paged.
 */
import { html } from 'hono/html';
import { LEVELS } from '@vroegsignaal/events';
import { INBOX_PAGE_SIZE, inboxView, OPEN_STATUSES, type InboxQuery, type OpenAlert } from '@vroegsignaal/domain';
import { formatDuration, reasonText, type ShownStatus } from '../i18n.ts';
import { deadlineText } from './deadline.ts';
import { dataTable, levelBadge, page, partnerName, shortAlertId, teamName, teamsOf, who, type Html, type View } from './layout.ts';

/** The inbox's URL query: what the filter form sends (Dutch names, as the users see them in the address bar). */
export interface InboxParams {
  team?: string;
  niveau?: string;
  status?: string;
  wijk?: string;
  mijn?: string;
  telaat?: string;
  pagina?: string;
}

/** The URL's filters as the domain's query; a value that is not a level or status filters nothing. */
function queryOf(view: View, params: InboxParams): InboxQuery {
  const level = LEVELS.find((l) => l === params.niveau);
  const status = OPEN_STATUSES.find((s) => s === params.status);
  return {
    ...(level ? { levels: [level] } : {}),
    ...(status ? { statuses: [status] } : {}),
    ...(params.wijk ? { district: params.wijk } : {}),
    ...(params.mijn ? { mine: view.member.id } : {}),
    ...(params.telaat ? { overdueOnly: true } : {}),
    ...(params.pagina ? { page: Number.parseInt(params.pagina, 10) } : {}),
  };
}

const PARAMS = ['team', 'niveau', 'status', 'wijk', 'mijn', 'telaat', 'pagina'] as const satisfies readonly (keyof InboxParams)[];

/** The inbox's own parameters with `changes` (another page), as a link's query. */
function queryString(query: InboxParams, changes: Partial<InboxParams>): string {
  const merged: InboxParams = { ...query, ...changes };
  const params = new URLSearchParams(PARAMS.flatMap((name) => (merged[name] ? [[name, merged[name]] as [string, string]] : [])));
  const text = params.toString();
  return text ? `?${text}` : '';
}

export function inboxPage(view: View, team: string, alerts: OpenAlert[], query: InboxParams): Html {
  const { t } = view;
  const i = t.inbox;
  const m = inboxView(alerts, queryOf(view, query), view.nowMs);
  const teams = teamsOf(view.member);
  const select = (name: keyof InboxParams, id: string, label: string, values: readonly string[], labelOf: (v: string) => string) =>
    html`<div class="utrecht-form-field"><div class="utrecht-form-field__label"><label class="utrecht-form-label" for="${id}">${label}</label></div>
<div class="utrecht-form-field__input"><select class="utrecht-select utrecht-select--html-select" id="${id}" name="${name}"><option value="">${i.any}</option>${values.map(
      (v) => html`<option value="${v}"${query[name] === v ? html` selected` : ''}>${labelOf(v)}</option>`,
    )}</select></div></div>`;
  const checkbox = (name: keyof InboxParams, id: string, label: string) =>
    html`<div class="utrecht-form-field utrecht-form-field--checkbox"><input class="utrecht-checkbox utrecht-checkbox--html-input" type="checkbox" id="${id}" name="${name}" value="1"${query[name] ? html` checked` : ''}> <label class="utrecht-form-label utrecht-form-label--checkbox" for="${id}">${label}</label></div>`;
  const from = (m.page - 1) * INBOX_PAGE_SIZE + 1;
  const to = Math.min(m.total, m.page * INBOX_PAGE_SIZE);
  const c = i.columns;
  const body = html`<h1 class="utrecht-heading-1">${i.heading(teamName(view, team))}</h1>
${
  teams.length > 1
    ? html`<form method="get" action="/meldingen" class="vs-filters"><div class="utrecht-form-field"><div class="utrecht-form-field__label"><label class="utrecht-form-label" for="team">${i.teamPicker}</label></div>
<div class="utrecht-form-field__input"><select class="utrecht-select utrecht-select--html-select" id="team" name="team">${teams.map(
        (id) => html`<option value="${id}"${id === team ? html` selected` : ''}>${teamName(view, id)}</option>`,
      )}</select></div></div><button type="submit" class="utrecht-button utrecht-button--secondary-action">${i.teamPickerSubmit}</button></form>`
    : ''
}
<h2 class="utrecht-heading-2 vs-visually-hidden" id="aantallen">${i.counts}</h2>
<ul class="vs-inline-list" aria-labelledby="aantallen">${OPEN_STATUSES.map((s) => html`<li>${t.statuses[s]}: <strong>${m.counts[s]}</strong></li>`)}<li>${t.deadline.late}: <strong>${m.counts.overdue}</strong></li></ul>
<form method="get" action="/meldingen" class="vs-filters" aria-label="${i.filters}">
${teams.length > 1 ? html`<input type="hidden" name="team" value="${team}">` : ''}
${select('niveau', 'f-niveau', i.level, [...LEVELS].reverse(), (v) => t.levels[v as (typeof LEVELS)[number]])}
${select('status', 'f-status', i.status, OPEN_STATUSES, (v) => t.statuses[v as ShownStatus])}
${select('wijk', 'f-wijk', i.district, m.districts, (v) => v)}
${checkbox('mijn', 'f-mijn', i.mine)}
${checkbox('telaat', 'f-telaat', i.overdue)}
<button type="submit" class="utrecht-button utrecht-button--primary-action">${i.apply}</button>
<a class="utrecht-link" href="/meldingen${teams.length > 1 ? `?team=${team}` : ''}">${i.clear}</a>
</form>
${
  m.rows.length === 0
    ? html`<p class="utrecht-paragraph">${i.none}</p>`
    : dataTable({
        id: 'meldingen-tabel',
        caption: `${i.caption} (${i.shown(from, to, m.total)})`,
        headers: [c.alert, c.level, c.reasons, c.partners, c.district, c.deadline, c.waited, c.status, c.holder],
        rows: m.rows.map(
        (a) => html`<tr class="utrecht-table__row">
<th scope="row" class="utrecht-table__header-cell"><a class="utrecht-link" href="/meldingen/${a.alertId}">${shortAlertId(a.alertId)}</a></th>
<td class="utrecht-table__cell">${levelBadge(view, a.level)}</td>
<td class="utrecht-table__cell">${a.reasonCodes.map((code) => reasonText(view.locale, code, 'short')).join(' · ')}</td>
<td class="utrecht-table__cell">${a.partners.map((p) => partnerName(view, p)).join(', ')}</td>
<td class="utrecht-table__cell">${a.district}</td>
<td class="utrecht-table__cell">${deadlineText(view, a)}</td>
<td class="utrecht-table__cell">${formatDuration(view.locale, a.waitedMs)}</td>
<td class="utrecht-table__cell">${t.statuses[a.status]}</td>
<td class="utrecht-table__cell">${who(view, a.holder)}</td>
</tr>`,
        ),
      })
}
${
  m.pages > 1
    ? html`<nav class="vs-pagination" aria-label="${i.paging}">
${m.page > 1 ? html`<a class="utrecht-link" rel="prev" href="/meldingen${queryString(query, { pagina: String(m.page - 1) })}">${i.previous}</a>` : ''}
<span>${i.page(m.page, m.pages)}</span>
${m.page < m.pages ? html`<a class="utrecht-link" rel="next" href="/meldingen${queryString(query, { pagina: String(m.page + 1) })}">${i.next}</a>` : ''}
</nav>`
    : ''
}`;
  return page(view, { title: i.title, place: 'inbox', body });
}
