/**
 * Telling a household's teams what its state says they must hear, and recording it on the state.
 *
 * Both writers of a household use it: ingest, for the state its entry is about to write (most
 * alerts go out there, in the same household write), and deliver, for a stored state that still
 * owes a message (a reminder check come due, or a delivery ingest had to leave).
 *
 * Messages are sent first and recorded in the household write after, conditional on the version
 * read. Nothing is lost: a crash before the write leaves the entry or escalation on its queue,
 * and its redelivery plans the same messages again. Nothing is doubled: alert ids come from the
 * recorded alerts, so the resend has the same id and deduplication id, and the team's FIFO queue
 * drops it (within SQS's 5-minute deduplication window; beyond it a team sees the same alertId
 * twice, which its inbox folds into one).
 */
import type { CompiledPolicy } from '@vroegsignaal/policy';
import { hash } from 'node:crypto';
import { ALERT_RETENTION_MONTHS, householdExpiresAtMs } from '../model/apply.ts';
import { addCalendarMonthsMs, amsterdamYear, formatAmsterdamIso } from '@vroegsignaal/calendar';
import { ConcurrencyError, MAX_WRITE_ATTEMPTS, writeAttempts } from './contention.ts';
import type { AlertRecord, HouseholdState } from '../model/household.ts';
import { buildReminderMessage, buildTeamMessage } from '../model/messages.ts';
import { planNotifications, type Notification, type NotificationPlan } from '../model/notifications.ts';
import type { AlertMessage, ReminderReason } from '@vroegsignaal/events';
import type { AlertIndex, AuditTrail, CapacityLedger, HouseholdStore, ReminderScheduler, TeamMessenger } from '../ports.ts';
import { planReminders, type Reminder, type ReminderCheck } from '../model/reminders.ts';
import { districtOf } from '../model/routing.ts';
import { appendToTimeline, lifeOf } from '../model/timeline.ts';

export interface DispatchDeps {
  policy: CompiledPolicy;
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
  /** A reminder's reason (contract v1.1). */
  reason?: ReminderReason;
  /** An escalation's alert team (`team` is the coordinating team it went to). */
  alertTeam?: string;
}

export interface Settled {
  /** The state with this dispatch's deliveries and scheduled checks recorded: the same object when there was nothing to record. */
  state: HouseholdState;
  /** The messages recorded on `state` by this call. */
  recorded: SentMessage[];
  /** Set when a delivery failed and was left for deliver: why, without personal data. */
  deferred?: string;
}

interface Delivered {
  notification: Notification;
  /** The household's signalVersion the message reflected. */
  signalVersion: number;
  /** An alert's respondBy as its message gave it, kept on its record. */
  respondByMs?: number;
  sent: SentMessage;
}

/**
 * One dispatch per entry or escalation: across the attempts of a contended household write it
 * remembers what it already sent and scheduled, so a retry never sends a message twice.
 */
export class Dispatch {
  private readonly delivered: Delivered[] = [];
  private readonly scheduled: ReminderCheck[] = [];

  constructor(private readonly deps: DispatchDeps) {}

  /** The moment this dispatch judges by: its writes' retention is counted from it. */
  get nowMs(): number {
    return this.deps.nowMs;
  }

  get hasSent(): boolean {
    return this.delivered.length > 0;
  }

