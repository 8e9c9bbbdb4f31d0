/**
 * Notify: e-mail the members a team message or an assignment concerns, and the daily digest.
 * A notice never blocks an alert (it runs after the team queue got the message, from its own
 * buffer) and is sent once per (event, member) however often its event arrives (OnceGate).
 * What is sent to whom, and its words, are decided in model/member-notices.ts.
 *
 * STUB: signatures agreed for the parallel work; the bodies are written in the domain's task.
 */
import type { AlertAssigned, TeamMessageSent } from '@vroegsignaal/events';
import type { CompiledPolicy } from '@vroegsignaal/policy';
import type { AlertIndex, Mailer, MemberDirectory, NoticeKind, NoticeLog, OnceGate, TeamInbox } from '../ports.ts';

export interface NotifyDeps {
  policy: CompiledPolicy;
  members: MemberDirectory;
  alerts: AlertIndex;
  inbox: TeamInbox;
  noticeLog: NoticeLog;
  once: OnceGate;
  mailer: Mailer;
  /** The workspace's origin as a member's browser reaches it (`https://...`, locally `http://localhost:8080`): the links. */
  workspaceOrigin: string;
  nowMs: number;
}

/** What one run did, for the handler's log and metrics: counts per kind, never addresses. */
export interface NotifyResult {
  sent: Partial<Record<NoticeKind, number>>;
  /** Recipients whose notice had been sent before (a redelivered event). */
  alreadySent: number;
  /** Members whose address was refused for good and switched off now. */
  switchedOff: number;
}

/** A TeamMessageSent or AlertAssigned event (notify's buffer) -> the e-mails its members' settings call for. */
export async function notifyMembers(_event: { type: 'TeamMessageSent'; detail: TeamMessageSent } | { type: 'AlertAssigned'; detail: AlertAssigned }, _deps: NotifyDeps): Promise<NotifyResult> {
  throw new Error('notifyMembers: not written yet');
}

/** The digests due in the quarter hour `deps.nowMs` lies in (run every quarter hour, Europe/Amsterdam). */
export async function sendDigests(_deps: NotifyDeps): Promise<NotifyResult> {
  throw new Error('sendDigests: not written yet');
}

/** SES feedback (or a local refusal): the member's mail is switched off and their municipality's coordinators are told, once. */
export async function handleMailFeedback(_memberId: string, _status: 'bounced' | 'complained', _deps: NotifyDeps): Promise<NotifyResult> {
  throw new Error('handleMailFeedback: not written yet');
}
