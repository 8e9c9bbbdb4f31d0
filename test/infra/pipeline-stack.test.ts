/**
 * The pipeline stack, synthesized once from the shipped policy with an account per partner:
 * what holds data is encrypted and recoverable, every queue has a DLQ and every DLQ an alarm,
 * every function has the house defaults and exactly the environment its code reads, partners
 * can only send with their own source, and the policy reaches AppConfig validated, gradually,
 * with rollback.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { RULES } from '@vroegsignaal/events';
import { INDEXES, TABLE_LAYOUT } from '@vroegsignaal/adapters';
import { policyJsonSchema, type Policy } from '@vroegsignaal/policy';
import { ENV } from '@vroegsignaal/adapters';
import { APPCONFIG_VALIDATOR_MAX_CHARS } from '@vroegsignaal/infra';
import { EVENT_BUS_POLICY_BUDGET_CHARS } from '@vroegsignaal/infra';
import { STAGE_MAX_CONCURRENCY } from '@vroegsignaal/infra';
import { build, defaultsWithAccounts, ofType, type PolicyStatement, type Ref, resolvePseudo, type Resources, resourcesOf, type ResourceWithProperties, type TemplateObject } from './support.ts';

let policy: Policy;
let r: Resources;
const FUNCTIONS = ['ingest', 'deliver', 'team-report', 'outcomes'] as const;

beforeAll(() => {
  policy = defaultsWithAccounts();
  r = resourcesOf(build({ policy }).pipeline);
});

const logicalIdOf = (type: string, match: (props: TemplateObject) => boolean) => {
  const found = ofType(r, type).filter(([, res]) => match(res.Properties ?? {}));
  expect(found, `one ${type}`).toHaveLength(1);
  return found[0]![0];
};
const fnByName = (name: string) => ofType(r, 'AWS::Lambda::Function').find(([, f]) => f.Properties!.FunctionName === `vroegsignaal-${name}`)!;
const roleOf = (name: string) => fnByName(name)[1].Properties!.Role['Fn::GetAtt'][0] as string;
const policiesOfRole = (roleId: string) =>
  ofType(r, 'AWS::IAM::Policy')
    .filter(([, p]) => p.Properties!.Roles.some((ref: Ref) => ref.Ref === roleId))
    .flatMap(([, p]) => p.Properties!.PolicyDocument.Statement as PolicyStatement[]);
const ruleFor = (rule: (typeof RULES)[keyof typeof RULES]) => ofType(r, 'AWS::Events::Rule').find(([, x]) => x.Properties!.Description === rule.description)!;
/** The stages' rules; the member-notices rule is the workspace stack's (member-notices.test.ts). */
const STAGE_RULES = Object.values(RULES).filter((rule) => rule !== RULES.memberNotices);

