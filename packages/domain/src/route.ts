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
import { householdExpiresAtMs } from './apply.ts';
import { addCalendarMonths, amsterdamYear, formatAmsterdamIso } from './calendar.ts';
import type { HouseholdState } from './household.ts';
import { ConcurrencyError } from './ingest.ts';
import { buildTeamMessage } from './messages.ts';
import { planNotifications, type Notification, type NotificationPlan } from './notifications.ts';
import type { AlertIndex, CapacityLedger, HouseholdStore, TeamMessenger } from './ports.ts';

export interface RouteDeps {
  policy: CompiledPolicy;
  households: HouseholdStore;
  alerts: AlertIndex;
  capacity: CapacityLedger;
  messenger: TeamMessenger;
  nowMs: number;
  /** Months an alert's index record is kept, for team reports on it (documented retention). */
  alertRetentionMonths?: number;
}

export interface SentMessage {
  kind: 'alert' | 'update';
  team: string;
  level: string;
  alertId: string;
  capacityExceeded: boolean;
}

const MAX_ATTEMPTS = 8;
export const DEFAULT_ALERT_RETENTION_MONTHS = 24;

export async function routeEscalation(householdRef: string, deps: RouteDeps): Promise<SentMessage[]> {
  const { households, policy, nowMs } = deps;
  const sent: SentMessage[] = [];
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const stored = await households.get(householdRef);
    if (!stored) return sent;
    const plan = planNotifications(stored, policy, nowMs);
    if (plan.notifications.length === 0) return sent;
    for (const notification of plan.notifications) {
      if (!sent.some((s) => s.alertId === notification.alertId && s.kind === notification.kind)) {
        sent.push(await deliver(notification, stored, plan, deps));
      }
    }
    const committed = recordNotifications(stored, plan.notifications, nowMs);
    if (await households.put(committed, stored.version, householdExpiresAtMs(committed, policy))) return sent;
  }
  throw new ConcurrencyError(MAX_ATTEMPTS);
}

function recordNotifications(state: HouseholdState, notifications: Notification[], nowMs: number): HouseholdState {
  const alerts = state.alerts.map((record) => {
    const update = notifications.find((n) => n.kind === 'update' && n.alertId === record.alertId);
    if (!update) return record;
    const levelsUpdated = [...new Set([...(record.levelsUpdated ?? []), update.level])].filter((l) => l !== record.level);
    return { ...record, notifiedSignalVersion: state.signalVersion, ...(levelsUpdated.length > 0 ? { levelsUpdated } : {}) };
  });
  for (const n of notifications) {
    if (n.kind !== 'alert') continue;
    alerts.push({
      alertId: n.alertId,
      team: n.team,
      level: n.level,
      sequence: n.sequence,
      raisedAt: formatAmsterdamIso(new Date(nowMs)),
      raisedAtMs: nowMs,
      notifiedSignalVersion: state.signalVersion,
    });
  }
  return { ...state, alerts };
}

async function deliver(notification: Notification, state: HouseholdState, plan: NotificationPlan, deps: RouteDeps): Promise<SentMessage> {
  const { policy, nowMs } = deps;
  const team = policy.team(notification.team) ?? policy.team(policy.settings.unroutedTeam.id)!;
  let capacityExceeded = false;
  if (notification.kind === 'alert') {
    if (team.capacityPerYear !== undefined) {
      const place = await deps.capacity.countHousehold(team.id, amsterdamYear(new Date(nowMs)), state.ref);
      capacityExceeded = place > team.capacityPerYear;
    }
    await deps.alerts.put({
      alertId: notification.alertId,
      householdRef: state.ref,
      team: notification.team,
      level: notification.level,
      raisedAtMs: nowMs,
      signals: plan.view.live.map((s) => ({ partnerId: s.partnerId, signalId: s.signalId })),
      expiresAtMs: addCalendarMonths(new Date(nowMs), deps.alertRetentionMonths ?? DEFAULT_ALERT_RETENTION_MONTHS).getTime(),
    });
  }
  const message = buildTeamMessage(notification, state, plan, team, nowMs, capacityExceeded);
  const deduplicationId = notification.kind === 'alert' ? notification.alertId : `${notification.alertId}-u${state.signalVersion}`;
  await deps.messenger.send(notification.team, message, deduplicationId, state.ref);
  return { kind: notification.kind, team: notification.team, level: notification.level, alertId: notification.alertId, capacityExceeded };
}
