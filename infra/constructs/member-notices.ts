/**
 * E-mail notices to team members on AWS (issue 17): the same events as the team queues reach a
 * member's inbox through Amazon SES, never in the way of an alert.
 *
 * - notify: RULES.memberNotices on the pipeline bus (TeamMessageSent, AlertAssigned) -> its SQS
 *   buffer (+ DLQ) -> functions/notify, as every pipeline stage (BufferedConsumer).
 * - notice-digest: EventBridge Scheduler at every quarter hour (:00, :15, :30, :45 UTC, which are
 *   the Amsterdam quarter hours too); the domain decides whose digest time that is. A cron, not
 *   a rate: a rate drifts from the quarter hours, so a run could land twice in one slot and skip
 *   the next. A failed run is retried within ten minutes only, so a retry stays in its own slot.
 * - mail-feedback: the configuration set's BOUNCE and COMPLAINT events -> an SNS topic -> the
 *   function, which switches that member's mail off (the SES message tag `member`, never the
 *   address) and tells the coordinators. Not REJECT: SES rejects a message for its content (a
 *   virus), which says nothing about the member's address. What the function cannot take after
 *   Lambda's two retries, and what SNS cannot deliver to it, goes to a DLQ with an alarm.
 *
 * SES: a domain identity (Easy DKIM, 2048-bit; its three CNAME records are stack outputs, for
 * the domain's DNS), and a configuration set that every notice is sent with and that is the
 * identity's default: TLS required to the receiving server, reputation metrics, sending on, and
 * the account's suppression list for bounces and complaints. The topic, the notify buffer and
 * both DLQs are encrypted with a key of their own, which SES may use only for this
 * configuration set, SNS and EventBridge only from this account.
 *
 * Least privilege: the three functions may send only From the sender's address, through this
 * identity and configuration set (bindMailSender); in the household table each reaches only the
 * kinds of item its use case touches (NOTICE_TABLE_ACCESS).
 */
import { Annotations, CfnOutput, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV, INDEXES } from '@vroegsignaal/adapters';
import { RULES } from '@vroegsignaal/events';
import { acknowledge } from '../lib/acknowledge.ts';
import { allowSendTo, bindMailSender, bindPolicy, bindTable, bindTableIndex, type MailSender, type TableAccess } from './bind.ts';
import { BufferedConsumer } from './buffered-consumer.ts';
import type { HouseholdTable } from './household-table.ts';
import { dataKey } from './keys.ts';
import { deadLetterQueueAlarm, functionErrorsAlarm, queueAgeAlarm } from './monitoring.ts';
import { PipelineFunction } from './pipeline-function.ts';
import type { PolicyConfig } from './policy-config.ts';

/**
 * The sender domain when none is given (`-c noticeSenderDomain=...`): lets the app synthesize
 * and the tests run. `.example` is reserved (RFC 2606): SES can never verify it, so a
 * deployment with it sends nothing, and the app warns.
 */
export const DEFAULT_NOTICE_SENDER_DOMAIN = 'vroegsignaal.example';
/** The sender's mailbox in the domain: `meldingen@<domain>`. */
export const NOTICE_SENDER_LOCAL_PART = 'meldingen';
/** The name a member's mail program shows as the sender. */
export const NOTICE_SENDER_NAME = 'Vroegsignaal';

/** Concurrent notify invocations: mail is light work, and SES's sending rate, not Lambda, is the limit. */
export const NOTIFY_MAX_CONCURRENCY = 2;

/**
 * What the notice functions do in the household table, by kind of item (followed from their
 * functions/<name>/index.ts through packages/domain/src/use-cases/notify.ts to
 * packages/adapters/src/notices.ts; test/infra/notice-grants.test.ts runs them and holds each
 * grant to the calls). All three read the members and their teams' defaults (one query of
 * their partition), go through the once-gate (Powertools idempotency, one partition: put the
 * key, update it when done, delete it when the run failed, get it when a put found it taken
 * without returning it), and take the feedback path for an address refused for good (get the
 * member, switch their mail off, tell the coordinators once). notify and the digest record the
 * notices they sent; notify reads the alert record an event names (its holder, whether it is
 * still open); the digest queries each team's open alerts (openByTeam, bound apart: an index).
 */
