/**
 * E-mail notices in the workspace: a member's own settings (`/instellingen`: opt-in, a choice
 * per kind over their team's default, the digest time, the mails' language, the mail status and
 * the last notices sent), a coordinator's page per team of their municipality
 * (`/instellingen/team/:teamId`: the team's defaults and whether its members' mail arrives), and
 * on a developer's machine only the local outbox (`/uitgaande-post`: what the local mail server
 * received for the member). Forms without JavaScript, each with the session's CSRF token.
 */
import { type Context, Hono } from 'hono';
import { html } from 'hono/html';
import {
  DIGEST_TIMES,
  effectiveNoticeSettings,
  isDigestTime,
  type MemberRecord,
  NOTICE_KINDS,
  type NoticeKind,
  type SentNotice,
  SHIPPED_NOTICE_DEFAULTS,
  type TeamNoticeDefaults,
} from '@vroegsignaal/domain';
import type { TeamPolicy } from '@vroegsignaal/policy';
import type { ReceivedMail, WorkspaceDeps, WorkspaceEnv } from '../deps.ts';
import { formatDateTime, isLocale, LOCALES } from '../i18n.ts';
import { csrfField, dataTable, errorPage, messageBlock, municipalitiesOf, page, shortAlertId, teamName, teamsOf, type Html, type View } from './layout.ts';

export const SETTINGS_PATH = '/instellingen';
export const TEAM_SETTINGS_PATH = '/instellingen/team';
export const OUTBOX_PATH = '/uitgaande-post';
const RESET_PATH = `${SETTINGS_PATH}/standaard`;
const RECENT_NOTICES = 10;
const ON = 'aan';

type Done = 'saved' | 'reset';
const DONE_CODES: Record<string, Done> = { opgeslagen: 'saved', standaard: 'reset' };

/** The teams of the municipalities a member coordinates: theirs to set defaults for. */
function coordinatedTeams(view: View): TeamPolicy[] {
  const municipalities = municipalitiesOf(view.member, 'coordinator');
  return view.policy.teams().filter((team) => team.municipalityCode !== null && municipalities.includes(team.municipalityCode));
}

/**
 * What a kind the member has not chosen themselves shows: on when their team's default is on
 * (with several teams, when one of them is); and the hint that names the default, per team when
 * their teams differ.
 */
function teamDefaultOf(view: View, kind: NoticeKind, defaults: ReadonlyMap<string, TeamNoticeDefaults | undefined>): { on: boolean; hint: string } {
  const n = view.t.notices;
  const teams = [...defaults.entries()].map(([team, d]) => ({ team, on: effectiveNoticeSettings({ kinds: {} }, d).kinds[kind] }));
  if (teams.length === 0) return { on: SHIPPED_NOTICE_DEFAULTS.kinds[kind], hint: n.teamDefault(SHIPPED_NOTICE_DEFAULTS.kinds[kind] ? n.on : n.off) };
  const on = teams.some((t) => t.on);
  if (teams.every((t) => t.on === on)) return { on, hint: n.teamDefault(on ? n.on : n.off) };
  return { on, hint: n.teamsDefault(teams.map((t) => `${teamName(view, t.team)} ${t.on ? n.on : n.off}`).join(', ')) };
}

/** The digest time the member follows when they choose none: their (first) team's. */
function defaultDigestTime(defaults: ReadonlyMap<string, TeamNoticeDefaults | undefined>): string {
  const [first] = defaults.values();
  return effectiveNoticeSettings({ kinds: {} }, first).digestTime;
}

async function teamDefaults(deps: WorkspaceDeps, teams: readonly string[]): Promise<Map<string, TeamNoticeDefaults | undefined>> {
  return new Map(await Promise.all(teams.map(async (team) => [team, await deps.members.defaultsOf(team)] as const)));
}

/**
 * The member's record after the settings form: a kind they leave as the page showed it while it
 * followed the team stays following the team (so a later change of the team's default reaches
 * them); any other state is their own choice. Saving switches mail on again after a bounce or
 * complaint: the member says the address works. Undefined when the form holds an unknown time or language.
 */
