/**
 * Taking a team's messages off its SQS FIFO queue into the inbox file. Each received batch is
 * folded into the inbox and the file written before the batch is deleted from the queue, so a
 * crash in between leaves the messages on the queue (to be folded again, harmlessly), never
 * lost. FIFO queues hold back a household's later messages while an earlier one is in flight,
 * which is why the loop deletes each batch before it asks for the next.
 */
import { DeleteMessageBatchCommand, GetQueueUrlCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { teamQueueName } from '@vroegsignaal/adapters';
import { formatAmsterdamIso } from '@vroegsignaal/calendar';
import { mergeMessage, saveInbox, type Inbox, type MergeResult } from './inbox.ts';

/** The local stack's prefix (LOCAL_QUEUE_PREFIX in @vroegsignaal/stand-ins) and the deployed default. */
export const DEFAULT_QUEUE_PREFIX = 'vroegsignaal-';

type SqsLike = Pick<SQSClient, 'send'>;

export async function resolveQueueUrl(sqs: SqsLike, team: string, options: { queueUrl?: string; queuePrefix?: string }): Promise<string> {
  if (options.queueUrl) return options.queueUrl;
  const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: teamQueueName(options.queuePrefix ?? DEFAULT_QUEUE_PREFIX, team) }));
  return QueueUrl!;
}

export interface FetchOptions {
  /** Long-poll seconds for each receive; 0 returns at once (fine locally; AWS may need 1-2). */
  waitSeconds?: number;
  /** Seconds a received message stays hidden from other readers while it is being saved. */
  visibilityTimeout?: number;
  /** Stop after this many messages (a safety net; the queue is read to empty otherwise). */
  maxMessages?: number;
  nowMs?: () => number;
}

export type FetchCounts = Record<MergeResult, number> & { received: number; notDeleted: number };

export async function fetchIntoInbox(sqs: SqsLike, queueUrl: string, inbox: Inbox, inboxPath: string, options: FetchOptions = {}): Promise<FetchCounts> {
  const counts: FetchCounts = { received: 0, alert: 0, update: 0, reminder: 0, escalation: 0, duplicate: 0, unreadable: 0, notDeleted: 0 };
  const now = options.nowMs ?? Date.now;
  const max = options.maxMessages ?? 10_000;
  while (counts.received < max) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: options.waitSeconds ?? 0,
        VisibilityTimeout: options.visibilityTimeout ?? 60,
        MessageSystemAttributeNames: ['SentTimestamp'],
      }),
    );
    if (Messages.length === 0) break;
    for (const message of Messages) {
      const sent = Number(message.Attributes?.SentTimestamp ?? now());
      counts[mergeMessage(inbox, message.Body ?? '', formatAmsterdamIso(new Date(sent)))]++;
      counts.received++;
    }
    inbox.updatedAt = formatAmsterdamIso(new Date(now()));
    saveInbox(inboxPath, inbox);
    const { Failed = [] } = await sqs.send(
      new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }),
    );
    // Not deleted: it comes back after the visibility timeout and folds in as a duplicate.
    counts.notDeleted += Failed.length;
  }
  return counts;
}
