/**
 * One stage of the pipeline: a bus rule -> an SQS buffer with a DLQ -> a function that takes
 * batches with partial failures. Used four times (ingest, team reports, deliver, outcomes).
 *
 * - The buffer absorbs bursts and lets the function's concurrency stay capped, so the
 *   household table is never hit harder than planned.
 * - A record that keeps failing is sent to the DLQ by the function itself on its
 *   `maxReceiveCount`th attempt, with the reason as message attributes (failureReason); the
 *   queue's own redrive, one receive later, is the backstop. An event EventBridge cannot
 *   deliver to the buffer (after its retries) goes to the same DLQ, so one alarm covers all;
 *   EventBridge's attributes (ERROR_CODE, RULE_ARN) tell those apart.
 * - The visibility timeout is six times the function timeout, as AWS recommends for SQS event
 *   sources, so a batch still in flight is not handed to a second invocation.
 */
import { CfnOutput, Duration, FeatureFlags } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { Construct } from 'constructs';
import type { RuleDefinition } from '@vroegsignaal/events';
import { bindDeadLetterQueue } from './bind.ts';
import type { PipelineFunction } from './pipeline-function.ts';

export interface BufferedConsumerProps {
  /** The bus the rule listens on. */
  readonly bus: events.IEventBus;
  /** The rule, from events/src/patterns.ts (RULES): the same object the local bus uses. */
  readonly rule: RuleDefinition;
  readonly consumer: PipelineFunction;
  /** Key for the buffer and its DLQ. */
  readonly key: kms.IKey;
  /**
   * Most concurrent invocations the event source starts (SQS event source "maximum
   * concurrency", 2-1000). Unlike reserved concurrency it takes nothing from the account's
   * pool and does not throttle receives into the DLQ.
   */
  readonly maxConcurrency: number;
  /** @default 10 */
  readonly batchSize?: number;
  /** @default 5 */
  readonly maxReceiveCount?: number;
}

export class BufferedConsumer extends Construct {
  readonly rule: events.Rule;
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly consumer: PipelineFunction;
  /** The rule's name in RULES, e.g. `partner-signals`. */
  readonly stageName: string;

  constructor(scope: Construct, id: string, props: BufferedConsumerProps) {
    super(scope, id);
    if (!FeatureFlags.of(this).isEnabled(cxapi.EVENTS_TARGET_QUEUE_SAME_ACCOUNT)) {
      // Without it the SQS target lets EventBridge use the buffer key from any account.
      throw new Error(`${this.node.path}: set the context flag ${cxapi.EVENTS_TARGET_QUEUE_SAME_ACCOUNT} (build-app.ts does)`);
    }
    this.consumer = props.consumer;
    this.stageName = props.rule.name;
    const functionTimeout = props.consumer.fn.timeout ?? Duration.seconds(3);
    const maxReceiveCount = props.maxReceiveCount ?? 5;

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new sqs.Queue(this, 'Buffer', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.key,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(functionTimeout.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: maxReceiveCount + 1 },
    });
    bindDeadLetterQueue(props.consumer, this.deadLetterQueue, props.key, maxReceiveCount);
    // EventBridge writes to both queues (the buffer as target, the DLQ for what it cannot
    // deliver), so it needs the key: the SQS target below grants it, only from this account
    // (aws:SourceAccount, see EVENTS_TARGET_QUEUE_SAME_ACCOUNT in build-app.ts).

    this.rule = new events.Rule(this, 'Rule', {
      eventBus: props.bus,
      description: props.rule.description,
      eventPattern: props.rule.pattern as events.EventPattern,
    });
    this.rule.addTarget(
      new targets.SqsQueue(this.queue, {
        deadLetterQueue: this.deadLetterQueue,
        maxEventAge: Duration.hours(24),
        retryAttempts: 185,
      }),
    );
    // The target's own statement lets EventBridge send from any rule of this account
    // (aws:SourceAccount, with @aws-cdk/aws-events:eventsTargetQueueSameAccount; aws-cdk-lib
    // leaves out aws:SourceArn on encrypted queues, where it would tie the key policy to the
    // rule in a cycle). Here, in the queue's policy only, no cycle: this stage's rule alone.
    // The DLQ's statements, from the same target, already name the rule.
    this.queue.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'OnlyThisStagesRule',
        effect: iam.Effect.DENY,
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['sqs:SendMessage'],
        resources: [this.queue.queueArn],
        conditions: { ArnNotEquals: { 'aws:SourceArn': this.rule.ruleArn } },
      }),
    );

    // For `npm run redrive -- --queue-url … --dlq-url …` after a failure's cause is fixed.
    new CfnOutput(this, 'BufferUrl', { value: this.queue.queueUrl, description: `Buffer of ${props.rule.name}` });
    new CfnOutput(this, 'DeadLetterQueueUrl', { value: this.deadLetterQueue.queueUrl, description: `DLQ of ${props.rule.name}` });

    props.consumer.fn.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: props.batchSize ?? 10,
        reportBatchItemFailures: true,
        maxConcurrency: props.maxConcurrency,
      }),
    );
  }
}
