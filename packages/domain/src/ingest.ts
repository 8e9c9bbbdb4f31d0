/**
 * Ingest: one partner entry in, one first outcome out, the household updated exactly once.
 *
 * Exactly-once on at-least-once delivery, with single-item conditional writes only:
 * 1. the household is read and the entry applied to it in memory;
 * 2. a claim on (partner, signalId) is created if absent: a second claim is a duplicate,
 *    unless it is a redelivery of the same bus event whose household write never happened;
 * 3. the household is written conditionally on the version read; a lost race starts over.
 */
import type { SignalOutcome } from '@vroegsignaal/events';
import type { CompiledPolicy } from '@vroegsignaal/policy';
import { householdRef } from './address.ts';
import { applySignal, applyWithdrawal, householdExpiresAtMs, SIGNAL_MEMORY_DAYS, type ApplyResult } from './apply.ts';
import { formatAmsterdamIso } from './calendar.ts';
import { containsSignal, emptyHousehold, type HouseholdState } from './household.ts';
import { takeIn, type BusEntry, type Intake, type RejectionRule } from './intake.ts';
import { planNotifications } from './notifications.ts';
import type { HouseholdStore, PipelineEvent, SignalClaim, SignalLedger } from './ports.ts';

export interface IngestDeps {
  policy: CompiledPolicy;
  households: HouseholdStore;
  ledger: SignalLedger;
  householdSecret: string;
  nowMs: number;
}

export interface IngestResult {
  events: PipelineEvent[];
  /** For metrics: what happened, in a low-cardinality form. */
  outcome: SignalOutcome['outcome'];
  rejectionRule?: RejectionRule;
  conflicts: number;
}

export class ConcurrencyError extends Error {
  readonly code = 'HOUSEHOLD_WRITE_CONTENDED';
  constructor(attempts: number) {
    super(`household write lost ${attempts} races in a row; the entry is retried by its queue`);
    this.name = 'ConcurrencyError';
  }
}

const MAX_ATTEMPTS = 8;
const DAY_MS = 24 * 60 * 60 * 1000;

export async function ingestEntry(entry: BusEntry & { id: string }, deps: IngestDeps): Promise<IngestResult> {
  const intake = takeIn(entry, deps.policy, deps.nowMs);
  const outcomeEvent = (detail: Omit<SignalOutcome, 'eventId'>): PipelineEvent => ({ type: 'SignalOutcome', detail: { ...detail, eventId: entry.id } });
  if (intake.kind === 'rejected') {
    return {
      events: [outcomeEvent({ partnerId: intake.partnerId, signalId: intake.signalId, outcome: 'rejected', reason: intake.reason })],
      outcome: 'rejected',
      rejectionRule: intake.rule,
      conflicts: 0,
    };
  }
  const ref = householdRef(intake.address, deps.householdSecret);
  const applied = intake.kind === 'signal' ? await ingestSignal(intake, ref, entry.id, deps) : await ingestWithdrawal(intake, entry.id, deps);
  const { partnerId, signalId } = intake;
  const events: PipelineEvent[] = [outcomeEvent({ partnerId, signalId, outcome: applied.outcome.outcome, reason: applied.outcome.reason })];
  for (const later of applied.laterOutcomes) events.push(outcomeEvent(later));
  // A duplicate re-checks too: if an earlier attempt stored the signal but died before telling
  // route, this is where the alert is caught up.
  if (applied.state && planNotifications(applied.state, deps.policy, deps.nowMs).notifications.length > 0) {
    events.push({
      type: 'HouseholdEscalated',
      detail: { schemaVersion: 1, householdRef: applied.state.ref, version: applied.state.version, at: formatAmsterdamIso(new Date(deps.nowMs)) },
    });
  }
  return { events, outcome: applied.outcome.outcome, conflicts: applied.conflicts };
}

type Applied = Omit<ApplyResult, 'state'> & { state: HouseholdState | undefined; conflicts: number };

