/**
 * The shared port tests on the AWS adapters, driven by the real SDK v3 clients against the
 * local stand-ins: DynamoDB on dynalite, the team queues on fauxqs, the pipeline bus on the
 * local EventBridge and reminder checks on the local Scheduler. Each test gets a table, team
 * queues and buses of its own. What the ports do not read back is read where it lands: the
 * table's items, the queues' messages, the bus's archive. TTL deletion cannot be watched
 * here (dynalite keeps expired items); memory.test.ts covers the in-memory engine's.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { CreateQueueCommand, DeleteMessageBatchCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  createHouseholdTable,
  documentClient,
  DynamoAccessLog,
  DynamoAlertIndex,
  DynamoAuditTrail,
  DynamoCapacityLedger,
  DynamoHouseholdStore,
  DynamoMonitor,
  DynamoSignalLedger,
  DynamoTeamInbox,
  EventBridgePublisher,
  EventBridgeReminderScheduler,
  itemKeys,
  noticePorts,
  readPartnerRecords,
  SqsTeamMessenger,
  teamQueueName,
} from '@vroegsignaal/adapters';
import type { AuditRecord, PipelineEvent } from '@vroegsignaal/domain';
import type { DeliveryDue, TeamMessage } from '@vroegsignaal/events';
import { startStandIns, type StandIns } from '@vroegsignaal/stand-ins';
import { startLocalScheduler, type LocalScheduler } from '@vroegsignaal/stand-ins';
import { portContract, type ReceivedMessage } from './port-contract.ts';

const TEAMS = ['team-a', 'team-b'] as const;

let standIns: StandIns;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  standIns = await startStandIns();
});

afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await standIns?.stop();
});

portContract('the AWS adapters against the stand-ins', async () => {
  const run = randomUUID().slice(0, 8);
  const table = `households-${run}`;
  await createHouseholdTable(standIns.clients.dynamodb, table);
  const db = documentClient(standIns.clients.dynamodb);
  const { sqs, eventBridge } = standIns.clients;

  const prefix = `ports-${run}-`;
  const queueUrls = new Map<string, string>();
  for (const team of TEAMS) {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: teamQueueName(prefix, team), Attributes: { FifoQueue: 'true' } }));
    if (!QueueUrl) throw new Error(`no queue URL for ${team}`);
    queueUrls.set(team, QueueUrl);
  }

  const pipelineBus = `pipeline-${run}`;
  const checksBus = `checks-${run}`;
  standIns.bus.createBus(pipelineBus);
  standIns.bus.createBus(checksBus);
  const localScheduler: LocalScheduler = await startLocalScheduler(eventBridge);
  const schedulerClient = new SchedulerClient({ ...standIns.clientConfig('eventbridge'), endpoint: localScheduler.endpoint });
  cleanups.push(async () => {
    schedulerClient.destroy();
    await localScheduler.stop();
  });
  let checksSeen = 0;

  return {
    households: new DynamoHouseholdStore(db, table),
    ledger: new DynamoSignalLedger(db, table),
    alerts: new DynamoAlertIndex(db, table),
    capacity: new DynamoCapacityLedger(db, table),
    audit: new DynamoAuditTrail(db, table),
    scheduler: new EventBridgeReminderScheduler(schedulerClient, { pipelineBusArn: standIns.bus.busArn(checksBus), roleArn: 'arn:aws:iam::000000000000:role/scheduler' }),
    messenger: new SqsTeamMessenger(sqs, prefix),
    publisher: new EventBridgePublisher(eventBridge, pipelineBus),
    inbox: new DynamoTeamInbox(db, table),
    accessLog: new DynamoAccessLog(db, table),
    monitor: new DynamoMonitor(db, table),
    ...noticePorts(db, table),
    teams: TEAMS,
    observe: {
      async laterOutcomes(partnerId, signalId) {
        const { Item } = await db.send(new GetCommand({ TableName: table, Key: itemKeys.signalClaim(partnerId, signalId), ConsistentRead: true }));
        return (Item?.laterOutcomes ?? []) as { outcome: string; atMs: number }[];
      },
      async partnerRecords(partnerId, signalId) {
        // Read as the partner CLI reads them.
        const records = (await readPartnerRecords(db, table, partnerId, [signalId])).get(signalId)!;
        return { resends: records.claim?.resends ?? [], resendCount: records.claim?.resendCount ?? 0, ...(records.rejection ? { rejection: records.rejection } : {}) };
      },
      async auditRecord(householdRef, deliveryId) {
        const { Item } = await db.send(new GetCommand({ TableName: table, Key: itemKeys.audit(householdRef, deliveryId), ConsistentRead: true }));
        if (!Item) return undefined;
        const { pk: _pk, sk: _sk, expiresAt, ...fields } = Item;
        return { ...(fields as Omit<AuditRecord, 'expiresAtMs'>), expiresAtMs: (expiresAt ?? 0) * 1000 };
      },
      async teamMessages(team) {
        const queueUrl = queueUrls.get(team);
        if (!queueUrl) throw new Error(`no queue for ${team}`);
        const received: ReceivedMessage[] = [];
        for (;;) {
          const { Messages = [] } = await sqs.send(
            new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, MessageSystemAttributeNames: ['MessageGroupId', 'MessageDeduplicationId'] }),
          );
          if (Messages.length === 0) return received;
          for (const { Body, Attributes = {} } of Messages) {
            received.push({ message: JSON.parse(Body ?? 'null') as TeamMessage, deduplicationId: Attributes.MessageDeduplicationId ?? '', groupId: Attributes.MessageGroupId ?? '' });
          }
          await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })) }));
        }
      },
      async published() {
        return standIns.bus.archived(pipelineBus).map((e) => ({ type: e['detail-type'], detail: e.detail }) as PipelineEvent);
      },
      async fireDueChecks(nowMs) {
        await localScheduler.fireDue(nowMs);
        const fired = standIns.bus.archived(checksBus).slice(checksSeen);
        checksSeen += fired.length;
        return fired.map((e) => e.detail as unknown as DeliveryDue);
      },
    },
  };
});
