/**
 * The monthly monitor's files in S3 and its notice on SNS (MonitorReports). The bucket encrypts
 * with its default key (SSE-KMS, the deployment's customer-managed key), so a put names no key;
 * the notice carries the municipality as a message attribute, so that each municipality's
 * operators subscribe with a filter policy and hear of their own monitor only.
 */
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { MonitorReports } from '@vroegsignaal/domain';

/** The message attribute a subscription's filter policy selects a municipality by. */
export const MUNICIPALITY_ATTRIBUTE = 'municipality';

export class S3SnsMonitorReports implements MonitorReports {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly sns: SNSClient,
    private readonly topicArn: string,
  ) {}

  async put(key: string, body: string, contentType: string): Promise<void> {
    await this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType }));
  }

  async notify(municipalityCode: string, subject: string, message: string): Promise<void> {
    await this.sns.send(
      new PublishCommand({
        TopicArn: this.topicArn,
        Subject: subject,
        Message: message,
        MessageAttributes: { [MUNICIPALITY_ATTRIBUTE]: { DataType: 'String', StringValue: municipalityCode } },
      }),
    );
  }
}
