/**
 * The bodies teams receive (docs/contract.md, section 2). The contact data and
 * address partners gave travel only here: to the one team that gets the alert.
 */
import type { AlertMessage, ReminderMessage, SignalSummary, UpdateMessage } from '@vroegsignaal/events';
import type { TeamPolicy, Term } from '@vroegsignaal/policy';
import { addTerm, formatAmsterdamIso } from '@vroegsignaal/calendar';
import { compareNewestFirst, contactsOf, type ContactDetails, type HouseholdState, type PartnerContact, type StoredSignal } from './household.ts';
import type { Notification, NotificationPlan } from './notifications.ts';
import type { Reminder } from './reminders.ts';
import type { HouseholdView } from './view.ts';

function figuresOf(signal: StoredSignal): SignalSummary['figures'] {
  if (signal.arrears) return { amountCents: signal.arrears.amountCents, monthsInArrears: signal.arrears.monthsInArrears, ...(signal.arrears.paymentArrangement !== undefined ? { paymentArrangement: signal.arrears.paymentArrangement } : {}) };
  if (signal.nuisance) return { category: signal.nuisance.category, severity: signal.nuisance.severity, ...(signal.nuisance.reportCount ? { reportCount: signal.nuisance.reportCount } : {}) };
  if (signal.proceeding) return { stage: signal.proceeding.stage, stageDate: signal.proceeding.stageDate, ground: signal.proceeding.ground, ...(signal.proceeding.scheduledFor ? { scheduledFor: signal.proceeding.scheduledFor } : {}) };
  if (signal.care) return { domains: signal.care.domains.join(','), ...(signal.care.stagnation !== undefined ? { stagnation: signal.care.stagnation } : {}) };
  return {};
}

export function summariseSignal(signal: StoredSignal): SignalSummary {
  return { type: signal.type, partnerId: signal.partnerId, observedAt: signal.observedAt, figures: { ...figuresOf(signal), ...(signal.crisis ? { crisis: true } : {}) } };
}

export function buildTeamMessage(
  notification: Exclude<Notification, { kind: 'reminder' }>,
  state: HouseholdState,
  plan: NotificationPlan,
  team: TeamPolicy,
  nowMs: number,
  capacityExceeded: boolean,
): AlertMessage | UpdateMessage {
  const { view, assessment } = plan;
  const createdAt = new Date(nowMs);
  const contacts = liveContacts(state, view);
  const household = { ...(view.minors !== undefined ? { minors: view.minors } : {}), ...(view.adults !== undefined ? { adults: view.adults } : {}) };
  return {
    kind: notification.kind,
    alertId: notification.alertId,
    householdRef: state.ref,
    municipalityCode: plan.routing?.municipalityCode ?? view.municipalityCode ?? 'GM0000',
    team: notification.team,
    level: notification.level,
    score: assessment.score,
    reasons: reasonsOrNone([...assessment.reasons, ...(plan.routing?.reasons ?? [])]),
    partners: view.partners,
    signals: view.live.map(summariseSignal),
    address: state.address,
    ...(contacts.length > 0 ? { contact: contactDetails(contacts[0]!) } : {}),
    contacts: contacts.map((c) => Object.assign({ partnerId: c.partnerId, observedAt: formatAmsterdamIso(new Date(c.observedAtMs)) }, contactDetails(c))),
    ...(Object.keys(household).length > 0 ? { household } : {}),
    createdAt: formatAmsterdamIso(createdAt),
    respondBy: formatAmsterdamIso(addTerm(createdAt, team.terms[notification.level])),
    capacityExceeded,
    ...(notification.forwardedFrom !== undefined ? { forwardedFrom: notification.forwardedFrom } : {}),
  };
}

/**
 * The contact entries whose signal is live, newest first: a partner's contact data reaches the
 * team while the signal that carried it counts (not after it was withdrawn, say as an error).
 */
function liveContacts(state: HouseholdState, view: HouseholdView): PartnerContact[] {
  const contacts = contactsOf(state);
  if (contacts.length === 0) return contacts;
  return contacts
    .filter((c) => view.live.some((s) => s.partnerId === c.partnerId && s.signalId === c.signalId))
    .sort(compareNewestFirst);
}

function contactDetails(contact: ContactDetails): ContactDetails {
  const details: ContactDetails = {};
  if (contact.name) details.name = contact.name;
  if (contact.phone) details.phone = contact.phone;
  if (contact.email) details.email = contact.email;
  return details;
}

