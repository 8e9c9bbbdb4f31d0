/**
 * The alert page: the one place that shows a household's address, contacts and composition,
 * to a member of the alert's own team, after their view is written to the access log (NEN
 * 7513); the level, score and reasons; the live signals; the alert's timeline with who did
 * what; and the five actions of contract v1.1 as small forms.
 */
import { randomUUID } from 'node:crypto';
import { html } from 'hono/html';
import { amsterdamDate } from '@vroegsignaal/calendar';
import { CASE_RESULT_DETAILS, CONTACT_CHANNELS, NOT_TAKEN_REASONS, PARTS_OF_DAY } from '@vroegsignaal/events';
import {
  accessRecordExpiresAtMs,
  alertStatus,
  assessHousehold,
  contactsOf,
  forwardRefusal,
  holderOf,
  municipalityOfAddress,
  partOfDayAt,
  OPEN_STATUSES,
  timelineOf,
  viewHousehold,
  type AlertIndexRecord,
  type AlertRecord,
  type HouseholdState,
  type OpenStatus,
  type PartnerContact,
  type StoredSignal,
  type TimelineEntry,
} from '@vroegsignaal/domain';
import type { WorkspaceDeps } from '../deps.ts';
import { DONE_CODES, FORWARD_REASONS, formatDate, formatDateTime, formatDuration, formatEuros, formatList, reasonText, type DoneCode, type ShownStatus } from '../i18n.ts';
import { csrfField, dataTable, levelBadge, page, partnerName, shortAlertId, teamName, teamsOf, who, type Html, type View } from './layout.ts';
import { deadlineText } from './deadline.ts';

function isOpen(status: ShownStatus): status is OpenStatus {
  return (OPEN_STATUSES as readonly string[]).includes(status);
}

/** What partners were told of an action, as the page after it says (`partners` query code). */
export const TOLD_CODES = ['picked-up', 'not-taken', 'closed', 'nothing'] as const;
export type ToldCode = (typeof TOLD_CODES)[number];

/** What the page says at its top: the action just done, or why it was not recorded. */
export type Notice = { kind: 'done'; done: DoneCode; told: ToldCode } | { kind: 'rejected'; reason: string };

export function noticeOfQuery(query: { gedaan?: string; partners?: string }): Notice | undefined {
  const done = DONE_CODES.find((d) => d === query.gedaan);
  const told = TOLD_CODES.find((d) => d === query.partners);
  return done && told ? { kind: 'done', done, told } : undefined;
}

/** The alert, if it is one of the member's teams'; an alert of another team reads exactly as an unknown one. */
export async function alertOfMember(deps: WorkspaceDeps, view: View, alertId: string): Promise<AlertIndexRecord | undefined> {
  const index = await deps.alerts.get(alertId);
  return index && teamsOf(view.member).includes(index.team) ? index : undefined;
}

export interface Loaded {
  index: AlertIndexRecord;
  /** The household while it is kept (about 13 months after its last signal). */
  household?: {
    state: HouseholdState;
    now: ReturnType<typeof viewHousehold>;
    record: AlertRecord | undefined;
    /**
     * The municipality the alert is worked for: its team's; for the catch-all team, that of the
     * address, as the forward rule reads it. What access records are filed under.
     */
    municipalityCode: string;
  };
}

export async function loadAlert(deps: WorkspaceDeps, view: View, index: AlertIndexRecord): Promise<Loaded> {
  const state = await deps.households.get(index.householdRef);
  if (!state) return { index };
  const now = viewHousehold(state, view.policy.settings, view.nowMs);
  const municipalityCode = view.policy.team(index.team)?.municipalityCode ?? municipalityOfAddress(state.address, now.municipalityCode, view.policy);
  return { index, household: { state, now, record: state.alerts.find((a) => a.alertId === index.alertId), municipalityCode } };
}

/** Writes who is about to see the household's personal data. Throws when it cannot: the caller then shows none of it. */
export async function recordAccess(deps: WorkspaceDeps, view: View, loaded: Loaded & { household: NonNullable<Loaded['household']> }): Promise<void> {
  await deps.access.record({
    municipalityCode: loaded.household.municipalityCode,
    team: loaded.index.team,
    memberId: view.member.id,
    alertId: loaded.index.alertId,
    view: 'alert',
    atMs: view.nowMs,
    expiresAtMs: accessRecordExpiresAtMs(view.nowMs),
  });
}

