/**
 * The monthly monitor on the stand-ins: the month indexes on dynalite, the bucket and the topic
 * on fauxqs, through the real adapters. On the 1st of July it files June's monitor of every
 * municipality (the HTML report and a CSV per block, as `npm run monitor` writes them) and
 * tells each municipality's operators, whose subscription filters on their municipality.
 */
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentClient, DynamoMonitor, MUNICIPALITY_ATTRIBUTE, S3SnsMonitorReports } from '@vroegsignaal/adapters';
import { MONITOR_BLOCKS, readMonitorFigures } from '@vroegsignaal/domain';
import { createMonthlyMonitorHandler, monitorCsv, monitorValue } from '@vroegsignaal/functions';
import { LOCAL_TABLE_NAME } from '@vroegsignaal/stand-ins';
import { arrears, home, NOW } from '../scenarios/entries.ts';
import { startTestPipeline, type TestPipeline } from '../support/local-pipeline.ts';

const UTRECHT = 'GM0344';
const BUCKET = 'monitor-reports';
const FIRST_OF_JULY = Date.parse('2026-07-01T06:00:00+02:00');

let test: TestPipeline;
let s3: S3Client;
let sns: SNSClient;
let topicArn: string;

beforeAll(async () => {
  test = await startTestPipeline({ now: NOW });
  const fauxqs = test.pipeline.standIns.clientConfig('sqs');
  s3 = new S3Client({ ...fauxqs, forcePathStyle: true });
  sns = new SNSClient(fauxqs);
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  topicArn = (await sns.send(new CreateTopicCommand({ Name: 'monitor-notices' }))).TopicArn!;
  const observedAt = new Date(Date.parse(NOW) - 86_400_000).toISOString();
  await test.send(...[10, 11, 12].map((n) => arrears('portaal', { ...home(UTRECHT, '3511 AB', n), observedAt, months: 3, amountCents: 240_000 })));
});

afterAll(async () => {
  s3?.destroy();
  sns?.destroy();
  await test?.stop();
});

async function subscribedQueue(name: string, municipalityCode: string): Promise<string> {
  const sqs = test.pipeline.standIns.clients.sqs;
  const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
  await sns.send(
    new SubscribeCommand({
      TopicArn: topicArn,
      Protocol: 'sqs',
      Endpoint: Attributes!.QueueArn!,
      Attributes: { RawMessageDelivery: 'true', FilterPolicy: JSON.stringify({ [MUNICIPALITY_ATTRIBUTE]: [municipalityCode] }) },
    }),
  );
  return queueUrl;
}

describe('the monthly monitor', () => {
  it("files the previous month's report and CSVs per municipality, and tells only that municipality's operators", async () => {
    const utrechtOperators = await subscribedQueue('operators-utrecht', UTRECHT);
    const handler = createMonthlyMonitorHandler({
      policy: () => test.policy,
      monitor: new DynamoMonitor(documentClient(test.pipeline.standIns.clients.dynamodb), LOCAL_TABLE_NAME),
      reports: new S3SnsMonitorReports(s3, BUCKET, sns, topicArn),
      clock: () => FIRST_OF_JULY,
    });

    const result = await handler();

    expect(result.month).toBe('2026-06');
    const codes = test.policy.policy.municipalities.map((m) => m.code);
    expect(Object.keys(result.files).sort()).toEqual([...codes].sort());
    const listed = (await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `${UTRECHT}/2026-06/` }))).Contents!.map((o) => o.Key).sort();
    expect(listed).toEqual([`${UTRECHT}/2026-06/monitor.html`, ...MONITOR_BLOCKS.map((b) => `${UTRECHT}/2026-06/${b}.csv`)].sort());
    const html = await (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: `${UTRECHT}/2026-06/monitor.html` }))).Body!.transformToString();
    expect(html).toContain('<svg');
    expect(html).not.toContain('3511');

    const received = await test.pipeline.standIns.clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: utrechtOperators, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    expect(received.Messages?.map((m) => m.Body)).toEqual([expect.stringContaining(`${UTRECHT}/2026-06/monitor.html`)]);
    expect(received.Messages![0]!.Body).toContain('Utrecht');
  });

  it('files the figures of the month it names: the CSVs are the month indexes read again, with the three households alerted in June', async () => {
    const figures = await readMonitorFigures(new DynamoMonitor(documentClient(test.pipeline.standIns.clients.dynamodb), LOCAL_TABLE_NAME), test.policy, UTRECHT, '2026-06', FIRST_OF_JULY);
    expect(monitorValue(figures, 'matching', 'households', 'live')?.month).toEqual({ kind: 'count', n: 3 });
    for (const [block, csv] of Object.entries(monitorCsv(figures))) {
      const filed = await (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: `${UTRECHT}/2026-06/${block}.csv` }))).Body!.transformToString();
      expect(filed).toBe(csv);
    }
  });
});