async function ingestSignal(intake: Extract<Intake, { kind: 'signal' }>, ref: string, eventId: string, deps: IngestDeps): Promise<Applied> {
  const { households, ledger, policy, nowMs } = deps;
  let claimed = false;
  let pendingWithdrawal: SignalClaim['pendingWithdrawal'];
  let placeholder = false;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const stored = await households.get(ref);
    let state = stored ?? emptyHousehold(ref, intake.address, nowMs);
    if (pendingWithdrawal) state = applyWithdrawal(state, pendingWithdrawal, policy, nowMs).state;
    const result = applySignal(state, { signal: intake.signal, address: intake.address, contact: intake.contact }, policy, nowMs);
    if (result.outcome.outcome === 'duplicate') {
      // A redelivery of the event that stored it (its write landed) is told that event's outcome again.
      const existing = await ledger.get(intake.partnerId, intake.signalId);
      const redelivery = existing?.eventId === eventId && existing.outcome && existing.outcome !== 'duplicate';
      const outcome = redelivery ? { outcome: existing.outcome!, reason: existing.reason ?? 'stored' } : result.outcome;
      return { ...result, outcome, state: stored, conflicts: attempt };
    }

    if (!claimed) {
      const claim: SignalClaim = {
        partnerId: intake.partnerId,
        signalId: intake.signalId,
        householdRef: ref,
        eventId,
        outcome: result.outcome.outcome,
        reason: result.outcome.reason,
        expiresAtMs: intake.signal.observedAtMs + (SIGNAL_MEMORY_DAYS + 1) * DAY_MS,
      };
      const attemptClaim = await ledger.claim(claim);
      if (!attemptClaim.claimed) {
        const existing = attemptClaim.existing;
        if (existing.householdRef === null && existing.pendingWithdrawal) {
          // A withdrawal got here first: the signal arrives already withdrawn.
          pendingWithdrawal = existing.pendingWithdrawal;
          placeholder = true;
          claimed = true;
          attempt--;
          continue;
        }
        // Same signalId, and either another household, or a resend by the partner while the
        // first is stored: a duplicate. Only a redelivery of the same event whose household
        // write never landed goes on, to finish what that attempt began.
        const unfinishedRedelivery = existing.householdRef === ref && existing.eventId === eventId && !containsSignal(stored ?? state, intake.partnerId, intake.signalId);
        if (!unfinishedRedelivery) {
          const redelivery = existing.eventId === eventId && existing.outcome && existing.outcome !== 'duplicate';
          return {
            state: stored,
            outcome: redelivery ? { outcome: existing.outcome!, reason: existing.reason ?? 'stored' } : { outcome: 'duplicate', reason: 'this partner sent this signalId before' },
            laterOutcomes: [],
            conflicts: attempt,
          };
        }
      }
      claimed = true;
    }
    if (await households.put(result.state, stored?.version ?? 0, householdExpiresAtMs(result.state, policy))) {
      if (placeholder) {
        await ledger.completePlaceholder({
          partnerId: intake.partnerId,
          signalId: intake.signalId,
          householdRef: ref,
          eventId,
          outcome: result.outcome.outcome,
          reason: result.outcome.reason,
          expiresAtMs: intake.signal.observedAtMs + (SIGNAL_MEMORY_DAYS + 1) * DAY_MS,
        });
      }
      return { ...result, state: { ...result.state, version: (stored?.version ?? 0) + 1 }, conflicts: attempt };
    }
  }
  throw new ConcurrencyError(MAX_ATTEMPTS);
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
    expiresAtMs: withdrawal.observedAtMs + (SIGNAL_MEMORY_DAYS + 1) * DAY_MS,
  });
  const redelivery = !own.claimed && own.existing.eventId === eventId;
  if (!own.claimed && !redelivery) {
    return { state: undefined, outcome: { outcome: 'duplicate', reason: 'this partner sent this signalId before' }, laterOutcomes: [], conflicts: 0 };
  }
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const target = await ledger.get(withdrawal.partnerId, withdrawal.signalId);
    if (!target?.householdRef) {
      const expiresAtMs = withdrawal.observedAtMs + (SIGNAL_MEMORY_DAYS + 1) * DAY_MS;
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
    if (result.state === stored) return { ...result, conflicts: attempt };
    if (await households.put(result.state, stored.version, householdExpiresAtMs(result.state, policy))) {
      return { ...result, state: { ...result.state, version: stored.version + 1 }, conflicts: attempt };
    }
  }
  throw new ConcurrencyError(MAX_ATTEMPTS);
}
