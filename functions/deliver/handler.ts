/** Deliver: households that still owe a message (reminders come due, deliveries ingest left) -> the team queues. */
import { deliveryDueSchema } from '@vroegsignaal/events';
import { deliverOwed, type DeliverDeps } from '@vroegsignaal/domain';
import { middify } from '../lib/middify.ts';
import { reportSentMessages } from '../lib/observability.ts';
import { parseBusEvent, processSqsBatch, type HandlerDeps } from '../lib/sqs-batch.ts';

export type DeliverHandlerDeps = HandlerDeps<DeliverDeps>;

export function createDeliverHandler(deps: DeliverHandlerDeps) {
  return middify((log) => (event, context) =>
    processSqsBatch(event, context, async (record) => {
      const due = deliveryDueSchema.parse(parseBusEvent(record).detail);
      // Received before: that run may have died after its household write, before the index's copies.
      const retried = Number(record.attributes.ApproximateReceiveCount) > 1;
      const sent = await deliverOwed(due.householdRef, { ...deps, policy: deps.policy(), nowMs: deps.clock() }, retried);
      reportSentMessages(log, due.householdRef, sent);
    }, { log, deadLetters: deps.deadLetters }),
    { policyVersion: deps.policyVersion },
  );
}
