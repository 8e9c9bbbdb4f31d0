/**
 * One team's inbox: the FIFO queue its alerts arrive on (KMS-encrypted, with a FIFO DLQ and a
 * redrive policy), and an IAM role that can only receive and delete on that queue and put its
 * own report-back events (source `team.<teamId>`, AlertPickedUp or CaseClosed) on the signals
 * bus. Alarms: anything in the DLQ, and alerts left waiting for days.
 *
 * Who may assume the role (by default): a principal of this account that carries the tag
 * `vroegsignaal:team` = the team id (TEAM_PRINCIPAL_TAG), on the IAM user or role itself or as a
 * session tag (Identity Center passes a user's attributes as session tags), and that the
 * account's IAM allows sts:AssumeRole on the role. Trusting the bare account would let anyone
 * the account's IAM ever allows AssumeRole on `vroegsignaal-team-*` read every team's alerts;
 * the tag names the team's people and integrations, one team each. Not MFA: a team's
 * integration polls its queue unattended, and sessions federated through Identity Center carry
 * no aws:MultiFactorAuthPresent. No
 * external id: it guards against a confused third-party deputy, and there is none here. Give
 * `principal` (e.g. the ARN of a role in a team's own account) to trust that one instead.
 */
import { CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { TEAM_DETAIL_TYPES, TEAM_SOURCE_PREFIX } from '@vroegsignaal/events';
import { names, TEAM_PRINCIPAL_TAG } from '../lib/names.ts';
import { deadLetterQueueAlarm, queueAgeAlarm } from './monitoring.ts';

export interface TeamInboxProps {
  readonly namePrefix: string;
  readonly teamId: string;
  /** The key all team queues share (the deliver function may use it). */
  readonly key: kms.IKey;
  /** The signals bus, where teams report back. */
  readonly signalsBus: events.IEventBus;
  readonly alarmAction: cloudwatch.IAlarmAction;
  /** Who may assume the team's role. @default principals of this account tagged for the team (TEAM_PRINCIPAL_TAG) */
  readonly principal?: iam.IPrincipal;
  /**
   * Alarm when the oldest alert has waited this long. Messages are kept 14 days (the SQS
   * maximum), so this leaves ten days to reach the team. @default 4 days
   */
  readonly maxAlertAge?: Duration;
  /** Receives of one message before it goes to the DLQ. @default 5 */
  readonly maxReceiveCount?: number;
}

export class TeamInbox extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: TeamInboxProps) {
    super(scope, id);
    const { namePrefix: prefix, teamId } = props;
    const retentionPeriod = Duration.days(14);

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      queueName: names.teamDlq(prefix, teamId),
      fifo: true,
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.key,
      enforceSSL: true,
      retentionPeriod,
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      queueName: names.teamQueue(prefix, teamId),
      fifo: true,
      // The pipeline sets MessageDeduplicationId (the alert id): a resend is the same alert.
      contentBasedDeduplication: false,
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.key,
      enforceSSL: true,
      retentionPeriod,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount ?? 5 },
    });

    this.role = new iam.Role(this, 'Role', {
      roleName: names.teamRole(prefix, teamId),
      assumedBy: props.principal ?? new iam.AccountRootPrincipal().withConditions({ StringEquals: { [`aws:PrincipalTag/${TEAM_PRINCIPAL_TAG}`]: teamId } }),
      description: `Team ${teamId}: read its own alert queue, report back as team.${teamId}`,
      maxSessionDuration: Duration.hours(1),
    });
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'OwnQueue',
        actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
        resources: [this.queue.queueArn],
      }),
    );
    // The team queues share a key; SQS encrypts each queue's messages under the encryption
    // context aws:sqs:arn = that queue, so this Decrypt works for the team's own queue only.
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'DecryptOwnQueue',
        actions: ['kms:Decrypt'],
        resources: [props.key.keyArn],
        conditions: {
          StringEquals: {
            'kms:ViaService': `sqs.${Stack.of(this).region}.amazonaws.com`,
            'kms:EncryptionContext:aws:sqs:arn': this.queue.queueArn,
          },
        },
      }),
    );
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ReportBack',
        actions: ['events:PutEvents'],
        resources: [props.signalsBus.eventBusArn],
        conditions: {
          StringEquals: {
            'events:source': `${TEAM_SOURCE_PREFIX}${teamId}`,
            'events:detail-type': [...TEAM_DETAIL_TYPES],
          },
        },
      }),
    );

    deadLetterQueueAlarm(this, 'DlqAlarm', this.deadLetterQueue, `${prefix}team-${teamId}-dlq`, props.alarmAction);
    queueAgeAlarm(this, 'AgeAlarm', this.queue, `${prefix}team-${teamId}-waiting`, props.maxAlertAge ?? Duration.days(4), props.alarmAction);

    // What the operator hands the team: where its alerts arrive, and the role to read them with.
    new CfnOutput(this, 'QueueUrl', { value: this.queue.queueUrl, description: `Alert queue of team ${teamId}` });
    new CfnOutput(this, 'RoleArn', { value: this.role.roleArn, description: `Role of team ${teamId}` });
  }
}
