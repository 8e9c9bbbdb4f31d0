/**
 * Least privilege in the pipeline stack, synthesized once from the shipped policy: each
 * function reaches only the kinds of item it touches in the household table; EventBridge
 * writes to a stage's buffer only through that stage's rule; every role trusts a named
 * principal under conditions; and the household key secret is readable by the ingest role and
 * the break-glass role only, under a key the account root cannot decrypt with.
 */
import { App, type CfnElement, CfnOutput, CliCredentialsStackSynthesizer, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { beforeAll, describe, expect, it } from 'vitest';
import { itemKeys } from '@vroegsignaal/adapters';
import type { BuiltApp } from '@vroegsignaal/infra';
import { HouseholdKey } from '@vroegsignaal/infra';
import { KEY_PREFIXES } from '@vroegsignaal/infra';
import { build, defaultsWithAccounts, ofType, type PolicyStatement, type Ref, type Resources, resourcesOf, type ResourceWithProperties, type TemplateObject, warningsOf } from './support.ts';

let built: BuiltApp;
let r: Resources;
beforeAll(() => {
  built = build({ policy: defaultsWithAccounts() });
  r = resourcesOf(built.pipeline);
});

const FUNCTIONS = ['ingest', 'deliver', 'team-report', 'outcomes'] as const;
const fnByName = (name: string) => ofType(r, 'AWS::Lambda::Function').find(([, f]) => f.Properties!.FunctionName === `vroegsignaal-${name}`)!;
const roleOf = (name: string) => fnByName(name)[1].Properties!.Role['Fn::GetAtt'][0] as string;
const statementsOfRole = (roleId: string) =>
  ofType(r, 'AWS::IAM::Policy')
    .filter(([, p]) => p.Properties!.Roles.some((ref: Ref) => ref.Ref === roleId))
    .flatMap(([, p]) => p.Properties!.PolicyDocument.Statement as PolicyStatement[]);
const actionsOf = (statement: PolicyStatement): string[] => [statement.Action].flat();

describe('household table key prefixes', () => {
  it('are the prefixes the adapters write, one per kind of item, none the start of another', () => {
    expect(KEY_PREFIXES).toEqual({
      household: 'HH#',
      signalClaim: 'SIG#',
      judged: 'JUDGED#',
      alert: 'ALERT#',
      audit: 'AUDIT#',
      capacity: 'CAP#',
      access: 'ACCESS#',
      members: 'MEMBERS',
      sentNotice: 'NOTICES#',
      noticeOnce: 'IDEMPOTENCY#notify',
    });
    const keys = {
      household: itemKeys.household('ref').pk,
      signalClaim: itemKeys.signalClaim('mitros', 'mit-1').pk,
      judged: itemKeys.judgedEntry('evt-1').pk,
      alert: itemKeys.alert('alert-1').pk,
      audit: itemKeys.audit('ref', 'delivery-1').pk,
      capacity: itemKeys.capacityCounter('utrecht-schuldhulp', 2026).pk,
      access: itemKeys.accessRecord('GM0344', '2026-11', 0, 'view').pk,
      members: itemKeys.member('sub-207').pk,
      sentNotice: itemKeys.sentNotice('sub-207', 'notice#al-1#sub-207').pk,
      noticeOnce: itemKeys.noticeOnce('notify#hash').pk,
    };
    for (const [kind, pk] of Object.entries(keys)) {
      const matching = Object.entries(KEY_PREFIXES).filter(([, prefix]) => pk.startsWith(prefix)).map(([k]) => k);
      expect(matching, pk).toEqual([kind]);
    }
    expect(itemKeys.capacityMarker('utrecht-schuldhulp', 2026, 'ref').pk.startsWith(KEY_PREFIXES.capacity)).toBe(true);
    expect(itemKeys.teamNoticeDefaults('utrecht-schuldhulp').pk).toBe(KEY_PREFIXES.members);
  });
});

describe('household table access per function (dynamodb:LeadingKeys)', () => {
  // Written out here as a second account of what each function does; the stack derives its
  // grants from TABLE_ACCESS in pipeline-stack.ts.
  const EXPECTED: Record<(typeof FUNCTIONS)[number], Record<string, string[]>> = {
    ingest: {
      'dynamodb:GetItem': ['HH#*', 'SIG#*', 'CAP#*'],
      'dynamodb:PutItem': ['HH#*', 'SIG#*', 'AUDIT#*', 'CAP#*', 'JUDGED#*'],
      'dynamodb:UpdateItem': ['SIG#*', 'ALERT#*', 'CAP#*'],
    },
    deliver: {
      'dynamodb:GetItem': ['HH#*', 'CAP#*'],
      'dynamodb:PutItem': ['HH#*', 'AUDIT#*', 'CAP#*'],
      'dynamodb:UpdateItem': ['ALERT#*', 'CAP#*'],
    },
    'team-report': {
      'dynamodb:GetItem': ['HH#*', 'ALERT#*'],
      'dynamodb:PutItem': ['HH#*'],
      'dynamodb:UpdateItem': ['ALERT#*'],
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
      expect(Object.keys(statement.Condition!)).toEqual(['ForAllValues:StringLike']);
      const patterns = [statement.Condition!['ForAllValues:StringLike']['dynamodb:LeadingKeys']].flat();
      for (const action of actionsOf(statement)) {
        expect(granted[action], `${action} granted twice`).toBeUndefined();
        granted[action] = patterns;
      }
    }
    expect(granted).toEqual(EXPECTED[name]);
  });

  it('leaves deliver, team-report and outcomes without a way to read a signal claim, and outcomes without a way to read anything', () => {
    for (const name of ['deliver', 'team-report', 'outcomes']) {
      const reads = statementsOfRole(roleOf(name)).filter((s) => actionsOf(s).includes('dynamodb:GetItem'));
      expect(JSON.stringify(reads), name).not.toContain('SIG#');
    }
    expect(statementsOfRole(roleOf('outcomes')).some((s) => actionsOf(s).includes('dynamodb:GetItem'))).toBe(false);
  });
});

