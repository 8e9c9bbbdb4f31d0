/**
 * What a partner may read of the pipeline: the claims of its own signals and the rejections
 * kept beside them, and nothing else. One role per partner with a registered account,
 * assumable from that account, allowed GetItem and BatchGetItem on the household table only
 * for keys that start with `SIG#<partnerId>#` (dynamodb:LeadingKeys): the partner CLI's
 * `outcomes` command, and `push` waiting for its outcomes, read through it.
 */
import { CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { signalClaimPrefix } from '@vroegsignaal/adapters';
import type { PartnerGrant } from '../lib/partner-shards.ts';

export interface PartnerClaimsReaderProps {
  readonly namePrefix: string;
  readonly partner: PartnerGrant;
  readonly table: dynamodb.ITable;
  readonly tableKey: kms.IKey;
}

export class PartnerClaimsReader extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: PartnerClaimsReaderProps) {
    super(scope, id);
    const { partnerId, accountId } = props.partner;
    this.role = new iam.Role(this, 'Role', {
      roleName: `${props.namePrefix}partner-${partnerId}-outcomes`,
      assumedBy: new iam.AccountPrincipal(accountId),
      description: `Partner ${partnerId}: read the outcomes of its own signals`,
      maxSessionDuration: Duration.hours(1),
    });
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'OwnClaims',
        actions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem'],
        resources: [props.table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${signalClaimPrefix(partnerId)}*`] } },
      }),
    );
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'DecryptTable',
        actions: ['kms:Decrypt'],
        resources: [props.tableKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${Stack.of(this).region}.amazonaws.com` } },
      }),
    );
    new CfnOutput(this, 'RoleArn', { value: this.role.roleArn, description: `Role partner ${partnerId} assumes to read its outcomes` });
  }
}
