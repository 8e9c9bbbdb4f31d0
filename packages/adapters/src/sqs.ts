/**
 * Team queues on SQS FIFO: one queue per team, messages grouped per household (kept in
 * order) and deduplicated by a stable id, so a resend after a crash reaches the team once.
 */
import { GetQueueUrlCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { TeamMessage } from '@vroegsignaal/events';
import type { TeamMessenger } from '@vroegsignaal/domain';

/** The queue name for a team; the CDK stack creates exactly these. */
export function teamQueueName(prefix: string, teamId: string): string {
  return `${prefix}team-${teamId}.fifo`;
}

export class SqsTeamMessenger implements TeamMessenger {
  private readonly queueUrls = new Map<string, Promise<string>>();

  constructor(private readonly sqs: SQSClient, private readonly queuePrefix: string) {}

  async send(team: string, message: TeamMessage, deduplicationId: string, groupId: string): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: await this.queueUrl(team),
        MessageBody: JSON.stringify(message),
        MessageGroupId: groupId,
        MessageDeduplicationId: deduplicationId,
        MessageAttributes: {
          kind: { DataType: 'String', StringValue: message.kind },
          level: { DataType: 'String', StringValue: message.level },
        },
      }),
    );
  }

  private queueUrl(team: string): Promise<string> {
    let url = this.queueUrls.get(team);
    if (!url) {
      url = this.sqs.send(new GetQueueUrlCommand({ QueueName: teamQueueName(this.queuePrefix, team) })).then((r) => r.QueueUrl!);
      url.catch(() => this.queueUrls.delete(team));
      this.queueUrls.set(team, url);
    }
    return url;
  }
}

/** Failure attributes on a dead-lettered message: what an operator reads before a redrive. */
export const DEAD_LETTER_ATTRIBUTES = { reason: 'failureReason', sourceMessageId: 'sourceMessageId', receiveCount: 'receiveCount' } as const;

/** A buffer's DLQ, written by the handler on a record's last attempt with the reason it failed. */
export class SqsDeadLetterQueue {
  constructor(private readonly sqs: SQSClient, private readonly queueUrl: string) {}

  async send(record: { body: string; messageId: string; attributes: { ApproximateReceiveCount: string } }, reason: string): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: record.body,
        MessageAttributes: {
          [DEAD_LETTER_ATTRIBUTES.reason]: { DataType: 'String', StringValue: reason },
          [DEAD_LETTER_ATTRIBUTES.sourceMessageId]: { DataType: 'String', StringValue: record.messageId },
          [DEAD_LETTER_ATTRIBUTES.receiveCount]: { DataType: 'Number', StringValue: record.attributes.ApproximateReceiveCount },
        },
      }),
    );
  }
}
