/**
 * Partner outcomes: each partner with a registered account gets the SignalOutcome events about
 * its own entries on the default event bus of its own account. One rule per partner on the
 * pipeline bus, matching `detail.partnerId` = that partner: a partner never receives another
 * partner's outcomes. The partner's bus policy must allow PutEvents from our account.
 *
 * Quotas: one rule per partner counts against EventBridge's 300 rules per bus (adjustable);
 * the app warns before a registry outgrows it. Rules are spread over stacks of
 * PARTNERS_PER_OUTCOME_STACK partners (lib/stack-plan.ts).
 *
 * The targets are rendered here rather than with aws-events-targets' EventBus: that adds one
 * statement per rule to the role and to the DLQ's policy, which at a hundred partners would
 * pass IAM's 10,240-character role policy limit and SQS's 20,480-byte queue policy limit.
 * Here the role has one statement listing the partners' buses, the DLQ one statement for all
 * rules on the pipeline bus.
 */
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { partnerOutcomesPattern } from '@vroegsignaal/events';
import type { PartnerGrant } from '../lib/partner-shards.ts';
import { acknowledge } from '../lib/acknowledge.ts';
import { dataKey } from './keys.ts';
import { deadLetterQueueAlarm } from './monitoring.ts';

export interface PartnerOutcomesProps {
  readonly namePrefix: string;
  /** The pipeline bus, by name (it lives in the pipeline stack). */
  readonly pipelineBusName: string;
  readonly partners: readonly PartnerGrant[];
  readonly alarmAction: cloudwatch.IAlarmAction;
  /** Suffix that tells this group's alarm from other groups'. */
  readonly groupName: string;
  readonly production?: boolean;
}

export class PartnerOutcomes extends Construct {
  readonly role: iam.Role;
  readonly deadLetterQueue: sqs.Queue;
  readonly rules: events.CfnRule[] = [];

  constructor(scope: Construct, id: string, props: PartnerOutcomesProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const partnerBusArn = (accountId: string) => `arn:${stack.partition}:events:${stack.region}:${accountId}:event-bus/default`;
    const ruleArnPattern = stack.formatArn({ service: 'events', resource: 'rule', resourceName: `${props.pipelineBusName}/*` });

    const key = dataKey(this, 'Key', {
      description: `partner outcome delivery DLQ ${props.groupName}`,
      removalPolicy: props.production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(
      this.deadLetterQueue,
      'AwsSolutions-SQS3',
      'This queue is itself a dead-letter queue: of the outcome rules\' EventBridge targets (a target DLQ, not an SQS redrive, so cdk-nag does not see it as one).',
    );
    const fromOurRules = { StringEquals: { 'aws:SourceAccount': stack.account }, ArnLike: { 'aws:SourceArn': ruleArnPattern } };
    this.deadLetterQueue.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'OutcomeRulesDeadLetters',
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['sqs:SendMessage'],
        resources: [this.deadLetterQueue.queueArn],
        conditions: fromOurRules,
      }),
    );
    key.grant(new iam.ServicePrincipal('events.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': stack.account } } }), 'kms:GenerateDataKey', 'kms:Decrypt');

    this.role = new iam.Role(this, 'DeliveryRole', {
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': stack.account } } }),
      description: `Puts outcome events on partners' default buses (${props.groupName})`,
    });
    if (props.partners.length > 0) {
      this.role.addToPolicy(
        new iam.PolicyStatement({
          sid: 'PartnerDefaultBuses',
          actions: ['events:PutEvents'],
          resources: [...new Set(props.partners.map((p) => partnerBusArn(p.accountId)))],
        }),
      );
    }

    for (const partner of props.partners) {
      const rule = new events.CfnRule(this, `Rule-${partner.partnerId}`, {
        eventBusName: props.pipelineBusName,
        description: `SignalOutcome events about entries of partner ${partner.partnerId}, to its own default bus`,
        eventPattern: partnerOutcomesPattern(partner.partnerId),
        state: 'ENABLED',
        targets: [
          {
            id: 'PartnerBus',
            arn: partnerBusArn(partner.accountId),
            roleArn: this.role.roleArn,
            deadLetterConfig: { arn: this.deadLetterQueue.queueArn },
            retryPolicy: { maximumEventAgeInSeconds: 24 * 3600, maximumRetryAttempts: 185 },
          },
        ],
      });
      this.rules.push(rule);
    }

    deadLetterQueueAlarm(this, 'DlqAlarm', this.deadLetterQueue, `${props.namePrefix}partner-outcomes-${props.groupName}-dlq`, props.alarmAction);
  }
}