const FEEDBACK = {
  get: ['members', 'noticeOnce'],
  put: ['noticeOnce'],
  update: ['members', 'noticeOnce'],
  delete: ['noticeOnce'],
  query: ['members'],
} as const satisfies TableAccess;
const DIGEST = { ...FEEDBACK, put: ['sentNotice', 'noticeOnce'] } as const satisfies TableAccess;

export const NOTICE_TABLE_ACCESS = {
  notify: { ...DIGEST, get: ['alert', 'members', 'noticeOnce'] },
  digest: DIGEST,
  mailFeedback: FEEDBACK,
} as const satisfies Record<string, TableAccess>;

/**
 * SES reviews an account at a 5% bounce rate or a 0.1% complaint rate, and pauses its sending
 * at 10% and 0.5%: these alarms go off at half the review levels, while there is time to act.
 */
const REPUTATION_ALARMS = { 'Reputation.BounceRate': 0.025, 'Reputation.ComplaintRate': 0.0005 } as const;

export interface MemberNoticesProps {
  readonly namePrefix: string;
  /** The domain notices are sent from, verified in SES with DKIM. @default DEFAULT_NOTICE_SENDER_DOMAIN */
  readonly senderDomain?: string;
  readonly table: HouseholdTable;
  /** The pipeline bus, where TeamMessageSent and AlertAssigned are published. */
  readonly pipelineBus: events.IEventBus;
  readonly policyConfig: PolicyConfig;
  /** The workspace's origin as a member's browser reaches it: the links in every notice. */
  readonly workspaceOrigin: string;
  readonly alarmAction: cloudwatch.IAlarmAction;
  /** RETAIN for the key and the functions' logs. @default false */
  readonly production?: boolean;
}

export class MemberNotices extends Construct {
  readonly identity: ses.EmailIdentity;
  readonly configurationSet: ses.ConfigurationSet;
  readonly key: kms.Key;
  /** Where SES reports bounces and complaints. */
  readonly feedbackTopic: sns.Topic;
  /** Feedback events neither SNS nor the mail-feedback function could handle. */
  readonly feedbackDeadLetterQueue: sqs.Queue;
  readonly notify: BufferedConsumer;
  readonly digest: PipelineFunction;
  readonly mailFeedback: PipelineFunction;
  readonly digestSchedule: scheduler.Schedule;
  readonly sender: MailSender;

