/**
 * Route: a household changed; tell the teams what the policy says they must hear.
 *
 * Messages are sent first and the household's alert records committed after, conditional on
 * the version read. Nothing is lost: a crash before the commit leaves the escalation on its
 * queue, and its redelivery plans the same messages again. Nothing is doubled: alert ids
 * come from the committed records, so the resend has the same id and deduplication id, and
 * the team's FIFO queue drops it (within SQS's 5-minute deduplication window; beyond it a
 * team sees the same alertId twice, which its inbox folds into one).
 */
import type { CompiledPolicy } from '@vroegsignaal/policy';
import { ALERT_RETENTION_MONTHS, householdExpiresAtMs } from './apply.ts';
import { addCalendarMonthsMs, amsterdamYear, formatAmsterdamIso } from './calendar.ts';
import type { HouseholdState } from './household.ts';
import { ConcurrencyError, MAX_WRITE_ATTEMPTS, writeAttempts } from './contention.ts';
import { createHash } from 'node:crypto';
import { buildReminderMessage, buildTeamMessage } from './messages.ts';
import { planNotifications, type Notification, type NotificationPlan } from './notifications.ts';
import type { AlertIndex, AuditTrail, CapacityLedger, HouseholdStore, ReminderScheduler, TeamMessenger } from './ports.ts';
import { planReminders, type ReminderCheck } from './reminders.ts';

export interface RouteDeps {
  policy: CompiledPolicy;
  households: HouseholdStore;
  alerts: AlertIndex;
  capacity: CapacityLedger;
  messenger: TeamMessenger;
  scheduler: ReminderScheduler;
  audit: AuditTrail;
  nowMs: number;
  /** Months an alert's index record is kept, for team reports on it (documented retention). */
  alertRetentionMonths?: number;
}

export interface SentMessage {
  kind: 'alert' | 'update' | 'reminder';
  team: string;
  level: string;
  alertId: string;
  capacityExceeded: boolean;
}


export async function routeEscalation(householdRef: string, deps: RouteDeps): Promise<SentMessage[]> {
  const { households, policy, nowMs } = deps;
  const delivered: Delivered[] = [];
  const scheduled: ReminderCheck[] = [];
  for await (const attempt of writeAttempts()) {
    const stored = await households.get(householdRef);
    if (!stored) return [];
    const plan = planNotifications(stored, policy, nowMs);
    for (const notification of plan.notifications) {
      const alreadySent = delivered.some(
        (d) => d.notification.alertId === notification.alertId && d.notification.kind === notification.kind && (notification.kind === 'alert' || d.signalVersion === stored.signalVersion),
      );
      if (!alreadySent) delivered.push(await deliver(notification, stored, plan, deps));
    }
    // Record what this run sent and the household does not know of yet, also when a new
    // signal changed the plan since: a team must never hold an alert the household forgot.
    const unrecorded = delivered.filter((d) => !isRecorded(stored, d));
    // Reminder checks are planned on the state as it will be, so an alert raised just now
    // gets the check for its verdict at once.
    const withDeliveries = recordDeliveries(stored, unrecorded, [], nowMs);
    for (const check of planReminders(withDeliveries, plan.view, policy, nowMs).checks) {
      if (!scheduled.some((s) => s.alertId === check.alertId && s.verdictKey === check.verdictKey)) {
        await deps.scheduler.scheduleCheck(householdRef, check.atMs);
        scheduled.push(check);
      }
    }
    const unrecordedChecks = scheduled.filter((c) => stored.alerts.find((a) => a.alertId === c.alertId)?.reminderScheduledFor !== c.verdictKey);
    if (unrecorded.length === 0 && unrecordedChecks.length === 0) return [];
    const committed = recordDeliveries(stored, unrecorded, unrecordedChecks, nowMs);
    if (await households.put(committed, stored.version, householdExpiresAtMs(committed, policy))) return unrecorded.map((d) => d.sent);
  }
  throw new ConcurrencyError(MAX_WRITE_ATTEMPTS);
}

interface Delivered {
  notification: Notification;
  /** The household's signalVersion the message reflected. */
  signalVersion: number;
  sent: SentMessage;
}

