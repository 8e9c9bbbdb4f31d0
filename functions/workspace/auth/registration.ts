/**
 * A login registers the member for e-mail notices: the directory learns their address, their
 * teams and the municipalities they coordinate from the id token, each time, so a member moved
 * to another team at the identity provider is mailed about the new team from their next login.
 * What the member chose on the settings page (opt-in, kinds, digest time, language) stays theirs.
 */
import type { MemberDirectory, MemberRecord } from '@vroegsignaal/domain';
import type { Member } from '../deps.ts';
import { municipalitiesOf, teamsOf } from '../pages/layout.ts';

/**
 * The member's directory record after this login: a new member starts opted out (nothing is
 * sent until they switch notices on), mail active, following their teams' defaults, in the
 * language of their login; a known one keeps their choices and mail status (mail is tried
 * again when the provider now gives another address, and the old address is kept when it
 * gives none). Undefined for a new member without an address.
 */
export function registeredMember(existing: MemberRecord | undefined, member: Member, email: string | undefined, nowMs: number): MemberRecord | undefined {
  const groups = { memberId: member.id, teams: teamsOf(member), coordinatorOf: municipalitiesOf(member, 'coordinator'), updatedAtMs: nowMs };
  if (email === undefined) return existing && { ...existing, ...groups };
  const fromLogin = { ...groups, email };
  if (!existing) return { ...fromLogin, locale: member.locale, optedIn: false, kinds: {}, mail: 'active' };
  // A bounce or complaint was about the old address: a new one is worth a try.
  if (existing.email !== email && existing.mail !== 'active') {
    const { mailOffAtMs: _off, ...rest } = existing;
    return { ...rest, ...fromLogin, mail: 'active' };
  }
  return { ...existing, ...fromLogin };
}

/** Writes the member's record at login; a new member without an address from the provider is not registered (nothing could reach them). */
export async function registerMember(members: MemberDirectory, member: Member, email: string | undefined, nowMs: number): Promise<void> {
  const record = registeredMember(await members.get(member.id), member, email, nowMs);
  if (record) await members.put(record);
}