  /**
   * Sends what the plan for `state` says and this dispatch has not sent yet, schedules its
   * reminder checks, and returns the state with them recorded. With `onFailure: 'defer'` a
   * failed delivery stops the sending instead of throwing: what was sent is still recorded,
   * and the rest stays owed on the state for deliver to deliver.
   */
  async settle(state: HouseholdState, onFailure: 'throw' | 'defer' = 'throw'): Promise<Settled> {
    const { policy, nowMs } = this.deps;
    const plan = planNotifications(state, policy, nowMs);
    let deferred: string | undefined;
    /** Runs one step; a failure stops the dispatch here ('defer') or throws. */
    const attempt = async <T>(step: () => Promise<T>): Promise<T | undefined> => {
      try {
        return await step();
      } catch (error) {
        if (onFailure === 'throw') throw error;
        deferred = deferralReason(error);
        return undefined;
      }
    };
    for (const notification of plan.notifications) {
      if (this.alreadySent(notification, state)) continue;
      const delivered = await attempt(() => this.deliver(notification, state, plan));
      if (!delivered) break;
      this.delivered.push(delivered);
    }
    // Record what this dispatch sent and the household does not know of yet, also when a new
    // signal changed the plan since: a team must never hold an alert the household forgot.
    const unrecorded = this.delivered.filter((d) => !isRecorded(state, d));
    // Reminder checks are planned on the state as it will be, so an alert raised just now
    // gets the check for its verdict at once.
    const withDeliveries = recordDeliveries(state, unrecorded, [], nowMs);
    for (const check of planReminders(withDeliveries, plan.view, policy, nowMs).checks) {
      if (deferred !== undefined) break; // once a step failed, what is left is deliver's
      if (this.scheduled.some((s) => sameCheck(s, check))) continue;
      const scheduled = await attempt(async () => {
        await this.deps.scheduler.scheduleCheck(state.ref, check.atMs);
        return check;
      });
      if (!scheduled) break;
      this.scheduled.push(scheduled);
    }
    const unrecordedChecks = this.scheduled.filter((c) => !isScheduled(state.alerts.find((a) => a.alertId === c.alertId), c));
    const recorded = unrecorded.map((d) => d.sent);
    const settled = unrecorded.length === 0 && unrecordedChecks.length === 0 ? state : recordDeliveries(state, unrecorded, unrecordedChecks, nowMs);
    return { state: settled, recorded, deferred };
  }

  private alreadySent(notification: Notification, state: HouseholdState): boolean {
    // One alert may owe several reminders at once (overdue and escalated): a reminder is the same by its deduplication id.
    return this.delivered.some(
      (d) =>
        d.notification.alertId === notification.alertId &&
        d.notification.kind === notification.kind &&
        (notification.kind === 'alert' || d.signalVersion === state.signalVersion) &&
        (notification.kind !== 'reminder' || deduplicationIdOf(d.notification, state) === deduplicationIdOf(notification, state)),
    );
  }

  private async deliver(notification: Notification, state: HouseholdState, plan: NotificationPlan): Promise<Delivered> {
    const { policy, nowMs } = this.deps;
    const team = policy.team(notification.team) ?? policy.team(policy.settings.unroutedTeam.id)!;
    let capacityExceeded = false;
    if (notification.kind === 'alert' && team.capacityPerYear !== undefined) {
      const place = await this.deps.capacity.countHousehold(team.id, amsterdamYear(new Date(nowMs)), state.ref);
      capacityExceeded = place > team.capacityPerYear;
    }
    const message =
      notification.kind === 'reminder' ? buildReminderMessage(notification, state, plan, team, nowMs) : buildTeamMessage(notification, state, plan, team, nowMs, capacityExceeded);
    const deduplicationId = deduplicationIdOf(notification, state);
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
      expiresAtMs: addCalendarMonthsMs(nowMs, this.deps.alertRetentionMonths ?? ALERT_RETENTION_MONTHS),
    };
    if (notification.kind === 'alert') {
      // An alert's notification is built into an alert message (buildTeamMessage keeps its kind).
      const { score, respondBy, municipalityCode } = message as AlertMessage;
      await this.deps.alerts.put({
        ...audit,
        sequence: notification.sequence,
        score,
        respondByMs: Date.parse(respondBy),
        district: districtOf(state.address, municipalityCode, policy),
        municipalityCode,
        signals: plan.view.live.map((s) => ({ partnerId: s.partnerId, signalId: s.signalId })),
      });
    } else {
      await this.deps.audit.record({ ...audit, kind: notification.kind });
    }
    await this.deps.messenger.send(notification.team, message, deduplicationId, state.ref);
    const reminder = notification.kind === 'reminder' ? notification.reminder : undefined;
    return {
      notification,
      signalVersion: state.signalVersion,
      ...(message.kind === 'alert' ? { respondByMs: Date.parse(message.respondBy) } : {}),
      sent: {
        kind: notification.kind,
        team: notification.team,
        level: notification.level,
        alertId: notification.alertId,
        capacityExceeded,
        ...(reminder ? { reason: reminder.reason } : {}),
        ...(reminder?.reason === 'overdue-escalated' ? { alertTeam: reminder.alertTeam } : {}),
      },
    };
  }
}

/**
 * Settles the stored household: what it owes is sent, and what this dispatch sent is recorded,
 * in a write conditional on the version read (a lost race reads and settles again); the
 * state returned is at the version written.
 */