function reasonsOrNone(reasons: AlertMessage['reasons']): AlertMessage['reasons'] {
  return reasons.length > 0 ? reasons : [{ code: 'no-level', text: 'no live signal holds an escalation level any more' }];
}

/**
 * A deadline is near or has passed (contract v1.1 section 3): the verdict behind the team's
 * case lapses at `dueAt`; the alert's respondBy passed while it is still raised; or, to the
 * coordinating team, the alert has waited its escalation moment. The escalation names the
 * alert, its team, level and wait, and nothing of the household: the coordinator chases the
 * team, it does not visit.
 */
export function buildReminderMessage(
  notification: Extract<Notification, { kind: 'reminder' }>,
  state: HouseholdState,
  plan: NotificationPlan,
  team: TeamPolicy,
  nowMs: number,
): ReminderMessage {
  const { reminder } = notification;
  const createdAt = new Date(nowMs);
  const common = {
    kind: 'reminder' as const,
    reason: reminder.reason,
    alertId: notification.alertId,
    team: notification.team,
    level: notification.level,
    createdAt: formatAmsterdamIso(createdAt),
  };
  if (reminder.reason === 'overdue-escalated') {
    const alertCreatedAtMs = alertCreatedAtMsOf(state, notification.alertId);
    return {
      ...common,
      municipalityCode: team.municipalityCode ?? plan.routing?.municipalityCode ?? 'GM0000',
      alertTeam: reminder.alertTeam,
      reasons: [{ code: 'overdue-escalated', text: escalationText(notification, reminder, alertCreatedAtMs, nowMs) }],
      respondBy: formatAmsterdamIso(new Date(reminder.respondByMs)),
      dueAt: formatAmsterdamIso(new Date(reminder.escalateAtMs)),
      alertCreatedAt: formatAmsterdamIso(new Date(alertCreatedAtMs)),
    };
  }
  const household = { householdRef: state.ref, municipalityCode: plan.routing?.municipalityCode ?? plan.view.municipalityCode ?? 'GM0000' };
  if (reminder.reason === 'overdue') {
    const respondBy = formatAmsterdamIso(new Date(reminder.respondByMs));
    return {
      ...common,
      ...household,
      reasons: [{ code: 'overdue', text: `respond by ${respondBy} has passed and the alert is not picked up, not declined and not forwarded` }, ...plan.assessment.reasons],
      respondBy,
      dueAt: respondBy,
      alertCreatedAt: formatAmsterdamIso(new Date(alertCreatedAtMsOf(state, notification.alertId))),
    };
  }
  const lapsesAt = new Date(reminder.verdict.lapsesAtMs);
  return {
    ...common,
    ...household,
    reasons: [
      { code: 'verdict-lapses', text: `the eviction verdict of ${reminder.verdict.verdictDate} can be executed until ${formatAmsterdamIso(lapsesAt).slice(0, 10)}` },
      ...plan.assessment.reasons,
    ],
    respondBy: formatAmsterdamIso(addTerm(createdAt, team.terms[notification.level])),
    dueAt: formatAmsterdamIso(lapsesAt),
  };
}

/** When the alert was raised: its createdAt. */
function alertCreatedAtMsOf(state: HouseholdState, alertId: string): number {
  return state.alerts.find((a) => a.alertId === alertId)!.raisedAtMs;
}

/** Which alert, whose, at what level and how long it has waited: ids, codes and times only. */
function escalationText(
  notification: Extract<Notification, { kind: 'reminder' }>,
  reminder: Extract<Reminder, { reason: 'overdue-escalated' }>,
  alertCreatedAtMs: number,
  nowMs: number,
): string {
  const days = Math.floor((nowMs - alertCreatedAtMs) / 86_400_000);
  return (
    `alert ${notification.alertId} of team ${reminder.alertTeam} at level ${notification.level} has waited ${days} days since it was raised on ` +
    `${formatAmsterdamIso(new Date(alertCreatedAtMs)).slice(0, 10)}: ${reminder.afterTermMultiple} times its term of ${termWords(reminder.term)}, and is still not picked up, declined or forwarded`
  );
}

/** "3 working days", "1 week". */
function termWords(term: Term): string {
  const [count, unit] = 'weeks' in term ? [term.weeks, 'week'] : 'days' in term ? [term.days, 'day'] : [term.workingDays, 'working day'];
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}
