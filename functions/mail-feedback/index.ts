/** Lambda entry: mail feedback, SES's bounces and complaints through SNS. */
import { AppConfigPolicy, noticeFunctionDeps, withPolicy } from '../lib/production.ts';
import { createMailFeedbackHandler } from './handler.ts';

const policy = new AppConfigPolicy();

export const handler = withPolicy(policy, createMailFeedbackHandler(noticeFunctionDeps(policy)));
