/**
 * What the three notice functions (notify, notice-digest, mail-feedback) share: the use case's
 * dependencies as a handler takes them, and how what a run did is logged and counted. Counts per
 * kind and ids only: never an address, and no member id in a metric.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { NoticeKind, NotifyDeps, NotifyResult } from '@vroegsignaal/domain';
import { countWith } from './observability.ts';
import type { HandlerDeps } from './sqs-batch.ts';

/**
 * notify's use-case dependencies, with the policy, the clock and the workspace's origin read per
 * run: the local stack learns the port its workspace listens on after the pipeline has started.
 */
export type NoticeHandlerDeps = Omit<HandlerDeps<NotifyDeps>, 'workspaceOrigin'> & { workspaceOrigin: () => string };

/** The dependencies of one run, at the clock's moment. */
export function noticeDepsNow({ policy, policyVersion: _version, clock, deadLetters: _deadLetters, workspaceOrigin, ...ports }: NoticeHandlerDeps): NotifyDeps {
  return { ...ports, policy: policy(), nowMs: clock(), workspaceOrigin: workspaceOrigin() };
}

/** What started a run: the event's detail type, the digest's schedule, or SES's feedback. */
export type NoticeTrigger = 'TeamMessageSent' | 'AlertAssigned' | 'digest' | 'feedback';

/** Counts the notices of one run per kind, and logs them with the ids of what they were about. */
export function reportNotices(log: Logger, trigger: NoticeTrigger, result: NotifyResult, about: { team?: string; alertId?: string } = {}): void {
  for (const [kind, count] of Object.entries(result.sent) as [NoticeKind, number][]) if (count > 0) countWith('NoticesSent', 'kind', kind, count);
  if (result.alreadySent > 0) countWith('NoticesAlreadySent', 'trigger', trigger, result.alreadySent);
  if (result.switchedOff > 0) countWith('MailSwitchedOff', 'trigger', trigger, result.switchedOff);
  log.info('notices handled', { trigger, ...about, sent: result.sent, alreadySent: result.alreadySent, switchedOff: result.switchedOff });
}
