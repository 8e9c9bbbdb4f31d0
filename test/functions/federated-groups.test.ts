/**
 * The Cognito trigger for federated workspace members: a member who signed in at a
 * municipality's own identity provider gets exactly the workspace groups that provider's mapping
 * names for their groups there, never another; a member of the pool itself keeps the groups an
 * administrator gave them.
 */
import type { PreTokenGenerationTriggerEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createFederatedGroupsHandler, IDP_GROUPS_ATTRIBUTE } from '@vroegsignaal/functions';

const handler = createFederatedGroupsHandler({
  'utrecht-entra': { 'SG-Schuldhulp': 'team.utrecht-schuldhulp', 'SG-Regie': 'coordinator.GM0344' },
  'tilburg-adfs': { Buurtteam: 'team.tilburg-buurtteam' },
});

function event(attributes: Record<string, string>, groups: string[] = []): PreTokenGenerationTriggerEvent {
  return {
    version: '1',
    triggerSource: 'TokenGeneration_HostedAuth',
    region: 'eu-central-1',
    userPoolId: 'eu-central-1_test',
    userName: 'member',
    callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: 'workspace' },
    request: { userAttributes: { sub: 'member-sub', ...attributes }, groupConfiguration: { groupsToOverride: groups } },
    response: { claimsOverrideDetails: {} },
  };
}
const identities = (providerName: string) => JSON.stringify([{ userId: 'x', providerName, providerType: 'OIDC', issuer: null, primary: 'true', dateCreated: '1' }]);
const groupsOf = async (e: PreTokenGenerationTriggerEvent) => (await handler(e)).response.claimsOverrideDetails.groupOverrideDetails?.groupsToOverride;

describe('federated groups', () => {
  it('maps an OIDC groups list onto the workspace groups, and drops the provider\'s groups from the token', async () => {
    const result = await handler(event({ identities: identities('utrecht-entra'), [IDP_GROUPS_ATTRIBUTE]: '[SG-Schuldhulp, SG-Regie, SG-Iedereen]' }));
    expect(result.response.claimsOverrideDetails).toEqual({
      claimsToSuppress: [IDP_GROUPS_ATTRIBUTE],
      groupOverrideDetails: { groupsToOverride: ['coordinator.GM0344', 'team.utrecht-schuldhulp'] },
    });
  });

  it('reads SAML\'s comma-joined values and a lone value', async () => {
    expect(await groupsOf(event({ identities: identities('utrecht-entra'), [IDP_GROUPS_ATTRIBUTE]: 'SG-Regie,SG-Schuldhulp' }))).toEqual(['coordinator.GM0344', 'team.utrecht-schuldhulp']);
    expect(await groupsOf(event({ identities: identities('tilburg-adfs'), [IDP_GROUPS_ATTRIBUTE]: 'Buurtteam' }))).toEqual(['team.tilburg-buurtteam']);
  });

  it('gives a provider only its own mapping: another provider\'s group names give nothing', async () => {
    expect(await groupsOf(event({ identities: identities('tilburg-adfs'), [IDP_GROUPS_ATTRIBUTE]: '[SG-Schuldhulp]' }))).toEqual([]);
    expect(await groupsOf(event({ identities: identities('unknown-idp'), [IDP_GROUPS_ATTRIBUTE]: '[Buurtteam]' }))).toEqual([]);
    expect(await groupsOf(event({ identities: identities('constructor'), [IDP_GROUPS_ATTRIBUTE]: '[toString]' }))).toEqual([]);
  });

  it('replaces groups a federated member was given in the pool, and fails closed on identities it cannot read', async () => {
    expect(await groupsOf(event({ identities: identities('utrecht-entra') }, ['team.amsterdam-ouderkerk']))).toEqual([]);
    expect(await groupsOf(event({ identities: 'not json', [IDP_GROUPS_ATTRIBUTE]: '[SG-Regie]' }, ['team.amsterdam-ouderkerk']))).toEqual([]);
  });

  it('leaves a member of the pool itself with the groups an administrator gave them', async () => {
    const result = await handler(event({}, ['team.utrecht-schuldhulp']));
    expect(result.response.claimsOverrideDetails).toEqual({});
  });
});
