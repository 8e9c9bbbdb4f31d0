/**
 * Partner outcomes: keeps each signal's later outcomes (withdrawn, picked-up, closed) on its
 * claim, where the partner CLI reads them, and counts every outcome. First outcomes are
 * already on the claim (ingest wrote them with it); rejected entries are never remembered.
 */
import { PIPELINE_DETAIL_TYPES, signalOutcomeSchema } from '@vroegsignaal/events';
import type { SignalLedger } from '@vroegsignaal/domain';
import { middify } from '../lib/middify.ts';
import { countWith } from '../lib/observability.ts';
import { parseBusEvent, processSqsBatch, type DeadLetterPolicy } from '../lib/sqs-batch.ts';

const LATER_OUTCOMES: ReadonlySet<string> = new Set(['withdrawn', 'picked-up', 'closed']);

export interface OutcomesHandlerDeps {
  ledger: SignalLedger;
  clock: () => number;
  deadLetters?: DeadLetterPolicy;
}

export function createOutcomesHandler(deps: OutcomesHandlerDeps) {
  return middify((log) => (event, context) =>
    processSqsBatch(event, context, async (record) => {
      const busEvent = parseBusEvent(record);
      if (busEvent['detail-type'] !== PIPELINE_DETAIL_TYPES.signalOutcome) return;
      const outcome = signalOutcomeSchema.parse(busEvent.detail);
      countWith('SignalOutcomes', 'outcome', outcome.outcome);
      if (LATER_OUTCOMES.has(outcome.outcome) && outcome.partnerId && outcome.signalId) {
        // Delivered at least once: a signal is withdrawn once; picked up and closed once per team report.
        const onceKey = outcome.outcome === 'withdrawn' ? 'withdrawn' : `${outcome.outcome}#${outcome.eventId ?? ''}`;
        await deps.ledger.recordLaterOutcome(outcome.partnerId, outcome.signalId, outcome.outcome, deps.clock(), onceKey);
      }
    }, { log, deadLetters: deps.deadLetters }),
  );
}
