/**
 * The monthly monitor on AWS (functions/monthly-monitor): on the 1st of every month at 06:00
 * Amsterdam time, EventBridge Scheduler runs the function, which reads the previous month from
 * the month index, writes each municipality's monitor (the HTML report and a CSV per block,
 * never the DDAS export) to a bucket, and notifies that municipality's operators on a topic.
 *
 * Aggregates, but of care work: the bucket and the topic encrypt with a customer-managed KMS key
 * (rotated yearly) of their own; the bucket blocks public access, takes TLS only, keeps versions
 * (a rerun of a month keeps what was sent before) and logs its access to a log bucket. Operators
 * subscribe to the topic with a filter policy on the message attribute `municipality`
 * (MUNICIPALITY_ATTRIBUTE), so each hears of their own municipality only.
 *
 * The function may query the month index, put objects in the bucket and publish to the topic,
 * with the key for those two only: nothing else.
 */
import { Duration, RemovalPolicy, Stack, TimeZone } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { ENV, INDEXES } from '@vroegsignaal/adapters';
import { acknowledge } from '../lib/acknowledge.ts';
import { bindPolicy, bindTableIndex } from './bind.ts';
import type { HouseholdTable } from './household-table.ts';
import { PipelineFunction } from './pipeline-function.ts';
import type { PolicyConfig } from './policy-config.ts';

/** Request logs of the bucket: who read which month's report, kept long enough for an inquiry. */
const ACCESS_LOG_DAYS = 365;
/** Versions a rerun replaced: kept a year, then gone (the current version stays). */
const NONCURRENT_VERSION_DAYS = 365;

export interface MonthlyMonitorProps {
  readonly namePrefix: string;
  readonly table: HouseholdTable;
  readonly policyConfig: PolicyConfig;
  /** RETAIN for the bucket, the logs and the key. @default false */
  readonly production?: boolean;
}

export class MonthlyMonitor extends Construct {
  readonly key: kms.Key;
  readonly bucket: s3.Bucket;
  readonly logBucket: s3.Bucket;
  readonly topic: sns.Topic;
  readonly fn: PipelineFunction;
  readonly schedule: scheduler.Schedule;

  constructor(scope: Construct, id: string, props: MonthlyMonitorProps) {
    super(scope, id);
    const removalPolicy = props.production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.key = new kms.Key(this, 'Key', {
      description: 'vroegsignaal monthly monitor: its reports bucket and its notices topic',
      enableKeyRotation: true,
      removalPolicy,
    });
    // SNS encrypts a notice with the key before delivering it to a subscriber's queue or address.
    this.key.grant(new iam.ServicePrincipal('sns.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');

    // Server access logs can only go to a bucket with S3-managed keys.
    this.logBucket = new s3.Bucket(this, 'AccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      lifecycleRules: [{ expiration: Duration.days(ACCESS_LOG_DAYS) }],
      removalPolicy,
    });
    this.bucket = new s3.Bucket(this, 'Reports', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 'reports/',
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(NONCURRENT_VERSION_DAYS) }],
      removalPolicy,
    });
    this.topic = new sns.Topic(this, 'Notices', {
      topicName: `${props.namePrefix}monitor-notices`,
      displayName: 'Monitor vroegsignalering',
      masterKey: this.key,
      enforceSSL: true,
    });

    this.fn = new PipelineFunction(this, 'monthly-monitor', {
      name: 'monthly-monitor',
      functionName: `${props.namePrefix}monthly-monitor`,
      description: "The previous month's monitor of every municipality, to the reports bucket, and a notice to its operators",
      memorySize: 512,
      // Every municipality's month indexes, one after another: minutes at most, never an invocation a member waits for.
      timeout: Duration.minutes(5),
      removalPolicy,
    });
    this.fn.addEnvironment(ENV.tableName, props.table.table.tableName);
    bindTableIndex(this.fn, props.table, INDEXES.byMonth.name);
    bindPolicy(this.fn, props.policyConfig);
    this.fn.addEnvironment(ENV.monitorBucketName, this.bucket.bucketName);
    this.fn.addEnvironment(ENV.monitorTopicArn, this.topic.topicArn);
    this.fn.role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [this.bucket.arnForObjects('*')] }));
    acknowledge(
      this.fn.role,
      `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket)}.Arn>/*]`,
      "PutObject on the reports bucket's objects only (<municipality>/<month>/<file>, a new key every month): no read, list or delete, and no other bucket.",
    );
    this.fn.role.addToPolicy(new iam.PolicyStatement({ actions: ['sns:Publish'], resources: [this.topic.topicArn] }));
    // SSE-KMS for the objects (GenerateDataKey) and the topic's messages (GenerateDataKey, Decrypt).
    this.fn.role.addToPolicy(new iam.PolicyStatement({ actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [this.key.keyArn] }));

    const invoker = new iam.Role(this, 'ScheduleRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } } }),
      description: 'The monthly schedule invokes the monthly monitor function',
    });
    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      scheduleName: `${props.namePrefix}monthly-monitor`,
      description: "On the 1st at 06:00 Amsterdam time: last month's monitor",
      schedule: scheduler.ScheduleExpression.cron({ minute: '0', hour: '6', day: '1', timeZone: TimeZone.of('Europe/Amsterdam') }),
      target: new targets.LambdaInvoke(this.fn.fn, { role: invoker, retryAttempts: 2, maxEventAge: Duration.hours(6) }),
    });
    acknowledge(
      invoker,
      `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(this.fn.fn.node.defaultChild as lambda.CfnFunction)}.Arn>:*]`,
      "InvokeFunction on the monthly monitor's function alone; the :* is its versions and aliases, as CDK's grantInvoke writes it.",
    );
  }
}
