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
    // The team inbox's index: sparse (only open alerts carry its keys), projecting only an inbox row's attributes.
    const inbox = INDEXES.openByTeam;
    this.table.addGlobalSecondaryIndex({
      indexName: inbox.name,
      partitionKey: { name: inbox.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: inbox.sortKey, type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.INCLUDE,
      nonKeyAttributes: [...inbox.projected],
    });
    // The monitor's index: a municipality's entries judged and alerts raised in a month, sparse (only those records carry its key).
    const byMonth = INDEXES.byMonth;
    this.table.addGlobalSecondaryIndex({
      indexName: byMonth.name,
      partitionKey: { name: byMonth.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: byMonth.sortKey, type: dynamodb.AttributeType.NUMBER },
      projectionType: dynamodb.ProjectionType.INCLUDE,
      nonKeyAttributes: [...byMonth.projected],
    });
  }
}
