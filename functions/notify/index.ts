/** Lambda entry: notify, from the notify buffer to SES. */
import { documentClient } from '@vroegsignaal/adapters';
import { AppConfigPolicy, awsClients, deadLetterPolicy, noticeFunctionPorts, withPolicy } from '../lib/production.ts';
import { createNotifyHandler } from './handler.ts';

const policy = new AppConfigPolicy();

export const handler = withPolicy(
  policy,
  createNotifyHandler({
    policy: () => policy.current(),
    policyVersion: () => policy.version,
    ...noticeFunctionPorts(documentClient(awsClients.dynamodb())),
    clock: Date.now,
    deadLetters: deadLetterPolicy(),
  }),
);