  constructor(scope: Construct, id: string, props: MemberNoticesProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const prefix = props.namePrefix;
    const removalPolicy = props.production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const senderDomain = props.senderDomain ?? DEFAULT_NOTICE_SENDER_DOMAIN;
    if (senderDomain === DEFAULT_NOTICE_SENDER_DOMAIN) {
      Annotations.of(this).addWarningV2(
        'vroegsignaal:notice-sender-domain',
        `e-mail notices are sent from ${DEFAULT_NOTICE_SENDER_DOMAIN}, which SES can never verify: give -c noticeSenderDomain=<your domain> and publish the DKIM records of the stack's outputs.`,
      );
    }

    this.key = dataKey(this, 'Key', { description: 'member notices: the notify buffer, the feedback topic and their DLQs', removalPolicy });

    const configurationSetName = `${prefix}notices`;
    const configurationSetArn = stack.formatArn({ service: 'ses', resource: 'configuration-set', resourceName: configurationSetName });
    this.configurationSet = new ses.ConfigurationSet(this, 'ConfigurationSet', {
      configurationSetName,
      tlsPolicy: ses.ConfigurationSetTlsPolicy.REQUIRE,
      reputationMetrics: true,
      sendingEnabled: true,
      suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    this.identity = new ses.EmailIdentity(this, 'Identity', {
      identity: ses.Identity.domain(senderDomain),
      dkimIdentity: ses.DkimIdentity.easyDkim(ses.EasyDkimSigningKeyLength.RSA_2048_BIT),
      configurationSet: this.configurationSet,
    });
    const address = `${NOTICE_SENDER_LOCAL_PART}@${senderDomain}`;
    this.sender = {
      from: `${NOTICE_SENDER_NAME} <${address}>`,
      address,
      identityArn: this.identity.emailIdentityArn,
      configurationSetName,
      configurationSetArn,
    };
    for (const [index, record] of this.identity.dkimRecords.entries()) {
      new CfnOutput(this, `Dkim${index + 1}`, { value: `${record.name} CNAME ${record.value}`, description: `DKIM record ${index + 1} of 3 for ${senderDomain}: publish it in the domain's DNS` });
    }

    // SES publishes to the encrypted topic with the key, for this configuration set only.
    this.key.grant(
      new iam.ServicePrincipal('ses.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': stack.account, 'aws:SourceArn': configurationSetArn } } }),
      'kms:GenerateDataKey*',
      'kms:Decrypt',
    );
    // SNS writes what it cannot deliver to the feedback DLQ, encrypted with the same key.
    this.key.grant(new iam.ServicePrincipal('sns.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': stack.account } } }), 'kms:GenerateDataKey*', 'kms:Decrypt');
    this.feedbackTopic = new sns.Topic(this, 'Feedback', {
      topicName: `${prefix}mail-feedback`,
      displayName: 'vroegsignaal mail feedback',
      masterKey: this.key,
      enforceSSL: true,
    });
    this.configurationSet.addEventDestination('BouncesAndComplaints', {
      destination: ses.EventDestination.snsTopic(this.feedbackTopic),
      events: [ses.EmailSendingEvent.BOUNCE, ses.EmailSendingEvent.COMPLAINT],
    });

    const fn = (name: string, description: string, timeout?: Duration) =>
      new PipelineFunction(this, name, { name, functionName: `${prefix}${name}`, description, timeout, removalPolicy });
    const notify = fn('notify', 'Team messages and assignments -> e-mail notices to the members whose settings ask for them');
    // Every member whose digest time is this quarter hour, one mail each: minutes at most.
    this.digest = fn('notice-digest', 'Every quarter hour: the daily digests due now', Duration.minutes(5));
    this.mailFeedback = fn('mail-feedback', "SES bounces and complaints -> the member's mail switched off, their coordinators told");

    this.notify = new BufferedConsumer(this, 'Notify', {
      bus: props.pipelineBus,
      rule: RULES.memberNotices,
      consumer: notify,
      key: this.key,
      maxConcurrency: NOTIFY_MAX_CONCURRENCY,
    });

    const wiring = [
      [notify, NOTICE_TABLE_ACCESS.notify],
      [this.digest, NOTICE_TABLE_ACCESS.digest],
      [this.mailFeedback, NOTICE_TABLE_ACCESS.mailFeedback],
    ] as const;
    for (const [noticeFunction, access] of wiring) {
      bindTable(noticeFunction, props.table, access);
      bindPolicy(noticeFunction, props.policyConfig);
      bindMailSender(noticeFunction, this.sender);
      noticeFunction.addEnvironment(ENV.workspacePublicOrigin, props.workspaceOrigin);
    }
    bindTableIndex(this.digest, props.table, INDEXES.openByTeam.name);

    // The digest, at every quarter hour.
    const invoker = new iam.Role(this, 'DigestScheduleRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': stack.account } } }),
      description: 'The quarter-hour schedule invokes the notice digest function',
    });
    const withinTheSlot = Duration.minutes(10);
    this.digestSchedule = new scheduler.Schedule(this, 'DigestSchedule', {
      scheduleName: `${prefix}notice-digest`,
      description: 'Every quarter hour: the daily e-mail digests due in it',
      schedule: scheduler.ScheduleExpression.cron({ minute: '0/15' }),
      target: new schedulerTargets.LambdaInvoke(this.digest.fn, { role: invoker, retryAttempts: 2, maxEventAge: withinTheSlot }),
    });
    this.digest.fn.configureAsyncInvoke({ retryAttempts: 2, maxEventAge: withinTheSlot });
    acknowledge(
      invoker,
      `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(this.digest.fn.node.defaultChild as lambda.CfnFunction)}.Arn>:*]`,
      "InvokeFunction on the notice digest's function alone; the :* is its versions and aliases, as CDK's grantInvoke writes it.",
    );

    // Bounces and complaints: SNS invokes the function (asynchronously); what fails lands in the DLQ.
    this.feedbackDeadLetterQueue = new sqs.Queue(this, 'FeedbackDeadLetterQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(
      this.feedbackDeadLetterQueue,
      'AwsSolutions-SQS3',
      "This queue is itself a dead-letter queue: of the feedback topic's subscription and of the mail-feedback function's asynchronous invocations (neither is an SQS redrive, so cdk-nag does not see it as one).",
    );
    this.feedbackTopic.addSubscription(new subscriptions.LambdaSubscription(this.mailFeedback.fn, { deadLetterQueue: this.feedbackDeadLetterQueue }));
    const deadLetterQueueArn = this.feedbackDeadLetterQueue.queueArn;
    this.mailFeedback.fn.configureAsyncInvoke({ retryAttempts: 2, onFailure: { bind: () => ({ destination: deadLetterQueueArn }) } });
    // Lambda sends a failed invocation's event to the DLQ with the function's own role.
    allowSendTo(this.mailFeedback, this.feedbackDeadLetterQueue, this.key);

    // Alarms, to the pipeline's alarm topic, named as the pipeline's are.
    deadLetterQueueAlarm(this, 'NotifyDlqAlarm', this.notify.deadLetterQueue, `${prefix}${this.notify.stageName}-dlq`, props.alarmAction);
    queueAgeAlarm(this, 'NotifyAgeAlarm', this.notify.queue, `${prefix}${this.notify.stageName}-buffer-age`, Duration.minutes(5), props.alarmAction);
    deadLetterQueueAlarm(this, 'FeedbackDlqAlarm', this.feedbackDeadLetterQueue, `${prefix}mail-feedback-dlq`, props.alarmAction);
    functionErrorsAlarm(this, 'NotifyErrors', notify, `${prefix}notify-errors`, 'its batch is retried, then goes to the DLQ', props.alarmAction);
    functionErrorsAlarm(this, 'DigestErrors', this.digest, `${prefix}notice-digest-errors`, 'retried twice within its quarter hour; the digests already sent are not sent again', props.alarmAction);
    functionErrorsAlarm(this, 'FeedbackErrors', this.mailFeedback, `${prefix}mail-feedback-errors`, 'retried twice, then its event goes to the DLQ', props.alarmAction);
    for (const [metricName, threshold] of Object.entries(REPUTATION_ALARMS)) {
      const alarm = new cloudwatch.Alarm(this, metricName.replace('Reputation.', ''), {
        alarmName: `${prefix}ses-${metricName.replace('Reputation.', '').toLowerCase()}`,
        alarmDescription: `The account's SES ${metricName} is at half the level where SES reviews the account; find the cause (the mail-feedback function's log, the SES console's reputation page) before SES pauses sending.`,
        metric: new cloudwatch.Metric({ namespace: 'AWS/SES', metricName, period: Duration.hours(1), statistic: cloudwatch.Stats.MAXIMUM }),
        threshold,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(props.alarmAction);
    }
  }
}