export async function settleStored(ref: string, households: HouseholdStore, dispatch: Dispatch, policy: CompiledPolicy, onFailure: 'throw' | 'defer'): Promise<Settled | undefined> {
  for await (const _attempt of writeAttempts()) {
    const stored = await households.get(ref);
    if (!stored) return undefined;
    const settled = await dispatch.settle(stored, onFailure);
    if (settled.state === stored) return settled;
    if (await households.put(settled.state, stored.version, householdExpiresAtMs(settled.state, policy, dispatch.nowMs))) return { ...settled, state: { ...settled.state, version: stored.version + 1 } };
  }
  throw new ConcurrencyError(MAX_WRITE_ATTEMPTS);
}

/**
 * Copies the life of each alert `settled` recorded a message on (raised, updated, reminded)
 * to its index record, after the household write that stored it: the index keeps it for 24
 * months, without the address, once the household has gone.
 */
export async function recordLives(alerts: AlertIndex, settled: Settled): Promise<void> {
  const recorded = new Set(settled.recorded.map((m) => m.alertId));
  await copyLives(alerts, settled.state.alerts.filter((record) => recorded.has(record.alertId)));
}

/**
 * Copies the life of every alert the household holds again: for a retry whose earlier attempt
 * wrote the household and then died before its copies landed, and so finds nothing new to
 * record. The copy follows the write rather than going before it because a write can lose its
 * race and be redone on a state another writer changed (a team's pick-up): a copy made before
 * it would keep a timeline the household never had. Only retries pay the extra requests; a
 * copy already there is left as it is (the index keeps the longer timeline).
 */
export async function recopyLives(alerts: AlertIndex, state: HouseholdState): Promise<void> {
  await copyLives(alerts, state.alerts);
}

async function copyLives(alerts: AlertIndex, records: readonly AlertRecord[]): Promise<void> {
  for (const record of records) await alerts.recordLife(record.alertId, lifeOf(record));
}

/** A message's FIFO deduplication id: the same message, sent again, gets the same id. */
function deduplicationIdOf(notification: Notification, state: HouseholdState): string {
  switch (notification.kind) {
    case 'alert':
      return notification.alertId;
    case 'update':
      // A forward is told once, also when the team already heard of this signalVersion.
      return notification.forwardedFrom !== undefined ? `${notification.alertId}-f${notification.forwardedFrom}` : `${notification.alertId}-u${state.signalVersion}`;
    case 'reminder':
      switch (notification.reminder.reason) {
        case 'verdict-lapses':
          // One reminder per verdict: a fixed-length digest of its key keeps the id within SQS's 128 characters.
          return `${notification.alertId}-r${hash('sha256', notification.reminder.verdict.key, 'hex').slice(0, 16)}`;
        case 'overdue':
          return `${notification.alertId}-overdue`;
        case 'overdue-escalated':
          return `${notification.alertId}-escalated`;
      }
  }
}

/** Whether `record` already holds the reminder: once per verdict, once per alert for the deadlines. */
function isReminded(record: AlertRecord | undefined, reminder: Reminder): boolean {
  switch (reminder.reason) {
    case 'verdict-lapses':
      return record?.remindedFor === reminder.verdict.key;
    case 'overdue':
      return record?.overdueRemindedAtMs !== undefined;
    case 'overdue-escalated':
      return record?.escalatedAtMs !== undefined;
  }
}

function sameCheck(a: ReminderCheck, b: ReminderCheck): boolean {
  return a.alertId === b.alertId && a.reason === b.reason && a.atMs === b.atMs && (a.reason !== 'verdict-lapses' || (b.reason === 'verdict-lapses' && a.verdictKey === b.verdictKey));
}

function isScheduled(record: AlertRecord | undefined, check: ReminderCheck): boolean {
  switch (check.reason) {
    case 'verdict-lapses':
      return record?.reminderScheduledFor === check.verdictKey;
    case 'overdue':
      return record?.overdueCheckAtMs === check.atMs;
    case 'overdue-escalated':
      return record?.escalationCheckAtMs === check.atMs;
  }
}

