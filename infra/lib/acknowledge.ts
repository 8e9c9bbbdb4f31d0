/**
 * Acknowledges a cdk-nag finding on a construct (and everything below it), with the reason a
 * reviewer reads. cdk-nag v3 uses CDK's own `Validations.of(...).acknowledge`; a finding with a
 * detail, like IAM5's wildcards, is acknowledged by its full id, `AwsSolutions-IAM5[Resource::*]`.
 */
import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** A reason shorter than this says nothing a reviewer can check. */
export const MIN_REASON_LENGTH = 20;

export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  if (reason.trim().length < MIN_REASON_LENGTH) {
    throw new Error(`acknowledging ${id} on ${scope.node.path} needs a reason of at least ${MIN_REASON_LENGTH} characters`);
  }
  Validations.of(scope).acknowledge({ id, reason });
}
