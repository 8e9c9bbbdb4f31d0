/**
 * Per-team and per-partner resources: one FIFO queue, DLQ and role per team in the policy, each
 * role confined to its own queue and its own source; partner outcomes only to the partner they
 * are about; and with sixty teams and a few hundred partners, no stack near CloudFormation's
 * 500 resources.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { TEAM_DETAIL_TYPES } from '@vroegsignaal/events';
import { compilePolicy, type Policy } from '@vroegsignaal/policy';
import type { BuiltApp } from '@vroegsignaal/infra';
import { TEAM_PRINCIPAL_TAG } from '@vroegsignaal/infra';
import { EVENT_BUS_POLICY_BUDGET_CHARS } from '@vroegsignaal/infra';
import { PARTNERS_PER_OUTCOME_STACK, RESOURCES_PER_TEAM, STACK_RESOURCE_BUDGET, TEAMS_STACK_FIXED_RESOURCES } from '@vroegsignaal/infra';
import { TeamsStack } from '@vroegsignaal/infra';
import { build, defaultsWithAccounts, ofType, type PolicyStatement, type Ref, resolvePseudo, type Resources, resourcesOf, warningsOf, withManyPartners } from './support.ts';

const allStacks = (built: BuiltApp): Stack[] => [built.pipeline, ...built.teams, ...built.partners];

describe('teams (shipped policy)', () => {
  let policy: Policy;
  let built: BuiltApp;
  let teamResources: Resources;
  beforeAll(() => {
    policy = defaultsWithAccounts();
    built = build({ policy });
    teamResources = Object.assign({}, ...built.teams.map(resourcesOf));
  });

  it('creates exactly one FIFO queue named for each team in the policy, and one DLQ', () => {
    const teamIds = compilePolicy(policy).teams().map((t) => t.id);
    expect(teamIds.length).toBeGreaterThanOrEqual(59);
    const queues = ofType(teamResources, 'AWS::SQS::Queue');
    const names = queues.map(([, q]) => q.Properties!.QueueName as string);
    expect(names.filter((n) => n.startsWith('vroegsignaal-team-')).sort()).toEqual(teamIds.map((id) => `vroegsignaal-team-${id}.fifo`).sort());
    expect(names.filter((n) => n.startsWith('vroegsignaal-dlq-team-')).sort()).toEqual(teamIds.map((id) => `vroegsignaal-dlq-team-${id}.fifo`).sort());
  });

  it('makes every team queue a KMS-encrypted FIFO queue, deduplicated by the pipeline, with a redrive to its own DLQ', () => {
    for (const [, queue] of ofType(teamResources, 'AWS::SQS::Queue').filter(([, q]) => q.Properties!.QueueName.startsWith('vroegsignaal-team-'))) {
      const id = queue.Properties!.QueueName.replace(/^vroegsignaal-team-/, '').replace(/\.fifo$/, '');
      expect(queue.Properties).toMatchObject({ FifoQueue: true, ContentBasedDeduplication: false, MessageRetentionPeriod: 14 * 24 * 3600 });
      expect(queue.Properties!.KmsMasterKeyId['Fn::ImportValue']).toMatch(/TeamQueueKey/);
      const dlqId = queue.Properties!.RedrivePolicy.deadLetterTargetArn['Fn::GetAtt'][0];
      expect(teamResources[dlqId]!.Properties!.QueueName).toBe(`vroegsignaal-dlq-team-${id}.fifo`);
      expect(queue.Properties!.RedrivePolicy.maxReceiveCount).toBe(5);
    }
  });

  it('gives each team a role that can only receive and delete on its own queue and report back as itself', () => {
    const roles = ofType(teamResources, 'AWS::IAM::Role');
    const teamIds = compilePolicy(policy).teams().map((t) => t.id);
    expect(roles.map(([, role]) => role.Properties!.RoleName).sort()).toEqual(teamIds.map((id) => `vroegsignaal-team-${id}`).sort());
    for (const [roleId, role] of roles) {
      const teamId = (role.Properties!.RoleName as string).replace(/^vroegsignaal-team-/, '');
      const queueId = ofType(teamResources, 'AWS::SQS::Queue').find(([, q]) => q.Properties!.QueueName === `vroegsignaal-team-${teamId}.fifo`)![0];
      const statements = ofType(teamResources, 'AWS::IAM::Policy')
        .filter(([, p]) => p.Properties!.Roles.some((ref: Ref) => ref.Ref === roleId))
        .flatMap(([, p]) => p.Properties!.PolicyDocument.Statement as PolicyStatement[]);
      expect(statements).toHaveLength(3);
      const sqs = statements.filter((s) => [s.Action].flat().some((a: string) => a.startsWith('sqs:')));
      expect(sqs).toHaveLength(1);
      expect(sqs[0]!.Resource).toEqual({ 'Fn::GetAtt': [queueId, 'Arn'] });
      expect(sqs[0]!.Action).not.toContain('sqs:SendMessage');
      const kmsStatement = statements.find((s) => s.Action === 'kms:Decrypt')!;
      expect(kmsStatement.Condition!.StringEquals['kms:EncryptionContext:aws:sqs:arn']).toEqual({ 'Fn::GetAtt': [queueId, 'Arn'] });
      const putEvents = statements.find((s) => s.Action === 'events:PutEvents')!;
      expect(putEvents.Resource!['Fn::ImportValue']).toMatch(/BusesSignals/);
      expect(putEvents.Condition).toEqual({
        StringEquals: { 'events:source': `team.${teamId}`, 'events:detail-type': [...TEAM_DETAIL_TYPES] },
      });
      // Assumable from this account only, by principals tagged for this team.
      expect(resolvePseudo(role.Properties!.AssumeRolePolicyDocument.Statement)).toEqual([
        {
          Action: 'sts:AssumeRole',
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::123456789012:root' },
          Condition: { StringEquals: { [`aws:PrincipalTag/${TEAM_PRINCIPAL_TAG}`]: teamId } },
        },
      ]);
    }
  });

  it("outputs each team's queue URL and role ARN, what an operator hands the team", () => {
    const outputs = built.teams.flatMap((stack) => Object.values(Template.fromStack(stack).toJSON().Outputs ?? {}) as { Description?: string }[]);
    for (const team of compilePolicy(policy).teams()) {
      expect(outputs.filter((o) => o.Description === `Alert queue of team ${team.id}` || o.Description === `Role of team ${team.id}`), team.id).toHaveLength(2);
    }
  });

  it('alarms on every team DLQ and on alerts left waiting', () => {
    const alarms = ofType(teamResources, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties!);
    for (const [dlqId] of ofType(teamResources, 'AWS::SQS::Queue').filter(([, q]) => q.Properties!.QueueName.startsWith('vroegsignaal-dlq-team-'))) {
      expect(alarms.some((a) => a.MetricName === 'ApproximateNumberOfMessagesVisible' && a.Dimensions[0].Value['Fn::GetAtt'][0] === dlqId), dlqId).toBe(true);
    }
    expect(alarms.filter((a) => a.MetricName === 'ApproximateAgeOfOldestMessage')).toHaveLength(compilePolicy(policy).teams().length);
  });

  it('puts the teams in one stack per municipality, each within the budget', () => {
    expect(built.teams.map((s) => s.stackName).sort()).toEqual(
      ['amersfoort', 'amsterdam', 'denhaag', 'maastricht', 'nijmegen', 'rotterdam', 'shared', 'tilburg', 'utrecht'].map((m) => `Vroegsignaal-Teams-${m}`),
    );
    for (const stack of allStacks(built)) expect(Object.keys(resourcesOf(stack)).length, stack.stackName).toBeLessThanOrEqual(STACK_RESOURCE_BUDGET);
  });

  it('adds exactly RESOURCES_PER_TEAM resources per team to a teams stack', () => {
    const count = (teamIds: string[]) => {
      const app = new App({ analyticsReporting: true });
      const shared = new Stack(app, 'Shared');
      const stack = new TeamsStack(app, 'Teams', {
        namePrefix: 'vroegsignaal-',
        teamIds,
        teamQueueKey: new kms.Key(shared, 'Key'),
        signalsBus: new events.EventBus(shared, 'Bus'),
        alarmAction: new actions.SnsAction(new sns.Topic(shared, 'Topic')),
      });
      return Object.keys(Template.fromStack(stack).toJSON().Resources).length;
    };
    expect(count(['a'])).toBe(TEAMS_STACK_FIXED_RESOURCES + RESOURCES_PER_TEAM);
    expect(count(['a', 'b']) - count(['a'])).toBe(RESOURCES_PER_TEAM);
  });

  it('sends each partner the outcomes of its own entries only, to its own default bus', () => {
    const [stack] = built.partners;
    const rules = ofType(resourcesOf(stack!), 'AWS::Events::Rule');
    expect(rules).toHaveLength(policy.partners.length);
    for (const partner of policy.partners) {
      const [, rule] = rules.find(([, x]) => x.Properties!.EventPattern.detail.partnerId[0] === partner.id)!;
      expect(rule.Properties!.EventPattern).toEqual({ source: ['vroegsignaal'], 'detail-type': ['SignalOutcome'], detail: { partnerId: [partner.id] } });
      expect(rule.Properties!.EventBusName['Fn::ImportValue']).toMatch(/BusesPipeline/);
      const [target] = rule.Properties!.Targets;
      expect(resolvePseudo(target.Arn)).toBe(`arn:aws:events:eu-central-1:${partner.accountId}:event-bus/default`);
      expect(target.DeadLetterConfig).toBeDefined();
    }
  });
});

describe('a few hundred partners, a municipality with many teams', () => {
  let built: BuiltApp;
  beforeAll(() => {
    const policy = withManyPartners(300);
    // One municipality with 150 teams: more than one teams stack can hold.
    const [first, ...rest] = policy.municipalities;
    const teams = Array.from({ length: 150 }, (_, i) => ({ id: `${first!.slug}-wijkteam-${String(i).padStart(3, '0')}`, name: `Wijkteam ${i}` }));
    built = build({ policy: { ...policy, municipalities: [{ ...first!, teams: [...first!.teams, ...teams] }, ...rest] } });
  });

  it('spreads the partners\' statements over several ingress buses, each policy within the budget', () => {
    const r = resourcesOf(built.pipeline);
    const buses = ofType(r, 'AWS::Events::EventBus').filter(([, b]) => b.Properties!.Policy);
    expect(buses.length).toBeGreaterThan(5);
    const statements = buses.flatMap(([, b]) => b.Properties!.Policy.Statement as PolicyStatement[]);
    expect(statements).toHaveLength(329);
    expect(new Set(statements.map((s) => s.Sid)).size).toBe(329);
    for (const [, bus] of buses) expect(JSON.stringify(resolvePseudo(bus.Properties!.Policy)).length).toBeLessThanOrEqual(EVENT_BUS_POLICY_BUDGET_CHARS);
  });

  it('forwards outcomes from several stacks of at most PARTNERS_PER_OUTCOME_STACK partners', () => {
    expect(built.partners).toHaveLength(Math.ceil(329 / PARTNERS_PER_OUTCOME_STACK));
    const rules = built.partners.flatMap((s) => ofType(resourcesOf(s), 'AWS::Events::Rule'));
    expect(rules).toHaveLength(329);
    // The delivery role keeps its one inline policy (no overflow into managed policies); the
    // other inline policies are the partners' own claim readers, one each.
    for (const stack of built.partners) {
      const resources = resourcesOf(stack);
      expect(ofType(resources, 'AWS::IAM::ManagedPolicy')).toEqual([]);
      expect(ofType(resources, 'AWS::IAM::Policy')).toHaveLength(1 + ofType(resources, 'AWS::Events::Rule').length);
      expect(Object.keys(resources).length).toBeLessThan(STACK_RESOURCE_BUDGET);
    }
  });

  it("lets each partner's account read the claims (and rejections) of its own signals only", () => {
    const roles = built.partners.flatMap((s) => ofType(resourcesOf(s), 'AWS::IAM::Role')).filter(([, r]) => String(r.Properties!.RoleName).includes('-outcomes'));
    expect(roles).toHaveLength(329);
    const policies = built.partners.flatMap((s) => ofType(resourcesOf(s), 'AWS::IAM::Policy'));
    const readers = policies.filter(([, p]) => JSON.stringify(p).includes('dynamodb:GetItem'));
    expect(readers).toHaveLength(329);
    for (const [, policy] of readers) {
      const statement = (policy.Properties!.PolicyDocument.Statement as PolicyStatement[]).find((st) => st.Sid === 'OwnClaims')!;
      expect(statement.Action).toEqual(['dynamodb:GetItem', 'dynamodb:BatchGetItem']);
      const [prefix] = statement.Condition!['ForAllValues:StringLike']['dynamodb:LeadingKeys'];
      expect(prefix).toMatch(/^SIG#[a-z0-9-]+#\*$/);
    }
  });

  it('warns that the pipeline bus needs a higher rules quota', () => {
    expect(warningsOf(built.pipeline).filter((w) => w.includes('"Rules per event bus" quota'))).toHaveLength(1);
  });

  it('splits the large municipality over numbered teams stacks, and keeps every stack under 500 resources', () => {
    const names = built.teams.map((s) => s.stackName);
    expect(names.filter((n) => /Teams-amersfoort(-\d+)?$/.test(n)).length).toBeGreaterThan(1);
    for (const stack of allStacks(built)) {
      const count = Object.keys(resourcesOf(stack)).length;
      expect(count, stack.stackName).toBeLessThanOrEqual(STACK_RESOURCE_BUDGET);
      expect(count).toBeLessThan(500);
    }
  });
});
