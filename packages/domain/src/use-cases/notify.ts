/**
 * Notify: e-mail the members a team message or an assignment concerns, and the daily digest.
 * A notice never blocks an alert (it runs after the team queue got the message, from its own
 * buffer) and is sent once per (event, member) however often its event arrives (OnceGate).
 * What is sent to whom, and its words, are decided in model/member-notices.ts.
 *
 * Inside a key's run: render, send, then log. An address refused for good (`rejected`) switches
 * the member's mail off and completes the run; a temporary failure throws, so the buffer tries
 * the record again and the gate lets the run happen then.
 */
import type { AlertAssigned, TeamMessageSent } from '@vroegsignaal/events';
import type { CompiledPolicy, TeamPolicy } from '@vroegsignaal/policy';
import {
  digestKey,
  digestSection,
  digestSlotOf,
  digestTeamsDue,
  mailOffKey,
  mailOffRecipients,
  noticeFactsOf,
  noticeKey,
  noticeRecipients,
  previousDigestMomentMs,
  renderDigest,
  renderMailOff,
  renderNotice,
  type DigestSection,
} from '../model/member-notices.ts';
import type { AlertIndex, Mailer, MemberDirectory, MemberRecord, NoticeKind, NoticeLog, OnceGate, OpenAlert, OutgoingMail, SentNotice, TeamInbox } from '../ports.ts';

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
  /** Coordinators told that a member's mail was switched off. */
  coordinatorsTold: number;
}

/** How long the log keeps a sent notice: the settings page's "recently sent", not an archive. */
export const NOTICE_LOG_DAYS = 90;
const DAY_MS = 86_400_000;

function emptyResult(): NotifyResult {
  return { sent: {}, alreadySent: 0, switchedOff: 0, coordinatorsTold: 0 };
}

function add(into: NotifyResult, from: NotifyResult): void {
  for (const [kind, count] of Object.entries(from.sent) as [NoticeKind, number][]) into.sent[kind] = (into.sent[kind] ?? 0) + count;
  into.alreadySent += from.alreadySent;
  into.switchedOff += from.switchedOff;
  into.coordinatorsTold += from.coordinatorsTold;
}

/**
 * Sends one notice once per key and logs it. A refused address switches the member off (and
 * tells their coordinators) instead: the run completes, a retry would be refused again.
 */
async function sendOnce(key: string, member: MemberRecord, render: () => OutgoingMail, logged: Omit<SentNotice, 'memberId' | 'key' | 'atMs' | 'expiresAtMs'>, deps: NotifyDeps): Promise<NotifyResult> {
  const result = emptyResult();
  const ran = await deps.once.once(key, async () => {
    const sent = await deps.mailer.send(render());
    if (sent.status === 'rejected') {
      add(result, await handleMailFeedback(member.memberId, 'bounced', deps));
      return;
    }
    await deps.noticeLog.record({ memberId: member.memberId, key, ...logged, atMs: deps.nowMs, expiresAtMs: deps.nowMs + NOTICE_LOG_DAYS * DAY_MS });
    result.sent[logged.kind] = (result.sent[logged.kind] ?? 0) + 1;
  });
  if (!ran) result.alreadySent++;
  return result;
}

const teamOf = (deps: NotifyDeps) => (team: string) => deps.policy.team(team);

/** A TeamMessageSent or AlertAssigned event (notify's buffer) -> the e-mails its members' settings call for. */
export async function notifyMembers(event: { type: 'TeamMessageSent'; detail: TeamMessageSent } | { type: 'AlertAssigned'; detail: AlertAssigned }, deps: NotifyDeps): Promise<NotifyResult> {
  const total = emptyResult();
  const record = await deps.alerts.get(event.detail.alertId);
  if (!record) return total;
  const recipients = noticeRecipients(event, await deps.members.all(), record);
  for (const { member, kind } of recipients) {
    const facts = noticeFactsOf(kind, record, teamOf(deps));
    const render = () => renderNotice(member, facts, deps.workspaceOrigin, deps.nowMs);
    add(total, await sendOnce(noticeKey(event, member.memberId), member, render, { kind, team: event.detail.team, alertId: record.alertId, level: record.level }, deps));
  }
  return total;
}

/** The digests due in the quarter hour `deps.nowMs` lies in (run every quarter hour, Europe/Amsterdam). */
export async function sendDigests(deps: NotifyDeps): Promise<NotifyResult> {
  const total = emptyResult();
  const slot = digestSlotOf(deps.nowMs);
  const { members, defaults } = await deps.members.all();
  const defaultsOf = (team: string) => defaults.find((d) => d.team === team);
  const sinceMs = previousDigestMomentMs(deps.nowMs, slot);
  // One inbox read per team however many of its members are due: the members' teams overlap.
  const openAlerts = new Map<string, Promise<OpenAlert[]>>();
  const sectionOf = async (team: TeamPolicy): Promise<DigestSection | undefined> => {
    let alerts = openAlerts.get(team.id);
    if (!alerts) {
      alerts = deps.inbox.openAlerts(team.id);
      openAlerts.set(team.id, alerts);
    }
    return digestSection(team, await alerts, sinceMs, deps.nowMs);
  };
  for (const member of members) {
    const teams = digestTeamsDue(member, defaultsOf, slot)
      .map(teamOf(deps))
      .filter((team): team is TeamPolicy => team !== undefined);
    const sections: DigestSection[] = [];
    for (const team of teams) {
      const section = await sectionOf(team);
      if (section) sections.push(section);
    }
    if (sections.length === 0) continue;
    const render = () => renderDigest(member, sections, deps.workspaceOrigin, deps.nowMs);
    // Logged under the first team of the digest: the log lists a member's own mails, the team is a hint.
    add(total, await sendOnce(digestKey(member.memberId, deps.nowMs, slot), member, render, { kind: 'digest', team: sections[0]!.team }, deps));
  }
  return total;
}

/** SES feedback (or a local refusal): the member's mail is switched off and their municipality's coordinators are told, once. */
export async function handleMailFeedback(memberId: string, status: 'bounced' | 'complained', deps: NotifyDeps): Promise<NotifyResult> {
  const result = emptyResult();
  const member = await deps.members.get(memberId);
  if (!member) return result;
  const switched = await deps.members.switchOff(memberId, status, deps.nowMs);
  if (switched) result.switchedOff++;
  // The switch-off's own moment keys the coordinators' mails: feedback told again (or retried
  // after a failed send) finishes telling them, and a later switch-off, after the member saved
  // their settings again, is told anew.
  const offAtMs = switched ? deps.nowMs : member.mail !== 'active' ? member.mailOffAtMs : undefined;
  if (offAtMs === undefined) return result;
  const offStatus = member.mail === 'active' ? status : member.mail;
  const { members } = await deps.members.all();
  for (const { coordinator, teams } of mailOffRecipients(member, members, teamOf(deps))) {
    const ran = await deps.once.once(mailOffKey(memberId, offAtMs, coordinator.memberId), async () => {
      const sent = await deps.mailer.send(renderMailOff(coordinator, teams, offStatus, deps.workspaceOrigin));
      // A coordinator's own refused address is not chased further here: their next notice finds it.
      if (sent.status === 'sent') result.coordinatorsTold++;
    });
    if (!ran) result.alreadySent++;
  }
  return result;
}