export function alertPage(view: View, loaded: Loaded, notice?: Notice): Html {
  const { t } = view;
  const { index, household } = loaded;
  const record = household?.record;
  const status: ShownStatus = record ? alertStatus(record) : (index.life?.status ?? 'raised');
  const holder = record ? holderOf(record) : index.life?.holder;
  const timeline: Omit<TimelineEntry, 'eventId'>[] = record ? timelineOf(record) : (index.life?.timeline ?? [{ type: 'raised', atMs: index.atMs }]);
  const respondByMs = record?.respondByMs ?? index.respondByMs;
  const assessment = household ? assessHousehold(household.now, view.policy) : undefined;
  const reasonCodes = assessment ? assessment.reasons.map((r) => r.code) : index.reasonCodes;
  const open = isOpen(status);
  const title = t.alert.heading(shortAlertId(index.alertId));

  const body = html`<h1 class="utrecht-heading-1">${title}</h1>
${notice ? noticeBlock(view, notice) : ''}
<section aria-labelledby="samenvatting">
<h2 class="utrecht-heading-2" id="samenvatting">${t.alert.summary}</h2>
<dl class="vs-summary">
<dt>${t.alert.level}</dt><dd>${levelBadge(view, index.level)}</dd>
<dt>${t.alert.score}</dt><dd>${assessment?.score ?? index.score}</dd>
<dt>${t.alert.status}</dt><dd>${t.statuses[status]}</dd>
<dt>${t.alert.team}</dt><dd>${teamName(view, index.team)}</dd>
<dt>${t.alert.raisedAt}</dt><dd>${formatDateTime(view.locale, index.atMs)}</dd>
<dt>${t.alert.deadline}</dt><dd>${formatDateTime(view.locale, respondByMs)}${open ? html` (${deadlineText(view, { status, raisedAtMs: index.atMs, respondByMs })})` : ''}</dd>
<dt>${t.alert.waited}</dt><dd>${formatDuration(view.locale, view.nowMs - index.atMs)}</dd>
<dt>${t.alert.holder}</dt><dd>${who(view, holder)}</dd>
${record?.forwardedFrom ? html`<dt>${t.alert.forwardedFrom}</dt><dd>${shortAlertId(record.forwardedFrom)}</dd>` : ''}
</dl>
</section>
<section aria-labelledby="waarom">
<h2 class="utrecht-heading-2" id="waarom">${t.alert.why}</h2>
<ul class="utrecht-unordered-list">${reasonCodes.map((code) => html`<li class="utrecht-unordered-list__item">${reasonText(view.locale, code, 'sentence')}</li>`)}</ul>
</section>
${household ? signalsSection(view, household.now.live) : html`<p class="utrecht-paragraph">${t.alert.householdGone}</p>`}
${household ? visitSection(view, household.state, household.now) : ''}
${timelineSection(view, timeline)}
${open ? actionsSection(view, loaded, holder) : html`<section aria-labelledby="acties"><h2 class="utrecht-heading-2" id="acties">${t.actions.heading}</h2><p class="utrecht-paragraph">${t.actions.ended}</p></section>`}`;
  return page(view, { title, place: 'inbox', body });
}

function noticeBlock(view: View, notice: Notice): Html {
  const a = view.t.actions;
  if (notice.kind === 'rejected') {
    return html`<div class="utrecht-alert utrecht-alert--error" role="alert"><div class="utrecht-alert__content"><div class="utrecht-alert__message">
<h2 class="utrecht-heading-2">${a.rejected}</h2><p class="utrecht-paragraph">${notice.reason}</p></div></div></div>`;
  }
  return html`<div class="utrecht-alert utrecht-alert--ok" role="status"><div class="utrecht-alert__content"><div class="utrecht-alert__message">
<p class="utrecht-paragraph">${a.done[notice.done]}</p><p class="utrecht-paragraph">${a.partnersTold[notice.told]}</p></div></div></div>`;
}

