/** Ingest: partner entries from the ingest buffer -> household state, team messages, outcomes. */
import { ingestEntry, type IngestDeps, type EventPublisher } from '@vroegsignaal/domain';
import { middify } from '../lib/middify.ts';
import { countWith, reportSentMessages } from '../lib/observability.ts';
import { parseBusEvent, processSqsBatch, type HandlerDeps } from '../lib/sqs-batch.ts';

/** The handler publishes what the use case decides (after the batch, see sqs-batch.ts). */
export type IngestHandlerDeps = HandlerDeps<IngestDeps> & { publisher: EventPublisher };

export function createIngestHandler(deps: IngestHandlerDeps) {
  return middify((log) => (event, context) =>
    processSqsBatch(event, context, async (record) => {
      const entry = parseBusEvent(record);
      const result = await ingestEntry(entry, { ...deps, policy: deps.policy(), nowMs: deps.clock() });
      countWith('EntriesIngested', 'outcome', result.outcome);
      if (result.rejectionRule) countWith('EntriesRejected', 'rule', result.rejectionRule);
      const first = result.events[0]?.detail as { partnerId?: string | null; signalId?: string | null; reason?: string } | undefined;
      log.info('entry ingested', {
        eventId: entry.id,
        partnerId: first?.partnerId,
        signalId: first?.signalId,
        outcome: result.outcome,
        ...(result.rejectionRule ? { rule: result.rejectionRule, reason: first?.reason } : {}),
        deliveryDue: result.events.some((e) => e.type === 'DeliveryDue'),
        conflicts: result.conflicts,
      });
      if (result.householdRef) reportSentMessages(log, result.householdRef, result.sent);
      if (result.deferred) {
        countWith('DeliveriesDeferred', 'reason', result.deferred.split(' ')[0]!);
        log.warn('a team message could not be sent; route delivers it', { eventId: entry.id, reason: result.deferred });
      }
      return result.events;
    }, { log, deadLetters: deps.deadLetters, publisher: deps.publisher }),
    { policyVersion: deps.policyVersion },
  );
}
