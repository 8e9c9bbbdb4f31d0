/**
 * Partner outcomes: a signal's later outcomes (withdrawn, picked-up, closed) are kept on its
 * claim, where the partner reads them. First outcomes are on the claim already (ingest wrote
 * them with it), and a rejected entry is never remembered, so only later ones are recorded.
 */
import type { SignalOutcome } from '@vroegsignaal/events';
import type { SignalLedger } from '../ports.ts';

const LATER_OUTCOMES: ReadonlySet<SignalOutcome['outcome']> = new Set(['withdrawn', 'picked-up', 'closed']);

/**
 * Keeps a later outcome on its signal's claim, once however often it is delivered: a signal is
 * withdrawn once; picked up and closed once per team report (the report's event id).
 */
export async function recordPartnerOutcome(outcome: SignalOutcome, ledger: SignalLedger, nowMs: number): Promise<void> {
  if (!LATER_OUTCOMES.has(outcome.outcome) || !outcome.partnerId || !outcome.signalId) return;
  const onceKey = outcome.outcome === 'withdrawn' ? 'withdrawn' : `${outcome.outcome}#${outcome.eventId ?? ''}`;
  await ledger.recordLaterOutcome(outcome.partnerId, outcome.signalId, outcome.outcome, nowMs, onceKey);
}
