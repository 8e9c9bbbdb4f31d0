/** Team report-back: AlertPickedUp and CaseClosed -> case state -> partner outcomes. */
import { handleTeamReport, type AlertIndex, type EventPublisher, type HouseholdStore } from '@vroegsignaal/domain';
import type { CompiledPolicy } from '@vroegsignaal/policy';
import { middify } from '../shared/middify.ts';
import { countWith } from '../shared/observability.ts';
import { parseBusEvent, processSqsBatch, type DeadLetterPolicy } from '../shared/sqs-batch.ts';

export interface TeamReportHandlerDeps {
  policy: () => CompiledPolicy;
  households: HouseholdStore;
  alerts: AlertIndex;
  publisher: EventPublisher;
  clock: () => number;
  deadLetters?: DeadLetterPolicy;
}

export function createTeamReportHandler(deps: TeamReportHandlerDeps) {
  return middify((log) => (event, context) =>
    processSqsBatch(event, context, async (record) => {
      const entry = parseBusEvent(record);
      const result = await handleTeamReport(entry, { ...deps, policy: deps.policy(), nowMs: deps.clock() });
      await deps.publisher.publish(result.events);
      countWith('TeamReports', 'outcome', result.outcome);
      if (result.rejection) {
        countWith('TeamReportsRejected', 'rule', result.rejection);
        log.warn('team report rejected', { eventId: entry.id, source: entry.source, rule: result.rejection });
      } else {
        log.info('team report handled', { eventId: entry.id, source: entry.source, outcome: result.outcome });
      }
    }, { log, deadLetters: deps.deadLetters }),
  );
}
