/**
 * Notice digest: run every quarter hour (a schedule on AWS; the local stack's timer and the
 * tests call it), it mails each member whose digest time is this quarter hour their teams'
 * new, open and overdue work. What the schedule sends along is not read: the clock decides.
 */
import type { Context } from 'aws-lambda';
import { sendDigests, type NotifyResult } from '@vroegsignaal/domain';
import { middify } from '../lib/middify.ts';
import { noticeDepsNow, reportNotices, type NoticeHandlerDeps } from '../lib/notices.ts';

export type NoticeDigestHandlerDeps = Omit<NoticeHandlerDeps, 'deadLetters'>;

export function createNoticeDigestHandler(deps: NoticeDigestHandlerDeps) {
  return middify<object, NotifyResult>((log) => async (_event: object, _context: Context) => {
    const result = await sendDigests(noticeDepsNow(deps));
    reportNotices(log, 'digest', result);
    return result;
  }, { policyVersion: deps.policyVersion });
}