describe('household table', () => {
  it('uses the adapters\' key layout and TTL attribute, on demand, with point-in-time recovery', () => {
    const [[, table]] = ofType(r, 'AWS::DynamoDB::Table') as [[string, ResourceWithProperties]];
    expect(table.Properties.KeySchema).toEqual([
      { AttributeName: TABLE_LAYOUT.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE_LAYOUT.sortKey, KeyType: 'RANGE' },
    ]);
    expect(table.Properties.TimeToLiveSpecification).toEqual({ AttributeName: TABLE_LAYOUT.timeToLiveAttribute, Enabled: true });
    expect(table.Properties.BillingMode).toBe('PAY_PER_REQUEST');
    expect(table.Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
  });

  it("has the team inbox's sparse index on the adapters' attributes, projecting an inbox row only: no life, household reference or signalIds", () => {
    const [[, table]] = ofType(r, 'AWS::DynamoDB::Table') as [[string, ResourceWithProperties]];
    const inbox = INDEXES.openByTeam;
    expect(table.Properties.GlobalSecondaryIndexes).toContainEqual({
      IndexName: inbox.name,
      KeySchema: [
        { AttributeName: inbox.partitionKey, KeyType: 'HASH' },
        { AttributeName: inbox.sortKey, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [...inbox.projected] },
    });
    for (const personal of ['life', 'householdRef', 'signals']) expect(inbox.projected).not.toContain(personal);
  });

  it("has the monitor's sparse month index on the adapters' attributes (a numeric time), and no other index", () => {
    const [[, table]] = ofType(r, 'AWS::DynamoDB::Table') as [[string, ResourceWithProperties]];
    const byMonth = INDEXES.byMonth;
    expect(table.Properties.GlobalSecondaryIndexes).toContainEqual({
      IndexName: byMonth.name,
      KeySchema: [
        { AttributeName: byMonth.partitionKey, KeyType: 'HASH' },
        { AttributeName: byMonth.sortKey, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [...byMonth.projected] },
    });
    expect(table.Properties.AttributeDefinitions).toContainEqual({ AttributeName: byMonth.sortKey, AttributeType: 'N' });
    expect(table.Properties.GlobalSecondaryIndexes.map((i: { IndexName: string }) => i.IndexName)).toEqual([INDEXES.openByTeam.name, byMonth.name]);
    // What a partner sent beyond codes never reaches it: no contact, address or reason text.
    for (const personal of ['contact', 'address', 'reason', 'state']) expect(byMonth.projected).not.toContain(personal);
  });

  it('is encrypted with a customer-managed key that rotates', () => {
    const [[, table]] = ofType(r, 'AWS::DynamoDB::Table') as [[string, ResourceWithProperties]];
    expect(table.Properties.SSESpecification).toMatchObject({ SSEEnabled: true, SSEType: 'KMS' });
    const keyId = table.Properties.SSESpecification.KMSMasterKeyId['Fn::GetAtt'][0];
    expect(r[keyId]).toMatchObject({ Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true } });
  });

  it('is not deletion-protected outside production (see production.test.ts)', () => {
    const [[, table]] = ofType(r, 'AWS::DynamoDB::Table') as [[string, ResourceWithProperties]];
    expect(table.Properties.DeletionProtectionEnabled ?? false).toBe(false);
  });
});

describe('household key secret', () => {
  it('is 64 generated characters in Secrets Manager, encrypted with its own customer-managed key', () => {
    const [[, secret]] = ofType(r, 'AWS::SecretsManager::Secret') as [[string, ResourceWithProperties]];
    expect(secret.Properties.GenerateSecretString).toMatchObject({ PasswordLength: 64, ExcludePunctuation: true });
    const keyId = secret.Properties.KmsKeyId['Fn::GetAtt'][0];
    expect(r[keyId]).toMatchObject({ Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true } });
    const tableKey = ofType(r, 'AWS::DynamoDB::Table')[0]![1].Properties!.SSESpecification.KMSMasterKeyId['Fn::GetAtt'][0];
    expect(keyId).not.toBe(tableKey);
  });
});

describe('keys and queues', () => {
  it('rotates every customer-managed key', () => {
    const keys = ofType(r, 'AWS::KMS::Key');
    expect(keys.length).toBeGreaterThanOrEqual(6);
    for (const [, key] of keys) expect(key.Properties!.EnableKeyRotation).toBe(true);
  });

  it('encrypts every queue with a customer-managed key and refuses plain HTTP to it', () => {
    const queues = ofType(r, 'AWS::SQS::Queue');
    expect(queues).toHaveLength(8);
    const policies = ofType(r, 'AWS::SQS::QueuePolicy');
    for (const [id, queue] of queues) {
      expect(r[queue.Properties!.KmsMasterKeyId['Fn::GetAtt'][0]]!.Type).toBe('AWS::KMS::Key');
      const tlsOnly = policies.some(([, p]) =>
        p.Properties!.Queues.some((q: Ref) => q.Ref === id) &&
        p.Properties!.PolicyDocument.Statement.some((s: PolicyStatement) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false'),
      );
      expect(tlsOnly, `${id} TLS only`).toBe(true);
    }
  });

  it("dead-letters a record with its reason on the 5th attempt, with the queue's redrive one receive later as a backstop", () => {
    const buffers = ofType(r, 'AWS::SQS::Queue').filter(([, q]) => q.Properties!.RedrivePolicy);
    expect(buffers).toHaveLength(4);
    for (const [, buffer] of buffers) {
      expect(buffer.Properties!.RedrivePolicy.maxReceiveCount).toBe(6);
      expect(buffer.Properties!.VisibilityTimeout).toBe(6 * 30);
    }
    for (const name of FUNCTIONS) {
      const variables = fnByName(name)[1].Properties!.Environment.Variables;
      expect(variables[ENV.deadLetterAfterReceives], name).toBe('5');
      expect(variables[ENV.deadLetterQueueUrl], name).toBeDefined();
      const send = policiesOfRole(roleOf(name)).filter((st) => [st.Action].flat().includes('sqs:SendMessage'));
      expect(send.length, name).toBeGreaterThan(0);
    }
  });
});

describe('stages', () => {
  it('uses the rule patterns the local bus uses, on the bus each rule names', () => {
    for (const rule of STAGE_RULES) {
      const [, cfn] = ruleFor(rule);
      expect(cfn.Properties!.EventPattern).toEqual(rule.pattern);
      const busId = logicalIdOf('AWS::Events::EventBus', (p) => p.Name === `vroegsignaal-${rule.bus}`);
      expect(cfn.Properties!.EventBusName).toEqual({ Ref: busId });
    }
  });

  it('sends what the rule cannot deliver to the stage DLQ, and the buffer to the function with partial batch responses', () => {
    const mappings = ofType(r, 'AWS::Lambda::EventSourceMapping');
    expect(mappings).toHaveLength(4);
    for (const rule of STAGE_RULES) {
      const [, cfn] = ruleFor(rule);
      const [target] = cfn.Properties!.Targets;
      const bufferId = target.Arn['Fn::GetAtt'][0];
      const buffer = r[bufferId]!;
      expect(target.DeadLetterConfig.Arn).toEqual(buffer.Properties!.RedrivePolicy.deadLetterTargetArn);
      const [, mapping] = mappings.find(([, m]) => m.Properties!.EventSourceArn['Fn::GetAtt'][0] === bufferId)!;
      expect(mapping.Properties).toMatchObject({ BatchSize: 10, FunctionResponseTypes: ['ReportBatchItemFailures'] });
    }
  });

  it('caps each stage\'s concurrency at the event source, ingest at 10 to spare the household table', () => {
    const max = (name: string) => {
      const fnId = fnByName(name)[0];
      const [, mapping] = ofType(r, 'AWS::Lambda::EventSourceMapping').find(([, m]) => m.Properties!.FunctionName.Ref === fnId)!;
      return mapping.Properties!.ScalingConfig.MaximumConcurrency;
    };
    expect(max('ingest')).toBe(STAGE_MAX_CONCURRENCY.ingest);
    expect(max('deliver')).toBe(STAGE_MAX_CONCURRENCY.deliver);
    expect(max('team-report')).toBe(STAGE_MAX_CONCURRENCY.teamReport);
    expect(max('outcomes')).toBe(STAGE_MAX_CONCURRENCY.outcomes);
  });
});

describe('functions', () => {
  it('all have the house defaults: Node 24 on arm64, tracing, own log group kept a month', () => {
    const fns = ofType(r, 'AWS::Lambda::Function');
    expect(fns).toHaveLength(4);
    for (const [, fn] of fns) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        Handler: 'index.handler',
        MemorySize: 512,
        Timeout: 30,
      });
      expect(fn.Properties!.Environment.Variables.NODE_OPTIONS).toBe('--enable-source-maps');
      const logGroup = r[fn.Properties!.LoggingConfig.LogGroup.Ref]!;
      expect(logGroup).toMatchObject({ Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 30, LogGroupName: `/aws/lambda/${fn.Properties!.FunctionName}` } });
    }
  });

  it('have no managed policies: each may log to its own log group only', () => {
    expect(ofType(r, 'AWS::IAM::ManagedPolicy')).toEqual([]);
    for (const name of FUNCTIONS) {
      const role = r[roleOf(name)]!;
      expect(role.Properties!.ManagedPolicyArns).toBeUndefined();
      const logs = policiesOfRole(roleOf(name)).find((s) => [s.Action].flat().includes('logs:PutLogEvents'))!;
      expect(logs.Resource!['Fn::GetAtt'][0]).toBe(fnByName(name)[1].Properties!.LoggingConfig.LogGroup.Ref);
    }
  });

  it('get every environment variable their code reads, and no other of ours', () => {
    const ours = new Set<string>(Object.values(ENV));
    for (const name of FUNCTIONS) {
      const source = readFileSync(new URL(`../../functions/${name}/index.ts`, import.meta.url), 'utf8');
      const keys = [...source.matchAll(/ENV\.(\w+)/g)].map((m) => ENV[m[1] as keyof typeof ENV]);
      if (source.includes('AppConfigPolicy')) keys.push(ENV.policyApplication, ENV.policyEnvironment, ENV.policyProfile);
      if (source.includes('householdSecret')) keys.push(ENV.householdSecretArn);
      if (source.includes('deadLetterPolicy')) keys.push(ENV.deadLetterQueueUrl, ENV.deadLetterAfterReceives);
      if (source.includes('teamDispatchPorts')) keys.push(ENV.tableName, ENV.teamQueuePrefix, ENV.pipelineBusArn, ENV.schedulerRoleArn, ENV.scheduleGroup);
      const variables = Object.keys(fnByName(name)[1].Properties!.Environment.Variables).filter((k) => ours.has(k));
      expect(variables.sort(), name).toEqual([...new Set(keys)].sort());
    }
  });

  it('lets only ingest read the household key secret', () => {
    for (const name of FUNCTIONS) {
      const reads = policiesOfRole(roleOf(name)).some((s) => [s.Action].flat().includes('secretsmanager:GetSecretValue'));
      expect(reads, name).toBe(name === 'ingest');
    }
  });

  it('lets ingest and deliver, and no other function, send to team queues by name only, with the team queue key', () => {
    for (const name of FUNCTIONS) {
      const statements = policiesOfRole(roleOf(name));
      const send = statements.find((s) => JSON.stringify(s.Resource).includes(':vroegsignaal-team-*'));
      if (name !== 'ingest' && name !== 'deliver') {
        expect(send, name).toBeUndefined();
        continue;
      }
      expect(send!.Action, name).toEqual(['sqs:SendMessage', 'sqs:GetQueueUrl']);
      const kms = statements.find((s) => [s.Action].flat().includes('kms:GenerateDataKey') && JSON.stringify(s.Condition ?? {}).includes('sqs.'))!;
      expect(kms.Condition!.StringEquals['kms:ViaService'], name).toBeDefined();
    }
  });

  it('reads the policy from its one AppConfig profile only', () => {
    const profileId = logicalIdOf('AWS::AppConfig::ConfigurationProfile', () => true);
    for (const name of ['ingest', 'deliver', 'team-report']) {
      const statement = policiesOfRole(roleOf(name)).find((s) => [s.Action].flat().includes('appconfig:GetLatestConfiguration'))!;
      expect(statement.Action).toEqual(['appconfig:StartConfigurationSession', 'appconfig:GetLatestConfiguration']);
      expect(JSON.stringify(statement.Resource)).toContain(profileId);
      expect(JSON.stringify(statement.Resource)).not.toContain('*');
    }
  });
});

