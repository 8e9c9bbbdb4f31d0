/**
 * Customer-managed KMS keys: one per concern (table, household secret, buffers, team queues,
 * archive, alarms), so that a grant on one never opens another, with yearly rotation.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';

export interface DataKeyProps {
  readonly description: string;
  /** RETAIN in production: data encrypted under a deleted key is lost. @default DESTROY */
  readonly removalPolicy?: RemovalPolicy;
  /** The whole key policy, instead of CDK's default (the account root may do anything). @default CDK's */
  readonly policy?: iam.PolicyDocument;
}

export function dataKey(scope: Construct, id: string, props: DataKeyProps): kms.Key {
  return new kms.Key(scope, id, {
    description: `vroegsignaal: ${props.description}`,
    enableKeyRotation: true,
    removalPolicy: props.removalPolicy ?? RemovalPolicy.DESTROY,
    pendingWindow: Duration.days(30),
    policy: props.policy,
  });
}
