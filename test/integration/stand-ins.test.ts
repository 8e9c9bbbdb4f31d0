/**
 * All three stand-ins together, driven by the SDK clients they hand out: DynamoDB conditional
 * writes on dynalite, a queue on fauxqs, and an event from the local bus landing on it.
 */
import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStandIns, type StandIns } from '@vroegsignaal/stand-ins';

let standIns: StandIns;

beforeAll(async () => {
  standIns = await startStandIns();
});

afterAll(async () => {
  await standIns?.stop();
});

describe('startStandIns', () => {
  it('exposes loopback endpoints and a client configuration per service', () => {
    expect(standIns.region).toBe('eu-west-1');
    for (const endpoint of [standIns.dynamodbEndpoint, standIns.sqsEndpoint, standIns.eventBridgeEndpoint]) {
      expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    }
    expect(standIns.clientConfig('eventbridge', '123456789012')).toEqual({
      region: 'eu-west-1',
      endpoint: standIns.eventBridgeEndpoint,
      credentials: { accessKeyId: 'LOCAL123456789012', secretAccessKey: 'local' },
    });
  });

  it('creates a table and writes to it conditionally', async () => {
    const { dynamodb } = standIns.clients;
    await dynamodb.send(
      new CreateTableCommand({
        TableName: 'households',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    const put = (version: string) =>
      new PutItemCommand({
        TableName: 'households',
        Item: { pk: { S: 'household#1' }, version: { N: version } },
        ConditionExpression: 'attribute_not_exists(pk)',
      });

    await dynamodb.send(put('1'));
    await expect(dynamodb.send(put('2'))).rejects.toBeInstanceOf(ConditionalCheckFailedException);
    const { Item } = await dynamodb.send(new GetItemCommand({ TableName: 'households', Key: { pk: { S: 'household#1' } } }));
    expect(Item?.version).toEqual({ N: '1' });

    // A client built from clientConfig reaches the same dynalite.
    const own = new DynamoDBClient(standIns.clientConfig('dynamodb'));
    try {
      expect((await own.send(new ListTablesCommand({}))).TableNames).toEqual(['households']);
    } finally {
      own.destroy();
    }
  });

  it('creates a queue that the local bus delivers into', async () => {
    const { sqs, eventBridge } = standIns.clients;
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'ingest' }));
    if (QueueUrl === undefined) throw new Error('no queue url');
    standIns.bus.addRule({ name: 'everything', bus: 'default', pattern: { source: [{ exists: true }] }, target: { kind: 'sqs', queueUrl: QueueUrl } });

    await eventBridge.send(new PutEventsCommand({ Entries: [{ Source: 'partner.mitros', DetailType: 'RentArrearsReported', Detail: '{}' }] }));

    expect(standIns.queueDepth(QueueUrl)).toBe(1);
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
    expect(Messages).toHaveLength(1);
    // Received but not deleted: still on the queue, in flight.
    expect(standIns.queueDepth(QueueUrl)).toBe(1);
    expect(() => standIns.queueDepth(QueueUrl.replace('ingest', 'missing'))).toThrow(/does not exist/);
    expect(JSON.parse(Messages[0]?.Body ?? '')).toMatchObject({ source: 'partner.mitros', account: '000000000000', region: 'eu-west-1' });
  });

  it('counts every request each stand-in serves, from any client, the bus\'s own deliveries included', async () => {
    const { sqs, eventBridge, dynamodb } = standIns.clients;
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'counted' }));
    standIns.bus.createBus('counted');
    standIns.bus.addRule({ name: 'to-counted', bus: 'counted', pattern: { source: ['counter'] }, target: { kind: 'sqs', queueUrl: QueueUrl! } });
    const before = standIns.requestsServed();

    const own = new DynamoDBClient(standIns.clientConfig('dynamodb'));
    try {
      await own.send(new ListTablesCommand({}));
    } finally {
      own.destroy();
    }
    await dynamodb.send(new ListTablesCommand({}));
    await eventBridge.send(new PutEventsCommand({ Entries: [{ EventBusName: 'counted', Source: 'counter', DetailType: 'Counted', Detail: '{}' }] }));
    await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));

    const after = standIns.requestsServed();
    // One PutEvents, and the bus's SendMessage delivering it, then one ReceiveMessage.
    expect({ dynamodb: after.dynamodb - before.dynamodb, sqs: after.sqs - before.sqs, eventbridge: after.eventbridge - before.eventbridge }).toEqual({ dynamodb: 2, sqs: 2, eventbridge: 1 });
  });

  it('stops cleanly: every endpoint refuses connections afterwards', async () => {
    const other = await startStandIns({ region: 'eu-central-1' });
    const endpoints = [other.dynamodbEndpoint, other.sqsEndpoint, other.eventBridgeEndpoint];
    await other.stop();
    for (const endpoint of endpoints) {
      await expect(fetch(endpoint, { method: 'POST' })).rejects.toThrow();
    }
  });
});