function signalKind(view: View, s: StoredSignal): string {
  const { t, locale } = view;
  const k = t.alert.signalKinds;
  const kind = (() => {
    switch (s.type) {
      case 'RentArrearsReported': {
        const a = s.arrears!;
        return `${k.arrears(a.monthsInArrears, formatEuros(locale, a.amountCents))}${a.paymentArrangement ? `, ${k.arrangement}` : ''}`;
      }
      case 'NuisanceReported':
        return k.nuisance(t.nuisanceCategories[s.nuisance!.category], t.severities[s.nuisance!.severity]);
      case 'EvictionProceedingUpdated':
        return k.proceeding(t.stages[s.proceeding!.stage], formatDate(locale, s.proceeding!.stageDateMs));
      case 'CareSignalReported':
        return k.care(formatList(locale, (s.care?.domains ?? []).map((d) => t.careDomains[d])));
    }
  })();
  return s.crisis ? `${kind} (${k.crisis})` : kind;
}

function signalsSection(view: View, live: StoredSignal[]): Html {
  const a = view.t.alert;
  return html`<section aria-labelledby="signalen">
<h2 class="utrecht-heading-2" id="signalen">${a.signals}</h2>
${
  live.length === 0
    ? html`<p class="utrecht-paragraph">${a.noSignals}</p>`
    : dataTable({
        id: 'signalen-tabel',
        caption: a.signalsCaption,
        captionHidden: true,
        headers: [a.signalColumns.partner, a.signalColumns.kind, a.signalColumns.when],
        rows: live.map(
          (s) =>
            html`<tr class="utrecht-table__row"><td class="utrecht-table__cell">${partnerName(view, s.partnerId)}</td><td class="utrecht-table__cell">${signalKind(view, s)}</td><td class="utrecht-table__cell">${formatDate(view.locale, s.observedAtMs)}</td></tr>`,
        ),
      })
}
</section>`;
}

function houseNumberText(state: HouseholdState): string {
  const { houseNumber, houseLetter, houseNumberAddition } = state.address;
  return `${houseNumber}${houseLetter ?? ''}${houseNumberAddition ? ` ${houseNumberAddition}` : ''}`;
}

function visitSection(view: View, state: HouseholdState, household: { adults?: number; minors?: number }): Html {
  const a = view.t.alert;
  const contacts = contactsOf(state);
  const postcode = `${state.address.postcode.slice(0, 4)} ${state.address.postcode.slice(4)}`;
  const count = (n: number | undefined) => (n === undefined ? a.unknown : String(n));
  return html`<section class="vs-visit" aria-labelledby="huisbezoek">
<h2 class="utrecht-heading-2" id="huisbezoek">${a.visitOnly}</h2>
<p class="utrecht-paragraph">${a.visitOnlyNote}</p>
<h3 class="utrecht-heading-3">${a.address}</h3>
<dl class="vs-summary"><dt>${a.postcode}</dt><dd>${postcode}</dd><dt>${a.houseNumber}</dt><dd>${houseNumberText(state)}</dd></dl>
<h3 class="utrecht-heading-3">${a.composition}</h3>
<dl class="vs-summary"><dt>${a.adults}</dt><dd>${count(household.adults)}</dd><dt>${a.minors}</dt><dd>${count(household.minors)}</dd></dl>
<h3 class="utrecht-heading-3">${a.contacts}</h3>
${contacts.length === 0 ? html`<p class="utrecht-paragraph">${a.noContacts}</p>` : contactsTable(view, contacts)}
</section>`;
}

function contactsTable(view: View, contacts: PartnerContact[]): Html {
  const c = view.t.alert.contactColumns;
  const cell = (value: string | undefined) => html`<td class="utrecht-table__cell">${value ?? view.t.noOne}</td>`;
  return dataTable({
    id: 'contacten-tabel',
    caption: view.t.alert.contacts,
    captionHidden: true,
    headers: [c.partner, c.name, c.phone, c.email, c.when],
    rows: contacts.map(
    (contact) =>
      html`<tr class="utrecht-table__row"><th scope="row" class="utrecht-table__header-cell">${partnerName(view, contact.partnerId)}</th>${cell(contact.name)}${
        contact.phone ? html`<td class="utrecht-table__cell"><a class="utrecht-link" href="tel:${contact.phone.replace(/[^+0-9]/g, '')}">${contact.phone}</a></td>` : cell(undefined)
      }${cell(contact.email)}<td class="utrecht-table__cell">${formatDate(view.locale, contact.observedAtMs)}</td></tr>`,
    ),
  });
}

