/**
 * Applying one partner entry to a household, and the outcome the partner is told.
 * Outcomes: shared/contract/signals-v1.md, section 3 (the first that applies wins).
 */
import type { CompiledPolicy } from '@vroegsignaal/policy';
import type { NormalisedAddress } from './address.ts';
import { isAtOrAboveThreshold } from './assessment.ts';
import { addCalendarMonthsMs } from './calendar.ts';
import { compareNewestFirst, containsSignal, isWithdrawn, type ContactDetails, type HouseholdState, type StoredSignal, type StoredWithdrawal } from './household.ts';
import { proceedingLiveUntilMs, signalLiveUntilMs } from './view.ts';

export type FirstOutcome = 'duplicate' | 'repeat' | 'below-threshold' | 'withdrawn' | 'accepted';

export interface Outcome {
  outcome: FirstOutcome;
  reason: string;
}

/** A later outcome for a signal already told its first one (here: `withdrawn`). */
export interface LaterOutcome {
  partnerId: string;
  signalId: string;
  outcome: 'withdrawn';
  reason: string;
}

export interface ApplyResult {
  state: HouseholdState;
  outcome: Outcome;
  laterOutcomes: LaterOutcome[];
}

export interface IncomingSignal {
  signal: StoredSignal;
  address: NormalisedAddress;
  contact?: ContactDetails;
}

/** Days a signal is remembered at all: older entries are rejected, so a duplicate of one cannot arrive. */
export const SIGNAL_MEMORY_DAYS = 400;
const DAY_MS = 24 * 60 * 60 * 1000;

// Copies with changes are `Object.assign({}, original, changes)`, not `{ ...original, key: value }`:
// V8 builds a spread followed by more properties on a slow path, several times the cost, and
// these run for every entry. The result is the same object.

export function applySignal(state: HouseholdState, incoming: IncomingSignal, policy: CompiledPolicy, nowMs: number): ApplyResult {
  const { signal } = incoming;
  if (containsSignal(state, signal.partnerId, signal.signalId)) {
    return { state, outcome: { outcome: 'duplicate', reason: 'this partner sent this signalId before' }, laterOutcomes: [] };
  }
  const outcome = firstOutcome(state, signal, policy, nowMs);
  const withdrawal = state.withdrawals.find((w) => w.partnerId === signal.partnerId && w.signalId === signal.signalId);
  const next = prune(
    Object.assign({}, state, {
      address: incoming.address,
      contact: newerContact(state.contact, incoming.contact, signal),
      signals: [...state.signals, signal],
      signalVersion: state.signalVersion + 1,
    }),
    policy,
    nowMs,
  );
  const laterOutcomes: LaterOutcome[] = withdrawal
    ? [{ partnerId: signal.partnerId, signalId: signal.signalId, outcome: 'withdrawn', reason: `withdrawn by the partner before it arrived (${withdrawal.reason})` }]
    : [];
  return { state: next, outcome, laterOutcomes };
}

export function applyWithdrawal(state: HouseholdState, withdrawal: StoredWithdrawal, policy: CompiledPolicy, nowMs: number): ApplyResult {
  const alreadyWithdrawn = state.withdrawals.some((w) => w.partnerId === withdrawal.partnerId && w.signalId === withdrawal.signalId);
  const target = state.signals.find((s) => s.partnerId === withdrawal.partnerId && s.signalId === withdrawal.signalId);
  const next = alreadyWithdrawn
    ? state
    : prune(Object.assign({}, state, { withdrawals: [...state.withdrawals, withdrawal], signalVersion: state.signalVersion + 1 }), policy, nowMs);
  return {
    state: next,
    outcome: {
      outcome: 'withdrawn',
      reason: target ? `signal ${withdrawal.signalId} is withdrawn (${withdrawal.reason})` : `signal ${withdrawal.signalId} will be withdrawn when it arrives (${withdrawal.reason})`,
    },
    laterOutcomes:
      target && !alreadyWithdrawn
        ? [{ partnerId: withdrawal.partnerId, signalId: withdrawal.signalId, outcome: 'withdrawn', reason: `withdrawn by the partner (${withdrawal.reason})` }]
        : [],
  };
}

