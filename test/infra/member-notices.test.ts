/**
 * E-mail notices in the workspace stack's template: the SES identity of the sender domain (DKIM)
 * with its configuration set (TLS required, reputation metrics, suppression of bounces and
 * complaints) reporting bounces and complaints to an encrypted topic that the mail-feedback
 * function takes, with a DLQ; notify on its own buffer behind RULES.memberNotices; the digest
 * every quarter hour; and each function's least privilege: ses:SendEmail only From the sender,
 * only through this identity and configuration set, and in the table only the kinds of item it
 * touches. cdk-nag finds nothing unacknowledged in it.
 */
import { readFileSync } from 'node:fs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV, INDEXES } from '@vroegsignaal/adapters';
import { RULES } from '@vroegsignaal/events';
import type { BuiltApp } from '@vroegsignaal/infra';
import { build, defaultsWithAccounts, ofType, type PolicyStatement, type Ref, type Resources, resourcesOf, type ResourceWithProperties, warningsOf } from './support.ts';

const FUNCTIONS = ['notify', 'notice-digest', 'mail-feedback'] as const;
type NoticeFunction = (typeof FUNCTIONS)[number];
const SENDER = 'meldingen@vroegsignaal.example';

let built: BuiltApp;
let r: Resources;
beforeAll(() => {
  built = build({ policy: defaultsWithAccounts() });
  r = resourcesOf(built.workspace);
});

const only = (type: string): [string, ResourceWithProperties] => {
  const found = ofType(r, type);
  expect(found, type).toHaveLength(1);
  return found[0] as [string, ResourceWithProperties];
};
const fnByName = (name: string) => ofType(r, 'AWS::Lambda::Function').find(([, f]) => f.Properties!.FunctionName === `vroegsignaal-${name}`)!;
const statementsOf = (name: string) => {
  const roleId = fnByName(name)[1].Properties!.Role['Fn::GetAtt'][0];
  return ofType(r, 'AWS::IAM::Policy')
    .filter(([, p]) => p.Properties!.Roles.some((ref: Ref) => ref.Ref === roleId))
    .flatMap(([, p]) => p.Properties!.PolicyDocument.Statement as PolicyStatement[]);
};
const actionsOf = (s: PolicyStatement): string[] => [s.Action].flat();
const keyId = () => ofType(r, 'AWS::KMS::Key').find(([, k]) => String(k.Properties!.Description).includes('member notices'))![0];
const feedbackTopic = () => ofType(r, 'AWS::SNS::Topic').find(([, t]) => t.Properties!.TopicName === 'vroegsignaal-mail-feedback')!;
const notifyRule = () => ofType(r, 'AWS::Events::Rule').find(([, rule]) => rule.Properties!.Description === RULES.memberNotices.description)!;
/** `arn:<partition>:ses:<region>:<account>:configuration-set/vroegsignaal-notices`, as the template joins it. */
const CONFIGURATION_SET_ARN = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ses:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':configuration-set/vroegsignaal-notices']] };
const IDENTITY_ARN = () => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ses:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':identity/', { Ref: only('AWS::SES::EmailIdentity')[0] }]] });