describe('stage buffers', () => {
  const ruleIdFor = (bufferId: string) =>
    ofType(r, 'AWS::Events::Rule').find(([, rule]) => rule.Properties!.Targets?.some((t: TemplateObject) => t.Arn?.['Fn::GetAtt']?.[0] === bufferId))![0];
  const buffers = () => ofType(r, 'AWS::SQS::Queue').filter(([, q]) => q.Properties!.RedrivePolicy);
  const policyOf = (queueId: string) =>
    ofType(r, 'AWS::SQS::QueuePolicy')
      .filter(([, p]) => p.Properties!.Queues.some((q: Ref) => q.Ref === queueId))
      .flatMap(([, p]) => p.Properties!.PolicyDocument.Statement as PolicyStatement[]);
  const fromEvents = (s: PolicyStatement) => s.Principal?.Service === 'events.amazonaws.com';

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
      for (const allow of allows) expect(Object.keys(allow.Condition!.ArnEquals), dlqId).toEqual(['aws:SourceArn']);
      expect(allows.map((s) => s.Condition!.ArnEquals['aws:SourceArn']['Fn::GetAtt'][0])).toContain(ruleIdFor(bufferId));
    }
  });

  it('let EventBridge use the buffer key only from this account', () => {
    const keyId = buffers()[0]![1].Properties!.KmsMasterKeyId['Fn::GetAtt'][0];
    const forEvents = (r[keyId]!.Properties!.KeyPolicy.Statement as PolicyStatement[]).filter(fromEvents);
    expect(forEvents.length).toBeGreaterThan(0);
    for (const statement of forEvents) expect(statement.Condition).toEqual({ StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } });
  });
});

describe('role trust', () => {
  it('lets only AppConfig, for this application in this account, assume the rollback alarm role', () => {
    const [[, environment]] = ofType(r, 'AWS::AppConfig::Environment') as [[string, ResourceWithProperties]];
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
      for (const statement of role.Properties!.AssumeRolePolicyDocument.Statement as PolicyStatement[]) {
        if (statement.Principal!.Service === 'lambda.amazonaws.com') continue; // the functions' own roles: Lambda assumes them for the function only
        expect(statement.Condition, `${id} trusts ${JSON.stringify(statement.Principal)} without a condition`).toBeDefined();
      }
    }
  });
});

