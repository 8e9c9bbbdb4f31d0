/** Partner outcomes: each SignalOutcome counted, and what the partner reads back kept (the domain's recordPartnerOutcome). */
import { PIPELINE_DETAIL_TYPES, signalOutcomeSchema } from '@vroegsignaal/events';
import { recordPartnerOutcome, type SignalLedger } from '@vroegsignaal/domain';
import { middify } from '../lib/middify.ts';
import { countWith } from '../lib/observability.ts';
import { parseBusEvent, processSqsBatch, type DeadLetterPolicy } from '../lib/sqs-batch.ts';

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
      await recordPartnerOutcome(outcome, deps.ledger, deps.clock());
    }, { log, deadLetters: deps.deadLetters }),
  );
}