describe('partner ingestion', () => {
  const buses = () => ofType(r, 'AWS::Events::EventBus').filter(([, b]) => b.Properties!.Policy);

  it('lets each partner\'s account put events with its own source only: one statement per partner', () => {
    const statements = buses().flatMap(([, b]) => b.Properties!.Policy.Statement as PolicyStatement[]);
    expect(statements).toHaveLength(policy.partners.length);
    for (const partner of policy.partners) {
      const own = statements.filter((s) => s.Sid === `partner-${partner.id}`);
      expect(own).toHaveLength(1);
      const statement = resolvePseudo(own[0]) as PolicyStatement;
      expect(statement).toMatchObject({
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${partner.accountId}:root` },
        Action: 'events:PutEvents',
        Condition: { StringEquals: { 'events:source': `partner.${partner.id}` } },
      });
      expect(Object.keys(statement.Condition!)).toEqual(['StringEquals']);
    }
  });

  it('keeps every bus policy within the size budget', () => {
    for (const [, bus] of buses()) {
      expect(JSON.stringify(resolvePseudo(bus.Properties!.Policy)).length).toBeLessThanOrEqual(EVENT_BUS_POLICY_BUDGET_CHARS);
    }
  });

  it('forwards everything on a partner ingress bus to the signals bus, with a DLQ', () => {
    const signalsId = logicalIdOf('AWS::Events::EventBus', (p) => p.Name === 'vroegsignaal-signals');
    const ingress = ofType(r, 'AWS::Events::EventBus').filter(([, b]) => String(b.Properties!.Name).startsWith('vroegsignaal-partners-'));
    for (const [busId] of ingress) {
      const [, rule] = ofType(r, 'AWS::Events::Rule').find(([, x]) => x.Properties!.EventBusName?.Ref === busId)!;
      expect(rule.Properties!.EventPattern).toEqual({ source: [{ prefix: 'partner.' }] });
      expect(rule.Properties!.Targets[0].Arn).toEqual({ 'Fn::GetAtt': [signalsId, 'Arn'] });
      expect(rule.Properties!.Targets[0].DeadLetterConfig).toBeDefined();
    }
  });

  it('archives everything the signals bus receives, encrypted with its own key', () => {
    const signalsId = logicalIdOf('AWS::Events::EventBus', (p) => p.Name === 'vroegsignaal-signals');
    const [[, archive]] = ofType(r, 'AWS::Events::Archive') as [[string, ResourceWithProperties]];
    expect(archive.Properties.SourceArn).toEqual({ 'Fn::GetAtt': [signalsId, 'Arn'] });
    expect(archive.Properties.EventPattern).toEqual({ source: [{ prefix: '' }] });
    const keyId = archive.Properties.KmsKeyIdentifier['Fn::GetAtt'][0];
    expect(r[keyId]!.Type).toBe('AWS::KMS::Key');
    // EventBridge may use the key for this bus's archive only.
    const forEvents = r[keyId]!.Properties!.KeyPolicy.Statement.filter((st: PolicyStatement) => st.Principal?.Service === 'events.amazonaws.com');
    expect(forEvents.some((st: PolicyStatement) => st.Condition?.StringEquals?.['kms:EncryptionContext:aws:events:event-bus:arn'])).toBe(true);
  });
});

describe('policy in AppConfig', () => {
  it('validates every version against the JSON Schema generated from the zod schema', () => {
    const [[, profile]] = ofType(r, 'AWS::AppConfig::ConfigurationProfile') as [[string, ResourceWithProperties]];
    const [validator] = profile.Properties.Validators;
    expect(validator.Type).toBe('JSON_SCHEMA');
    expect(JSON.parse(validator.Content)).toEqual(policyJsonSchema());
    expect(validator.Content.length).toBeLessThanOrEqual(APPCONFIG_VALIDATOR_MAX_CHARS);
  });

  it('hosts the policy that was loaded', () => {
    const [[, version]] = ofType(r, 'AWS::AppConfig::HostedConfigurationVersion') as [[string, ResourceWithProperties]];
    expect(version.Properties.ContentType).toBe('application/json');
    expect(JSON.parse(version.Properties.Content)).toEqual(policy);
  });

  it('rolls out gradually and rolls back on the alarm', () => {
    const [[strategyId, strategy]] = ofType(r, 'AWS::AppConfig::DeploymentStrategy') as [[string, ResourceWithProperties]];
    expect(strategy.Properties).toMatchObject({ GrowthType: 'LINEAR', GrowthFactor: 20, DeploymentDurationInMinutes: 10, FinalBakeTimeInMinutes: 10 });
    const [[, deployment]] = ofType(r, 'AWS::AppConfig::Deployment') as [[string, ResourceWithProperties]];
    expect(deployment.Properties.DeploymentStrategyId).toEqual({ Ref: strategyId });
    const [[envId, environment]] = ofType(r, 'AWS::AppConfig::Environment') as [[string, ResourceWithProperties]];
    expect(deployment.Properties.EnvironmentId).toEqual({ Ref: envId });
    const [monitor] = environment.Properties.Monitors;
    const alarm = r[monitor.AlarmArn['Fn::GetAtt'][0]]!;
    expect(alarm.Properties!.AlarmName).toBe('vroegsignaal-policy-rollback');
    // The alarm watches every function's errors.
    const watched = JSON.stringify(alarm.Properties!.Metrics);
    for (const name of FUNCTIONS) expect(watched).toContain(`vroegsignaal-${name}`);
    // AppConfig may read that alarm and nothing else.
    const roleId = monitor.AlarmRoleArn['Fn::GetAtt'][0];
    const [statement] = policiesOfRole(roleId);
    expect(statement).toMatchObject({ Action: 'cloudwatch:DescribeAlarms', Resource: { 'Fn::GetAtt': [monitor.AlarmArn['Fn::GetAtt'][0], 'Arn'] } });
  });
});

describe('operations', () => {
  const alarms = () => ofType(r, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties!);
  const onQueue = (queueId: string, metric: string) =>
    alarms().filter((a) => a.MetricName === metric && a.Dimensions?.some((d: TemplateObject) => d.Name === 'QueueName' && d.Value['Fn::GetAtt']?.[0] === queueId));

  it('alarms on every DLQ as soon as it holds a message', () => {
    const dlqIds = ofType(r, 'AWS::SQS::Queue').filter(([, q]) => !q.Properties!.RedrivePolicy).map(([id]) => id);
    expect(dlqIds).toHaveLength(4);
    for (const id of dlqIds) {
      const [alarm] = onQueue(id, 'ApproximateNumberOfMessagesVisible');
      expect(alarm, id).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', AlarmActions: [expect.anything()] });
    }
  });

  it('alarms when the oldest message in the ingest buffer is older than 5 minutes', () => {
    const [, rule] = ruleFor(RULES.partnerSignals);
    const bufferId = rule.Properties!.Targets[0].Arn['Fn::GetAtt'][0];
    const [alarm] = onQueue(bufferId, 'ApproximateAgeOfOldestMessage');
    expect(alarm).toMatchObject({ Threshold: 300, ComparisonOperator: 'GreaterThanThreshold' });
  });

  it('alarms on each function\'s errors, to the encrypted alarm topic', () => {
    const [[topicId, topic]] = ofType(r, 'AWS::SNS::Topic') as [[string, ResourceWithProperties]];
    expect(topic.Properties.KmsMasterKeyId).toBeDefined();
    for (const name of FUNCTIONS) {
      const alarm = alarms().find((a) => a.MetricName === 'Errors' && a.Dimensions?.[0]?.Value === `vroegsignaal-${name}`);
      expect(alarm, name).toMatchObject({ Namespace: 'AWS/Lambda', AlarmActions: [{ Ref: topicId }] });
    }
  });

  it('has a dashboard with the pipeline\'s own metrics and the queues', () => {
    const [[, dashboard]] = ofType(r, 'AWS::CloudWatch::Dashboard') as [[string, ResourceWithProperties]];
    const body = JSON.stringify(dashboard.Properties.DashboardBody);
    for (const metric of ['EntriesIngested', 'EntriesRejected', 'AlertsSent', 'CapacityExceeded', 'DeliveriesDeferred', 'RecordsDeadLettered', 'TeamReportsRejected', 'NoticesSent', 'MailSwitchedOff', 'ApproximateAgeOfOldestMessage']) {
      expect(body).toContain(metric);
    }
    expect(ofType(r, 'AWS::Logs::QueryDefinition').length).toBeGreaterThanOrEqual(3);
  });

  it('shows the overdue reminders and escalations per team, and the alerts overdue now as reminders minus cleared over every team', () => {
    const [[, dashboard]] = ofType(r, 'AWS::CloudWatch::Dashboard') as [[string, ResourceWithProperties]];
    // The body is a Fn::Join of JSON text and tokens (queue names, the region): the tokens are not what is looked at here.
    const join = dashboard.Properties.DashboardBody['Fn::Join'] as [string, unknown[]];
    const body = JSON.parse(join[1].map((part) => (typeof part === 'string' ? part : 'TOKEN')).join(join[0])) as { widgets: { type: string; properties: Record<string, unknown> }[] };
    const titled = (start: string) => body.widgets.find((w) => String(w.properties.title).startsWith(start))?.properties;
    const search = (metric: string) => `SEARCH('{Vroegsignaal,team,service} MetricName="${metric}"', 'Sum'`;

    expect(JSON.stringify(titled('Overdue reminders sent, by team'))).toContain(search('OverdueReminders').replaceAll('"', '\\"'));
    expect(JSON.stringify(titled('Overdue alerts escalated'))).toContain(search('OverdueEscalations').replaceAll('"', '\\"'));
    const overdueNow = titled('Alerts overdue now');
    expect(overdueNow).toMatchObject({ start: '-P90D', setPeriodToTimeRange: true });
    expect(overdueNow!.metrics).toEqual([
      [{ expression: `FILL(SUM(${search('OverdueReminders')})), 0) - FILL(SUM(${search('OverdueCleared')})), 0)`, label: 'alerts overdue now', period: 90 * 86_400 }],
    ]);
    // Per team only: no dimension of a household or an alert.
    expect(JSON.stringify(body)).not.toMatch(/householdRef|alertId/);
  });
});