function firstOutcome(state: HouseholdState, signal: StoredSignal, policy: CompiledPolicy, nowMs: number): Outcome {
  if (signal.arrears) {
    const current = currentArrearsOf(state, signal.partnerId, policy, nowMs);
    if (current && signal.arrears.monthsInArrears <= current.arrears!.monthsInArrears && signal.arrears.amountCents <= current.arrears!.amountCents) {
      return {
        outcome: 'repeat',
        reason: `no higher than this partner's current arrears for the household${compareNewestFirst(signal, current) < 0 ? '; stored as the current arrears' : '; stored'}`,
      };
    }
    if (!isAtOrAboveThreshold(signal, policy)) {
      const t = policy.arrearsThreshold(signal.municipalityCode);
      return {
        outcome: 'below-threshold',
        reason: `under the municipality's threshold of ${t.minMonths} month(s) and EUR ${(t.minAmountCents / 100).toFixed(2)}; stored, and it counts towards a case`,
      };
    }
  }
  if (nowMs >= liveUntil(signal, policy)) {
    return { outcome: 'accepted', reason: 'stored; older than the lookback window, so it is not live' };
  }
  return { outcome: 'accepted', reason: 'stored' };
}

/** The partner's current arrears for the household: its latest live rent-arrears signal (view.ts rules). */
function currentArrearsOf(state: HouseholdState, partnerId: string, policy: CompiledPolicy, nowMs: number): StoredSignal | undefined {
  let current: StoredSignal | undefined;
  for (const candidate of state.signals) {
    if (candidate.partnerId !== partnerId || !candidate.arrears || isWithdrawn(state, candidate)) continue;
    if (nowMs >= signalLiveUntilMs(candidate, policy.settings)) continue;
    if (!current || compareNewestFirst(candidate, current) < 0) current = candidate;
  }
  return current;
}

function liveUntil(signal: StoredSignal, policy: CompiledPolicy): number {
  return signal.proceeding ? proceedingLiveUntilMs(signal, policy.settings) : signalLiveUntilMs(signal, policy.settings);
}

/**
 * The contact of the newest signal that carries one: by observedAt, then (the contract's
 * tie-break) the higher signalId, then the partner id, so that the order of arrival never
 * decides. A contact stored before signalIds were kept with it loses a tie.
 */
function newerContact(current: HouseholdState['contact'], contact: ContactDetails | undefined, signal: StoredSignal): HouseholdState['contact'] {
  if (!contact || Object.keys(contact).length === 0) return current;
  if (current) {
    if (current.observedAtMs > signal.observedAtMs) return current;
    if (current.observedAtMs === signal.observedAtMs && current.signalId !== undefined) {
      const newer = signal.signalId > current.signalId || (signal.signalId === current.signalId && signal.partnerId > (current.partnerId ?? ''));
      if (!newer) return current;
    }
  }
  return Object.assign({}, contact, { observedAtMs: signal.observedAtMs, signalId: signal.signalId, partnerId: signal.partnerId });
}

/**
 * Forgets what can no longer matter: signals past the memory horizon whose proceeding is
 * over, and withdrawals whose signal is forgotten. Alert records are kept for the life of
 * the record, so alert sequences never repeat.
 */
function prune(state: HouseholdState, policy: CompiledPolicy, nowMs: number): HouseholdState {
  const horizon = nowMs - SIGNAL_MEMORY_DAYS * DAY_MS;
  const signals = state.signals.filter((s) => s.observedAtMs >= horizon || nowMs < liveUntil(s, policy));
  const withdrawals = state.withdrawals.filter((w) => w.observedAtMs >= horizon || signals.some((s) => s.partnerId === w.partnerId && s.signalId === w.signalId));
  // Mostly nothing is forgotten; the state is the caller's new one, so it is not copied again.
  if (signals.length === state.signals.length && withdrawals.length === state.withdrawals.length) return state;
  return Object.assign({}, state, { signals, withdrawals });
}

export function householdExpiresAtMs(state: HouseholdState, policy: CompiledPolicy): number {
  const lastSignal = Math.max(state.createdAtMs, ...state.signals.map((s) => Math.max(liveUntil(s, policy), s.observedAtMs + SIGNAL_MEMORY_DAYS * DAY_MS)));
  const lastAlert = Math.max(0, ...state.alerts.map((a) => addCalendarMonthsMs(a.raisedAtMs, policy.settings.alertWindowMonths)));
  // An open case keeps the record while the team may still report on it: as long as the
  // alert itself is kept (its index), never longer.
  const openCase = Math.max(
    0,
    ...state.alerts
      .filter((a) => a.pickedUpAtMs !== undefined && a.closedAtMs === undefined)
      .map((a) => addCalendarMonthsMs(a.raisedAtMs, ALERT_RETENTION_MONTHS)),
  );
  return Math.max(lastSignal, lastAlert, openCase);
}

/**
 * Months an alert is kept (its index record, its audit record, an open case on the household):
 * long enough for a team to work a case and for an audit of a year's alerts; a chosen default.
 */
export const ALERT_RETENTION_MONTHS = 24;
