/**
 * Deciding what a household's teams are told, given its state now.
 * Rules: docs/contract.md, "Alerting rules" and "Teams report back".
 * - an alert at the current level only, at most one per team and level within the alert window;
 * - a team with an open case gets an `update` instead of an alert, for every new signal;
 * - after a case is closed, that team and level stay quiet for the quiet period.
 */
import { hash } from 'node:crypto';
import type { CompiledPolicy, Level } from '@vroegsignaal/policy';
import { assessHousehold, type Assessment } from './assessment.ts';
import { addCalendarDays, addCalendarMonthsMs } from '@vroegsignaal/calendar';
import type { AlertRecord, HouseholdState } from './household.ts';
import { routeHousehold, type Routing } from './routing.ts';
import { planReminders, type Reminder, type ReminderCheck } from './reminders.ts';
import { viewHousehold, type HouseholdView } from './view.ts';

export type Notification =
  | { kind: 'alert'; team: string; level: Level; alertId: string; sequence: number }
  | { kind: 'update'; team: string; level: Level; alertId: string }
  /** `team` is who is told: for an escalation the coordinating team, the alert's own team in `reminder.alertTeam`. */
  | { kind: 'reminder'; team: string; level: Level; alertId: string; reminder: Reminder };

export interface NotificationPlan {
  view: HouseholdView;
  assessment: Assessment;
  routing: Routing | null;
  notifications: Notification[];
  /** Reminders not due yet: the household must be looked at again at these times. */
  reminderChecks: ReminderCheck[];
}

/**
 * Stable alert id: the same household (in the same life of its record), team, level and
 * sequence always give the same id, so two racing deliveries of one escalation produce one id.
 */
export function alertIdFor(state: Pick<HouseholdState, 'ref' | 'createdAtMs'>, team: string, level: Level, sequence: number): string {
  // One-shot hash (Node 20.12+): no Hash object, a fraction of createHash's cost on this hot path.
  const digest = hash('sha256', `${state.ref}|${state.createdAtMs}|${team}|${level}|${sequence}`, 'base64url');
  return `al_${digest.slice(0, 22)}`;
}

export function openCases(state: HouseholdState): AlertRecord[] {
  const open = state.alerts.filter((a) => a.pickedUpAtMs !== undefined && a.closedAtMs === undefined);
  const latestPerTeam = new Map<string, AlertRecord>();
  for (const record of open.sort((a, b) => b.raisedAtMs - a.raisedAtMs)) {
    if (!latestPerTeam.has(record.team)) latestPerTeam.set(record.team, record);
  }
  return [...latestPerTeam.values()];
}

function isQuiet(records: AlertRecord[], policy: CompiledPolicy, nowMs: number): boolean {
  const latest = records[0];
  if (!latest) return false;
  if (nowMs < addCalendarMonthsMs(latest.raisedAtMs, policy.settings.alertWindowMonths)) return true;
  return latest.closedAtMs !== undefined && nowMs < addCalendarDays(new Date(latest.closedAtMs), policy.settings.quietPeriodDays).getTime();
}

export function planNotifications(state: HouseholdState, policy: CompiledPolicy, nowMs: number): NotificationPlan {
  const view = viewHousehold(state, policy.settings, nowMs);
  const assessment = assessHousehold(view, policy);
  const notifications: Notification[] = [];
  const cases = openCases(state);
  for (const open of cases) {
    if (state.signalVersion > open.notifiedSignalVersion) {
      notifications.push({ kind: 'update', team: open.team, level: assessment.level ?? open.level, alertId: open.alertId });
    }
  }
  const reminders = planReminders(state, view, policy, nowMs);
  for (const { record, team, reminder } of reminders.due) notifications.push({ kind: 'reminder', team, level: record.level, alertId: record.alertId, reminder });
  if (!assessment.level) return { view, assessment, routing: null, notifications, reminderChecks: reminders.checks };

  const routing = routeHousehold(view, assessment.level, state.address, policy);
  const { level } = assessment;
  if (!cases.some((c) => c.team === routing.team)) {
    // A team told of this level in an update of its open case was told all the same: it stays
    // quiet after closing that case, as it would after an alert at this level.
    const told = state.alerts
      .filter((a) => a.team === routing.team && (a.level === level || a.levelsUpdated?.includes(level)))
      .sort((a, b) => b.raisedAtMs - a.raisedAtMs);
    if (!isQuiet(told, policy, nowMs)) {
      const earlier = state.alerts.filter((a) => a.team === routing.team && a.level === level);
      const sequence = Math.max(-1, ...earlier.map((a) => a.sequence)) + 1;
      notifications.push({ kind: 'alert', team: routing.team, level, sequence, alertId: alertIdFor(state, routing.team, level, sequence) });
    }
  }
  return { view, assessment, routing, notifications, reminderChecks: reminders.checks };
}
