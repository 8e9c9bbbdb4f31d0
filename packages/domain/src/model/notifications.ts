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
import { owedForward, receivingTeam } from './timeline.ts';
import { routeHousehold, type Routing } from './routing.ts';
import { planReminders, type Reminder, type ReminderCheck } from './reminders.ts';
import { viewHousehold, type HouseholdView } from './view.ts';

export type Notification =
  /** `forwardedFrom`: the alert another team forwarded, that this alert or update hands on (contract v1.1). */
  | { kind: 'alert'; team: string; level: Level; alertId: string; sequence: number; forwardedFrom?: string }
  | { kind: 'update'; team: string; level: Level; alertId: string; forwardedFrom?: string }
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
  addOwedForwards(state, policy, notifications);
  if (!assessment.level) return { view, assessment, routing: null, notifications, reminderChecks: reminders.checks };

  const routing = routeHousehold(view, assessment.level, state.address, policy);
  const { level } = assessment;
  // A forward raising the routed team's alert at this level already is that alert.
  const forwarded = notifications.some((n) => n.kind === 'alert' && n.team === routing.team && n.level === level);
  if (!forwarded && !cases.some((c) => c.team === routing.team)) {
    // A team told of this level in an update of its open case was told all the same: it stays
    // quiet after closing that case, as it would after an alert at this level.
    const told = state.alerts
      .filter((a) => a.team === routing.team && (a.level === level || a.levelsUpdated?.includes(level)))
      .sort((a, b) => b.raisedAtMs - a.raisedAtMs);
    if (!isQuiet(told, policy, nowMs)) {
      const sequence = nextSequence(state, routing.team, level);
      notifications.push({ kind: 'alert', team: routing.team, level, sequence, alertId: alertIdFor(state, routing.team, level, sequence) });
    }
  }
  return { view, assessment, routing, notifications, reminderChecks: reminders.checks };
}

/** The sequence of a team's next alert at a level: one past its alerts at that level so far. */
function nextSequence(state: HouseholdState, team: string, level: Level): number {
  return Math.max(-1, ...state.alerts.filter((a) => a.team === team && a.level === level).map((a) => a.sequence)) + 1;
}

/**
 * What forwards owe their receiving teams (contract v1.1): an update of the alert the team holds
 * open for the household (the update already planned for it, if any, says so), or else a new
 * alert at the forwarded alert's level, counted as that team's alert at that level from then on.
 * One forward per receiving team per plan: another is owed again once the first is recorded, and
 * is then an update of the alert the first raised.
 */
function addOwedForwards(state: HouseholdState, policy: CompiledPolicy, notifications: Notification[]): void {
  const receiving = new Set<string>();
  for (const record of state.alerts) {
    const forward = owedForward(record);
    if (!forward) continue;
    const team = receivingTeam(forward.toTeam, policy.settings);
    if (receiving.has(team)) continue;
    receiving.add(team);
    const held = state.alerts.filter((a) => a.team === team && a.closedAtMs === undefined).sort((a, b) => b.raisedAtMs - a.raisedAtMs)[0];
    if (!held) {
      const sequence = nextSequence(state, team, record.level);
      notifications.push({ kind: 'alert', team, level: record.level, sequence, alertId: alertIdFor(state, team, record.level, sequence), forwardedFrom: record.alertId });
      continue;
    }
    const planned = notifications.findIndex((n) => n.kind === 'update' && n.alertId === held.alertId);
    const update = { kind: 'update' as const, team, level: record.level, alertId: held.alertId, forwardedFrom: record.alertId };
    if (planned === -1) notifications.push(update);
    else notifications[planned] = { ...update, level: notifications[planned]!.level };
  }
}
