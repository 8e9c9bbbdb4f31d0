/**
 * Partner outcomes: what a partner was told of each entry, kept where it can read it back
 * (`vroegsignaal-partner outcomes`, and `push` waiting for its rows). A first outcome is on the
 * claim already (ingest wrote it with it); this stage keeps the rest: later outcomes and a
 * resend's `duplicate` on the claim, and a rejection in a record of its own, since a rejected
 * entry is not remembered as a claim (the same signalId may come again once it is fixed).
 */
import type { SignalOutcome } from '@vroegsignaal/events';
import { rejectionRuleOf } from '../model/intake.ts';
import type { SignalLedger } from '../ports.ts';

const LATER_OUTCOMES: ReadonlySet<SignalOutcome['outcome']> = new Set(['withdrawn', 'picked-up', 'not-taken', 'closed']);

/** A month: time to run `outcomes` after a monthly export; the entry itself is not kept. */
export const REJECTION_KEPT_DAYS = 31;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Keeps an outcome once however often it is delivered: a signal is withdrawn once; picked up
 * and closed once per team report (the report's event id); a resend once per bus event; a
 * rejection once per bus event, the newest per signalId. Not taken (v1.1) as picked up and closed.
 */
export async function recordPartnerOutcome(outcome: SignalOutcome, ledger: SignalLedger, nowMs: number): Promise<void> {
  const { partnerId, signalId, eventId } = outcome;
  // Nobody to tell without both: an entry too broken to name its partner and signal.
  if (!partnerId || !signalId) return;
  if (outcome.outcome === 'duplicate') {
    if (eventId) await ledger.recordResend(partnerId, signalId, { eventId, atMs: nowMs });
    return;
  }
  if (outcome.outcome === 'rejected') {
    // The contract requires a reason for a rejection; the schema checked it.
    const reason = outcome.reason!;
    await ledger.recordRejection({ partnerId, signalId, eventId, rule: rejectionRuleOf(reason), reason, atMs: nowMs, expiresAtMs: nowMs + REJECTION_KEPT_DAYS * DAY_MS });
    return;
  }
  if (!LATER_OUTCOMES.has(outcome.outcome)) return;
  const onceKey = outcome.outcome === 'withdrawn' ? 'withdrawn' : `${outcome.outcome}#${eventId ?? ''}`;
  await ledger.recordLaterOutcome(partnerId, signalId, outcome.outcome, nowMs, onceKey);
}
