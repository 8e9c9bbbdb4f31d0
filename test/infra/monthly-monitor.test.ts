/**
 * The monthly monitor in the workspace stack's template: the schedule (the 1st, 06:00 Amsterdam
 * time) runs its function, which may query the month index, put reports and publish notices
 * and nothing else; the bucket and topic encrypt with a customer-managed key that rotates, the
 * bucket blocks public access, takes TLS only, keeps versions and logs its access; cdk-nag finds
 * nothing unacknowledged in it.
 */
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV, INDEXES } from '@vroegsignaal/adapters';
import type { BuiltApp } from '@vroegsignaal/infra';
import { build, defaultsWithAccounts, ofType, type PolicyStatement, type Resources, resourcesOf, type TemplateObject } from './support.ts';

let built: BuiltApp;
let r: Resources;
beforeAll(() => {
  built = build({ policy: defaultsWithAccounts() });
  r = resourcesOf(built.workspace);
});

const monitorFunction = () => ofType(r, 'AWS::Lambda::Function').find(([, f]) => f.Properties!.FunctionName === 'vroegsignaal-monthly-monitor')!;
const reportsBucket = () => ofType(r, 'AWS::S3::Bucket').find(([, b]) => b.Properties!.VersioningConfiguration !== undefined)!;
const keyId = () => ofType(r, 'AWS::KMS::Key').find(([, k]) => String(k.Properties!.Description).includes('monthly monitor'))![0];

describe('the monthly monitor', () => {
  it('runs on the 1st of every month at 06:00 Europe/Amsterdam, invoking its function', () => {
    const [, schedule] = ofType(r, 'AWS::Scheduler::Schedule').find(([, s]) => s.Properties!.Name === 'vroegsignaal-monthly-monitor')!;
    expect(schedule!.Properties!.ScheduleExpression).toBe('cron(0 6 1 * ? *)');
    expect(schedule!.Properties!.ScheduleExpressionTimezone).toBe('Europe/Amsterdam');
    expect(schedule!.Properties!.Target.Arn).toEqual({ 'Fn::GetAtt': [monitorFunction()[0], 'Arn'] });
  });

  it('files into a bucket encrypted with its own rotating key, private, TLS only, versioned and access-logged', () => {
    const [id, bucket] = reportsBucket();
    const sse = bucket.Properties!.BucketEncryption.ServerSideEncryptionConfiguration[0];
    expect(sse.ServerSideEncryptionByDefault).toEqual({ SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [keyId(), 'Arn'] } });
    expect(bucket.Properties!.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    expect(bucket.Properties!.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(bucket.Properties!.LoggingConfiguration.DestinationBucketName).toBeDefined();
    const [, bucketPolicy] = ofType(r, 'AWS::S3::BucketPolicy').find(([, p]) => JSON.stringify(p.Properties!.Bucket) === JSON.stringify({ Ref: id }))!;
    expect(bucketPolicy.Properties!.PolicyDocument.Statement).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    const [, key] = ofType(r, 'AWS::KMS::Key').find(([k]) => k === keyId())!;
    expect(key.Properties!.EnableKeyRotation).toBe(true);
  });

  it('notifies on a topic encrypted with the same key', () => {
    const [, topic] = ofType(r, 'AWS::SNS::Topic').find(([, t]) => t.Properties!.TopicName === 'vroegsignaal-monitor-notices')!;
    expect(topic.Properties!.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [keyId(), 'Arn'] });
  });

  it('may query the month index, put reports, publish notices and use the key for them, and nothing else', () => {
    const [, fn] = monitorFunction();
    const variables = fn.Properties!.Environment.Variables as Record<string, unknown>;
    for (const name of [ENV.tableName, ENV.monitorBucketName, ENV.monitorTopicArn]) expect(variables[name]).toBeDefined();
    const roleId = (fn.Properties!.Role as TemplateObject)['Fn::GetAtt'][0];
    const statements = ofType(r, 'AWS::IAM::Policy')
      .filter(([, p]) => (p.Properties!.Roles as { Ref: string }[]).some((role) => role.Ref === roleId))
      .flatMap(([, p]) => p.Properties!.PolicyDocument.Statement as PolicyStatement[]);
    const actions = statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])).sort();
    expect(actions).toEqual(
      ['appconfig:GetLatestConfiguration', 'appconfig:StartConfigurationSession', 'dynamodb:Query', 'kms:Decrypt', 'kms:GenerateDataKey', 'logs:CreateLogStream', 'logs:PutLogEvents', 's3:PutObject', 'sns:Publish', 'xray:PutTelemetryRecords', 'xray:PutTraceSegments'].sort(),
    );
    const query = statements.find((s) => s.Action === 'dynamodb:Query')!;
    expect(JSON.stringify(query.Resource)).toContain(`/index/${INDEXES.byMonth.name}`);
  });

  it('leaves cdk-nag nothing unacknowledged', () => {
    built.app.synth();
    const report = new AwsSolutionsChecks().validateScope(built.workspace);
    const ours = report.violations.flatMap((v) => v.violatingResources.map((res) => `${v.ruleName} ${res.constructPath}`)).filter((f) => f.includes('/MonthlyMonitor/'));
    expect(ours).toEqual([]);
  });
});
