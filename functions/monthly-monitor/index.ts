/** Lambda entry: the monthly monitor, from the month indexes to the monitor bucket and topic. */
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { documentClient, DynamoMonitor, ENV, S3SnsMonitorReports } from '@vroegsignaal/adapters';
import { readEnvironment } from '../lib/environment.ts';
import { AppConfigPolicy, awsClients, withPolicy } from '../lib/production.ts';
import { createMonthlyMonitorHandler } from './handler.ts';

const env = readEnvironment([ENV.tableName, ENV.monitorBucketName, ENV.monitorTopicArn]);
const policy = new AppConfigPolicy();

export const handler = withPolicy(
  policy,
  createMonthlyMonitorHandler({
    policy: () => policy.current(),
    monitor: new DynamoMonitor(documentClient(awsClients.dynamodb()), env[ENV.tableName]),
    reports: new S3SnsMonitorReports(new S3Client({}), env[ENV.monitorBucketName], new SNSClient({}), env[ENV.monitorTopicArn]),
    clock: Date.now,
  }),
);
