/**
 * Partner outcome forwarding for one group of partners (lib/stack-plan.ts): one rule per
 * partner on the pipeline bus, to the partner's own default bus. Kept out of the pipeline
 * stack, so that a few hundred partners cannot push it towards CloudFormation's 500 resources.
 */
import { Stack, type StackProps } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import { PartnerOutcomes } from '../constructs/partner-outcomes.ts';
import type { PartnerGrant } from '../lib/partner-shards.ts';

export interface PartnersStackProps extends StackProps {
  readonly namePrefix: string;
  readonly pipelineBusName: string;
  readonly partners: readonly PartnerGrant[];
  readonly alarmAction: cloudwatch.IAlarmAction;
  readonly groupName: string;
  readonly production?: boolean;
}

export class PartnersStack extends Stack {
  readonly outcomes: PartnerOutcomes;

  constructor(scope: Construct, id: string, props: PartnersStackProps) {
    super(scope, id, props);
    this.outcomes = new PartnerOutcomes(this, 'Outcomes', {
      namePrefix: props.namePrefix,
      pipelineBusName: props.pipelineBusName,
      partners: props.partners,
      alarmAction: props.alarmAction,
      groupName: props.groupName,
      production: props.production,
    });
  }
}
