/**
 * Ingest: one partner entry in, one first outcome out, the household updated exactly once,
 * and the teams told what the entry decides.
 *
 * Exactly-once on at-least-once delivery, with single-item conditional writes only:
 * 1. the household is read and the entry applied to it in memory;
 * 2. a claim on (partner, signalId) is created if absent: a second claim is a duplicate,
 *    unless it is a redelivery of the same bus event whose household write never happened;
 * 3. the alerts and updates the new state calls for are sent (dispatch.ts);
 * 4. the household is written, with those messages recorded, conditionally on the version
 *    read; a lost race starts over (a message already sent is not sent again).
 * A message that cannot be sent is left owed on the household, and a DeliveryDue event
 * hands it to deliver: a team queue's trouble never holds up the partner's outcome.
 */
import type { SignalOutcome } from '@vroegsignaal/events';
import { householdRef } from '../model/address.ts';
import { ALERT_RETENTION_MONTHS, applySignal, applyWithdrawal, DUPLICATE_REASON, householdExpiresAtMs, SIGNAL_MEMORY_DAYS, type ApplyResult } from '../model/apply.ts';
import { addCalendarMonthsMs, formatAmsterdamIso } from '@vroegsignaal/calendar';
import { ConcurrencyError, MAX_WRITE_ATTEMPTS, writeAttempts } from './contention.ts';
import { emptyHousehold, type HouseholdState } from '../model/household.ts';
import { Dispatch, recopyLives, recordLives, settleStored, type DispatchDeps, type SentMessage, type Settled } from './dispatch.ts';
import { takeIn, type BusEntry, type Intake, type RejectionRule } from '../model/intake.ts';
import { planNotifications } from '../model/notifications.ts';
import { municipalityOfAddress } from '../model/routing.ts';
import type { HouseholdStore, JudgedEntry, JudgedEntryLog, PipelineEvent, SignalClaim, SignalLedger } from '../ports.ts';

export interface IngestDeps extends DispatchDeps {
  households: HouseholdStore;
  ledger: SignalLedger;
  /** Where every judged entry is filed for its municipality's monitor. */
  monitor: JudgedEntryLog;
  householdSecret: string;
}

