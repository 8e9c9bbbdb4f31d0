/** Lambda entry: the notice digest, every quarter hour (a schedule), to SES. */
import { AppConfigPolicy, noticeFunctionDeps, withPolicy } from '../lib/production.ts';
import { createNoticeDigestHandler } from './handler.ts';

const policy = new AppConfigPolicy();

export const handler = withPolicy(policy, createNoticeDigestHandler(noticeFunctionDeps(policy)));
