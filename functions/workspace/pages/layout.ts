/**
 * The frame every page shares: html lang, the skip link, one header with the member's places
 * (by role) and the language switch, one main, one footer. Pages give a title (never personal
 * data: it shows in tabs, history and screen-sharing) and their main content. Built with Hono's
 * html template, which escapes every value.
 */
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { html } from 'hono/html';
import type { CompiledPolicy, WorkspaceRole } from '@vroegsignaal/policy';
import type { Level } from '@vroegsignaal/events';
import type { Locale, Member, WorkspaceEnv } from '../deps.ts';
import { isLocale, messages, type Messages } from '../i18n.ts';
import { stylesheetHref } from '../static/assets.ts';

export type Html = ReturnType<typeof html>;

/** Where AUTH's routes end a session (a POST with the csrf field). */
export const LOGOUT_PATH = '/auth/logout';
/** The language a member chose with the switch; else their session's. */
export const LOCALE_COOKIE = 'vs-taal';

/** What a page is rendered for: who, in which language, on which path. */
export interface View {
  member: Member;
  csrfToken: string;
  locale: Locale;
  t: Messages;
  policy: CompiledPolicy;
  nowMs: number;
  /** The path and query of this request, for the language switch to come back to. */
  here: string;
  /** Whether the local outbox is there (`npm run serve` only): the header links it. */
  outbox: boolean;
}

export function viewOf(c: Context<WorkspaceEnv>, policy: CompiledPolicy, nowMs: number, outbox = false): View {
  const member = c.get('member');
  const chosen = getCookie(c, LOCALE_COOKIE);
  const locale = isLocale(chosen) ? chosen : member.locale;
  const url = new URL(c.req.url);
  return { member, csrfToken: c.get('csrfToken'), locale, t: messages(locale), policy, nowMs, here: `${url.pathname}${url.search}`, outbox };
}

export type Place = 'inbox' | 'coordinator' | 'monitor' | 'access' | 'settings' | 'outbox';

export function teamsOf(member: Member): string[] {
  return member.roles.flatMap((r) => (r.kind === 'team' ? [r.team] : []));
}

export function municipalitiesOf(member: Member, kind: Exclude<WorkspaceRole['kind'], 'team'>): string[] {
  return member.roles.flatMap((r) => (r.kind === kind ? [r.municipalityCode] : []));
}

/** The pages a member's roles open, in the order the header lists them. */
export function placesOf(member: Member): { place: Place; href: string }[] {
  const places: { place: Place; href: string }[] = [];
  if (teamsOf(member).length > 0) places.push({ place: 'inbox', href: '/meldingen' });
  if (municipalitiesOf(member, 'coordinator').length > 0) places.push({ place: 'coordinator', href: '/regie' });
  if (municipalitiesOf(member, 'municipality').length > 0) places.push({ place: 'monitor', href: '/monitor' });
  if (municipalitiesOf(member, 'privacy-officer').length > 0) places.push({ place: 'access', href: '/toegang' });
  return places;
}

export function csrfField(view: View): Html {
  return html`<input type="hidden" name="csrf" value="${view.csrfToken}">`;
}

