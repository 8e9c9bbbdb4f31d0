/** Route: household escalations -> de-duplicated alerts and updates on the team queues. */
import { householdEscalatedSchema } from '@vroegsignaal/events';
import { routeEscalation, type RouteDeps } from '@vroegsignaal/domain';
import { middify } from '../shared/middify.ts';
import { countWith } from '../shared/observability.ts';
import { parseBusEvent, processSqsBatch, type HandlerDeps } from '../shared/sqs-batch.ts';

export type RouteHandlerDeps = HandlerDeps<RouteDeps>;

export function createRouteHandler(deps: RouteHandlerDeps) {
  return middify((log) => (event, context) =>
    processSqsBatch(event, context, async (record) => {
      const escalation = householdEscalatedSchema.parse(parseBusEvent(record).detail);
      const sent = await routeEscalation(escalation.householdRef, { ...deps, policy: deps.policy(), nowMs: deps.clock() });
      for (const message of sent) {
        countWith(message.kind === 'alert' ? 'AlertsSent' : 'UpdatesSent', 'team', message.team);
        log.info(`${message.kind} sent`, { householdRef: escalation.householdRef, team: message.team, alertLevel: message.level, alertId: message.alertId, capacityExceeded: message.capacityExceeded });
        if (message.capacityExceeded) {
          countWith('CapacityExceeded', 'team', message.team);
          log.warn('team is past its yearly capacity; the alert is delivered and flagged', { team: message.team, alertId: message.alertId });
        }
      }
    }, { log, deadLetters: deps.deadLetters }),
  );
}
