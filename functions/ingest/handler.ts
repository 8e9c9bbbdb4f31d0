/** Ingest: partner entries from the ingest buffer -> household state -> outcomes and escalations. */
import { ingestEntry, type HouseholdStore, type SignalLedger, type EventPublisher } from '@vroegsignaal/domain';
import type { CompiledPolicy } from '@vroegsignaal/policy';
import { middify } from '../shared/middify.ts';
import { countWith } from '../shared/observability.ts';
import { parseBusEvent, processSqsBatch, type DeadLetterPolicy } from '../shared/sqs-batch.ts';

export interface IngestHandlerDeps {
  policy: () => CompiledPolicy;
  households: HouseholdStore;
  ledger: SignalLedger;
  publisher: EventPublisher;
  householdSecret: string;
  clock: () => number;
  deadLetters?: DeadLetterPolicy;
}

export function createIngestHandler(deps: IngestHandlerDeps) {
  return middify((log) => (event, context) =>
    processSqsBatch(event, context, async (record) => {
      const entry = parseBusEvent(record);
      const result = await ingestEntry(entry, { ...deps, policy: deps.policy(), nowMs: deps.clock() });
      await deps.publisher.publish(result.events);
      countWith('EntriesIngested', 'outcome', result.outcome);
      if (result.rejectionRule) countWith('EntriesRejected', 'rule', result.rejectionRule);
      const first = result.events[0]?.detail as { partnerId?: string | null; signalId?: string | null; reason?: string } | undefined;
      log.info('entry ingested', {
        eventId: entry.id,
        partnerId: first?.partnerId,
        signalId: first?.signalId,
        outcome: result.outcome,
        ...(result.rejectionRule ? { rule: result.rejectionRule, reason: first?.reason } : {}),
        escalated: result.events.some((e) => e.type === 'HouseholdEscalated'),
        conflicts: result.conflicts,
      });
    }, { log, deadLetters: deps.deadLetters }),
  );
}
