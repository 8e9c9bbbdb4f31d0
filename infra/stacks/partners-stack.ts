/**
 * What one group of partners (lib/stack-plan.ts) gets back: one rule per partner on the
 * pipeline bus forwarding its outcomes to its own default bus, and one role per partner to
 * read the claims of its own signals. Kept out of the pipeline stack, so that a few hundred
 * partners cannot push it towards CloudFormation's 500 resources.
 */
import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { PartnerClaimsReader } from '../constructs/partner-claims-reader.ts';
import { PartnerOutcomes, type PartnerOutcomesProps } from '../constructs/partner-outcomes.ts';

/** The group's outcome rules (PartnerOutcomesProps), and the table its partners read their claims from. */
export interface PartnersStackProps extends StackProps, PartnerOutcomesProps {
  readonly table: dynamodb.ITable;
  readonly tableKey: kms.IKey;
}

export class PartnersStack extends Stack {
  readonly outcomes: PartnerOutcomes;
  readonly claimsReaders: PartnerClaimsReader[];

  constructor(scope: Construct, id: string, props: PartnersStackProps) {
    super(scope, id, props);
    this.outcomes = new PartnerOutcomes(this, 'Outcomes', props);
    this.claimsReaders = props.partners.map(
      (partner) => new PartnerClaimsReader(this, `Claims-${partner.partnerId}`, { namePrefix: props.namePrefix, partner, table: props.table, tableKey: props.tableKey }),
    );
  }
}
