/**
 * The household table: one DynamoDB table whose keys and TTL attribute come from the layout the
 * adapters use (packages/adapters/src/table-layout.ts), on demand, with point-in-time recovery,
 * encrypted with a customer-managed key, and protected from deletion in production; with the
 * team inbox's sparse index (INDEXES.openByTeam) and the monitor's (INDEXES.byMonth).
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { INDEXES, TABLE_LAYOUT } from '@vroegsignaal/adapters';
import { dataKey } from './keys.ts';

export interface HouseholdTableProps {
  /** Deletion protection, and RETAIN for the table and its key. @default false */
  readonly production?: boolean;
}

export class HouseholdTable extends Construct {
  readonly table: dynamodb.Table;
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: HouseholdTableProps = {}) {
    super(scope, id);
    const production = props.production ?? false;
    const removalPolicy = production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    this.key = dataKey(this, 'Key', { description: 'household table', removalPolicy });
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: TABLE_LAYOUT.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: TABLE_LAYOUT.sortKey, type: dynamodb.AttributeType.STRING },
      timeToLiveAttribute: TABLE_LAYOUT.timeToLiveAttribute,
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      deletionProtection: production,
      removalPolicy,
    });
    // The team inbox's (openByTeam) and the monitor's (byMonth) indexes: sparse, as only the records
    // they serve carry their keys, and projecting only what their readers use (table-layout.ts).
    for (const index of Object.values(INDEXES)) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: dynamodb.AttributeType.STRING },
        sortKey: { name: index.sortKey, type: index.sortKeyType === 'N' ? dynamodb.AttributeType.NUMBER : dynamodb.AttributeType.STRING },
        projectionType: dynamodb.ProjectionType.INCLUDE,
        nonKeyAttributes: [...index.projected],
      });
    }
  }
}