/** Recorded by this run's earlier commit attempt, or by a run that raced it to the same message. */
function isRecorded(state: HouseholdState, delivered: Delivered): boolean {
  const record = state.alerts.find((a) => a.alertId === delivered.notification.alertId);
  if (delivered.notification.kind === 'alert') return record !== undefined;
  if (delivered.notification.kind === 'reminder') return record?.remindedFor === delivered.notification.verdict.key;
  return record !== undefined && record.notifiedSignalVersion >= delivered.signalVersion && (record.level === delivered.notification.level || (record.levelsUpdated ?? []).includes(delivered.notification.level));
}

function recordDeliveries(state: HouseholdState, deliveries: Delivered[], checks: ReminderCheck[], nowMs: number): HouseholdState {
  const alerts = state.alerts.map((original) => {
    let record = original;
    const reminder = deliveries.find((d) => d.notification.kind === 'reminder' && d.notification.alertId === record.alertId)?.notification;
    if (reminder?.kind === 'reminder') record = { ...record, remindedFor: reminder.verdict.key };
    const check = checks.find((c) => c.alertId === record.alertId);
    if (check) record = { ...record, reminderScheduledFor: check.verdictKey };
    const updates = deliveries.filter((d) => d.notification.kind === 'update' && d.notification.alertId === record.alertId);
    if (updates.length === 0) return record;
    const levelsUpdated = [...new Set([...(record.levelsUpdated ?? []), ...updates.map((d) => d.notification.level)])].filter((l) => l !== record.level);
    return {
      ...record,
      notifiedSignalVersion: Math.max(record.notifiedSignalVersion, ...updates.map((d) => d.signalVersion)),
      ...(levelsUpdated.length > 0 ? { levelsUpdated } : {}),
    };
  });
  for (const { notification: n, signalVersion } of deliveries) {
    if (n.kind !== 'alert' || alerts.some((a) => a.alertId === n.alertId)) continue;
    alerts.push({
      alertId: n.alertId,
      team: n.team,
      level: n.level,
      sequence: n.sequence,
      raisedAt: formatAmsterdamIso(new Date(nowMs)),
      raisedAtMs: nowMs,
      notifiedSignalVersion: signalVersion,
    });
  }
  return { ...state, alerts };
}

async function deliver(notification: Notification, state: HouseholdState, plan: NotificationPlan, deps: RouteDeps): Promise<Delivered> {
  const { policy, nowMs } = deps;
  const team = policy.team(notification.team) ?? policy.team(policy.settings.unroutedTeam.id)!;
  let capacityExceeded = false;
  if (notification.kind === 'alert' && team.capacityPerYear !== undefined) {
    const place = await deps.capacity.countHousehold(team.id, amsterdamYear(new Date(nowMs)), state.ref);
    capacityExceeded = place > team.capacityPerYear;
  }
  const message =
    notification.kind === 'reminder' ? buildReminderMessage(notification, state, plan, team, nowMs) : buildTeamMessage(notification, state, plan, team, nowMs, capacityExceeded);
  const deduplicationId = {
    alert: notification.alertId,
    update: `${notification.alertId}-u${state.signalVersion}`,
    reminder: `${notification.alertId}-r${createHash('sha256').update(notification.kind === 'reminder' ? notification.verdict.key : '').digest('hex').slice(0, 16)}`,
  }[notification.kind];
  // Audited before it is sent: a message a team holds always has its audit record. An alert's
  // index record is its audit record (one write); updates and reminders get one of their own.
  const audit = {
    deliveryId: deduplicationId,
    householdRef: state.ref,
    alertId: notification.alertId,
    team: notification.team,
    level: notification.level,
    reasonCodes: message.reasons.map((r) => r.code),
    atMs: nowMs,
    expiresAtMs: addCalendarMonthsMs(nowMs, deps.alertRetentionMonths ?? ALERT_RETENTION_MONTHS),
  };
  if (notification.kind === 'alert') {
    await deps.alerts.put({ ...audit, sequence: notification.sequence, signals: plan.view.live.map((s) => ({ partnerId: s.partnerId, signalId: s.signalId })) });
  } else {
    await deps.audit.record({ ...audit, kind: notification.kind });
  }
  await deps.messenger.send(notification.team, message, deduplicationId, state.ref);
  return {
    notification,
    signalVersion: state.signalVersion,
    sent: { kind: notification.kind, team: notification.team, level: notification.level, alertId: notification.alertId, capacityExceeded },
  };
}
