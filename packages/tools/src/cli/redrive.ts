/**
 * npm run redrive -- --stage ingest|route|team-report|outcomes [--prefix vroegsignaal-] [--endpoint URL] [--region R] [--dry-run] [--max N]
 * npm run redrive -- --queue-url URL --dlq-url URL [...]          (deployed buffers: URLs from the stack outputs)
 */
import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { parseArgs } from 'node:util';
import { redrive } from '../redrive.ts';

const { values } = parseArgs({
  options: {
    stage: { type: 'string' },
    prefix: { type: 'string', default: 'vroegsignaal-' },
    'queue-url': { type: 'string' },
    'dlq-url': { type: 'string' },
    endpoint: { type: 'string' },
    region: { type: 'string', default: process.env.AWS_REGION ?? 'eu-west-1' },
    'dry-run': { type: 'boolean', default: false },
    max: { type: 'string' },
  },
});

async function main(): Promise<number> {
  const local = values.endpoint && /^https?:\/\/(127\.0\.0\.1|localhost)/.test(values.endpoint);
  const sqs = new SQSClient({
    region: values.region,
    ...(values.endpoint ? { endpoint: values.endpoint } : {}),
    ...(local ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  });
  const urlOf = async (name: string) => (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl!;
  if (!values.stage && !(values['queue-url'] && values['dlq-url'])) {
    process.stderr.write('usage: npm run redrive -- --stage ingest|route|team-report|outcomes [--endpoint URL] [--dry-run], or --queue-url URL --dlq-url URL\n');
    return 64;
  }
  const queueUrl = values['queue-url'] ?? (await urlOf(`${values.prefix}${values.stage}`));
  const deadLetterQueueUrl = values['dlq-url'] ?? (await urlOf(`${values.prefix}${values.stage}-dlq`));
  const { moved, letters } = await redrive({ sqs, queueUrl, deadLetterQueueUrl, dryRun: values['dry-run'], max: values.max ? Number(values.max) : undefined });
  for (const letter of letters) process.stdout.write(`${letter.messageId}  ${letter.reason}\n`);
  process.stdout.write(values['dry-run'] ? `${letters.length} message(s) in the DLQ; nothing moved (--dry-run)\n` : `${moved} message(s) put back on the buffer\n`);
  return 0;
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    process.stderr.write(`redrive could not run: ${(error as Error).name}: ${(error as Error).message}\n`);
    process.exitCode = 1;
  },
);
