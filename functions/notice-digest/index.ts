/** Lambda entry: the notice digest, every quarter hour (a schedule), to SES. */
import { documentClient } from '@vroegsignaal/adapters';
import { AppConfigPolicy, awsClients, noticeFunctionPorts, withPolicy } from '../lib/production.ts';
import { createNoticeDigestHandler } from './handler.ts';

const policy = new AppConfigPolicy();

export const handler = withPolicy(
  policy,
  createNoticeDigestHandler({
    policy: () => policy.current(),
    policyVersion: () => policy.version,
    ...noticeFunctionPorts(documentClient(awsClients.dynamodb())),
    clock: Date.now,
  }),
);
