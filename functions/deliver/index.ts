/** Lambda entry: deliver. */
import { documentClient, DynamoHouseholdStore, EventBridgePublisher, ENV } from '@vroegsignaal/adapters';
import { readEnvironment } from '../lib/environment.ts';
import { AppConfigPolicy, awsClients, deadLetterPolicy, teamDispatchPorts, withPolicy } from '../lib/production.ts';
import { createDeliverHandler } from './handler.ts';

const env = readEnvironment([ENV.tableName, ENV.pipelineBusName]);
const db = documentClient(awsClients.dynamodb());
const policy = new AppConfigPolicy();
// Only the TeamMessageSent of a message a member may be e-mailed about goes on the bus from here.
const publisher = new EventBridgePublisher(awsClients.eventBridge(), env[ENV.pipelineBusName]);

export const handler = withPolicy(
  policy,
  createDeliverHandler({
    policy: () => policy.current(),
    policyVersion: () => policy.version,
    households: new DynamoHouseholdStore(db, env[ENV.tableName]),
    ...teamDispatchPorts(db, publisher),
    clock: Date.now,
    deadLetters: deadLetterPolicy(),
  }),
);
