/** Lambda entry: partner outcomes. */
import { documentClient, DynamoSignalLedger, ENV } from '@vroegsignaal/adapters';
import { readEnvironment } from '../lib/environment.ts';
import { awsClients, deadLetterPolicy } from '../lib/production.ts';
import { createOutcomesHandler } from './handler.ts';

const env = readEnvironment([ENV.tableName]);

export const handler = createOutcomesHandler({
  ledger: new DynamoSignalLedger(documentClient(awsClients.dynamodb()), env[ENV.tableName]),
  clock: Date.now,
  deadLetters: deadLetterPolicy(),
});