/** Records a reminder sent, and a check scheduled, on the alert's record; a reminder also on its timeline. */
function recordReminder(record: AlertRecord, reminder: Reminder, nowMs: number): AlertRecord {
  const marked =
    reminder.reason === 'verdict-lapses'
      ? { ...record, remindedFor: reminder.verdict.key }
      : reminder.reason === 'overdue'
        ? { ...record, overdueRemindedAtMs: nowMs }
        : { ...record, escalatedAtMs: nowMs };
  return appendToTimeline(marked, { type: 'reminder', atMs: nowMs, reason: reminder.reason });
}

function recordCheck(record: AlertRecord, check: ReminderCheck): AlertRecord {
  switch (check.reason) {
    case 'verdict-lapses':
      return { ...record, reminderScheduledFor: check.verdictKey };
    case 'overdue':
      return { ...record, overdueCheckAtMs: check.atMs };
    case 'overdue-escalated':
      return { ...record, escalationCheckAtMs: check.atMs };
  }
}

/** Recorded by this dispatch's earlier write attempt, or by a writer that raced it to the same message. */
function isRecorded(state: HouseholdState, delivered: Delivered): boolean {
  const record = state.alerts.find((a) => a.alertId === delivered.notification.alertId);
  const forwardedFrom = forwardedFromOf(delivered.notification);
  if (forwardedFrom !== undefined && !state.alerts.find((a) => a.alertId === forwardedFrom)?.forwardDelivered) return false;
  if (delivered.notification.kind === 'alert') return record !== undefined;
  if (delivered.notification.kind === 'reminder') return isReminded(record, delivered.notification.reminder);
  return record !== undefined && record.notifiedSignalVersion >= delivered.signalVersion && (record.level === delivered.notification.level || (record.levelsUpdated ?? []).includes(delivered.notification.level));
}

function forwardedFromOf(notification: Notification): string | undefined {
  return notification.kind === 'reminder' ? undefined : notification.forwardedFrom;
}

function recordDeliveries(state: HouseholdState, deliveries: Delivered[], checks: ReminderCheck[], nowMs: number): HouseholdState {
  const raised: AlertRecord[] = [];
  for (const { notification: n, signalVersion, respondByMs } of deliveries) {
    if (n.kind !== 'alert' || state.alerts.some((a) => a.alertId === n.alertId) || raised.some((a) => a.alertId === n.alertId)) continue;
    raised.push({
      alertId: n.alertId,
      team: n.team,
      level: n.level,
      sequence: n.sequence,
      raisedAt: formatAmsterdamIso(new Date(nowMs)),
      raisedAtMs: nowMs,
      notifiedSignalVersion: signalVersion,
      ...(respondByMs !== undefined ? { respondByMs } : {}),
      ...(n.forwardedFrom !== undefined ? { forwardedFrom: n.forwardedFrom } : {}),
      timeline: [{ type: 'raised', atMs: nowMs }],
    });
  }
  // An alert raised just now gets its checks recorded in the same write as itself.
  const alerts = [...state.alerts, ...raised].map((original) => {
    let record = original;
    for (const { notification } of deliveries) {
      if (notification.kind === 'reminder' && notification.alertId === record.alertId) record = recordReminder(record, notification.reminder, nowMs);
    }
    for (const check of checks) if (check.alertId === record.alertId) record = recordCheck(record, check);
    // The forward this dispatch delivered the receiving team's alert or update for is owed no more.
    if (deliveries.some((d) => forwardedFromOf(d.notification) === record.alertId)) record = { ...record, forwardDelivered: true };
    const updates = deliveries.filter((d) => d.notification.kind === 'update' && d.notification.alertId === record.alertId);
    if (updates.length === 0) return record;
    const levelsUpdated = [...new Set([...(record.levelsUpdated ?? []), ...updates.map((d) => d.notification.level)])].filter((l) => l !== record.level);
    return {
      ...appendToTimeline(record, { type: 'update', atMs: nowMs }),
      notifiedSignalVersion: Math.max(record.notifiedSignalVersion, ...updates.map((d) => d.signalVersion)),
      ...(levelsUpdated.length > 0 ? { levelsUpdated } : {}),
    };
  });
  return { ...state, alerts };
}

/** A failed delivery's cause for logs and metrics: our errors' codes, else the error's class (a message may quote data). */
function deferralReason(error: unknown): string {
  const { name = 'Error', code } = (error ?? {}) as { name?: string; code?: unknown };
  return typeof code === 'string' ? `${name} (${code})` : name;
}
