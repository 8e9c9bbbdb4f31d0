/** Members for the notice tests: switched on, mail arriving, every kind as the team's defaults say; a test sets what it is about. */
import type { MemberRecord } from '@vroegsignaal/domain';

export function optedInMember(memberId: string, fields: Partial<MemberRecord> = {}): MemberRecord {
  return {
    memberId,
    email: `${memberId}@gemeente.example.nl`,
    locale: 'nl',
    teams: [],
    coordinatorOf: [],
    optedIn: true,
    kinds: {},
    mail: 'active',
    updatedAtMs: 0,
    ...fields,
  };
}
