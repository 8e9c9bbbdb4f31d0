/** Lambda entry: ingest. */
import { documentClient, DynamoHouseholdStore, DynamoMonitor, DynamoSignalLedger, EventBridgePublisher, ENV } from '@vroegsignaal/adapters';
import { readEnvironment } from '../lib/environment.ts';
import { AppConfigPolicy, awsClients, deadLetterPolicy, householdSecret, teamDispatchPorts, withPolicy } from '../lib/production.ts';
import { createIngestHandler } from './handler.ts';

const env = readEnvironment([ENV.tableName, ENV.pipelineBusName]);
const db = documentClient(awsClients.dynamodb());
const policy = new AppConfigPolicy();
const publisher = new EventBridgePublisher(awsClients.eventBridge(), env[ENV.pipelineBusName]);

export const handler = withPolicy(
  policy,
  createIngestHandler({
    policy: () => policy.current(),
    policyVersion: () => policy.version,
    households: new DynamoHouseholdStore(db, env[ENV.tableName]),
    ledger: new DynamoSignalLedger(db, env[ENV.tableName]),
    monitor: new DynamoMonitor(db, env[ENV.tableName]),
    ...teamDispatchPorts(db, publisher),
    publisher,
    householdSecret: await householdSecret(),
    clock: Date.now,
    deadLetters: deadLetterPolicy(),
  }),
);
