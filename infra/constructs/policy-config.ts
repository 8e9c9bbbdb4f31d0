/**
 * Config deployments: the policy (thresholds, routes, teams, partners) is served to the
 * functions by AWS AppConfig. Every new version is checked against a JSON Schema generated
 * from the policy's zod schema before any function sees it, then rolled out gradually (20% of
 * the functions' fetches every 2 minutes, then 10 minutes of baking); if the rollback alarm
 * fires during the rollout or the bake, AppConfig rolls back to the previous version.
 *
 * The functions read it through Powertools parameters (functions/lib/production.ts),
 * re-fetching at most once a minute; locally they read the policy files.
 */
import { CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import * as appconfig from 'aws-cdk-lib/aws-appconfig';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { policyJsonSchema, type Policy } from '@vroegsignaal/policy';
import { policyVersionOf } from '@vroegsignaal/policy';

/** AppConfig's limit on a validator's content ("Content", 0-32,768 characters). */
export const APPCONFIG_VALIDATOR_MAX_CHARS = 32_768;

/** The JSON Schema validator AppConfig runs on every new policy version. */
export function policyValidatorContent(): string {
  const content = JSON.stringify(policyJsonSchema());
  if (content.length > APPCONFIG_VALIDATOR_MAX_CHARS) {
    throw new Error(`the policy JSON Schema is ${content.length} characters; AppConfig validators take at most ${APPCONFIG_VALIDATOR_MAX_CHARS}`);
  }
  return content;
}

export interface PolicyConfigProps {
  readonly namePrefix: string;
  /** The policy to deploy, already checked by loadPolicyDir. */
  readonly policy: Policy;
  /** The alarm that rolls a policy rollout back. */
  readonly rollbackAlarm: cloudwatch.IAlarm;
  /** @default linear, 20% every 2 minutes, 10 minutes' bake */
  readonly rolloutStrategy?: appconfig.RolloutStrategy;
}

export class PolicyConfig extends Construct {
  readonly application: appconfig.Application;
  readonly environment: appconfig.Environment;
  readonly configuration: appconfig.HostedConfiguration;
  readonly deploymentStrategy: appconfig.DeploymentStrategy;
  readonly alarmRole: iam.Role;
  /** The policy version this deployment rolls out (functions/lib/policy-version.ts). */
  readonly version: string;

  constructor(scope: Construct, id: string, props: PolicyConfigProps) {
    super(scope, id);
    this.application = new appconfig.Application(this, 'Application', {
      applicationName: `${props.namePrefix}pipeline`,
      description: 'vroegsignaal: the policy the pipeline functions read',
    });
    // AppConfig reads the rollback alarm's state through this role; it may read that alarm only,
    // and only AppConfig acting for this application of this account may assume it (no
    // confused deputy: another account's AppConfig cannot be pointed at it).
    const stack = Stack.of(this);
    const applicationArn = stack.formatArn({ service: 'appconfig', resource: 'application', resourceName: this.application.applicationId });
    this.alarmRole = new iam.Role(this, 'AlarmRole', {
      assumedBy: new iam.ServicePrincipal('appconfig.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          // The application, or what lies under it (its environments and their deployments).
          ArnLike: { 'aws:SourceArn': [applicationArn, `${applicationArn}/*`] },
        },
      }),
      description: 'Lets AppConfig read the policy rollback alarm',
    });
    this.alarmRole.addToPolicy(new iam.PolicyStatement({ actions: ['cloudwatch:DescribeAlarms'], resources: [props.rollbackAlarm.alarmArn] }));

    this.environment = new appconfig.Environment(this, 'Environment', {
      application: this.application,
      environmentName: 'live',
      description: 'The deployed pipeline',
      monitors: [appconfig.Monitor.fromCloudWatchAlarm(props.rollbackAlarm, this.alarmRole)],
    });
    this.deploymentStrategy = new appconfig.DeploymentStrategy(this, 'Strategy', {
      deploymentStrategyName: `${props.namePrefix}policy-linear-20-every-2min`,
      description: 'Policy rollout: 20% every 2 minutes, then 10 minutes of baking with the rollback alarm',
      rolloutStrategy:
        props.rolloutStrategy ??
        appconfig.RolloutStrategy.linear({ growthFactor: 20, deploymentDuration: Duration.minutes(10), finalBakeTime: Duration.minutes(10) }),
    });
    const content = JSON.stringify(props.policy);
    this.version = policyVersionOf(content);
    this.configuration = new appconfig.HostedConfiguration(this, 'Policy', {
      application: this.application,
      name: 'policy',
      description: 'settings, partners and municipalities (packages/policy)',
      content: appconfig.ConfigurationContent.fromInlineJson(content),
      // The version the functions log and count ERROR lines by: find the deployment by it.
      versionLabel: this.version,
      validators: [appconfig.JsonSchemaValidator.fromInline(policyValidatorContent())],
      deploymentStrategy: this.deploymentStrategy,
      deployTo: [this.environment],
    });
    new CfnOutput(this, 'PolicyVersion', {
      value: this.version,
      description: 'The policy version this deployment rolls out: the policyVersion on the functions\' log lines, and the dimension of ErrorLogLines',
    });
  }
}