export function page(view: View, p: { title: string; place?: Place; body: Html }): Html {
  const { t } = view;
  const other = t.switchLanguage;
  // Every member has settings (their e-mail notices); the outbox is only on a developer's machine.
  const places = [...placesOf(view.member), { place: 'settings' as const, href: '/instellingen' }, ...(view.outbox ? [{ place: 'outbox' as const, href: '/uitgaande-post' }] : [])];
  return html`<!doctype html>
<html lang="${view.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${p.title} · ${t.appName}</title>
<link rel="stylesheet" href="${stylesheetHref()}">
</head>
<body class="utrecht-document">
<a class="utrecht-skip-link utrecht-skip-link--visible-on-focus" href="#inhoud">${t.skipLink}</a>
<div class="utrecht-page">
<header class="utrecht-page-header">
<div class="vs-header">
<a class="utrecht-link vs-brand" href="/">${t.appName}</a>
<nav class="vs-nav" aria-label="${t.mainNav}"><ul>${places.map(
  ({ place, href }) => html`<li><a class="utrecht-link" href="${href}"${place === p.place ? html` aria-current="page"` : ''}>${t.nav[place]}</a></li>`,
)}</ul></nav>
<div class="vs-header-tools">
<a class="utrecht-link" href="/taal?naar=${other.lang}&amp;terug=${encodeURIComponent(view.here)}" lang="${other.lang}" hreflang="${other.lang}" title="${other.title}">${other.label}</a>
<form method="post" action="${LOGOUT_PATH}">${csrfField(view)}<button type="submit" class="utrecht-button utrecht-button--secondary-action">${t.nav.logout}</button></form>
</div>
</div>
</header>
<main id="inhoud" class="utrecht-page-content" tabindex="-1">
${p.body}
</main>
<footer class="utrecht-page-footer"><p class="utrecht-paragraph">${t.footer}</p></footer>
</div>
</body>
</html>`;
}

/** The level as a badge that says it in words: colour is never the only signal. */
export function levelBadge(view: View, level: Level): Html {
  return html`<span class="vs-level vs-level--${level}">${view.t.levels[level]}</span>`;
}

/** `ik` for the member looking, else the pseudonymous id, or a dash for no one. */
export function who(view: View, memberId: string | undefined): string {
  if (memberId === undefined) return view.t.noOne;
  return memberId === view.member.id ? view.t.me : memberId;
}

export function teamName(view: View, team: string): string {
  return view.policy.team(team)?.name ?? team;
}

export function municipalityName(view: View, code: string): string {
  return view.policy.municipality(code)?.name ?? code;
}

export function partnerName(view: View, partnerId: string): string {
  return view.policy.partner(partnerId)?.name ?? partnerId;
}

/** The short form of an alert id the pages show and link with (`al_` and six characters): enough to tell a team's alerts apart by phone. */
export function shortAlertId(alertId: string): string {
  return alertId.slice(0, 9);
}

/**
 * A one-line message above a page's content, as NL Design System's alert: `ok` after an action
 * (announced as a status), `error` for a form to mend (announced at once), `warning` to read.
 */
export function messageBlock(kind: 'ok' | 'error' | 'warning', text: string): Html {
  const role = kind === 'ok' ? html` role="status"` : kind === 'error' ? html` role="alert"` : '';
  return html`<div class="utrecht-alert utrecht-alert--${kind}"${role}><div class="utrecht-alert__content"><p class="utrecht-paragraph utrecht-alert__message">${text}</p></div></div>`;
}

export function errorPage(view: View, kind: 'forbidden' | 'notFound' | 'unavailable'): Html {
  const e = view.t.errors;
  const title = e[`${kind}Title`];
  return page(view, {
    title,
    body: html`<h1 class="utrecht-heading-1">${title}</h1>
<p class="utrecht-paragraph">${e[kind]}</p>
<p class="utrecht-paragraph"><a class="utrecht-link" href="/">${e.backHome}</a></p>`,
  });
}

/**
 * A data table with its caption and column headers (th scope=col), in a region of its own that
 * scrolls sideways on a narrow screen: focusable, so the keyboard can scroll it, and named by
 * the caption. Rows are the caller's (a row header, th scope=row, where a row has one).
 */
export function dataTable(p: { id: string; caption: string; headers: readonly string[]; rows: readonly Html[]; captionHidden?: boolean }): Html {
  return html`<div class="utrecht-table-container" role="region" tabindex="0" aria-labelledby="${p.id}"><table class="utrecht-table utrecht-table--html-table">
<caption class="utrecht-table__caption${p.captionHidden ? ' vs-visually-hidden' : ''}" id="${p.id}">${p.caption}</caption>
<thead class="utrecht-table__header"><tr class="utrecht-table__row">${p.headers.map((h) => html`<th scope="col" class="utrecht-table__header-cell">${h}</th>`)}</tr></thead>
<tbody class="utrecht-table__body">${p.rows}</tbody></table></div>`;
}
