/**
 * How per-team and per-partner resources are spread over stacks.
 *
 * CloudFormation allows 500 resources per stack ("Resources: 500 per template", AWS
 * CloudFormation quotas, https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html).
 * Every team brings RESOURCES_PER_TEAM resources; sixty teams in one stack would already be
 * close to the limit. We plan with a budget of STACK_RESOURCE_BUDGET, so a stack has room
 * for what an engineer adds later without anyone having to move queues.
 */

/** Our own ceiling per stack, well under CloudFormation's 500. */
export const STACK_RESOURCE_BUDGET = 400;

/**
 * Resources one team adds to its stack: its FIFO queue and that queue's policy (TLS only),
 * its FIFO DLQ and that DLQ's policy, its IAM role and the role's policy, an alarm on the DLQ
 * and an alarm on the age of the oldest alert in its queue. A test synthesizes one and two
 * teams and checks that the difference is exactly this number.
 */
export const RESOURCES_PER_TEAM = 8;

/** Resources in a teams stack that do not depend on the number of teams (CDK metadata). */
export const TEAMS_STACK_FIXED_RESOURCES = 1;

/** Teams one teams stack can hold within the budget. */
export const TEAMS_PER_STACK = Math.floor((STACK_RESOURCE_BUDGET - TEAMS_STACK_FIXED_RESOURCES) / RESOURCES_PER_TEAM);

export interface TeamRef {
  readonly id: string;
  /** The municipality's slug, or null for teams that belong to no municipality (`unrouted`). */
  readonly municipality: string | null;
}

export interface TeamStackPlan {
  /** Stack id suffix: the municipality slug (`shared` for teams of no municipality), then `-2`… when split. */
  readonly name: string;
  readonly teamIds: string[];
}

/**
 * One teams stack per municipality (plus `shared` for the catch-all team), split into parts of
 * at most `perStack` teams when a municipality has more.
 *
 * Why per municipality rather than filling stacks in order: a team's queue must never move to
 * another stack, because CloudFormation would create the named queue in the new stack before
 * deleting it in the old one (a name clash), and the alerts waiting in it would be lost. With
 * one stack per municipality, adding or removing a team or a whole municipality touches only
 * that municipality's stack. Only a municipality past `perStack` teams is split, in team-id
 * order; a synth-time warning says so, because a team added there can shift later teams.
 */
export function planTeamStacks(teams: readonly TeamRef[], perStack: number = TEAMS_PER_STACK): TeamStackPlan[] {
  if (perStack < 1) throw new Error('a teams stack must hold at least one team');
  const groups = new Map<string, string[]>();
  for (const team of teams) {
    const key = team.municipality ?? 'shared';
    const ids = groups.get(key) ?? [];
    if (ids.includes(team.id)) throw new Error(`team "${team.id}" appears twice`);
    ids.push(team.id);
    groups.set(key, ids);
  }
  const plans: TeamStackPlan[] = [];
  for (const [name, ids] of [...groups.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const sorted = [...ids].sort();
    const parts = chunk(sorted, perStack);
    for (const [index, teamIds] of parts.entries()) plans.push({ name: index === 0 ? name : `${name}-${index + 1}`, teamIds });
  }
  return plans;
}

/** Splits a list into consecutive parts of at most `size` items. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  if (size < 1) throw new Error('chunk size must be at least 1');
  const parts: T[][] = [];
  for (let i = 0; i < items.length; i += size) parts.push(items.slice(i, i + size));
  return parts;
}

/**
 * Partners whose outcomes one partner-outcomes stack forwards. Each partner adds one rule to
 * the stack and its default bus's ARN to the stack's delivery role. A role's inline policies
 * may total 10,240 characters ("Role policy size", IAM quotas,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html), and CDK moves
 * statements into extra managed policies once its own estimate passes 10,000 characters; it
 * counts an ARN built from the stack's partition and region as ~120 characters, so ~80
 * partners is the ceiling. 50 keeps every role in one inline policy and a stack at ~60
 * resources.
 */
export const PARTNERS_PER_OUTCOME_STACK = 50;

/**
 * EventBridge allows 300 rules per event bus by default ("Rules per event bus", adjustable).
 * The pipeline bus carries the pipeline's own rules plus one outcome rule per partner with an
 * account; past this many partners the app warns that the quota must be raised first.
 */
export const RULES_PER_BUS_QUOTA = 300;