describe('SES', () => {
  it('verifies the sender domain with 2048-bit Easy DKIM, its records in the stack outputs, sending through the configuration set by default', () => {
    const [, identity] = only('AWS::SES::EmailIdentity');
    expect(identity.Properties.EmailIdentity).toBe('vroegsignaal.example');
    expect(identity.Properties.DkimSigningAttributes).toEqual({ NextSigningKeyLength: 'RSA_2048_BIT' });
    expect(identity.Properties.ConfigurationSetAttributes).toEqual({ ConfigurationSetName: { Ref: only('AWS::SES::ConfigurationSet')[0] } });
    const outputs = built.workspace.resolve(Object.values(built.app.synth().getStackByName(built.workspace.stackName).template.Outputs ?? {}));
    expect(JSON.stringify(outputs).match(/DkimDNSTokenName\d/g)?.sort()).toEqual(['DkimDNSTokenName1', 'DkimDNSTokenName2', 'DkimDNSTokenName3']);
  });

  it('has a configuration set that requires TLS, publishes reputation metrics, sends, and suppresses addresses that bounced or complained', () => {
    const [, set] = only('AWS::SES::ConfigurationSet');
    expect(set.Properties).toMatchObject({
      Name: 'vroegsignaal-notices',
      DeliveryOptions: { TlsPolicy: 'REQUIRE' },
      ReputationOptions: { ReputationMetricsEnabled: true },
      SendingOptions: { SendingEnabled: true },
      SuppressionOptions: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
    });
  });

  it('reports bounces and complaints, nothing else, to a topic encrypted with a rotating key of its own', () => {
    const [, destination] = only('AWS::SES::ConfigurationSetEventDestination');
    const [topicId, topic] = feedbackTopic();
    expect(destination.Properties.ConfigurationSetName).toEqual({ Ref: only('AWS::SES::ConfigurationSet')[0] });
    expect(destination.Properties.EventDestination).toMatchObject({ Enabled: true, MatchingEventTypes: ['bounce', 'complaint'], SnsDestination: { TopicARN: { Ref: topicId } } });
    expect(topic.Properties!.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [keyId(), 'Arn'] });
    expect(r[keyId()]!.Properties!.EnableKeyRotation).toBe(true);
  });

  it('lets SES publish to the topic and use its key only for this configuration set in this account', () => {
    const [topicId] = feedbackTopic();
    const [, topicPolicy] = ofType(r, 'AWS::SNS::TopicPolicy').find(([, p]) => p.Properties!.Topics.some((t: Ref) => t.Ref === topicId))!;
    const fromSes = (s: PolicyStatement) => s.Principal?.Service === 'ses.amazonaws.com';
    const publish = (topicPolicy.Properties!.PolicyDocument.Statement as PolicyStatement[]).filter(fromSes);
    expect(publish).toEqual([expect.objectContaining({ Effect: 'Allow', Action: 'sns:Publish', Resource: { Ref: topicId } })]);
    // CDK names the set by its Ref, the stack by its literal name: the same ARN.
    const { 'AWS:SourceAccount': account, 'AWS:SourceArn': sourceArn } = publish[0]!.Condition!.StringEquals;
    expect(account).toEqual({ Ref: 'AWS::AccountId' });
    expect(JSON.stringify(sourceArn)).toContain(`":configuration-set/",{"Ref":"${only('AWS::SES::ConfigurationSet')[0]}"}`);
    const keyUse = (r[keyId()]!.Properties!.KeyPolicy.Statement as PolicyStatement[]).filter(fromSes);
    expect(keyUse).toEqual([
      expect.objectContaining({ Effect: 'Allow', Action: ['kms:GenerateDataKey*', 'kms:Decrypt'], Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' }, 'aws:SourceArn': CONFIGURATION_SET_ARN } } }),
    ]);
  });

  it('has the mail-feedback function take the topic, what fails after two retries, and what SNS cannot deliver, going to an alarmed DLQ', () => {
    const [topicId] = feedbackTopic();
    const [fnId] = fnByName('mail-feedback');
    const [, subscription] = only('AWS::SNS::Subscription');
    expect(subscription.Properties).toMatchObject({ Protocol: 'lambda', TopicArn: { Ref: topicId }, Endpoint: { 'Fn::GetAtt': [fnId, 'Arn'] } });
    const dlqArn = subscription.Properties.RedrivePolicy.deadLetterTargetArn;
    const dlqId = dlqArn['Fn::GetAtt'][0];
    expect(r[dlqId]!.Properties!.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [keyId(), 'Arn'] });
    const [, invokeConfig] = ofType(r, 'AWS::Lambda::EventInvokeConfig').find(([, c]) => c.Properties!.FunctionName.Ref === fnId)!;
    expect(invokeConfig.Properties).toMatchObject({ MaximumRetryAttempts: 2, DestinationConfig: { OnFailure: { Destination: dlqArn } } });
    const send = statementsOf('mail-feedback').find((s) => actionsOf(s).includes('sqs:SendMessage'))!;
    expect(send.Resource).toEqual(dlqArn);
    const alarm = ofType(r, 'AWS::CloudWatch::Alarm').find(([, a]) => a.Properties!.AlarmName === 'vroegsignaal-mail-feedback-dlq')!;
    expect(alarm[1].Properties!.Dimensions).toEqual([{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlqId, 'QueueName'] } }]);
  });

  it('warns that the default sender domain cannot be verified, and takes the one given instead', () => {
    expect(warningsOf(built.workspace).filter((w) => w.includes('noticeSenderDomain'))).toHaveLength(1);
    const own = build({ policy: defaultsWithAccounts(), workspace: { noticeSenderDomain: 'gemeente.example.nl' } });
    expect(warningsOf(own.workspace).filter((w) => w.includes('noticeSenderDomain'))).toEqual([]);
    const resources = resourcesOf(own.workspace);
    expect(ofType(resources, 'AWS::SES::EmailIdentity')[0]![1].Properties!.EmailIdentity).toBe('gemeente.example.nl');
    const notify = ofType(resources, 'AWS::Lambda::Function').find(([, f]) => f.Properties!.FunctionName === 'vroegsignaal-notify')![1];
    expect(notify.Properties!.Environment.Variables[ENV.noticeSenderAddress]).toBe('Vroegsignaal <meldingen@gemeente.example.nl>');
    expect(JSON.stringify(resources)).toContain('"ses:FromAddress":"meldingen@gemeente.example.nl"');
  });
});

