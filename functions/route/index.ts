/** Lambda entry: route. */
import { documentClient, DynamoAlertIndex, DynamoAuditTrail, DynamoCapacityLedger, DynamoHouseholdStore, EventBridgeReminderScheduler, SqsTeamMessenger } from '@vroegsignaal/adapters';
import { ENV, readEnvironment } from '../shared/environment.ts';
import { AppConfigPolicy, awsClients, deadLetterPolicy, withPolicy } from '../shared/production.ts';
import { createRouteHandler } from './handler.ts';

const env = readEnvironment([ENV.tableName, ENV.teamQueuePrefix, ENV.pipelineBusArn, ENV.schedulerRoleArn, ENV.scheduleGroup]);
const db = documentClient(awsClients.dynamodb());
const policy = new AppConfigPolicy();

export const handler = withPolicy(
  policy,
  createRouteHandler({
    policy: () => policy.current(),
    households: new DynamoHouseholdStore(db, env[ENV.tableName]),
    alerts: new DynamoAlertIndex(db, env[ENV.tableName]),
    capacity: new DynamoCapacityLedger(db, env[ENV.tableName]),
    messenger: new SqsTeamMessenger(awsClients.sqs(), env[ENV.teamQueuePrefix]),
    audit: new DynamoAuditTrail(db, env[ENV.tableName]),
    scheduler: new EventBridgeReminderScheduler(awsClients.scheduler(), {
      pipelineBusArn: env[ENV.pipelineBusArn],
      roleArn: env[ENV.schedulerRoleArn],
      groupName: env[ENV.scheduleGroup],
    }),
    clock: Date.now,
    deadLetters: deadLetterPolicy(),
  }),
);