function entryText(view: View, e: Omit<TimelineEntry, 'eventId'>): string {
  const { t } = view;
  const x = t.alert.entries;
  const code = <T extends string>(labels: Record<T, string>, value: string | undefined) => (value !== undefined && value in labels ? labels[value as T] : (value ?? ''));
  switch (e.type) {
    case 'raised':
      return x.raised;
    case 'update':
      return x.update;
    case 'reminder':
      return e.reason ? x.reminder(code(t.reminderReasons, e.reason)) : x.reminderPlain;
    case 'picked-up':
      return x['picked-up'];
    case 'attempt':
      return x.attempt(code(t.channels, e.channel), code(t.partsOfDay, e.partOfDay), e.reached === true);
    case 'not-taken':
      return x['not-taken'](code(t.notTakenReasons, e.reason));
    case 'forwarded':
      return x.forwarded(teamName(view, e.toTeam ?? ''), e.reason ? code(t.forwardReasons, e.reason) : undefined);
    case 'closed':
      return x.closed(code(t.caseResults, e.result), e.detail ? code(t.caseDetails, e.detail) : undefined);
  }
}

function timelineSection(view: View, timeline: Omit<TimelineEntry, 'eventId'>[]): Html {
  const a = view.t.alert;
  return html`<section aria-labelledby="verloop">
<h2 class="utrecht-heading-2" id="verloop">${a.timeline}</h2>
${dataTable({
  id: 'verloop-tabel',
  caption: a.timelineCaption,
  captionHidden: true,
  headers: [a.timelineColumns.when, a.timelineColumns.what, a.timelineColumns.who],
  rows: timeline.map(
    (e) =>
      html`<tr class="utrecht-table__row"><td class="utrecht-table__cell">${formatDateTime(view.locale, e.atMs)}</td><td class="utrecht-table__cell">${entryText(view, e)}${e.afterEnd ? ` ${a.entries.afterEnd}` : ''}</td><td class="utrecht-table__cell">${who(view, e.by)}</td></tr>`,
  ),
})}
</section>`;
}

function options<T extends string>(view: View, values: readonly T[], labels: Record<T, string>, selected?: T, withChoose = true): Html {
  return html`${withChoose ? html`<option value="">${view.t.actions.choose}</option>` : ''}${values.map(
    (v) => html`<option value="${v}"${v === selected ? html` selected` : ''}>${labels[v]}</option>`,
  )}`;
}

/** One action's form: the csrf field, and an id made now that the report carries as its bus entry id, so a second submit of the same form is the same report. */
function actionForm(view: View, alertId: string, action: string, legend: string, fields: Html, submit: string): Html {
  const id = `${action}-titel`;
  return html`<form class="vs-action" method="post" action="/meldingen/${alertId}/${action}" aria-labelledby="${id}">
${csrfField(view)}<input type="hidden" name="actie-id" value="${randomUUID()}">
<fieldset class="utrecht-form-fieldset utrecht-form-fieldset--html-fieldset"><legend class="utrecht-form-fieldset__legend utrecht-form-fieldset__legend--html-legend" id="${id}">${legend}</legend>
${fields}
<button type="submit" class="utrecht-button utrecht-button--primary-action">${submit}</button>
</fieldset></form>`;
}

function selectField(name: string, id: string, label: string, choices: Html, required = true): Html {
  return html`<div class="utrecht-form-field"><div class="utrecht-form-field__label"><label class="utrecht-form-label" for="${id}">${label}</label></div>
<div class="utrecht-form-field__input"><select class="utrecht-select utrecht-select--html-select" id="${id}" name="${name}"${required ? html` required` : ''}>${choices}</select></div></div>`;
}

