/**
 * A deadline as the field says it: the days left, "vandaag", "te laat" (the domain's isOverdue:
 * still new at its deadline), or "3× te laat" once the alert has waited three terms (Signalen's
 * filters count the same way).
 */
import { html } from 'hono/html';
import { isOverdue, type OpenAlert } from '@vroegsignaal/domain';
import { DAY_MS, formatDuration } from '../i18n.ts';
import type { Html, View } from './layout.ts';

export function deadlineText(view: View, alert: Pick<OpenAlert, 'status' | 'raisedAtMs' | 'respondByMs'>): Html {
  const { t, nowMs } = view;
  if (isOverdue(alert, nowMs)) {
    const terms = Math.floor((nowMs - alert.raisedAtMs) / Math.max(1, alert.respondByMs - alert.raisedAtMs));
    return html`<span class="vs-late">${terms >= 2 ? t.deadline.lateTimes(terms) : t.deadline.late}</span>`;
  }
  const daysLeft = Math.floor((alert.respondByMs - nowMs) / DAY_MS);
  return html`${daysLeft <= 0 ? t.deadline.today : t.deadline.left(formatDuration(view.locale, daysLeft * DAY_MS))}`;
}