describe('notify', () => {
  it('takes RULES.memberNotices from the pipeline bus into its own encrypted buffer, with a DLQ for what cannot be delivered', () => {
    const [, rule] = notifyRule();
    expect(rule.Properties!.EventPattern).toEqual(RULES.memberNotices.pattern);
    expect(rule.Properties!.EventBusName['Fn::ImportValue']).toMatch(/BusesPipeline/);
    const [target] = rule.Properties!.Targets;
    const buffer = r[target.Arn['Fn::GetAtt'][0]]!;
    expect(buffer.Properties!.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [keyId(), 'Arn'] });
    expect(target.DeadLetterConfig.Arn).toEqual(buffer.Properties!.RedrivePolicy.deadLetterTargetArn);
  });

  it('reads the buffer in batches with partial failures, two invocations at most, and dead-letters a record itself on its last attempt', () => {
    const [fnId, fn] = fnByName('notify');
    const [, mapping] = only('AWS::Lambda::EventSourceMapping');
    expect(mapping.Properties).toMatchObject({ FunctionName: { Ref: fnId }, BatchSize: 10, FunctionResponseTypes: ['ReportBatchItemFailures'], ScalingConfig: { MaximumConcurrency: 2 } });
    const bufferId = mapping.Properties.EventSourceArn['Fn::GetAtt'][0];
    const dlqId = r[bufferId]!.Properties!.RedrivePolicy.deadLetterTargetArn['Fn::GetAtt'][0];
    expect(fn.Properties!.Environment.Variables[ENV.deadLetterQueueUrl]).toEqual({ Ref: dlqId });
  });

  it('has alarms on its DLQ, the age of its buffer and its errors, to the pipeline\'s alarm topic', () => {
    const alarms = ofType(r, 'AWS::CloudWatch::Alarm').filter(([, a]) => /-(member-notices-dlq|member-notices-buffer-age|notify-errors|notice-digest-errors|mail-feedback-errors)$/.test(a.Properties!.AlarmName));
    expect(alarms.map(([, a]) => a.Properties!.AlarmName).sort()).toEqual(
      ['vroegsignaal-mail-feedback-errors', 'vroegsignaal-member-notices-buffer-age', 'vroegsignaal-member-notices-dlq', 'vroegsignaal-notice-digest-errors', 'vroegsignaal-notify-errors'].sort(),
    );
    for (const [, alarm] of alarms) expect(alarm.Properties!.AlarmActions[0]['Fn::ImportValue']).toMatch(/MonitoringAlarms/);
  });
});

describe('the digest', () => {
  it('runs at every quarter hour, invoking its function, retried only within the quarter hour', () => {
    const [, schedule] = ofType(r, 'AWS::Scheduler::Schedule').find(([, s]) => s.Properties!.Name === 'vroegsignaal-notice-digest')!;
    const [fnId] = fnByName('notice-digest');
    expect(schedule.Properties!.ScheduleExpression).toBe('cron(0/15 * * * ? *)');
    expect(schedule.Properties!.FlexibleTimeWindow).toEqual({ Mode: 'OFF' });
    expect(schedule.Properties!.Target.Arn).toEqual({ 'Fn::GetAtt': [fnId, 'Arn'] });
    expect(schedule.Properties!.Target.RetryPolicy).toEqual({ MaximumEventAgeInSeconds: 600, MaximumRetryAttempts: 2 });
    const [, invokeConfig] = ofType(r, 'AWS::Lambda::EventInvokeConfig').find(([, c]) => c.Properties!.FunctionName.Ref === fnId)!;
    expect(invokeConfig.Properties).toMatchObject({ MaximumEventAgeInSeconds: 600, MaximumRetryAttempts: 2 });
  });
});

