/**
 * The local identity provider's users as members who want e-mail notices: what `npm run serve`
 * and the bench start with, so that the notices a feed calls for are sent (to the local mail
 * server) and can be seen and counted.
 */
import { documentClient, DynamoMemberDirectory } from '@vroegsignaal/adapters';
import { localIdentityUsers } from './local-identity.ts';
import { LOCAL_TABLE_NAME, type LocalPipeline } from './pipeline.ts';

/**
 * Every local user as a member: their address `<username>@vroegsignaal.local`, their teams and
 * the municipalities they coordinate from their groups, opted in with every kind on as shipped,
 * mail active. Returns how many.
 */
export async function seedLocalMembers(pipeline: LocalPipeline): Promise<number> {
  const members = new DynamoMemberDirectory(documentClient(pipeline.standIns.clients.dynamodb), LOCAL_TABLE_NAME);
  const users = localIdentityUsers(pipeline.policy);
  for (const user of users) {
    await members.put({
      memberId: user.username,
      email: user.email,
      locale: 'nl',
      teams: user.roles.flatMap((role) => (role.kind === 'team' ? [role.team] : [])),
      coordinatorOf: user.roles.flatMap((role) => (role.kind === 'coordinator' ? [role.municipalityCode] : [])),
      optedIn: true,
      kinds: {},
      mail: 'active',
      updatedAtMs: pipeline.now(),
    });
  }
  return users.length;
}
