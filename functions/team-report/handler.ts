/** Team report-back: the five team reports -> the alert's timeline -> partner outcomes, and a forward's delivery owed to deliver. */
import { handleTeamReport, type TeamReportDeps, type EventPublisher } from '@vroegsignaal/domain';
import { middify } from '../lib/middify.ts';
import { reportTeamReport } from '../lib/observability.ts';
import { parseBusEvent, processSqsBatch, type HandlerDeps } from '../lib/sqs-batch.ts';

/** The handler publishes what the use case decides (after the batch, see sqs-batch.ts). */
export type TeamReportHandlerDeps = HandlerDeps<TeamReportDeps> & { publisher: EventPublisher };

export function createTeamReportHandler(deps: TeamReportHandlerDeps) {
  return middify((log) => (event, context) =>
    processSqsBatch(event, context, async (record) => {
      const entry = parseBusEvent(record);
      const result = await handleTeamReport(entry, { ...deps, policy: deps.policy(), nowMs: deps.clock() });
      reportTeamReport(log, entry, result);
      return result.events;
    }, { log, deadLetters: deps.deadLetters, publisher: deps.publisher }),
    { policyVersion: deps.policyVersion },
  );
}
