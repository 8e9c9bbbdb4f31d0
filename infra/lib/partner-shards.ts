/**
 * Which bus each partner sends to, so that no bus's resource policy outgrows EventBridge's
 * limit.
 *
 * A partner's AWS account may put events on our bus only with its own source: one policy
 * statement per partner, `Principal` = its account, `Condition` events:source =
 * `partner.<id>`. One statement cannot bind several accounts each to their own source, so the
 * policy grows by one statement (~300 characters) per partner.
 *
 * The limit: "Event bus policy size, 10,240 characters, adjustable" (Amazon EventBridge quotas,
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html). That is room for
 * about 30 partners. With a few hundred partners one policy cannot hold them, so partners are
 * spread over shards: shard 0 is the signals bus itself, each further shard is a partner
 * ingress bus (`<prefix>partners-<n>`) with its own statements and one rule that forwards
 * everything on it to the signals bus. At 300 partners that is about 11 buses, well within the
 * default quota of 100 event buses per account.
 *
 * Assignment follows the order of the partner registry (`partners.yaml`): a partner appended
 * at the end never moves an existing partner to another bus. Removing a partner from the middle
 * can move the partners after it to an earlier bus; tell them their new bus ARN (the stack
 * outputs list every bus) before deploying such a change.
 */

/** EventBridge's default quota for a bus's resource policy, in characters. */
export const EVENT_BUS_POLICY_LIMIT_CHARS = 10_240;
/**
 * What we allow ourselves: 80% of the limit, leaving room for the policy envelope, the way
 * EventBridge serialises the document, and an operator's own statements.
 */
export const EVENT_BUS_POLICY_BUDGET_CHARS = 8_192;

/** The longest partition and region names an ARN can have today, for a worst-case estimate. */
const WORST_CASE_ARN_PREFIX = 'arn:aws-us-gov:events:ap-southeast-5:123456789012:event-bus/';

export interface PartnerGrant {
  readonly partnerId: string;
  /** The 12-digit AWS account the partner sends from. */
  readonly accountId: string;
}

export interface PartnerStatementJson {
  Sid: string;
  Effect: 'Allow';
  Principal: { AWS: string };
  Action: 'events:PutEvents';
  Resource: string;
  Condition: { StringEquals: { 'events:source': string } };
}

/**
 * The statement that lets one partner's account put events with its own source, and no other.
 * `partition` is `aws` unless given (a token in the stack).
 */
export function partnerStatement(grant: PartnerGrant, busArn: string, partition = 'aws'): PartnerStatementJson {
  return {
    Sid: `partner-${grant.partnerId}`,
    Effect: 'Allow',
    Principal: { AWS: `arn:${partition}:iam::${grant.accountId}:root` },
    Action: 'events:PutEvents',
    Resource: busArn,
    Condition: { StringEquals: { 'events:source': `partner.${grant.partnerId}` } },
  };
}

/** The policy document around a list of statements. */
export function busPolicyDocument<S>(statements: readonly S[]): { Version: '2012-10-17'; Statement: S[] } {
  return { Version: '2012-10-17', Statement: [...statements] };
}

/** Characters one statement adds to a policy in the worst case (longest ARN, plus the comma). */
export function statementChars(grant: PartnerGrant, busName: string): number {
  return JSON.stringify(partnerStatement(grant, `${WORST_CASE_ARN_PREFIX}${busName}`, 'aws-us-gov')).length + 1;
}

/** Characters of the policy document around no statements. */
export const POLICY_ENVELOPE_CHARS = JSON.stringify(busPolicyDocument([])).length;

export interface PartnerShard {
  /** 0 for the signals bus, 1.. for partner ingress buses. */
  readonly index: number;
  readonly busName: string;
  readonly partners: PartnerGrant[];
  /** Worst-case size of this shard's policy document, in characters. */
  readonly estimatedPolicyChars: number;
}

export interface ShardOptions {
  /** Name of shard 0, the signals bus. */
  readonly signalsBusName: string;
  /** Name of ingress bus n (n >= 1). */
  readonly ingressBusName: (index: number) => string;
  /** @default EVENT_BUS_POLICY_BUDGET_CHARS */
  readonly budgetChars?: number;
}

/**
 * Packs partners, in registry order, into the signals bus and then as many ingress buses as
 * needed, each shard's policy staying within the budget. Always returns shard 0 (possibly
 * empty); further shards only when needed.
 */
export function planPartnerShards(grants: readonly PartnerGrant[], options: ShardOptions): PartnerShard[] {
  const budget = options.budgetChars ?? EVENT_BUS_POLICY_BUDGET_CHARS;
  const seen = new Set<string>();
  for (const grant of grants) {
    if (seen.has(grant.partnerId)) throw new Error(`partner "${grant.partnerId}" appears twice in the registry`);
    seen.add(grant.partnerId);
  }
  const nameOf = (index: number) => (index === 0 ? options.signalsBusName : options.ingressBusName(index));
  const shards: { index: number; busName: string; partners: PartnerGrant[]; chars: number }[] = [];
  let current = { index: 0, busName: nameOf(0), partners: [] as PartnerGrant[], chars: POLICY_ENVELOPE_CHARS };
  shards.push(current);
  for (const grant of grants) {
    let size = statementChars(grant, current.busName);
    if (current.chars + size > budget && current.partners.length > 0) {
      const index = current.index + 1;
      current = { index, busName: nameOf(index), partners: [], chars: POLICY_ENVELOPE_CHARS };
      shards.push(current);
      size = statementChars(grant, current.busName);
    }
    if (current.chars + size > budget) {
      throw new Error(`the statement for partner "${grant.partnerId}" alone exceeds the bus policy budget of ${budget} characters`);
    }
    current.partners.push(grant);
    current.chars += size;
  }
  return shards.map(({ index, busName, partners, chars }) => ({ index, busName, partners, estimatedPolicyChars: chars }));
}
