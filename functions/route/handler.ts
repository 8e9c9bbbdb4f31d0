/** Route: households that still owe a message (reminders come due, deliveries ingest left) -> the team queues. */
import { householdEscalatedSchema } from '@vroegsignaal/events';
import { routeEscalation, type RouteDeps } from '@vroegsignaal/domain';
import { middify } from '../lib/middify.ts';
import { reportSentMessages } from '../lib/observability.ts';
import { parseBusEvent, processSqsBatch, type HandlerDeps } from '../lib/sqs-batch.ts';

export type RouteHandlerDeps = HandlerDeps<RouteDeps>;

export function createRouteHandler(deps: RouteHandlerDeps) {
  return middify((log) => (event, context) =>
    processSqsBatch(event, context, async (record) => {
      const escalation = householdEscalatedSchema.parse(parseBusEvent(record).detail);
      const sent = await routeEscalation(escalation.householdRef, { ...deps, policy: deps.policy(), nowMs: deps.clock() });
      reportSentMessages(log, escalation.householdRef, sent);
    }, { log, deadLetters: deps.deadLetters }),
    { policyVersion: deps.policyVersion },
  );
}
