/**
 * Notify: a team message or an assignment a member may be e-mailed about (the notify buffer,
 * fed by RULES.memberNotices) -> the e-mails the members' settings call for. Runs after the team
 * queue got its message, from a buffer of its own: a notice never blocks an alert, and a record
 * that fails (the mail server down) is tried again without touching the team's delivery.
 */
import { alertAssignedSchema, PIPELINE_DETAIL_TYPES, teamMessageSentSchema } from '@vroegsignaal/events';
import { notifyMembers } from '@vroegsignaal/domain';
import { middify } from '../lib/middify.ts';
import { noticeDepsNow, reportNotices, type NoticeHandlerDeps } from '../lib/notices.ts';
import { parseBusEvent, processSqsBatch, type BusEvent } from '../lib/sqs-batch.ts';

export type NotifyHandlerDeps = NoticeHandlerDeps;

class UnexpectedNoticeEventError extends Error {
  readonly code = 'UNEXPECTED_NOTICE_EVENT';
  constructor(detailType: string) {
    super(`notify takes ${PIPELINE_DETAIL_TYPES.teamMessageSent} and ${PIPELINE_DETAIL_TYPES.alertAssigned} events, not ${detailType}`);
    this.name = 'UnexpectedNoticeEventError';
  }
}

/** The bus event as the use case takes it, its detail checked against its detail type's schema. */
function noticeEventOf(event: BusEvent): Parameters<typeof notifyMembers>[0] {
  switch (event['detail-type']) {
    case PIPELINE_DETAIL_TYPES.teamMessageSent:
      return { type: 'TeamMessageSent', detail: teamMessageSentSchema.parse(event.detail) };
    case PIPELINE_DETAIL_TYPES.alertAssigned:
      return { type: 'AlertAssigned', detail: alertAssignedSchema.parse(event.detail) };
    default:
      throw new UnexpectedNoticeEventError(event['detail-type'].slice(0, 64));
  }
}

export function createNotifyHandler(deps: NotifyHandlerDeps) {
  return middify((log) => (event, context) =>
    processSqsBatch(event, context, async (record) => {
      const notice = noticeEventOf(parseBusEvent(record));
      const result = await notifyMembers(notice, noticeDepsNow(deps));
      reportNotices(log, notice.type, result, { team: notice.detail.team, alertId: notice.detail.alertId });
    }, { log, deadLetters: deps.deadLetters }),
    { policyVersion: deps.policyVersion },
  );
}
