/** Lambda entry: team report-back. */
import { documentClient, DynamoAlertIndex, DynamoHouseholdStore, EventBridgePublisher, ENV } from '@vroegsignaal/adapters';
import { readEnvironment } from '../lib/environment.ts';
import { AppConfigPolicy, awsClients, deadLetterPolicy, withPolicy } from '../lib/production.ts';
import { createTeamReportHandler } from './handler.ts';

const env = readEnvironment([ENV.tableName, ENV.pipelineBusName]);
const db = documentClient(awsClients.dynamodb());
const policy = new AppConfigPolicy();

export const handler = withPolicy(
  policy,
  createTeamReportHandler({
    policy: () => policy.current(),
    policyVersion: () => policy.version,
    households: new DynamoHouseholdStore(db, env[ENV.tableName]),
    alerts: new DynamoAlertIndex(db, env[ENV.tableName]),
    publisher: new EventBridgePublisher(awsClients.eventBridge(), env[ENV.pipelineBusName]),
    clock: Date.now,
    deadLetters: deadLetterPolicy(),
  }),
);
