/** Lambda entry: deliver. */
import { documentClient, DynamoHouseholdStore, ENV } from '@vroegsignaal/adapters';
import { readEnvironment } from '../lib/environment.ts';
import { AppConfigPolicy, awsClients, deadLetterPolicy, teamDispatchPorts, withPolicy } from '../lib/production.ts';
import { createDeliverHandler } from './handler.ts';

const env = readEnvironment([ENV.tableName]);
const db = documentClient(awsClients.dynamodb());
const policy = new AppConfigPolicy();

export const handler = withPolicy(
  policy,
  createDeliverHandler({
    policy: () => policy.current(),
    policyVersion: () => policy.version,
    households: new DynamoHouseholdStore(db, env[ENV.tableName]),
    ...teamDispatchPorts(db),
    clock: Date.now,
    deadLetters: deadLetterPolicy(),
  }),
);
