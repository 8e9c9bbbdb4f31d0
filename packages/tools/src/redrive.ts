/**
 * Redrive: after the cause of a failure is fixed, put what a buffer's DLQ holds back on the
 * buffer, so the pipeline takes it again (ingest and route are idempotent: what already took
 * effect is a duplicate, what did not is done now). Works on any SQS endpoint, local or AWS.
 */
import { ChangeMessageVisibilityCommand, DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { DEAD_LETTER_ATTRIBUTES } from '@vroegsignaal/adapters';

export interface RedriveOptions {
  sqs: SQSClient;
  deadLetterQueueUrl: string;
  queueUrl: string;
  /** List what is there and why, move nothing. */
  dryRun?: boolean;
  /** At most this many messages. */
  max?: number;
}

export interface DeadLetter {
  messageId: string;
  /** Why it failed: from the handler, or from EventBridge when it could not deliver to the buffer. */
  reason: string;
}

export async function redrive(options: RedriveOptions): Promise<{ moved: number; letters: DeadLetter[] }> {
  const { sqs, max = Number.POSITIVE_INFINITY } = options;
  const letters: DeadLetter[] = [];
  let moved = 0;
  while (letters.length < max) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: options.deadLetterQueueUrl,
        MaxNumberOfMessages: Math.min(10, max - letters.length),
        WaitTimeSeconds: 0,
        VisibilityTimeout: 30,
        MessageAttributeNames: ['All'],
      }),
    );
    if (Messages.length === 0) break;
    for (const message of Messages) {
      const attributes = message.MessageAttributes ?? {};
      const reason =
        attributes[DEAD_LETTER_ATTRIBUTES.reason]?.StringValue ??
        (attributes.ERROR_CODE?.StringValue ? `EventBridge could not deliver: ${attributes.ERROR_CODE.StringValue}` : 'moved by the queue after its last receive (no reason recorded)');
      letters.push({ messageId: message.MessageId!, reason });
      if (options.dryRun) continue;
      await sqs.send(new SendMessageCommand({ QueueUrl: options.queueUrl, MessageBody: message.Body! }));
      await sqs.send(new DeleteMessageCommand({ QueueUrl: options.deadLetterQueueUrl, ReceiptHandle: message.ReceiptHandle! }));
      moved++;
    }
    if (options.dryRun) {
      // Leave them where they were, visible at once to the next look.
      for (const message of Messages) {
        await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: options.deadLetterQueueUrl, ReceiptHandle: message.ReceiptHandle!, VisibilityTimeout: 0 }));
      }
      break;
    }
  }
  return { moved, letters };
}
