/**
 * Mail feedback: SES's event publishing (the configuration set's destination, through SNS)
 * reports a permanent bounce or a complaint -> that member's mail is switched off and their
 * municipality's coordinators are told (handleMailFeedback). The member is known by the message
 * tag `member` the mailer set, never looked up by address; what SES says about addresses is
 * not even parsed. A transient bounce is SES retrying: nothing to do.
 */
import type { Context, SNSEvent } from 'aws-lambda';
import * as z from 'zod';
import { MAIL_TAGS, memberIdOfTag } from '@vroegsignaal/adapters';
import { MEMBER_ID_PATTERN } from '@vroegsignaal/events';
import { handleMailFeedback, type NotifyResult } from '@vroegsignaal/domain';
import { middify } from '../lib/middify.ts';
import { noticeDepsNow, reportNotices, type NoticeHandlerDeps } from '../lib/notices.ts';
import { countWith } from '../lib/observability.ts';

export type MailFeedbackHandlerDeps = Omit<NoticeHandlerDeps, 'deadLetters'>;

/** The fields of an SES event publishing record that are used; the rest (addresses among it) is dropped unread. */
const sesEventSchema = z.object({
  eventType: z.string(),
  bounce: z.object({ bounceType: z.string() }).optional(),
  mail: z.object({ tags: z.record(z.string(), z.array(z.string())).default({}) }),
});

/** What a record asks for: a member to switch off, or nothing (another event type, a transient bounce). */
function feedbackOf(message: string): { memberId: string; status: 'bounced' | 'complained' } | { ignored: string } {
  const event = sesEventSchema.parse(parseJson(message));
  const status = event.eventType === 'Complaint' ? 'complained' : event.eventType === 'Bounce' && event.bounce?.bounceType === 'Permanent' ? 'bounced' : undefined;
  if (!status) return { ignored: event.eventType === 'Bounce' ? `Bounce/${event.bounce?.bounceType ?? 'unknown'}` : event.eventType.slice(0, 32) };
  const tag = event.mail.tags[MAIL_TAGS.member]?.[0];
  const memberId = tag === undefined ? undefined : memberIdOfTag(tag);
  if (!memberId || !MEMBER_ID_PATTERN.test(memberId)) return { ignored: `${event.eventType}/no-member-tag` };
  return { memberId, status };
}

/** JSON.parse, whose error would quote the text (addresses in it) in a log line. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new Error('the SNS message is not JSON');
  }
}

export function createMailFeedbackHandler(deps: MailFeedbackHandlerDeps) {
  return middify<SNSEvent, NotifyResult[]>((log) => async (event: SNSEvent, _context: Context) => {
    const results: NotifyResult[] = [];
    for (const record of event.Records) {
      let feedback: ReturnType<typeof feedbackOf>;
      try {
        feedback = feedbackOf(record.Sns.Message);
      } catch (error) {
        // Retrying cannot help a record SES did not write as documented: an ERROR line to look into.
        log.error('SES feedback not understood; skipped', { messageId: record.Sns.MessageId, reason: error instanceof z.ZodError ? 'schema' : 'json' });
        continue;
      }
      if ('ignored' in feedback) {
        countWith('MailFeedbackIgnored', 'event', feedback.ignored);
        continue;
      }
      // A temporary failure throws: Lambda invokes again (SNS invokes asynchronously).
      const result = await handleMailFeedback(feedback.memberId, feedback.status, noticeDepsNow(deps));
      countWith('MailFeedback', 'status', feedback.status);
      reportNotices(log, 'feedback', result);
      results.push(result);
    }
    return results;
  }, { policyVersion: deps.policyVersion });
}
