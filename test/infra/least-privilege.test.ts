/**
 * Least privilege in the pipeline stack, synthesized once from the shipped policy: each
 * function reaches only the kinds of item it touches in the household table.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { itemKeys } from '@vroegsignaal/adapters';
import { KEY_PREFIXES } from '../../infra/lib/key-prefixes.ts';
import { build, defaultsWithAccounts, ofType, resourcesOf, type Resources } from './support.ts';

let r: Resources;
beforeAll(() => {
  r = resourcesOf(build({ policy: defaultsWithAccounts() }).pipeline);
});

const FUNCTIONS = ['ingest', 'route', 'team-report', 'outcomes'] as const;
const fnByName = (name: string) => ofType(r, 'AWS::Lambda::Function').find(([, f]) => f.Properties!.FunctionName === `vroegsignaal-${name}`)!;
const roleOf = (name: string) => fnByName(name)[1].Properties!.Role['Fn::GetAtt'][0] as string;
const statementsOfRole = (roleId: string) =>
  ofType(r, 'AWS::IAM::Policy')
    .filter(([, p]) => p.Properties!.Roles.some((ref: any) => ref.Ref === roleId))
    .flatMap(([, p]) => p.Properties!.PolicyDocument.Statement as any[]);
const actionsOf = (statement: any): string[] => [statement.Action].flat();

describe('household table key prefixes', () => {
  it('are the prefixes the adapters write, one per kind of item, none the start of another', () => {
    expect(KEY_PREFIXES).toEqual({ household: 'HH#', signalClaim: 'SIG#', alert: 'ALERT#', audit: 'AUDIT#', capacity: 'CAP#' });
    const keys = {
      household: itemKeys.household('ref').pk,
      signalClaim: itemKeys.signalClaim('mitros', 'mit-1').pk,
      alert: itemKeys.alert('alert-1').pk,
      audit: itemKeys.audit('ref', 'delivery-1').pk,
      capacity: itemKeys.capacityCounter('utrecht-schuldhulp', 2026).pk,
    };
    for (const [kind, pk] of Object.entries(keys)) {
      const matching = Object.entries(KEY_PREFIXES).filter(([, prefix]) => pk.startsWith(prefix)).map(([k]) => k);
      expect(matching, pk).toEqual([kind]);
    }
    expect(itemKeys.capacityMarker('utrecht-schuldhulp', 2026, 'ref').pk.startsWith(KEY_PREFIXES.capacity)).toBe(true);
  });
});

describe('household table access per function (dynamodb:LeadingKeys)', () => {
  // Written out here as a second account of what each function does; the stack derives its
  // grants from TABLE_ACCESS in pipeline-stack.ts.
  const EXPECTED: Record<(typeof FUNCTIONS)[number], Record<string, string[]>> = {
    ingest: {
      'dynamodb:GetItem': ['HH#*', 'SIG#*', 'CAP#*'],
      'dynamodb:PutItem': ['HH#*', 'SIG#*', 'ALERT#*', 'AUDIT#*', 'CAP#*'],
      'dynamodb:UpdateItem': ['SIG#*', 'CAP#*'],
    },
    route: {
      'dynamodb:GetItem': ['HH#*', 'CAP#*'],
      'dynamodb:PutItem': ['HH#*', 'ALERT#*', 'AUDIT#*', 'CAP#*'],
      'dynamodb:UpdateItem': ['CAP#*'],
    },
    'team-report': {
      'dynamodb:GetItem': ['HH#*', 'ALERT#*'],
      'dynamodb:PutItem': ['HH#*'],
    },
    outcomes: {
      'dynamodb:UpdateItem': ['SIG#*'],
    },
  };

  it.each(FUNCTIONS)('%s may use only the single-item actions it calls, each on the prefixes it touches', (name) => {
    const tableId = ofType(r, 'AWS::DynamoDB::Table')[0]![0];
    const dynamo = statementsOfRole(roleOf(name)).filter((s) => actionsOf(s).some((a) => a.startsWith('dynamodb:')));
    const granted: Record<string, string[]> = {};
    for (const statement of dynamo) {
      expect(statement.Effect).toBe('Allow');
      expect(statement.Resource).toEqual({ 'Fn::GetAtt': [tableId, 'Arn'] });
      expect(Object.keys(statement.Condition)).toEqual(['ForAllValues:StringLike']);
      const patterns = [statement.Condition['ForAllValues:StringLike']['dynamodb:LeadingKeys']].flat();
      for (const action of actionsOf(statement)) {
        expect(granted[action], `${action} granted twice`).toBeUndefined();
        granted[action] = patterns;
      }
    }
    expect(granted).toEqual(EXPECTED[name]);
  });

  it('leaves route, team-report and outcomes without a way to read a signal claim, and outcomes without a way to read anything', () => {
    for (const name of ['route', 'team-report', 'outcomes']) {
      const reads = statementsOfRole(roleOf(name)).filter((s) => actionsOf(s).includes('dynamodb:GetItem'));
      expect(JSON.stringify(reads), name).not.toContain('SIG#');
    }
    expect(statementsOfRole(roleOf('outcomes')).some((s) => actionsOf(s).includes('dynamodb:GetItem'))).toBe(false);
  });
});

describe('stage buffers', () => {
  const ruleIdFor = (bufferId: string) =>
    ofType(r, 'AWS::Events::Rule').find(([, rule]) => rule.Properties!.Targets?.some((t: any) => t.Arn?.['Fn::GetAtt']?.[0] === bufferId))![0];
  const buffers = () => ofType(r, 'AWS::SQS::Queue').filter(([, q]) => q.Properties!.RedrivePolicy);
  const policyOf = (queueId: string) =>
    ofType(r, 'AWS::SQS::QueuePolicy')
      .filter(([, p]) => p.Properties!.Queues.some((q: any) => q.Ref === queueId))
      .flatMap(([, p]) => p.Properties!.PolicyDocument.Statement as any[]);
  const fromEvents = (s: any) => s.Principal?.Service === 'events.amazonaws.com';

  it('admit EventBridge only from this account, and only from the stage\'s own rule', () => {
    expect(buffers()).toHaveLength(4);
    for (const [bufferId] of buffers()) {
      const statements = policyOf(bufferId).filter(fromEvents);
      const allows = statements.filter((s) => s.Effect === 'Allow');
      expect(allows.length, bufferId).toBeGreaterThan(0);
      for (const allow of allows) expect(allow.Condition, bufferId).toEqual({ StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } });
      const denies = statements.filter((s) => s.Effect === 'Deny');
      expect(denies, bufferId).toEqual([
        expect.objectContaining({ Action: 'sqs:SendMessage', Condition: { ArnNotEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [ruleIdFor(bufferId), 'Arn'] } } } }),
      ]);
    }
  });

  it("admit to each DLQ only the rules that dead-letter into it", () => {
    for (const [bufferId, buffer] of buffers()) {
      const dlqId = buffer.Properties!.RedrivePolicy.deadLetterTargetArn['Fn::GetAtt'][0];
      const allows = policyOf(dlqId).filter((s) => fromEvents(s) && s.Effect === 'Allow');
      expect(allows.length, dlqId).toBeGreaterThan(0);
      for (const allow of allows) expect(Object.keys(allow.Condition.ArnEquals), dlqId).toEqual(['aws:SourceArn']);
      expect(allows.map((s) => s.Condition.ArnEquals['aws:SourceArn']['Fn::GetAtt'][0])).toContain(ruleIdFor(bufferId));
    }
  });

  it('let EventBridge use the buffer key only from this account', () => {
    const keyId = buffers()[0]![1].Properties!.KmsMasterKeyId['Fn::GetAtt'][0];
    const forEvents = (r[keyId]!.Properties!.KeyPolicy.Statement as any[]).filter(fromEvents);
    expect(forEvents.length).toBeGreaterThan(0);
    for (const statement of forEvents) expect(statement.Condition).toEqual({ StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } });
  });
});

describe('role trust', () => {
  it('lets only AppConfig, for this application in this account, assume the rollback alarm role', () => {
    const [[, environment]] = ofType(r, 'AWS::AppConfig::Environment') as [[string, any]];
    const role = r[environment.Properties.Monitors[0].AlarmRoleArn['Fn::GetAtt'][0]]!;
    const [appId] = ofType(r, 'AWS::AppConfig::Application')[0]!;
    const [statement, ...others] = role.Properties!.AssumeRolePolicyDocument.Statement;
    expect(others).toEqual([]);
    expect(statement).toMatchObject({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'appconfig.amazonaws.com' } });
    expect(statement.Condition.StringEquals).toEqual({ 'aws:SourceAccount': { Ref: 'AWS::AccountId' } });
    const sourceArns = JSON.stringify(statement.Condition.ArnLike['aws:SourceArn']);
    expect(sourceArns).toContain(`{"Ref":"${appId}"}`);
    expect(sourceArns).toContain(':application/');
  });

  it('gives no role in the pipeline stack a bare trust in an account or a service', () => {
    for (const [id, role] of ofType(r, 'AWS::IAM::Role')) {
      for (const statement of role.Properties!.AssumeRolePolicyDocument.Statement as any[]) {
        if (statement.Principal.Service === 'lambda.amazonaws.com') continue; // the functions' own roles: Lambda assumes them for the function only
        expect(statement.Condition, `${id} trusts ${JSON.stringify(statement.Principal)} without a condition`).toBeDefined();
      }
    }
  });
});
