/**
 * Route: a household changed; tell the teams what the policy says they must hear.
 *
 * Nothing lost: the alert records are committed (marked pending) before anything is sent,
 * so a crash after the commit leaves a pending record that the redelivered escalation sends.
 * Nothing doubled: the records make a second escalation find nothing new to say, and each
 * message carries a deduplication id, so a resend after a crash is dropped by the queue.
 */
import type { CompiledPolicy } from '@vroegsignaal/policy';
import { householdExpiresAtMs } from './apply.ts';
import { addCalendarMonths, amsterdamYear, formatAmsterdamIso } from './calendar.ts';
import type { AlertRecord, HouseholdState } from './household.ts';
import { ConcurrencyError } from './ingest.ts';
import { buildTeamMessage } from './messages.ts';
import { planNotifications, type Notification } from './notifications.ts';
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
  /** The signalVersion the message reflected: a newer pending update is not cleared with it. */
  signalVersion: number;
}

const MAX_ATTEMPTS = 8;

export async function routeEscalation(householdRef: string, deps: RouteDeps): Promise<SentMessage[]> {
  const { households, policy, nowMs } = deps;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const stored = await households.get(householdRef);
    if (!stored) return [];
    const plan = planNotifications(stored, policy, nowMs);
    const pendingBefore = stored.alerts.filter((a) => a.pending);
    if (plan.notifications.length === 0 && pendingBefore.length === 0) return [];

    const committed = recordNotifications(stored, plan.notifications, nowMs);
    if (plan.notifications.length > 0 && !(await households.put(committed, stored.version, householdExpiresAtMs(committed, policy)))) continue;
    const current = plan.notifications.length > 0 ? { ...committed, version: stored.version + 1 } : stored;

    const sent: SentMessage[] = [];
    for (const record of current.alerts.filter((a) => a.pending)) {
      sent.push(await deliver(record, current, deps));
    }
    await clearPending(householdRef, sent, deps);
    return sent;
  }
  throw new ConcurrencyError(MAX_ATTEMPTS);
}

function recordNotifications(state: HouseholdState, notifications: Notification[], nowMs: number): HouseholdState {
  const alerts = state.alerts.map((record) => {
    const update = notifications.find((n) => n.kind === 'update' && n.alertId === record.alertId);
    return update ? { ...record, pending: 'update' as const, notifiedSignalVersion: state.signalVersion } : record;
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
      pending: 'alert',
    });
  }
  return { ...state, alerts };
}

async function deliver(record: AlertRecord, state: HouseholdState, deps: RouteDeps): Promise<SentMessage> {
  const { policy, nowMs } = deps;
  const plan = planNotifications(state, policy, nowMs);
  const team = policy.team(record.team) ?? policy.team(policy.settings.unroutedTeam.id)!;
  const kind = record.pending === 'update' ? 'update' : 'alert';
  let capacityExceeded = false;
  if (kind === 'alert') {
    if (team.capacityPerYear !== undefined) {
      const place = await deps.capacity.countHousehold(team.id, amsterdamYear(new Date(record.raisedAtMs)), state.ref);
      capacityExceeded = place > team.capacityPerYear;
    }
    await deps.alerts.put({
      alertId: record.alertId,
      householdRef: state.ref,
      team: record.team,
      level: record.level,
      raisedAtMs: record.raisedAtMs,
      signals: plan.view.live.map((s) => ({ partnerId: s.partnerId, signalId: s.signalId })),
      expiresAtMs: addCalendarMonths(new Date(record.raisedAtMs), deps.alertRetentionMonths ?? 24).getTime(),
    });
  }
  const message = buildTeamMessage({ kind, team: record.team, level: record.level, alertId: record.alertId, sequence: record.sequence }, state, plan, team, kind === 'alert' ? record.raisedAtMs : nowMs, capacityExceeded);
  const deduplicationId = kind === 'alert' ? record.alertId : `${record.alertId}-u${record.notifiedSignalVersion}`;
  await deps.messenger.send(record.team, message, deduplicationId, state.ref);
  return { kind, team: record.team, level: record.level, alertId: record.alertId, capacityExceeded, signalVersion: record.notifiedSignalVersion };
}

async function clearPending(householdRef: string, sent: SentMessage[], deps: RouteDeps): Promise<void> {
  if (sent.length === 0) return;
  const wasSent = (a: AlertRecord) => sent.some((s) => s.alertId === a.alertId && s.signalVersion === a.notifiedSignalVersion);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const stored = await deps.households.get(householdRef);
    if (!stored) return;
    const cleared = { ...stored, alerts: stored.alerts.map((a) => (a.pending && wasSent(a) ? withoutPending(a) : a)) };
    if (await deps.households.put(cleared, stored.version, householdExpiresAtMs(cleared, deps.policy))) return;
  }
  throw new ConcurrencyError(MAX_ATTEMPTS);
}

function withoutPending(record: AlertRecord): AlertRecord {
  const { pending: _pending, ...rest } = record;
  return rest;
}
