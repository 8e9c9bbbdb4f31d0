/**
 * npm run redrive: what a buffer's dead-letter queue holds, back on the buffer (../redrive.ts).
 * Locally a stage names the queues; deployed, the URLs come from the stack outputs.
 */
import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { defineCommand, integerOption, runCommand, UsageError } from '@vroegsignaal/command';
import { BUFFERS, type BufferName } from '@vroegsignaal/stand-ins';
import { redrive } from '../redrive.ts';

const REDRIVE = defineCommand({
  name: 'npm run redrive --',
  purpose: "Puts what a buffer's dead-letter queue holds back on the buffer, after the cause is fixed, and lists each message with the reason it failed.",
  usage: [`--stage ${BUFFERS.join('|')} [--endpoint URL] [--prefix P] [--region R] [--dry-run] [--max N]`, '--queue-url URL --dlq-url URL [--region R] [--dry-run] [--max N]'],
  examples: ['npm run redrive -- --stage ingest --endpoint http://127.0.0.1:4566 --dry-run', 'npm run redrive -- --queue-url https://sqs.eu-west-1.amazonaws.com/123456789012/ingest --dlq-url https://sqs.eu-west-1.amazonaws.com/123456789012/ingest-dlq'],
  options: {
    stage: { type: 'string', value: 'NAME', description: `the buffer, by its stage: ${BUFFERS.join(', ')} (queues <prefix><stage> and <prefix><stage>-dlq)` },
    prefix: { type: 'string', value: 'P', description: 'the queue name prefix (default vroegsignaal-)' },
    'queue-url': { type: 'string', value: 'URL', description: 'the buffer queue, by URL (with --dlq-url, instead of --stage)' },
    'dlq-url': { type: 'string', value: 'URL', description: 'its dead-letter queue, by URL' },
    endpoint: { type: 'string', value: 'URL', description: 'the SQS endpoint (a local one needs no credentials); default AWS' },
    region: { type: 'string', value: 'R', description: 'the AWS region (default AWS_REGION, else eu-west-1)' },
    'dry-run': { type: 'boolean', description: 'list the dead letters and their reasons, move nothing' },
    max: { type: 'string', value: 'N', description: 'move at most N messages' },
  },
  notes: ['It takes a second or two per hundred messages.'],
});

const isStage = (name: string): name is BufferName => (BUFFERS as readonly string[]).includes(name);

process.exitCode = await runCommand(REDRIVE, process.argv.slice(2), async ({ values }) => {
  const byUrl = values['queue-url'] !== undefined || values['dlq-url'] !== undefined;
  if (byUrl === (values.stage !== undefined)) throw new UsageError('give either --stage NAME, or both --queue-url URL and --dlq-url URL');
  if (byUrl && !(values['queue-url'] && values['dlq-url'])) throw new UsageError('--queue-url and --dlq-url go together: give both');
  if (values.stage !== undefined && !isStage(values.stage)) throw new UsageError(`--stage must be one of ${BUFFERS.join(', ')}, not "${values.stage}"`);
  const max = integerOption(values.max, 'max', 1);
  const local = values.endpoint && /^https?:\/\/(127\.0\.0\.1|localhost)/.test(values.endpoint);
  const sqs = new SQSClient({
    region: values.region ?? process.env.AWS_REGION ?? 'eu-west-1',
    ...(values.endpoint ? { endpoint: values.endpoint } : {}),
    ...(local ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  });
  const prefix = values.prefix ?? 'vroegsignaal-';
  const urlOf = async (name: string) => (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl!;
  const queueUrl = values['queue-url'] ?? (await urlOf(`${prefix}${values.stage}`));
  const deadLetterQueueUrl = values['dlq-url'] ?? (await urlOf(`${prefix}${values.stage}-dlq`));
  const dryRun = values['dry-run'] === true;
  const { moved, letters } = await redrive({ sqs, queueUrl, deadLetterQueueUrl, dryRun, max });
  for (const letter of letters) process.stdout.write(`${letter.messageId}  ${letter.reason}\n`);
  process.stdout.write(dryRun ? `${letters.length} message(s) in the DLQ; nothing moved (--dry-run)\n` : `${moved} message(s) put back on the buffer\n`);
});
