/** Lambda entry: mail feedback, SES's bounces and complaints through SNS. */
import { documentClient } from '@vroegsignaal/adapters';
import { AppConfigPolicy, awsClients, noticeFunctionPorts, withPolicy } from '../lib/production.ts';
import { createMailFeedbackHandler } from './handler.ts';

const policy = new AppConfigPolicy();

export const handler = withPolicy(
  policy,
  createMailFeedbackHandler({
    policy: () => policy.current(),
    policyVersion: () => policy.version,
    ...noticeFunctionPorts(documentClient(awsClients.dynamodb())),
    clock: Date.now,
  }),
);