export function savedSettings(
  record: MemberRecord,
  form: Record<string, unknown>,
  shownDefault: (kind: NoticeKind) => boolean,
  nowMs: number,
): MemberRecord | undefined {
  const time = form.tijd;
  const locale = form.taal;
  if ((time !== '' && !isDigestTime(time)) || !isLocale(locale)) return undefined;
  const kinds: MemberRecord['kinds'] = {};
  for (const kind of NOTICE_KINDS) {
    const on = form[`soort-${kind}`] === ON;
    if (record.kinds[kind] !== undefined || on !== shownDefault(kind)) kinds[kind] = on;
  }
  const { digestTime: _time, mailOffAtMs: _off, ...rest } = record;
  return { ...rest, optedIn: form.meldingen === ON, kinds, ...(time === '' ? {} : { digestTime: time }), locale, mail: 'active', updatedAtMs: nowMs };
}

function checkbox(p: { id: string; name: string; label: string; checked: boolean; hint?: string; role?: 'switch' }): Html {
  const hintId = `${p.id}-hint`;
  return html`<div class="utrecht-form-field utrecht-form-field--checkbox"><input class="utrecht-checkbox utrecht-checkbox--html-input" type="checkbox" id="${p.id}" name="${p.name}" value="${ON}"${
    p.role ? html` role="${p.role}"` : ''
  }${p.checked ? html` checked` : ''}${p.hint ? html` aria-describedby="${hintId}"` : ''}> <label class="utrecht-form-label utrecht-form-label--checkbox" for="${p.id}">${p.label}</label>${
    p.hint ? html`<div class="utrecht-form-field-description" id="${hintId}">${p.hint}</div>` : ''
  }</div>`;
}

function select(p: { id: string; name: string; label: string; hint?: string; options: readonly { value: string; label: string }[]; value: string; invalid: boolean }): Html {
  const hintId = `${p.id}-hint`;
  return html`<div class="utrecht-form-field"><div class="utrecht-form-field__label"><label class="utrecht-form-label" for="${p.id}">${p.label}</label></div>
${p.hint ? html`<div class="utrecht-form-field-description" id="${hintId}">${p.hint}</div>` : ''}
<div class="utrecht-form-field__input"><select class="utrecht-select utrecht-select--html-select" id="${p.id}" name="${p.name}"${p.hint ? html` aria-describedby="${hintId}"` : ''}${
    p.invalid ? html` aria-invalid="true"` : ''
  }>${p.options.map((o) => html`<option value="${o.value}"${o.value === p.value ? html` selected` : ''}>${o.label}</option>`)}</select></div></div>`;
}

const timeOptions = DIGEST_TIMES.map((time) => ({ value: time, label: time }));

interface SettingsProps {
  record: MemberRecord | undefined;
  defaults: ReadonlyMap<string, TeamNoticeDefaults | undefined>;
  recent: SentNotice[];
  done?: Done;
  invalid: boolean;
}

export function settingsPage(view: View, p: SettingsProps): Html {
  const { t } = view;
  const s = t.settings;
  const { record } = p;
  const coordinated = coordinatedTeams(view);
  const body = html`<h1 class="utrecht-heading-1">${s.heading}</h1>
${p.done ? messageBlock('ok', s[p.done]) : ''}
${p.invalid ? messageBlock('error', s.invalid) : ''}
<section aria-labelledby="e-mail-kop">
<h2 class="utrecht-heading-2" id="e-mail-kop">${s.mailHeading}</h2>
<p class="utrecht-paragraph">${s.intro}</p>
<p class="utrecht-paragraph">${s.never}</p>
${record ? mailForm(view, record, p.defaults, p.invalid) : html`<p class="utrecht-paragraph">${s.noAddress}</p>`}
</section>
${record ? recentSection(view, p.recent) : ''}
${
  coordinated.length > 0
    ? html`<section aria-labelledby="teams-kop">
<h2 class="utrecht-heading-2" id="teams-kop">${s.teamsHeading}</h2>
<p class="utrecht-paragraph">${s.teamsIntro}</p>
<ul class="utrecht-unordered-list">${coordinated.map(
        (team) => html`<li class="utrecht-unordered-list__item"><a class="utrecht-link" href="${TEAM_SETTINGS_PATH}/${encodeURIComponent(team.id)}">${team.name}</a></li>`,
      )}</ul>
</section>`
    : ''
}`;
  return page(view, { title: s.title, place: 'settings', body });
}