describe('least privilege of the notice functions', () => {
  // Written out here as a second account of what each function does; the construct derives its
  // grants from NOTICE_TABLE_ACCESS in member-notices.ts.
  const ONCE = 'IDEMPOTENCY#notify*';
  const FEEDBACK: Record<string, string[]> = {
    'dynamodb:GetItem': ['MEMBERS*', ONCE],
    'dynamodb:PutItem': [ONCE],
    'dynamodb:UpdateItem': ['MEMBERS*', ONCE],
    'dynamodb:DeleteItem': [ONCE],
    'dynamodb:Query': ['MEMBERS*'],
  };
  const EXPECTED: Record<NoticeFunction, Record<string, string[]>> = {
    notify: { ...FEEDBACK, 'dynamodb:GetItem': ['ALERT#*', 'MEMBERS*', ONCE], 'dynamodb:PutItem': ['NOTICES#*', ONCE] },
    'notice-digest': { ...FEEDBACK, 'dynamodb:PutItem': ['NOTICES#*', ONCE] },
    // It tells coordinators (service mail), which is not a notice a member's log lists.
    'mail-feedback': FEEDBACK,
  };

  it.each(FUNCTIONS)('%s may send mail only From the sender, only through this identity and configuration set', (name) => {
    const ses = statementsOf(name).filter((s) => actionsOf(s).some((a) => a.startsWith('ses:')));
    expect(ses).toEqual([{ Effect: 'Allow', Action: 'ses:SendEmail', Resource: [IDENTITY_ARN(), CONFIGURATION_SET_ARN], Condition: { StringEquals: { 'ses:FromAddress': SENDER } } }]);
    const variables = fnByName(name)[1].Properties!.Environment.Variables;
    expect(variables[ENV.noticeSenderAddress]).toBe(`Vroegsignaal <${SENDER}>`);
    expect(variables[ENV.sesConfigurationSet]).toBe('vroegsignaal-notices');
  });

  it('grants no SES wildcard, in action or identity, anywhere in the stack', () => {
    const statements = ofType(r, 'AWS::IAM::Policy').flatMap(([, p]) => p.Properties!.PolicyDocument.Statement as PolicyStatement[]);
    const ses = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('ses:')));
    expect(ses).toHaveLength(FUNCTIONS.length);
    for (const statement of ses) {
      expect(actionsOf(statement)).toEqual(['ses:SendEmail']);
      expect(JSON.stringify(statement.Resource)).not.toMatch(/\*/);
    }
  });

  it.each(FUNCTIONS)('%s may use only the table actions it calls, each on the kinds of item it touches', (name) => {
    const tableId = ofType(resourcesOf(built.pipeline), 'AWS::DynamoDB::Table')[0]![0];
    const onTable = statementsOf(name).filter((s) => actionsOf(s).some((a) => a.startsWith('dynamodb:')) && !JSON.stringify(s.Resource).includes('/index/'));
    const granted: Record<string, string[]> = {};
    for (const statement of onTable) {
      expect(JSON.stringify(statement.Resource)).toContain(tableId);
      expect(Object.keys(statement.Condition!)).toEqual(['ForAllValues:StringLike']);
      for (const action of actionsOf(statement)) {
        expect(granted[action], `${action} granted twice`).toBeUndefined();
        granted[action] = [statement.Condition!['ForAllValues:StringLike']['dynamodb:LeadingKeys']].flat();
      }
    }
    expect(granted).toEqual(EXPECTED[name]);
  });

  it('lets only the digest query an index: the open alerts by team', () => {
    for (const name of FUNCTIONS) {
      const indexed = statementsOf(name).filter((s) => JSON.stringify(s.Resource).includes('/index/'));
      if (name !== 'notice-digest') {
        expect(indexed, name).toEqual([]);
        continue;
      }
      expect(indexed).toHaveLength(1);
      expect(indexed[0]!.Action).toBe('dynamodb:Query');
      expect(JSON.stringify(indexed[0]!.Resource)).toContain(`/index/${INDEXES.openByTeam.name}"`);
    }
  });

  it.each(FUNCTIONS)('%s does nothing else: no bus, no secret, no queue but its own buffer and dead letters', (name) => {
    const statements = statementsOf(name);
    const others = statements.flatMap(actionsOf).filter((a) => !/^(dynamodb|ses|logs|xray|appconfig|sqs|kms):/.test(a));
    expect(others).toEqual([]);
    const [, mapping] = only('AWS::Lambda::EventSourceMapping');
    const buffer = mapping.Properties.EventSourceArn;
    const ownQueues = name === 'notify' ? [buffer, r[buffer['Fn::GetAtt'][0]]!.Properties!.RedrivePolicy.deadLetterTargetArn] : name === 'mail-feedback' ? [only('AWS::SNS::Subscription')[1].Properties.RedrivePolicy.deadLetterTargetArn] : [];
    for (const statement of statements.filter((s) => actionsOf(s).some((a) => a.startsWith('sqs:')))) expect(ownQueues, name).toContainEqual(statement.Resource);
    for (const statement of statements.filter((s) => actionsOf(s).some((a) => a.startsWith('kms:')))) {
      // The household table's key, through DynamoDB only (bindTable); otherwise this concern's own key.
      if (JSON.stringify(statement.Condition ?? {}).includes('"dynamodb."')) continue;
      expect(statement.Resource, name).toEqual({ 'Fn::GetAtt': [keyId(), 'Arn'] });
    }
  });

  it.each(FUNCTIONS)('%s gets every environment variable its code reads, and no other of ours, its links to the workspace', (name) => {
    const ours = new Set<string>(Object.values(ENV));
    const source = readFileSync(new URL(`../../functions/${name}/index.ts`, import.meta.url), 'utf8');
    const keys = [...source.matchAll(/ENV\.(\w+)/g)].map((m) => ENV[m[1] as keyof typeof ENV]);
    if (source.includes('AppConfigPolicy')) keys.push(ENV.policyApplication, ENV.policyEnvironment, ENV.policyProfile);
    if (source.includes('deadLetterPolicy')) keys.push(ENV.deadLetterQueueUrl, ENV.deadLetterAfterReceives);
    if (source.includes('noticeFunctionDeps')) keys.push(ENV.tableName, ENV.workspacePublicOrigin, ENV.noticeSenderAddress, ENV.sesConfigurationSet);
    const [, fn] = fnByName(name);
    const variables = Object.keys(fn.Properties!.Environment.Variables).filter((k) => ours.has(k));
    expect(variables.sort()).toEqual([...new Set(keys)].sort());
    const [distributionId] = only('AWS::CloudFront::Distribution');
    expect(fn.Properties!.Environment.Variables[ENV.workspacePublicOrigin]).toEqual({ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }]] });
  });
});

describe('in production', () => {
  it('keeps the notices\' key and the functions\' logs when the stack goes', () => {
    const resources = resourcesOf(build({ policy: defaultsWithAccounts(), production: true }).workspace);
    const [, key] = ofType(resources, 'AWS::KMS::Key').find(([, k]) => String(k.Properties!.Description).includes('member notices'))!;
    expect(key.DeletionPolicy).toBe('Retain');
    const logGroups = ofType(resources, 'AWS::Logs::LogGroup').filter(([, g]) => FUNCTIONS.some((name) => g.Properties!.LogGroupName === `/aws/lambda/vroegsignaal-${name}`));
    expect(logGroups.map(([, g]) => g.DeletionPolicy)).toEqual(['Retain', 'Retain', 'Retain']);
  });
});

describe('cdk-nag', () => {
  it('leaves nothing unacknowledged in the notices', () => {
    built.app.synth();
    const report = new AwsSolutionsChecks().validateScope(built.workspace);
    const ours = report.violations.flatMap((v) => v.violatingResources.map((res) => `${v.ruleName} ${res.constructPath}`)).filter((f) => f.includes('/MemberNotices/'));
    expect(ours).toEqual([]);
  });
});
