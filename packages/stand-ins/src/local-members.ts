/**
 * The local identity provider's users as members who want e-mail notices: what `npm run serve`
 * and the bench start with, so that the notices a feed calls for are sent (to the local mail
 * server) and can be seen and counted.
 */
import { documentClient, DynamoMemberDirectory } from '@vroegsignaal/adapters';
import { registeredMember } from '@vroegsignaal/functions';
import { localIdentityUsers } from './local-identity.ts';
import { LOCAL_TABLE_NAME, type LocalPipeline } from './pipeline.ts';

/**
 * Every local user as their first login registers them (address `<username>@vroegsignaal.local`,
 * teams and coordinated municipalities from their groups, mail active), but opted in: every kind
 * on as shipped. Returns how many.
 */
export async function seedLocalMembers(pipeline: LocalPipeline): Promise<number> {
  const members = new DynamoMemberDirectory(documentClient(pipeline.standIns.clients.dynamodb), LOCAL_TABLE_NAME);
  const users = localIdentityUsers(pipeline.policy);
  for (const user of users) {
    const registered = registeredMember(undefined, { id: user.username, roles: user.roles, locale: 'nl' }, user.email, pipeline.now());
    if (registered) await members.put({ ...registered, optedIn: true });
  }
  return users.length;
}
