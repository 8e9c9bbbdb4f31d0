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