/** The teams an alert may go to, by the domain's forward rule (without the household, which the report needs, none but the catch-all). */
function forwardTargets(view: View, loaded: Loaded): { id: string; name: string }[] {
  return view.policy
    .teams()
    .filter((to) => forwardRefusal(view.policy, loaded.index.team, to.id, loaded.household?.municipalityCode) === undefined)
    .map((to) => ({ id: to.id, name: to.name }));
}

function actionsSection(view: View, loaded: Loaded, holder: string | undefined): Html {
  const { t } = view;
  const a = t.actions;
  const id = loaded.index.alertId;
  const today = amsterdamDate(new Date(view.nowMs));
  const targets = forwardTargets(view, loaded);
  const closeChoices = html`<option value="">${a.choose}</option>${Object.entries(CASE_RESULT_DETAILS).map(
    ([result, details]) =>
      html`<optgroup label="${t.caseResults[result as keyof typeof CASE_RESULT_DETAILS]}">${(details as readonly (keyof typeof t.caseDetails)[]).map(
        (d) => html`<option value="${d}">${t.caseDetails[d]}</option>`,
      )}</optgroup>`,
  )}`;
  return html`<section aria-labelledby="acties">
<h2 class="utrecht-heading-2" id="acties">${a.heading}</h2>
<div class="vs-actions">
${holder === view.member.id ? '' : actionForm(view, id, 'oppakken', a.pickUp.legend, html`<p class="utrecht-paragraph">${a.pickUp.help}</p>`, a.pickUp.submit)}
${actionForm(
  view,
  id,
  'contactpoging',
  a.attempt.legend,
  html`${selectField('soort', 'poging-soort', a.attempt.channel, options(view, CONTACT_CHANNELS, t.channels))}
<fieldset class="utrecht-form-fieldset utrecht-form-fieldset--html-fieldset"><legend class="utrecht-form-fieldset__legend utrecht-form-fieldset__legend--html-legend">${a.attempt.reached}</legend>
<div class="utrecht-form-field utrecht-form-field--radio"><input class="utrecht-radio-button utrecht-radio-button--html-input" type="radio" id="poging-bereikt-ja" name="bereikt" value="ja" required> <label class="utrecht-form-label utrecht-form-label--radio" for="poging-bereikt-ja">${a.attempt.yes}</label></div>
<div class="utrecht-form-field utrecht-form-field--radio"><input class="utrecht-radio-button utrecht-radio-button--html-input" type="radio" id="poging-bereikt-nee" name="bereikt" value="nee" required> <label class="utrecht-form-label utrecht-form-label--radio" for="poging-bereikt-nee">${a.attempt.no}</label></div>
</fieldset>
<div class="utrecht-form-field"><div class="utrecht-form-field__label"><label class="utrecht-form-label" for="poging-datum">${a.attempt.date}</label></div>
<div class="utrecht-form-field-description" id="poging-datum-hint">${a.attempt.dateHint}</div>
<div class="utrecht-form-field__input"><input class="utrecht-textbox utrecht-textbox--html-input" type="date" id="poging-datum" name="datum" value="${today}" max="${today}" required aria-describedby="poging-datum-hint"></div></div>
${selectField('dagdeel', 'poging-dagdeel', a.attempt.partOfDay, options(view, PARTS_OF_DAY, t.partsOfDay, partOfDayAt(view.nowMs), false))}`,
  a.attempt.submit,
)}
${actionForm(view, id, 'niet-oppakken', a.notTaken.legend, selectField('reden', 'niet-reden', a.notTaken.reason, options(view, NOT_TAKEN_REASONS, t.notTakenReasons)), a.notTaken.submit)}
${
  targets.length > 0
    ? actionForm(
        view,
        id,
        'doorsturen',
        a.forward.legend,
        html`${selectField('team', 'door-team', a.forward.team, html`<option value="">${a.choose}</option>${targets.map((to) => html`<option value="${to.id}">${to.name}</option>`)}`)}
${selectField('reden', 'door-reden', a.forward.reason, options(view, FORWARD_REASONS, t.forwardReasons), false)}`,
        a.forward.submit,
      )
    : ''
}
${actionForm(view, id, 'afsluiten', a.close.legend, selectField('resultaat', 'sluit-resultaat', a.close.result, closeChoices), a.close.submit)}
</div>
</section>`;
}