function mailForm(view: View, record: MemberRecord, defaults: ReadonlyMap<string, TeamNoticeDefaults | undefined>, invalid: boolean): Html {
  const s = view.t.settings;
  const n = view.t.notices;
  const off = record.mail === 'active' ? undefined : record.mail;
  return html`<dl class="vs-summary"><dt>${s.sentTo}</dt><dd class="vs-break-anywhere">${record.email}</dd><dt>${s.status}</dt><dd>${n.mailStatus[record.mail]}${
    record.mailOffAtMs !== undefined && off ? `, ${formatDateTime(view.locale, record.mailOffAtMs)}` : ''
  }</dd></dl>
<p class="utrecht-paragraph">${s.sentToHint}</p>
${off ? messageBlock('warning', s.mailOff[off](record.mailOffAtMs !== undefined ? formatDateTime(view.locale, record.mailOffAtMs) : '')) : ''}
<form method="post" action="${SETTINGS_PATH}" class="vs-settings">
${csrfField(view)}
${checkbox({ id: 'meldingen', name: 'meldingen', label: s.optIn, checked: record.optedIn, hint: s.optInHint, role: 'switch' })}
<fieldset class="utrecht-form-fieldset utrecht-form-fieldset--html-fieldset" aria-describedby="soorten-hint"><legend class="utrecht-form-fieldset__legend utrecht-form-fieldset__legend--html-legend">${s.kindsLegend}</legend>
<div class="utrecht-form-field-description" id="soorten-hint">${s.kindsHint}</div>
${NOTICE_KINDS.map((kind) => {
  const fallback = teamDefaultOf(view, kind, defaults);
  return checkbox({ id: `soort-${kind}`, name: `soort-${kind}`, label: n.kinds[kind], checked: record.kinds[kind] ?? fallback.on, hint: fallback.hint });
})}
</fieldset>
${select({
  id: 'tijd',
  name: 'tijd',
  label: n.digestTime,
  hint: n.digestTimeHint,
  options: [{ value: '', label: s.digestDefault(defaultDigestTime(defaults)) }, ...timeOptions],
  value: record.digestTime ?? '',
  invalid,
})}
${select({ id: 'taal', name: 'taal', label: s.language, options: LOCALES.map((locale) => ({ value: locale, label: s.languages[locale] })), value: record.locale, invalid })}
<button type="submit" class="utrecht-button utrecht-button--primary-action">${s.save}</button>
</form>
<h3 class="utrecht-heading-3">${s.resetHeading}</h3>
<form method="post" action="${RESET_PATH}">
${csrfField(view)}
<p class="utrecht-paragraph">${s.resetHint}</p>
<button type="submit" class="utrecht-button utrecht-button--secondary-action">${s.resetSubmit}</button>
</form>`;
}

function recentSection(view: View, recent: SentNotice[]): Html {
  const s = view.t.settings;
  const c = s.recentColumns;
  return html`<section aria-labelledby="verstuurd-kop">
<h2 class="utrecht-heading-2" id="verstuurd-kop">${s.recentHeading}</h2>
${
  recent.length === 0
    ? html`<p class="utrecht-paragraph">${s.recentNone}</p>`
    : dataTable({
        id: 'verstuurd-tabel',
        caption: s.recentCaption,
        headers: [c.when, c.kind, c.team, c.alert],
        rows: recent.map(
          (notice) => html`<tr class="utrecht-table__row">
<td class="utrecht-table__cell">${formatDateTime(view.locale, notice.atMs)}</td>
<td class="utrecht-table__cell">${view.t.notices.kindsShort[notice.kind] ?? notice.kind}</td>
<td class="utrecht-table__cell">${teamName(view, notice.team)}</td>
<td class="utrecht-table__cell">${
            notice.alertId ? html`<a class="utrecht-link" href="/meldingen/${encodeURIComponent(notice.alertId)}">${shortAlertId(notice.alertId)}</a>` : view.t.noOne
          }</td>
</tr>`,
        ),
      })
}
</section>`;
}

interface TeamSettingsProps {
  team: TeamPolicy;
  defaults: TeamNoticeDefaults | undefined;
  members: MemberRecord[];
  saved: boolean;
  invalid: boolean;
}

