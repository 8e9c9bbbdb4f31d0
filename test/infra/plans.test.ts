/**
 * The pure planning behind the stacks: how partners are spread over buses so that no bus
 * policy outgrows EventBridge's limit, and how teams are spread over stacks so that none nears
 * CloudFormation's 500 resources, without a queue ever moving when another team changes.
 */
import { describe, expect, it } from 'vitest';
import {
  EVENT_BUS_POLICY_BUDGET_CHARS,
  EVENT_BUS_POLICY_LIMIT_CHARS,
  busPolicyDocument,
  partnerStatement,
  planPartnerShards,
  type PartnerGrant,
} from '@vroegsignaal/infra';
import { RESOURCES_PER_TEAM, STACK_RESOURCE_BUDGET, TEAMS_PER_STACK, TEAMS_STACK_FIXED_RESOURCES, chunk, planTeamStacks } from '@vroegsignaal/infra';
import { fakeAccount } from './support.ts';

const grants = (n: number, idLength = 12): PartnerGrant[] =>
  Array.from({ length: n }, (_, i) => ({ partnerId: `p${String(i).padStart(idLength - 1, '0')}`, accountId: fakeAccount(i) }));
const options = { signalsBusName: 'vroegsignaal-signals', ingressBusName: (i: number) => `vroegsignaal-partners-${i}` };

describe('partner shards', () => {
  it('keeps a small registry on the signals bus alone', () => {
    const shards = planPartnerShards(grants(20), options);
    expect(shards).toHaveLength(1);
    expect(shards[0]).toMatchObject({ index: 0, busName: 'vroegsignaal-signals' });
    expect(shards[0]!.partners).toHaveLength(20);
  });

  it('spreads 300 partners over the signals bus and ingress buses, each policy within the budget', () => {
    const all = grants(300, 40); // the longest partner ids the contract allows
    const shards = planPartnerShards(all, options);
    expect(shards.length).toBeGreaterThan(5);
    expect(shards.map((s) => s.busName)).toEqual(['vroegsignaal-signals', ...shards.slice(1).map((_, i) => `vroegsignaal-partners-${i + 1}`)]);
    expect(shards.flatMap((s) => s.partners)).toEqual(all);
    for (const shard of shards) {
      expect(shard.estimatedPolicyChars).toBeLessThanOrEqual(EVENT_BUS_POLICY_BUDGET_CHARS);
      // The real document, with a real ARN, is no larger than the estimate.
      const arn = `arn:aws:events:eu-central-1:123456789012:event-bus/${shard.busName}`;
      const real = JSON.stringify(busPolicyDocument(shard.partners.map((g) => partnerStatement(g, arn))));
      expect(real.length).toBeLessThanOrEqual(shard.estimatedPolicyChars);
      expect(real.length).toBeLessThan(EVENT_BUS_POLICY_LIMIT_CHARS);
    }
  });

  it('never moves an existing partner when one is appended', () => {
    const before = planPartnerShards(grants(120), options);
    const after = planPartnerShards([...grants(120), { partnerId: 'newcomer', accountId: fakeAccount(999) }], options);
    const busOf = (shards: typeof before) => new Map(shards.flatMap((s) => s.partners.map((p) => [p.partnerId, s.busName] as const)));
    const was = busOf(before);
    for (const [partner, bus] of busOf(after)) if (was.has(partner)) expect(bus).toBe(was.get(partner));
  });

  it('gives each partner one statement: its own account, its own source', () => {
    const statement = partnerStatement({ partnerId: 'mitros', accountId: '123456789012' }, 'arn:aws:events:eu-central-1:1:event-bus/b');
    expect(statement).toEqual({
      Sid: 'partner-mitros',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::123456789012:root' },
      Action: 'events:PutEvents',
      Resource: 'arn:aws:events:eu-central-1:1:event-bus/b',
      Condition: { StringEquals: { 'events:source': 'partner.mitros' } },
    });
  });

  it('refuses a registry that names a partner twice', () => {
    expect(() => planPartnerShards([...grants(2), ...grants(1)], options)).toThrow(/appears twice/);
  });
});

describe('team stacks', () => {
  const team = (id: string, municipality: string | null) => ({ id, municipality });

  it('plans one stack per municipality, the catch-all team in "shared"', () => {
    const plan = planTeamStacks([team('unrouted', null), team('utrecht-b', 'utrecht'), team('utrecht-a', 'utrecht'), team('tilburg-x', 'tilburg')]);
    expect(plan).toEqual([
      { name: 'shared', teamIds: ['unrouted'] },
      { name: 'tilburg', teamIds: ['tilburg-x'] },
      { name: 'utrecht', teamIds: ['utrecht-a', 'utrecht-b'] },
    ]);
  });

  it('splits only a municipality past the per-stack capacity', () => {
    const many = Array.from({ length: 7 }, (_, i) => team(`big-${i}`, 'big'));
    const plan = planTeamStacks([...many, team('small-a', 'small')], 3);
    expect(plan.map((p) => [p.name, p.teamIds.length])).toEqual([['big', 3], ['big-2', 3], ['big-3', 1], ['small', 1]]);
  });

  it('leaves other municipalities\' stacks alone when a team is added', () => {
    const base = [team('a-1', 'a'), team('b-1', 'b')];
    const before = planTeamStacks(base);
    const after = planTeamStacks([...base, team('a-2', 'a')]);
    expect(after.find((p) => p.name === 'b')).toEqual(before.find((p) => p.name === 'b'));
  });

  it('sizes a full teams stack within the resource budget', () => {
    expect(TEAMS_STACK_FIXED_RESOURCES + TEAMS_PER_STACK * RESOURCES_PER_TEAM).toBeLessThanOrEqual(STACK_RESOURCE_BUDGET);
    expect(STACK_RESOURCE_BUDGET).toBeLessThan(500);
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
  });
});
