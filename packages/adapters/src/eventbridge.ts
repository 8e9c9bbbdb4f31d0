/** Publishing the pipeline's own events (outcomes, escalations) on the pipeline bus. */
import { PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { PIPELINE_SOURCE } from '@vroegsignaal/events';
import type { EventPublisher, PipelineEvent } from '@vroegsignaal/domain';

/** PutEvents takes at most 10 entries per request. */
const MAX_ENTRIES = 10;

export class PublishError extends Error {
  readonly code = 'PUBLISH_FAILED';
  constructor(failed: number, errorCodes: string[]) {
    super(`${failed} pipeline event(s) were not accepted by the bus: ${[...new Set(errorCodes)].join(', ')}`);
    this.name = 'PublishError';
  }
}

export class EventBridgePublisher implements EventPublisher {
  constructor(private readonly eventBridge: EventBridgeClient, private readonly busName: string) {}

  async publish(events: PipelineEvent[]): Promise<void> {
    for (let i = 0; i < events.length; i += MAX_ENTRIES) {
      const batch = events.slice(i, i + MAX_ENTRIES);
      const response = await this.eventBridge.send(
        new PutEventsCommand({
          Entries: batch.map((event) => ({ EventBusName: this.busName, Source: PIPELINE_SOURCE, DetailType: event.type, Detail: JSON.stringify(event.detail) })),
        }),
      );
      if (response.FailedEntryCount) {
        // Throwing fails every record of the SQS batch that had events (functions/lib/sqs-batch.ts),
        // requests already accepted included; their redelivery finds the work done and publishes again.
        throw new PublishError(response.FailedEntryCount, (response.Entries ?? []).flatMap((e) => (e.ErrorCode ? [e.ErrorCode] : [])));
      }
    }
  }
}