export function teamSettingsPage(view: View, p: TeamSettingsProps): Html {
  const { t } = view;
  const k = t.teamSettings;
  const n = t.notices;
  const shown = effectiveNoticeSettings({ kinds: {} }, p.defaults);
  const c = k.membersColumns;
  const body = html`<h1 class="utrecht-heading-1">${k.heading(p.team.name)}</h1>
${p.saved ? messageBlock('ok', k.saved) : ''}
${p.invalid ? messageBlock('error', k.invalid) : ''}
<p class="utrecht-paragraph">${k.intro}</p>
<p class="utrecht-paragraph">${p.defaults ? k.setBy(p.defaults.setBy === view.member.id ? t.me : p.defaults.setBy, formatDateTime(view.locale, p.defaults.updatedAtMs)) : k.shipped}</p>
<form method="post" action="${TEAM_SETTINGS_PATH}/${encodeURIComponent(p.team.id)}" class="vs-settings">
${csrfField(view)}
<fieldset class="utrecht-form-fieldset utrecht-form-fieldset--html-fieldset"><legend class="utrecht-form-fieldset__legend utrecht-form-fieldset__legend--html-legend">${k.kindsLegend}</legend>
${NOTICE_KINDS.map((kind) => checkbox({ id: `soort-${kind}`, name: `soort-${kind}`, label: n.kinds[kind], checked: shown.kinds[kind] }))}
</fieldset>
${select({ id: 'tijd', name: 'tijd', label: n.digestTime, hint: n.digestTimeHint, options: timeOptions, value: shown.digestTime, invalid: p.invalid })}
<button type="submit" class="utrecht-button utrecht-button--primary-action">${k.save}</button>
</form>
<section aria-labelledby="leden-kop">
<h2 class="utrecht-heading-2" id="leden-kop">${k.membersHeading}</h2>
<p class="utrecht-paragraph">${k.membersHint}</p>
${
  p.members.length === 0
    ? html`<p class="utrecht-paragraph">${k.membersNone}</p>`
    : dataTable({
        id: 'leden-tabel',
        caption: k.membersCaption,
        headers: [c.member, c.email, c.optedIn, c.mail, c.since],
        rows: p.members.map(
          (m) => html`<tr class="utrecht-table__row">
<th scope="row" class="utrecht-table__header-cell">${m.memberId === view.member.id ? `${m.memberId} (${t.me})` : m.memberId}</th>
<td class="utrecht-table__cell vs-break-anywhere">${m.email}</td>
<td class="utrecht-table__cell">${m.optedIn ? n.on : n.off}</td>
<td class="utrecht-table__cell">${n.mailStatus[m.mail]}</td>
<td class="utrecht-table__cell">${m.mail !== 'active' && m.mailOffAtMs !== undefined ? formatDateTime(view.locale, m.mailOffAtMs) : t.noOne}</td>
</tr>`,
        ),
      })
}
</section>
<p class="utrecht-paragraph"><a class="utrecht-link" href="${SETTINGS_PATH}">${k.back}</a></p>`;
  return page(view, { title: k.title, place: 'settings', body });
}

