/**
 * Who may do what in the team workspace, as identity-provider groups made from the policy: one
 * group per team, and per municipality its coordinator (the overdue and escalated alerts of its
 * teams, without addresses), its municipality role (the monitor) and its privacy officer (the
 * access records). The Cognito pool on AWS and the local identity provider create exactly these
 * groups, and the workspace reads a member's roles back from them: one naming, three users.
 */
import type { CompiledPolicy } from './compiled.ts';

export type WorkspaceRole =
  | { kind: 'team'; team: string }
  | { kind: 'coordinator'; municipalityCode: string }
  | { kind: 'municipality'; municipalityCode: string }
  | { kind: 'privacy-officer'; municipalityCode: string };

const MUNICIPAL_ROLES = ['coordinator', 'municipality', 'privacy-officer'] as const;

/** `team.<teamId>`, `coordinator.<code>`, `municipality.<code>`, `privacy-officer.<code>`. */
export function groupOfRole(role: WorkspaceRole): string {
  return role.kind === 'team' ? `team.${role.team}` : `${role.kind}.${role.municipalityCode}`;
}

/** The role a group name stands for, or undefined for a group that is not one of ours. */
export function roleOfGroup(group: string): WorkspaceRole | undefined {
  const dot = group.indexOf('.');
  if (dot <= 0 || dot === group.length - 1) return undefined;
  const kind = group.slice(0, dot);
  const rest = group.slice(dot + 1);
  if (kind === 'team') return { kind, team: rest };
  const municipal = MUNICIPAL_ROLES.find((k) => k === kind);
  return municipal ? { kind: municipal, municipalityCode: rest } : undefined;
}

/** Every group the policy calls for, with a description for the identity provider's console. */
export function workspaceGroups(policy: CompiledPolicy): { name: string; role: WorkspaceRole; description: string }[] {
  const teams = policy.teams().map((team) => {
    const role: WorkspaceRole = { kind: 'team', team: team.id };
    return { name: groupOfRole(role), role, description: `Members of ${team.name}: its alerts, with address and contacts` };
  });
  const municipal = policy.policy.municipalities.flatMap((m) =>
    MUNICIPAL_ROLES.map((kind) => {
      const role: WorkspaceRole = { kind, municipalityCode: m.code };
      return { name: groupOfRole(role), role, description: `${ROLE_DESCRIPTIONS[kind]} of ${m.name}` };
    }),
  );
  return [...teams, ...municipal];
}

const ROLE_DESCRIPTIONS: Record<(typeof MUNICIPAL_ROLES)[number], string> = {
  coordinator: 'Coordinator: overdue and escalated alerts of the teams (no address or contacts)',
  municipality: 'Municipality: the monitor and the DDAS export',
  'privacy-officer': 'Privacy officer: the access records',
};

/**
 * The DDAS pull endpoint's OAuth2 scope (client credentials, no member): `<resource server>/<scope>`
 * as Cognito names a resource server's scopes. The statistics office's machine client is given
 * it; the workspace's `POST /gegevens` asks for it in every access token.
 */
export const DDAS_PULL_RESOURCE_SERVER = 'ddas';
export const DDAS_PULL_SCOPE_NAME = 'gegevens.read';
export const DDAS_PULL_SCOPE = `${DDAS_PULL_RESOURCE_SERVER}/${DDAS_PULL_SCOPE_NAME}`;
