/**
 * Cognito's pre token generation trigger for members who sign in at their municipality's own
 * identity provider (infra/constructs/workspace-identity.ts, `federation`). Cognito puts the
 * provider's groups claim in the custom attribute `custom:idp_groups`; this trigger replaces the
 * token's `cognito:groups` with the workspace groups that provider's mapping names for them, and
 * drops the attribute from the token. A group the mapping does not name gives no role, and a
 * member of a provider without a mapping gets no group at all: federation fails closed.
 * Members of the pool itself (no `identities` attribute) keep the groups an administrator gave
 * them.
 */
import type { PreTokenGenerationTriggerEvent } from 'aws-lambda';

/** Per federated provider (its Cognito provider name): its group -> the workspace's group. */
export type FederatedGroupMappings = Readonly<Record<string, Readonly<Record<string, string>>>>;

/** The user attribute the providers' groups claims are mapped onto. */
export const IDP_GROUPS_ATTRIBUTE = 'custom:idp_groups';

export function createFederatedGroupsHandler(mappings: FederatedGroupMappings) {
  return async (event: PreTokenGenerationTriggerEvent): Promise<PreTokenGenerationTriggerEvent> => {
    const provider = federatedProvider(event.request.userAttributes.identities);
    if (provider === undefined) return event;
    const mapping = Object.hasOwn(mappings, provider) ? mappings[provider]! : {};
    const groups = [...new Set(idpGroups(event.request.userAttributes[IDP_GROUPS_ATTRIBUTE]).flatMap((group) => (Object.hasOwn(mapping, group) ? [mapping[group]!] : [])))].sort();
    event.response.claimsOverrideDetails = {
      ...event.response.claimsOverrideDetails,
      claimsToSuppress: [IDP_GROUPS_ATTRIBUTE],
      groupOverrideDetails: { groupsToOverride: groups },
    };
    return event;
  };
}

/**
 * The provider a federated member signed in with, from Cognito's `identities` attribute (a JSON
 * list of linked identities); undefined for a member of the pool itself. An attribute that is
 * not such a list counts as federated by no known provider, so it gets no group.
 */
export function federatedProvider(identities: string | undefined): string | undefined {
  if (identities === undefined || identities === '') return undefined;
  try {
    const linked: unknown = JSON.parse(identities);
    const first = Array.isArray(linked) ? (linked[0] as { providerName?: unknown } | undefined) : undefined;
    return typeof first?.providerName === 'string' ? first.providerName : '';
  } catch {
    return '';
  }
}

/**
 * The groups in a mapped groups claim. Cognito stores an OIDC claim's list as `[a, b]` and a SAML
 * attribute's values joined by commas; a lone value is one group.
 */
export function idpGroups(value: string | undefined): string[] {
  if (!value) return [];
  const inner = value.startsWith('[') && value.endsWith(']') ? value.slice(1, -1) : value;
  return inner
    .split(',')
    .map((group) => group.trim().replace(/^"(.*)"$/, '$1'))
    .filter((group) => group.length > 0);
}