describe('household key secret', () => {
  const secretEntry = () => ofType(r, 'AWS::SecretsManager::Secret')[0]!;
  const keyIdOf = () => secretEntry()[1].Properties!.KmsKeyId['Fn::GetAtt'][0] as string;
  const keyStatements = () => r[keyIdOf()]!.Properties!.KeyPolicy.Statement as PolicyStatement[];
  const breakGlass = () => ofType(r, 'AWS::IAM::Role').find(([, role]) => role.Properties!.RoleName === 'vroegsignaal-household-key-break-glass')!;
  const arnOf = (roleId: string) => ({ 'Fn::GetAtt': [roleId, 'Arn'] });
  const ROOT = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':root']] };
  const VIA_SECRETS_MANAGER = {
    StringEquals: {
      'kms:ViaService': { 'Fn::Join': ['', ['secretsmanager.', { Ref: 'AWS::Region' }, '.amazonaws.com']] },
      'kms:CallerAccount': { Ref: 'AWS::AccountId' },
    },
  };
  const principalsOf = (statement: PolicyStatement): unknown[] => [statement.Principal?.AWS].flat();

  it('denies reading its value to every principal but the ingest role and the break-glass role', () => {
    const [[, policy]] = ofType(r, 'AWS::SecretsManager::ResourcePolicy') as [[string, ResourceWithProperties]];
    expect(policy.Properties.SecretId).toEqual({ Ref: secretEntry()[0] });
    expect(policy.Properties.ResourcePolicy.Statement).toEqual([
      {
        Sid: 'OnlyNamedReaders',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 'secretsmanager:GetSecretValue',
        Resource: '*',
        Condition: { ArnNotEquals: { 'aws:PrincipalArn': [arnOf(breakGlass()[0]), arnOf(roleOf('ingest'))] } },
      },
    ]);
  });

  it('gives the account root key administration only, no cryptographic use and no grants', () => {
    const forRoot = keyStatements().filter((s) => principalsOf(s).some((p) => JSON.stringify(p) === JSON.stringify(ROOT)));
    expect(forRoot).toHaveLength(1);
    const actions = actionsOf(forRoot[0]!);
    expect(forRoot[0]!.Condition).toBeUndefined();
    for (const forbidden of ['kms:*', 'kms:Decrypt', 'kms:Encrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey', 'kms:GenerateDataKey*', 'kms:CreateGrant', 'kms:Create*']) {
      expect(actions, forbidden).not.toContain(forbidden);
    }
    expect(actions.every((a) => !/^kms:(Decrypt|Encrypt|ReEncrypt|GenerateDataKey|CreateGrant)/.test(a))).toBe(true);
    // PutKeyPolicy stays with the account: KMS refuses a policy that locks its administrators out.
    expect(actions).toContain('kms:Put*');
  });

  it('lets the readers decrypt, and the deploying CloudFormation role create the secret, only through Secrets Manager in this account', () => {
    const crypto = keyStatements().filter((s) => s.Sid !== 'KeyAdministration');
    expect(crypto.map((s) => s.Sid).sort()).toEqual(['DeployerCreatesThroughSecretsManager', 'ReadersDecryptThroughSecretsManager']);
    for (const statement of crypto) expect(statement.Condition, statement.Sid).toEqual(VIA_SECRETS_MANAGER);
    const readers = crypto.find((s) => s.Sid === 'ReadersDecryptThroughSecretsManager')!;
    expect(readers.Action).toBe('kms:Decrypt');
    expect(principalsOf(readers)).toEqual([arnOf(breakGlass()[0]), arnOf(roleOf('ingest'))]);
    const deployer = crypto.find((s) => s.Sid === 'DeployerCreatesThroughSecretsManager')!;
    expect(deployer.Action).toEqual(['kms:GenerateDataKey', 'kms:Decrypt']);
    expect(JSON.stringify(principalsOf(deployer))).toMatch(/cfn-exec-role/);
  });

  it('is out of reach of deliver, team-report and outcomes: no grant, no place in either policy', () => {
    const policies = JSON.stringify([keyStatements(), ofType(r, 'AWS::SecretsManager::ResourcePolicy')]);
    for (const name of ['deliver', 'team-report', 'outcomes']) {
      expect(policies, name).not.toContain(roleOf(name));
      const statements = JSON.stringify(statementsOfRole(roleOf(name)));
      expect(statements, name).not.toContain(secretEntry()[0]);
      expect(statements, name).not.toContain(keyIdOf());
      expect(statements, name).not.toContain('secretsmanager:');
    }
  });

  it('has a named break-glass role, assumable in this account with MFA of the last hour, that can only read the secret', () => {
    const [roleId, role] = breakGlass();
    expect(role.Properties!.MaxSessionDuration).toBe(3600);
    expect(role.Properties!.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Principal: { AWS: ROOT },
        Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' }, NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } },
      },
    ]);
    expect(statementsOfRole(roleId)).toEqual([
      { Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Effect: 'Allow', Resource: { Ref: secretEntry()[0] } },
    ]);
    const output = built.pipeline.node.findAll().find((c): c is CfnOutput => c instanceof CfnOutput && c.node.id === 'BreakGlassRoleArn');
    expect(built.pipeline.resolve(output?.value)).toEqual({ 'Fn::GetAtt': [roleId, 'Arn'] });
  });
});

describe('HouseholdKey on its own', () => {
  it('trusts a given break-glass principal and deploying role instead, and warns when the synthesizer names no deploying role', () => {
    const app = new App();
    const stack = new Stack(app, 'Given');
    const key = new HouseholdKey(stack, 'Key', {
      namePrefix: 'x-',
      breakGlassPrincipal: new iam.ArnPrincipal('arn:aws:iam::111122223333:role/AWSReservedSSO_BreakGlass_0123'),
      deployerRoleArn: 'arn:aws:iam::111122223333:role/deployer',
    });
    const resources = Template.fromStack(stack).toJSON().Resources as Resources;
    const role = resources[stack.getLogicalId(key.breakGlassRole.node.defaultChild as CfnElement)]!;
    expect(role.Properties!.AssumeRolePolicyDocument.Statement[0].Principal).toEqual({ AWS: 'arn:aws:iam::111122223333:role/AWSReservedSSO_BreakGlass_0123' });
    const keyPolicy = JSON.stringify(resources[stack.getLogicalId(key.key.node.defaultChild as CfnElement)]!.Properties!.KeyPolicy);
    expect(keyPolicy).toContain('arn:aws:iam::111122223333:role/deployer');
    expect(keyPolicy).not.toContain('cfn-exec-role');

    const legacy = new Stack(new App(), 'Legacy', { synthesizer: new CliCredentialsStackSynthesizer() });
    const without = new HouseholdKey(legacy, 'Key', { namePrefix: 'x-' });
    expect(warningsOf(without).some((w) => w.includes('deployerRoleArn'))).toBe(true);
  });
});
