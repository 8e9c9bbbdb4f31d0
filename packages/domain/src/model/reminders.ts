/**
 * Reminders: deadlines a team is told of (contract v1.1 section 3).
 *
 * - `verdict-lapses`: a verdict stays executable for 12 months (handbook; the policy's
 *   proceedingLiveMonths); a team whose policy sets verdictReminderMonthsBeforeLapse (Utrecht's
 *   Voorkom Huisuitzetting: 2) is reminded that many months before, once per verdict, on the
 *   case it was alerted with, unless it closed that case.
 * - `overdue`: an alert's respondBy passed while it is still raised; its team is told, once.
 * - `overdue-escalated`: at createdAt plus the municipality's multiple of the alert's term, an
 *   alert still raised is told to the municipality's coordinating team, once (never the
 *   coordinating team's own alerts, never the catch-all's, which has no municipality).
 *
 * Time passing is not a signal, so a reminder that is not due yet becomes a check to schedule:
 * at its due time the household is looked at again, and the reminder sent if still due.
 */
import type { ReminderReason } from '@vroegsignaal/events';
import type { CompiledPolicy, Term } from '@vroegsignaal/policy';
import { addCalendarMonthsMs, addTerm } from '@vroegsignaal/calendar';
import { alertStatus, type AlertRecord, type HouseholdState } from './household.ts';
import type { HouseholdView } from './view.ts';

export interface VerdictLapse {
  /** `<partnerId>|<verdict date>`: one reminder per verdict. */
  key: string;
  verdictDate: string;
  lapsesAtMs: number;
}

/** What a reminder is about. */
export type Reminder =
  | { reason: 'verdict-lapses'; verdict: VerdictLapse }
  | { reason: 'overdue'; respondByMs: number }
  | { reason: 'overdue-escalated'; alertTeam: string; respondByMs: number; escalateAtMs: number; afterTermMultiple: number; term: Term };

export interface ReminderDue {
  /** The alert the reminder is about. */
  record: AlertRecord;
  /** Who is told: the alert's team, or for an escalation the coordinating team. */
  team: string;
  reminder: Reminder;
}

/** A reminder not due yet: the household is looked at again at `atMs`. */
export type ReminderCheck = { alertId: string; atMs: number } & ({ reason: 'verdict-lapses'; verdictKey: string } | { reason: Exclude<ReminderReason, 'verdict-lapses'> });

/** Verdicts of live proceedings that are still executable: current stage verdict or scheduled. */
export function verdictLapses(view: HouseholdView, policy: CompiledPolicy): VerdictLapse[] {
  return view.proceedings.flatMap((proceeding) => {
    if (!proceeding.live || !['verdict', 'scheduled'].includes(proceeding.current.proceeding.stage)) return [];
    const verdict = proceeding.updates.findLast((u) => u.proceeding?.stage === 'verdict');
    if (!verdict?.proceeding) return [];
    return [
      {
        key: `${proceeding.partnerId}|${verdict.proceeding.stageDate}`,
        verdictDate: verdict.proceeding.stageDate,
        lapsesAtMs: addCalendarMonthsMs(verdict.proceeding.stageDateMs, policy.settings.proceedingLiveMonths),
      },
    ];
  });
}

export function planReminders(state: HouseholdState, view: HouseholdView, policy: CompiledPolicy, nowMs: number): { due: ReminderDue[]; checks: ReminderCheck[] } {
  const verdicts = planVerdictReminders(state, view, policy, nowMs);
  const deadlines = planDeadlineReminders(state, policy, nowMs);
  return { due: [...verdicts.due, ...deadlines.due], checks: [...verdicts.checks, ...deadlines.checks] };
}

