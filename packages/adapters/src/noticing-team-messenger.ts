/**
 * The team queues, telling notify what went on them: after a message is on its team's queue, the
 * TeamMessageSent the domain makes of it (noticeTriggerOf: an urgent or eviction-threat alert,
 * an overdue or escalated reminder; nothing for the rest) goes on the pipeline bus. A publish
 * that fails fails the send, so the delivery is tried again: the queue drops the repeated
 * message (its deduplication id), notify the repeated notice (its once-gate). The alert is on
 * the queue before any notice can be: a notice never holds an alert up.
 */
import { noticeTriggerOf, type EventPublisher, type TeamMessenger } from '@vroegsignaal/domain';
import type { TeamMessage } from '@vroegsignaal/events';

export class NoticingTeamMessenger implements TeamMessenger {
  constructor(
    private readonly messenger: TeamMessenger,
    private readonly publisher: EventPublisher,
    private readonly nowMs: () => number,
  ) {}

  async send(team: string, message: TeamMessage, deduplicationId: string, groupId: string): Promise<void> {
    await this.messenger.send(team, message, deduplicationId, groupId);
    const sent = noticeTriggerOf(team, message, deduplicationId, this.nowMs());
    if (sent) await this.publisher.publish([{ type: 'TeamMessageSent', detail: sent }]);
  }
}