export interface IngestResult {
  events: PipelineEvent[];
  /** For metrics: what happened, in a low-cardinality form. */
  outcome: SignalOutcome['outcome'];
  rejectionRule?: RejectionRule;
  /** The household the entry was for (its pseudonymous reference); null when rejected. */
  householdRef: string | null;
  /** The team messages this entry's household write recorded. */
  sent: SentMessage[];
  /** Why a message was left for deliver (a failed delivery), without personal data. */
  deferred?: string;
  conflicts: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export async function ingestEntry(entry: BusEntry & { id: string }, deps: IngestDeps): Promise<IngestResult> {
  const intake = takeIn(entry, deps.policy, deps.nowMs);
  const outcomeEvent = (detail: Omit<SignalOutcome, 'eventId'>): PipelineEvent => ({ type: 'SignalOutcome', detail: { ...detail, eventId: entry.id } });
  if (intake.kind === 'rejected') {
    if (intake.municipalityCode && intake.partnerId) {
      await fileJudged(entry, intake.municipalityCode, { partnerId: intake.partnerId, outcome: 'rejected', rule: intake.rule }, deps);
    }
    return {
      events: [outcomeEvent({ partnerId: intake.partnerId, signalId: intake.signalId, outcome: 'rejected', reason: intake.reason })],
      outcome: 'rejected',
      rejectionRule: intake.rule,
      householdRef: null,
      sent: [],
      conflicts: 0,
    };
  }
  const ref = householdRef(intake.address, deps.householdSecret);
  const applied = intake.kind === 'signal' ? await ingestSignal(intake, ref, entry.id, deps) : await ingestWithdrawal(intake, entry.id, deps);
  const { partnerId, signalId } = intake;
  const events: PipelineEvent[] = [outcomeEvent({ partnerId, signalId, outcome: applied.outcome.outcome, reason: applied.outcome.reason })];
  for (const later of applied.laterOutcomes) events.push(outcomeEvent(later));
  const { state, settled } = applied;
  // The household write recorded them: the alert index copies the lives of the alerts told.
  // A redelivery of the event that wrote the household copies them again: its first run may
  // have died between that write and the copies, and finds nothing new to record now.
  if (settled) await recordLives(deps.alerts, settled);
  else if (applied.redelivered && state) await recopyLives(deps.alerts, state);
  // What the household still owes goes to deliver: a delivery left for later, or (found by a
  // duplicate, which sends nothing itself) a message an earlier attempt never recorded.
  const owed = settled ? settled.deferred !== undefined : state !== undefined && owesMessages(state, deps);
  if (state && owed) {
    events.push({
      type: 'DeliveryDue',
      detail: { schemaVersion: 1, householdRef: state.ref, version: state.version, at: formatAmsterdamIso(new Date(deps.nowMs)) },
    });
  }
  // Filed last: a redelivery after a crash before here is judged again, and files the same.
  const judged = { partnerId, householdRef: state?.ref ?? ref };
  const municipalityCode = municipalityOfAddress(intake.address, intake.municipalityCode, deps.policy);
  if (applied.outcome.outcome === 'rejected') {
    await fileJudged(entry, municipalityCode, { ...judged, outcome: 'rejected', rule: 'partner-quota' }, deps);
    return { events, outcome: 'rejected', rejectionRule: 'partner-quota', householdRef: null, sent: [], conflicts: applied.conflicts };
  }
  await fileJudged(entry, municipalityCode, { ...judged, outcome: applied.outcome.outcome }, deps);
  return {
    events,
    outcome: applied.outcome.outcome,
    householdRef: state?.ref ?? ref,
    sent: settled?.recorded ?? [],
    deferred: settled?.deferred,
    conflicts: applied.conflicts,
  };
}

/** Files the entry for the monitor: codes and times, kept as long as the alert records beside them. */
async function fileJudged(entry: BusEntry & { id: string }, municipalityCode: string, judged: Omit<JudgedEntry, 'detailType' | 'atMs'>, deps: IngestDeps): Promise<void> {
  const { nowMs } = deps;
  await deps.monitor.record({
    ...judged,
    // Read by the contract's parser before any entry gets a municipality: one of its detail types.
    detailType: String(entry['detail-type']),
    eventId: entry.id,
    municipalityCode,
    atMs: nowMs,
    expiresAtMs: addCalendarMonthsMs(nowMs, deps.alertRetentionMonths ?? ALERT_RETENTION_MONTHS),
  });
}

function owesMessages(state: HouseholdState, deps: IngestDeps): boolean {
  const plan = planNotifications(state, deps.policy, deps.nowMs);
  return plan.notifications.length > 0 || plan.reminderChecks.length > 0;
}

type Applied = Omit<ApplyResult, 'state'> & {
  state: HouseholdState | undefined;
  /** What this entry's household write told the teams; absent when it wrote nothing (the caller checks what the household owes). */
  settled?: Settled;
  /** This bus event's earlier run wrote the household (claim eventId): what it copied may not have landed. */
  redelivered?: boolean;
  conflicts: number;
};

async function ingestSignal(intake: Extract<Intake, { kind: 'signal' }>, ref: string, eventId: string, deps: IngestDeps): Promise<Applied> {
  const { households, ledger, policy, nowMs } = deps;
  let pendingWithdrawal: SignalClaim['pendingWithdrawal'];
  const applyTo = (stored: HouseholdState | undefined) => {
    let state = stored ?? emptyHousehold(ref, intake.address, nowMs);
    if (pendingWithdrawal) state = applyWithdrawal(state, pendingWithdrawal, policy, nowMs).state;
    return applySignal(state, { signal: intake.signal, address: intake.address, contact: intake.contact }, policy, nowMs);
  };
  const claimOf = (result: ApplyResult): SignalClaim => ({
    partnerId: intake.partnerId,
    signalId: intake.signalId,
    householdRef: ref,
    eventId,
    outcome: result.outcome.outcome,
    reason: result.outcome.reason,
    expiresAtMs: claimExpiresAtMs(intake.signal.observedAtMs),
  });

  const dispatch = new Dispatch(deps);
  let stored = await households.get(ref);
  let result = applyTo(stored);
  if (result.outcome.outcome === 'duplicate') return answerStored(await ledger.get(intake.partnerId, intake.signalId), eventId, stored, 0);
  // The partner has filled its share of the household: rejected before a claim is made, so
  // the entry is not remembered and the same signalId may come again once there is room.
  if (result.outcome.outcome === 'rejected') return { ...result, state: undefined, conflicts: 0 };

  const claim = await ledger.claim(claimOf(result));
  const completesPlaceholder = !claim.claimed && claim.existing.householdRef === null && claim.existing.pendingWithdrawal !== undefined;
  // What the claim says now; the partner must be told the same as what the claim keeps.
  let claimedOutcome = claim.claimed ? result.outcome : { outcome: claim.existing.outcome, reason: claim.existing.reason };
  if (!claim.claimed) {
    const { existing } = claim;
    const ours = existing.householdRef === ref && existing.eventId === eventId;
    if (!completesPlaceholder && !ours) {
      // Another household, or a resend by the partner: a duplicate. Only a redelivery of the
      // event that made the claim goes on, to finish a household write that never landed.
      return answerStored(existing, eventId, stored, 0);
    }
    if (existing.pendingWithdrawal) {
      // A withdrawal got here first: the signal arrives already withdrawn.
      pendingWithdrawal = existing.pendingWithdrawal;
      result = applyTo(stored);
    }
    if (completesPlaceholder) {
      // Make the placeholder this event's claim before the household is written (it keeps the
      // withdrawal): a redelivery after a crash, or a retry after a lost response, is then
      // known as this event's and told its outcome again; a resend racing it is a duplicate.
      if (!(await ledger.recordFirstOutcome(claimOf(result)))) return answerStored(await ledger.get(intake.partnerId, intake.signalId), eventId, stored, 0);
      claimedOutcome = result.outcome;
    }
  }

  for await (const attempt of writeAttempts()) {
    if (result.outcome.outcome === 'rejected') {
      // A racing entry of the same partner took the last room after the claim was made: the
      // claim says so (a redelivery is told the same; a resend of it counts as a duplicate).
      await ledger.recordFirstOutcome(claimOf(result));
      return { ...result, state: undefined, conflicts: attempt };
    }
    const settled = await dispatch.settle(result.state, 'defer');
    if (await households.put(settled.state, stored?.version ?? 0, householdExpiresAtMs(settled.state, policy, nowMs))) {
      const outcomeChanged = claimedOutcome.outcome !== result.outcome.outcome || claimedOutcome.reason !== result.outcome.reason;
      if (outcomeChanged) await ledger.recordFirstOutcome(claimOf(result));
      return { ...result, state: { ...settled.state, version: (stored?.version ?? 0) + 1 }, settled, conflicts: attempt };
    }
    stored = await households.get(ref);
    result = applyTo(stored);
    if (result.outcome.outcome === 'duplicate') {
      // A redelivery of this event raced us and stored the signal. What we sent meanwhile is
      // recorded on its state too: a team must never hold an alert the household forgot.
      const answer = answerStored(await ledger.get(intake.partnerId, intake.signalId), eventId, stored, attempt + 1);
      if (!dispatch.hasSent) return answer;
      const settled = await settleStored(ref, households, dispatch, policy, 'defer');
      return settled ? { ...answer, state: settled.state, settled } : answer;
    }
  }
  throw new ConcurrencyError(MAX_WRITE_ATTEMPTS);
}

/**
 * The answer for a signal that is already stored: a redelivery of the event that stored it
 * is told that event's outcome again; anything else is a duplicate.
 */
function answerStored(claim: SignalClaim | undefined, eventId: string, stored: HouseholdState | undefined, conflicts: number): Applied {
  const redelivery = claim?.eventId === eventId && claim.outcome !== null && claim.outcome !== 'duplicate';
  // A redelivery also repeats the later outcome of a withdrawal that came first: the attempt
  // that stored the signal may have died before telling it (the outcomes stage keeps it once).
  const pending = redelivery ? claim.pendingWithdrawal : undefined;
  return {
    state: stored,
    redelivered: redelivery,
    outcome: redelivery ? { outcome: claim.outcome!, reason: claim.reason ?? 'stored' } : { outcome: 'duplicate', reason: DUPLICATE_REASON },
    laterOutcomes: pending ? [{ partnerId: claim!.partnerId, signalId: claim!.signalId, outcome: 'withdrawn', reason: `withdrawn by the partner before it arrived (${pending.reason})` }] : [],
    conflicts,
  };
}

async function ingestWithdrawal(intake: Extract<Intake, { kind: 'withdrawal' }>, eventId: string, deps: IngestDeps): Promise<Applied> {
  const { households, ledger, policy, nowMs } = deps;
  const { withdrawal } = intake;
  const own = await ledger.claim({
    partnerId: intake.partnerId,
    signalId: intake.signalId,
    householdRef: null,
    eventId,
    outcome: 'withdrawn',
    reason: null,
    expiresAtMs: claimExpiresAtMs(withdrawal.observedAtMs),
  });
  const redelivery = !own.claimed && own.existing.eventId === eventId;
  if (!own.claimed && !redelivery) {
    return { state: undefined, outcome: { outcome: 'duplicate', reason: DUPLICATE_REASON }, laterOutcomes: [], conflicts: 0 };
  }
  const dispatch = new Dispatch(deps);
  for await (const attempt of writeAttempts()) {
    const target = await ledger.get(withdrawal.partnerId, withdrawal.signalId);
    if (!target?.householdRef) {
      const expiresAtMs = claimExpiresAtMs(withdrawal.observedAtMs);
      if (await ledger.placeWithdrawal(withdrawal.partnerId, withdrawal.signalId, withdrawal, expiresAtMs)) {
        return {
          state: undefined,
          outcome: { outcome: 'withdrawn', reason: `signal ${withdrawal.signalId} will be withdrawn when it arrives (${withdrawal.reason})` },
          laterOutcomes: [],
          conflicts: attempt,
        };
      }
      continue;
    }
    const stored = await households.get(target.householdRef);
    if (!stored) return { state: undefined, outcome: { outcome: 'withdrawn', reason: `signal ${withdrawal.signalId} is no longer held` }, laterOutcomes: [], conflicts: attempt };
    const result = applyWithdrawal(stored, withdrawal, policy, nowMs);
    if (result.state === stored) {
      // Already withdrawn: by this entry in an attempt that died (or whose write lost its
      // response) before the signal's partner was told, so tell it again; the outcomes stage
      // keeps a signal's `withdrawn` once.
      const told = result.laterOutcomes.length > 0 || !stored.signals.some((s) => s.partnerId === withdrawal.partnerId && s.signalId === withdrawal.signalId);
      const again = { partnerId: withdrawal.partnerId, signalId: withdrawal.signalId, outcome: 'withdrawn' as const, reason: `withdrawn by the partner (${withdrawal.reason})` };
      return { ...result, laterOutcomes: told ? result.laterOutcomes : [again], redelivered: redelivery, conflicts: attempt };
    }
    const settled = await dispatch.settle(result.state, 'defer');
    if (await households.put(settled.state, stored.version, householdExpiresAtMs(settled.state, policy, nowMs))) {
      return { ...result, state: { ...settled.state, version: stored.version + 1 }, settled, conflicts: attempt };
    }
  }
  throw new ConcurrencyError(MAX_WRITE_ATTEMPTS);
}

/** A claim outlives the last day its signal could be sent again (older entries are rejected). */
function claimExpiresAtMs(observedAtMs: number): number {
  return observedAtMs + (SIGNAL_MEMORY_DAYS + 1) * DAY_MS;
}
