/**
 * ERROR log lines: counted without dimensions for the policy rollback alarm, which must see
 * every one, and counted again by the policy version they were logged under, the label of the
 * AppConfig version this stack deploys, so that an operator can lay them at a deployment's door.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Policy } from '@vroegsignaal/policy';
import { TELEMETRY } from '@vroegsignaal/adapters';
import { policyVersionOf } from '@vroegsignaal/policy';
import { Template } from 'aws-cdk-lib/assertions';
import { build, defaultsWithAccounts, ofType, type Resources, resourcesOf, type ResourceWithProperties, type TemplateObject } from './support.ts';

let policy: Policy;
let r: Resources;
let outputs: Record<string, { Value: unknown; Description?: string }>;
beforeAll(() => {
  policy = defaultsWithAccounts();
  const built = build({ policy });
  r = resourcesOf(built.pipeline);
  outputs = Template.fromStack(built.pipeline).toJSON().Outputs;
});

const FUNCTIONS = ['ingest', 'deliver', 'team-report', 'outcomes'];
const logGroupOf = (name: string) => ofType(r, 'AWS::Logs::LogGroup').find(([, g]) => g.Properties!.LogGroupName === `/aws/lambda/vroegsignaal-${name}`)![0];
const filtersOn = (logGroupId: string) => ofType(r, 'AWS::Logs::MetricFilter').filter(([, f]) => f.Properties!.LogGroupName.Ref === logGroupId).map(([, f]) => f.Properties!);

describe('ERROR log lines', () => {
  it.each(FUNCTIONS)('of %s are counted once without dimensions and once by policy version', (name) => {
    const filters = filtersOn(logGroupOf(name));
    expect(filters).toHaveLength(2);
    const plain = filters.find((f) => !f.MetricTransformations[0].Dimensions);
    expect(plain).toMatchObject({
      FilterPattern: '{ $.level = "ERROR" }',
      MetricTransformations: [{ MetricNamespace: TELEMETRY.metricsNamespace, MetricName: 'ErrorLogLines', MetricValue: '1' }],
    });
    const byVersion = filters.find((f) => f.MetricTransformations[0].Dimensions);
    expect(byVersion).toMatchObject({
      FilterPattern: '{ ($.level = "ERROR") && ($.policyVersion = "*") }',
      MetricTransformations: [
        { MetricNamespace: TELEMETRY.metricsNamespace, MetricName: 'ErrorLogLines', MetricValue: '1', Dimensions: [{ Key: 'policyVersion', Value: '$.policyVersion' }] },
      ],
    });
    expect(TELEMETRY.policyVersionField).toBe('policyVersion');
  });

  it('reach the rollback alarm through the count without dimensions, next to every function\'s errors', () => {
    const [[, alarm]] = ofType(r, 'AWS::CloudWatch::Alarm').filter(([, a]) => a.Properties!.AlarmName === 'vroegsignaal-policy-rollback') as [[string, ResourceWithProperties]];
    const lines = alarm.Properties.Metrics.find((m: TemplateObject) => m.MetricStat?.Metric.MetricName === 'ErrorLogLines');
    expect(lines.MetricStat).toEqual({ Metric: { MetricName: 'ErrorLogLines', Namespace: TELEMETRY.metricsNamespace }, Period: 60, Stat: 'Sum' });
    const expression = alarm.Properties.Metrics.find((m: TemplateObject) => m.Expression);
    expect(expression.Expression).toContain(`FILL(${lines.Id}, 0)`);
    expect(expression.ReturnData).toBe(true);
  });

  it('by version are on the dashboard, and in the saved errors query', () => {
    const [[, dashboard]] = ofType(r, 'AWS::CloudWatch::Dashboard') as [[string, ResourceWithProperties]];
    expect(JSON.stringify(dashboard.Properties.DashboardBody)).toContain('{Vroegsignaal,policyVersion} MetricName=\\\\\\"ErrorLogLines\\\\\\"');
    const errors = ofType(r, 'AWS::Logs::QueryDefinition').find(([, q]) => String(q.Properties!.Name).endsWith('/errors'))!;
    expect(errors[1].Properties!.QueryString).toContain('policyVersion');
  });
});

describe('the policy version', () => {
  it('labels the AppConfig version this stack deploys, computed from its content the way the functions compute it, and is a stack output', () => {
    const [[, version]] = ofType(r, 'AWS::AppConfig::HostedConfigurationVersion') as [[string, ResourceWithProperties]];
    expect(version.Properties.Content).toBe(JSON.stringify(policy));
    expect(version.Properties.VersionLabel).toBe(policyVersionOf(version.Properties.Content));
    expect(version.Properties.VersionLabel).toMatch(/^p-[0-9a-f]{12}$/);
    const output = Object.values(outputs).find((o) => o.Description?.startsWith('The policy version this deployment rolls out'));
    expect(output?.Value).toBe(version.Properties.VersionLabel);
  });
});
