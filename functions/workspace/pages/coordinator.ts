/**
 * The coordinator's view: the alerts of the municipality's teams that are past their deadline
 * while still new, or were escalated to the coordinating team: team, level, waiting time and
 * deadline. Never an address or a contact, and no link to an alert: the alert page is the
 * team's, and opening it would show the household to someone who does not visit it.
 */
import { html } from 'hono/html';
import { coordinatorView, type OpenAlert } from '@vroegsignaal/domain';
import { formatDateTime, formatDuration } from '../i18n.ts';
import { deadlineText } from './deadline.ts';
import { dataTable, levelBadge, municipalityName, page, shortAlertId, teamName, type Html, type View } from './layout.ts';

export function coordinatorPage(view: View, municipalityCode: string, alerts: OpenAlert[]): Html {
  const { t } = view;
  const k = t.coordinator;
  const shown = coordinatorView(alerts, view.nowMs);
  const c = k.columns;
  const body = html`<h1 class="utrecht-heading-1">${k.heading(municipalityName(view, municipalityCode))}</h1>
<p class="utrecht-paragraph">${k.intro}</p>
${
  shown.length === 0
    ? html`<p class="utrecht-paragraph">${k.none}</p>`
    : dataTable({
        id: 'regie-tabel',
        caption: k.caption,
        headers: [c.alert, c.team, c.level, c.status, c.deadline, c.waited, c.escalated],
        rows: shown.map(
        (a) => html`<tr class="utrecht-table__row">
<th scope="row" class="utrecht-table__header-cell">${shortAlertId(a.alertId)}</th>
<td class="utrecht-table__cell">${teamName(view, a.team)}</td>
<td class="utrecht-table__cell">${levelBadge(view, a.level)}</td>
<td class="utrecht-table__cell">${t.statuses[a.status]}</td>
<td class="utrecht-table__cell">${formatDateTime(view.locale, a.respondByMs)} (${deadlineText(view, a)})</td>
<td class="utrecht-table__cell">${formatDuration(view.locale, a.waitedMs)}</td>
<td class="utrecht-table__cell">${a.escalatedAtMs !== undefined ? formatDateTime(view.locale, a.escalatedAtMs) : t.noOne}</td>
</tr>`,
        ),
      })
}`;
  return page(view, { title: k.title, place: 'coordinator', body });
}
