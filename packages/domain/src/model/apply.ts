/**
 * Applying one partner entry to a household, and the outcome the partner is told.
 * Outcomes: docs/contract.md, section 3 (the first that applies wins).
 */
import type { CompiledPolicy } from '@vroegsignaal/policy';
import type { NormalisedAddress } from './address.ts';
import { isAtOrAboveThreshold } from './assessment.ts';
import { addCalendarMonthsMs } from '@vroegsignaal/calendar';
import { compareNewestFirst, containsSignal, contactsOf, isWithdrawn, type ContactDetails, type HouseholdState, type PartnerContact, type StoredSignal, type StoredWithdrawal } from './household.ts';
import { proceedingLiveUntilMs, signalLiveUntilMs, viewHousehold } from './view.ts';

export type FirstOutcome = 'duplicate' | 'repeat' | 'below-threshold' | 'withdrawn' | 'accepted';

export interface Outcome {
  /** `rejected` only when the partner has filled its share of the household (nothing is stored). */
  outcome: FirstOutcome | 'rejected';
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
/** What a resend of a signalId is told (outcome `duplicate`). */
export const DUPLICATE_REASON = 'this partner sent this signalId before';
/** Why a partner's entry finds no room in the household (rule `partner-quota`). */
export const PARTNER_QUOTA_REASON = 'too many live signals from this partner for this household';

// Copies with changes are `Object.assign({}, original, changes)`, not `{ ...original, key: value }`:
// V8 builds a spread followed by more properties on a slow path, several times the cost, and
// these run for every entry. The result is the same object.

export function applySignal(state: HouseholdState, incoming: IncomingSignal, policy: CompiledPolicy, nowMs: number): ApplyResult {
  const { signal } = incoming;
  if (containsSignal(state, signal.partnerId, signal.signalId)) {
    return { state, outcome: { outcome: 'duplicate', reason: DUPLICATE_REASON }, laterOutcomes: [] };
  }
  const room = makeRoomFor(state, signal.partnerId, policy, nowMs);
  if (!room) {
    return { state, outcome: { outcome: 'rejected', reason: PARTNER_QUOTA_REASON }, laterOutcomes: [] };
  }
  const outcome = firstOutcome(room, signal, policy, nowMs);
  const withdrawal = room.withdrawals.find((w) => w.partnerId === signal.partnerId && w.signalId === signal.signalId);
  const next = prune(
    Object.assign({}, room, {
      address: incoming.address,
      contacts: withContact(contactsOf(room), incoming.contact, signal),
      contact: undefined,
      signals: [...room.signals, signal],
      signalVersion: room.signalVersion + 1,
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
 * The partner's contact entry replaced by the signal's contact when that is newer: by
 * observedAt, then (the contract's tie-break) the higher signalId, so that the order of
 * arrival never decides. Other partners' entries are never touched.
 */
function withContact(contacts: PartnerContact[], contact: ContactDetails | undefined, signal: StoredSignal): PartnerContact[] {
  if (!contact || (contact.name === undefined && contact.phone === undefined && contact.email === undefined)) return contacts;
  const current = contacts.find((c) => c.partnerId === signal.partnerId);
  if (current && compareNewestFirst(signal, current) >= 0) return contacts;
  const entry: PartnerContact = Object.assign({}, contact, { partnerId: signal.partnerId, signalId: signal.signalId, observedAtMs: signal.observedAtMs });
  return [...contacts.filter((c) => c !== current), entry];
}

/** A partner's share of one household: so many stored signals (contract v1.1, "No partner can crowd out a household"). */
export const MAX_SIGNALS_PER_PARTNER = 50;
/** Withdrawals a partner may keep on a household beyond those of its stored signals. */
export const MAX_LOOSE_WITHDRAWALS_PER_PARTNER = 50;
/**
 * The household item's budget, as JSON bytes: half of DynamoDB's 400 KB item limit, which
 * also counts the keys and numbers' own encoding, so that whatever partners send the next
 * signal still fits.
 */
export const HOUSEHOLD_BUDGET_BYTES = 200 * 1024;

/**
 * The state with room for one more signal of the partner: at its share, its signals that are
 * no longer live go first, oldest first; undefined when all of them are live.
 */
function makeRoomFor(state: HouseholdState, partnerId: string, policy: CompiledPolicy, nowMs: number): HouseholdState | undefined {
  let count = 0;
  for (const s of state.signals) if (s.partnerId === partnerId) count++;
  if (count < MAX_SIGNALS_PER_PARTNER) return state;
  const live = new Set(viewHousehold(state, policy.settings, nowMs).live);
  const notLive = state.signals.filter((s) => s.partnerId === partnerId && !live.has(s)).sort(oldestFirst);
  const excess = count - MAX_SIGNALS_PER_PARTNER + 1;
  if (notLive.length < excess) return undefined;
  const dropped = new Set(notLive.slice(0, excess));
  return Object.assign({}, state, { signals: state.signals.filter((s) => !dropped.has(s)) });
}

function oldestFirst(a: StoredSignal, b: StoredSignal): number {
  return -compareNewestFirst(a, b);
}

/**
 * Forgets what can no longer matter: signals past the memory horizon whose proceeding is
 * over, withdrawals whose signal is forgotten, a partner's loose withdrawals past its share;
 * then keeps the record within its byte budget. Alert records are kept for the life of the
 * record, so alert sequences never repeat.
 */
function prune(state: HouseholdState, policy: CompiledPolicy, nowMs: number): HouseholdState {
  const horizon = nowMs - SIGNAL_MEMORY_DAYS * DAY_MS;
  const signals = state.signals.filter((s) => s.observedAtMs >= horizon || nowMs < liveUntil(s, policy));
  const withdrawals = withinLooseShare(
    state.withdrawals.filter((w) => w.observedAtMs >= horizon || signals.some((s) => s.partnerId === w.partnerId && s.signalId === w.signalId)),
    signals,
  );
  // Mostly nothing is forgotten; the state is the caller's new one, so it is not copied again.
  const pruned = signals.length === state.signals.length && withdrawals.length === state.withdrawals.length ? state : Object.assign({}, state, { signals, withdrawals });
  return withinBudget(pruned, policy, nowMs);
}

/** Each partner's withdrawals of signals the household holds, and at most its share of the others, newest first. */
function withinLooseShare(withdrawals: StoredWithdrawal[], signals: StoredSignal[]): StoredWithdrawal[] {
  if (withdrawals.length <= MAX_LOOSE_WITHDRAWALS_PER_PARTNER) return withdrawals;
  const byPartner = new Map<string, StoredWithdrawal[]>();
  for (const w of looseWithdrawals(withdrawals, signals)) {
    const list = byPartner.get(w.partnerId);
    if (list) list.push(w);
    else byPartner.set(w.partnerId, [w]);
  }
  const dropped = new Set<StoredWithdrawal>();
  for (const list of byPartner.values()) {
    if (list.length <= MAX_LOOSE_WITHDRAWALS_PER_PARTNER) continue;
    list.sort((a, b) => b.observedAtMs - a.observedAtMs);
    for (const w of list.slice(MAX_LOOSE_WITHDRAWALS_PER_PARTNER)) dropped.add(w);
  }
  return dropped.size === 0 ? withdrawals : withdrawals.filter((w) => !dropped.has(w));
}

/** The withdrawals of signals the household does not hold (yet, or any more). */
function looseWithdrawals(withdrawals: StoredWithdrawal[], signals: StoredSignal[]): StoredWithdrawal[] {
  const key = (s: { partnerId: string; signalId: string }) => `${s.partnerId}\u0000${s.signalId}`;
  const held = new Set(signals.map(key));
  return withdrawals.filter((w) => !held.has(key(w)));
}

/** Bytes of one stored signal, withdrawal, contact or alert record as JSON, at most: every string in them is bounded by the contract. */
const MAX_ELEMENT_BYTES = 1024;

/** The household's size as JSON bytes, the measure of HOUSEHOLD_BUDGET_BYTES. */
export function householdBytes(state: HouseholdState): number {
  return Buffer.byteLength(JSON.stringify(state));
}

/**
 * Keeps the record within HOUSEHOLD_BUDGET_BYTES before it is written. Partners' shares make
 * this rare (it takes several partners filling theirs): first what is not live goes, oldest
 * first; then loose withdrawals; then the oldest live signals of the partner that holds the
 * most, sparing proceedings, so no partner can crowd out another's next signal.
 */
function withinBudget(state: HouseholdState, policy: CompiledPolicy, nowMs: number): HouseholdState {
  const elements = state.signals.length + state.withdrawals.length + state.alerts.length + (state.contacts?.length ?? 0);
  if ((elements + 4) * MAX_ELEMENT_BYTES <= HOUSEHOLD_BUDGET_BYTES) return state;
  let bytes = householdBytes(state);
  if (bytes <= HOUSEHOLD_BUDGET_BYTES) return state;
  const live = new Set(viewHousehold(state, policy.settings, nowMs).live);
  const signals = [...state.signals];
  let withdrawals = state.withdrawals;
  const drop = (signal: StoredSignal) => {
    signals.splice(signals.indexOf(signal), 1);
    bytes -= Buffer.byteLength(JSON.stringify(signal)) + 1;
  };
  for (const signal of state.signals.filter((s) => !live.has(s)).sort(oldestFirst)) {
    if (bytes <= HOUSEHOLD_BUDGET_BYTES) break;
    drop(signal);
  }
  if (bytes > HOUSEHOLD_BUDGET_BYTES) {
    const loose = looseWithdrawals(withdrawals, signals).sort((a, b) => a.observedAtMs - b.observedAtMs);
    const dropped = new Set<StoredWithdrawal>();
    for (const w of loose) {
      if (bytes <= HOUSEHOLD_BUDGET_BYTES) break;
      dropped.add(w);
      bytes -= Buffer.byteLength(JSON.stringify(w)) + 1;
    }
    withdrawals = withdrawals.filter((w) => !dropped.has(w));
  }
  while (bytes > HOUSEHOLD_BUDGET_BYTES) {
    const heaviest = partnerHoldingMost(signals);
    if (heaviest === undefined) break;
    const own = signals.filter((s) => s.partnerId === heaviest).sort(oldestFirst);
    drop(own.find((s) => !s.proceeding) ?? own[0]!);
  }
  return Object.assign({}, state, { signals, withdrawals });
}

function partnerHoldingMost(signals: StoredSignal[]): string | undefined {
  const counts = new Map<string, number>();
  let heaviest: string | undefined;
  let most = 0;
  for (const s of signals) {
    const count = (counts.get(s.partnerId) ?? 0) + 1;
    counts.set(s.partnerId, count);
    if (count > most) {
      most = count;
      heaviest = s.partnerId;
    }
  }
  return heaviest;
}

/**
 * When the household record may go: once its last signal can no longer be live or be sent
 * again, its last alert window has passed and no case is open; never later than the longest
 * documented retention (ALERT_RETENTION_MONTHS) after this write, whatever dates partners sent.
 */
export function householdExpiresAtMs(state: HouseholdState, policy: CompiledPolicy, nowMs: number): number {
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
  return Math.min(Math.max(lastSignal, lastAlert, openCase), addCalendarMonthsMs(nowMs, ALERT_RETENTION_MONTHS));
}

/**
 * Months an alert is kept (its index record, its audit record, an open case on the household):
 * long enough for a team to work a case and for an audit of a year's alerts; a chosen default.
 */
export const ALERT_RETENTION_MONTHS = 24;
