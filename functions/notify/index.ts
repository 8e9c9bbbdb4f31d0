/** Lambda entry: notify, from the notify buffer to SES. */
import { AppConfigPolicy, deadLetterPolicy, noticeFunctionDeps, withPolicy } from '../lib/production.ts';
import { createNotifyHandler } from './handler.ts';

const policy = new AppConfigPolicy();

export const handler = withPolicy(policy, createNotifyHandler({ ...noticeFunctionDeps(policy), deadLetters: deadLetterPolicy() }));