/** The links of the workspace in a mail's text, to follow from the outbox. */
function workspaceLinks(text: string, origin: string): string[] {
  return [...new Set([...text.matchAll(/https?:\/\/[^\s<>"]+/g)].map((m) => m[0]).filter((url) => url.startsWith(`${origin}/`)))];
}

export function outboxPage(view: View, p: { email: string | undefined; mails: ReceivedMail[]; origin: string }): Html {
  const o = view.t.outbox;
  const body = html`<h1 class="utrecht-heading-1">${o.heading}</h1>
${
  p.email === undefined
    ? html`<p class="utrecht-paragraph">${o.noAddress}</p>`
    : html`<p class="utrecht-paragraph vs-break-anywhere">${o.intro(p.email)}</p>
${
  p.mails.length === 0
    ? html`<p class="utrecht-paragraph">${o.none}</p>`
    : p.mails.map((mail, i) => {
        const links = workspaceLinks(mail.text, p.origin);
        return html`<article class="vs-mail" aria-labelledby="post-${i}">
<h2 class="utrecht-heading-2" id="post-${i}">${mail.subject}</h2>
<p class="utrecht-paragraph">${o.received}: ${formatDateTime(view.locale, mail.receivedAtMs)}</p>
<pre class="vs-mail-text">${mail.text}</pre>
${
  links.length > 0
    ? html`<h3 class="utrecht-heading-3">${o.links}</h3><ul class="utrecht-unordered-list vs-break-anywhere">${links.map(
        (url) => html`<li class="utrecht-unordered-list__item"><a class="utrecht-link" href="${url}">${url}</a></li>`,
      )}</ul>`
    : ''
}
</article>`;
      })
}`
}`;
  return page(view, { title: o.title, place: 'outbox', body });
}

/** The routes of the settings pages and the local outbox, behind the session and CSRF guards. */
export function settingsRoutes(deps: WorkspaceDeps, viewFor: (c: Context<WorkspaceEnv>) => View): Hono<WorkspaceEnv> {
  const app = new Hono<WorkspaceEnv>();
  const notFound = (c: Context<WorkspaceEnv>, view: View) => c.html(errorPage(view, 'notFound'), 404);

  const showSettings = async (c: Context<WorkspaceEnv>, view: View, status: 200 | 422, done?: Done) => {
    const [record, defaults, recent] = await Promise.all([
      deps.members.get(view.member.id),
      teamDefaults(deps, teamsOf(view.member)),
      deps.noticeLog.recent(view.member.id, RECENT_NOTICES),
    ]);
    return c.html(settingsPage(view, { record, defaults, recent, ...(done ? { done } : {}), invalid: status === 422 }), status);
  };

  app.get(SETTINGS_PATH, (c) => showSettings(c, viewFor(c), 200, DONE_CODES[c.req.query('gedaan') ?? '']));

  app.post(SETTINGS_PATH, async (c) => {
    const view = viewFor(c);
    const [record, defaults] = await Promise.all([deps.members.get(view.member.id), teamDefaults(deps, teamsOf(view.member))]);
    if (!record) return showSettings(c, view, 422);
    const saved = savedSettings(record, await c.req.parseBody(), (kind) => teamDefaultOf(view, kind, defaults).on, view.nowMs);
    if (!saved) return showSettings(c, view, 422);
    await deps.members.put(saved);
    return c.redirect(`${SETTINGS_PATH}?gedaan=opgeslagen`, 303);
  });

  app.post(RESET_PATH, async (c) => {
    const view = viewFor(c);
    const record = await deps.members.get(view.member.id);
    if (!record) return showSettings(c, view, 422);
    const { digestTime: _time, ...rest } = record;
    await deps.members.put({ ...rest, kinds: {}, updatedAtMs: view.nowMs });
    return c.redirect(`${SETTINGS_PATH}?gedaan=standaard`, 303);
  });

  /** The team, when the member coordinates its municipality; else nothing (404: whether it exists is not theirs to know). */
  const coordinatedTeam = (view: View, teamId: string) => coordinatedTeams(view).find((team) => team.id === teamId);

  const showTeam = async (c: Context<WorkspaceEnv>, view: View, team: TeamPolicy, status: 200 | 422, saved: boolean) => {
    // One read of the members partition holds the team's defaults too.
    const { members, defaults: allDefaults } = await deps.members.all();
    const defaults = allDefaults.find((d) => d.team === team.id);
    const ofTeam = members.filter((m) => m.teams.includes(team.id)).sort((a, b) => a.memberId.localeCompare(b.memberId));
    return c.html(teamSettingsPage(view, { team, defaults, members: ofTeam, saved, invalid: status === 422 }), status);
  };

  app.get(`${TEAM_SETTINGS_PATH}/:teamId`, async (c) => {
    const view = viewFor(c);
    const team = coordinatedTeam(view, c.req.param('teamId'));
    if (!team) return notFound(c, view);
    return showTeam(c, view, team, 200, c.req.query('gedaan') === 'opgeslagen');
  });

  app.post(`${TEAM_SETTINGS_PATH}/:teamId`, async (c) => {
    const view = viewFor(c);
    const team = coordinatedTeam(view, c.req.param('teamId'));
    if (!team) return notFound(c, view);
    const form = await c.req.parseBody();
    if (!isDigestTime(form.tijd)) return showTeam(c, view, team, 422, false);
    const kinds = Object.fromEntries(NOTICE_KINDS.map((kind) => [kind, form[`soort-${kind}`] === ON])) as Record<NoticeKind, boolean>;
    await deps.members.putDefaults({ team: team.id, kinds, digestTime: form.tijd, setBy: view.member.id, updatedAtMs: view.nowMs });
    return c.redirect(`${TEAM_SETTINGS_PATH}/${encodeURIComponent(team.id)}?gedaan=opgeslagen`, 303);
  });

  app.get(OUTBOX_PATH, async (c) => {
    const view = viewFor(c);
    if (!deps.outbox) return notFound(c, view);
    const email = (await deps.members.get(view.member.id))?.email;
    const mails = email === undefined ? [] : [...deps.outbox.mailsTo(email)].sort((a, b) => b.receivedAtMs - a.receivedAtMs);
    return c.html(outboxPage(view, { email, mails, origin: new URL(deps.identity.publicOrigin).origin }));
  });

  return app;
}