function planVerdictReminders(state: HouseholdState, view: HouseholdView, policy: CompiledPolicy, nowMs: number): { due: ReminderDue[]; checks: ReminderCheck[] } {
  const due: ReminderDue[] = [];
  const checks: ReminderCheck[] = [];
  const lapses = verdictLapses(view, policy);
  if (lapses.length === 0) return { due, checks };
  for (const record of latestOpenRecordPerReminderTeam(state, policy)) {
    const monthsBefore = policy.team(record.team)!.verdictReminderMonthsBeforeLapse!;
    for (const verdict of lapses) {
      const dueAtMs = addCalendarMonthsMs(verdict.lapsesAtMs, -monthsBefore);
      if (nowMs >= verdict.lapsesAtMs || record.remindedFor === verdict.key) continue;
      if (nowMs >= dueAtMs) due.push({ record, team: record.team, reminder: { reason: 'verdict-lapses', verdict } });
      else if (record.reminderScheduledFor !== verdict.key) checks.push({ alertId: record.alertId, reason: 'verdict-lapses', verdictKey: verdict.key, atMs: dueAtMs });
    }
  }
  return { due, checks };
}

function latestOpenRecordPerReminderTeam(state: HouseholdState, policy: CompiledPolicy): AlertRecord[] {
  const latest = new Map<string, AlertRecord>();
  for (const record of state.alerts) {
    if (!policy.team(record.team)?.verdictReminderMonthsBeforeLapse) continue;
    const seen = latest.get(record.team);
    if (!seen || record.raisedAtMs > seen.raisedAtMs) latest.set(record.team, record);
  }
  return [...latest.values()].filter((record) => record.closedAtMs === undefined);
}

/** The alert's term in the team's policy; a team the policy no longer has keeps the defaults. */
function termOf(record: AlertRecord, policy: CompiledPolicy): Term {
  return (policy.team(record.team)?.terms ?? policy.settings.terms)[record.level];
}

/**
 * The respondBy the alert's message gave, as kept on the record; a record written before it
 * was kept gets it again from when it was raised and its team's term.
 */
export function respondByMsOf(record: AlertRecord, policy: CompiledPolicy): number {
  return record.respondByMs ?? addTerm(new Date(record.raisedAtMs), termOf(record, policy)).getTime();
}

/** `multiple` times the term, in the term's own unit (3 × 3 working days is 9 working days). */
function multipliedTerm(term: Term, multiple: number): Term {
  if ('weeks' in term) return { weeks: term.weeks * multiple };
  if ('days' in term) return { days: term.days * multiple };
  return { workingDays: term.workingDays * multiple };
}

/**
 * A schedule runs at a whole second (EventBridge Scheduler's `at(...)`): a check is asked for
 * at the first whole second not before its due time, so that when it runs the reminder is due.
 */
function checkAtMs(dueAtMs: number): number {
  return Math.ceil(dueAtMs / 1000) * 1000;
}

/** Overdue and escalation reminders of the alerts still raised. */
function planDeadlineReminders(state: HouseholdState, policy: CompiledPolicy, nowMs: number): { due: ReminderDue[]; checks: ReminderCheck[] } {
  const due: ReminderDue[] = [];
  const checks: ReminderCheck[] = [];
  const plan = (record: AlertRecord, team: string, reminder: Reminder & { reason: 'overdue' | 'overdue-escalated' }, dueAtMs: number, scheduledAtMs: number | undefined) => {
    if (nowMs >= dueAtMs) due.push({ record, team, reminder });
    else if (scheduledAtMs !== checkAtMs(dueAtMs)) checks.push({ alertId: record.alertId, reason: reminder.reason, atMs: checkAtMs(dueAtMs) });
  };
  for (const record of state.alerts) {
    if (alertStatus(record) !== 'raised') continue;
    const respondByMs = respondByMsOf(record, policy);
    if (record.overdueRemindedAtMs === undefined) plan(record, record.team, { reason: 'overdue', respondByMs }, respondByMs, record.overdueCheckAtMs);
    const escalation = policy.team(record.team)?.overdueEscalation;
    if (!escalation || escalation.team === record.team || record.escalatedAtMs !== undefined) continue;
    const term = termOf(record, policy);
    const escalateAtMs = addTerm(new Date(record.raisedAtMs), multipliedTerm(term, escalation.afterTermMultiple)).getTime();
    const reminder = { reason: 'overdue-escalated', alertTeam: record.team, respondByMs, escalateAtMs, afterTermMultiple: escalation.afterTermMultiple, term } as const;
    plan(record, escalation.team, reminder, escalateAtMs, record.escalationCheckAtMs);
  }
  return { due, checks };
}
