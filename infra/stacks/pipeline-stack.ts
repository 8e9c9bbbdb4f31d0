/**
 * The pipeline: both buses and the partners' access to them, the four stages
 * (bus rule -> buffer -> function), the household table and key, the policy in AppConfig,
 * reminder schedules, and monitoring. Team inboxes and partner outcome rules live in their own
 * stacks (teams-stack.ts, partners-stack.ts), which depend on this one.
 */
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { RULES } from '@vroegsignaal/events';
import type { Policy } from '@vroegsignaal/policy';
import { bindHouseholdKey, bindPipelineBus, bindPolicy, bindReminderSchedules, bindTable, bindTeamQueues, type TableAccess } from '../constructs/bind.ts';
import { BufferedConsumer } from '../constructs/buffered-consumer.ts';
import { EventBuses } from '../constructs/event-buses.ts';
import { HouseholdKey } from '../constructs/household-key.ts';
import { HouseholdTable } from '../constructs/household-table.ts';
import { dataKey } from '../constructs/keys.ts';
import { Monitoring } from '../constructs/monitoring.ts';
import { PartnerIngress } from '../constructs/partner-ingress.ts';
import { PipelineFunction } from '../constructs/pipeline-function.ts';
import { PolicyConfig } from '../constructs/policy-config.ts';
import { ReminderSchedules } from '../constructs/reminder-schedules.ts';
import type { PartnerGrant } from '../lib/partner-shards.ts';

/**
 * Most concurrent invocations per stage (SQS event source maximum concurrency). The cap that
 * protects the household table is on ingest: the bench (packages/harness/results/bench.json) measured 3.8
 * DynamoDB requests per signal, under 3 of them writes; at roughly 20 signals a second per
 * invocation, 10 invocations write some 600 items a second, a fraction of the 4,000 write
 * units a second a new on-demand table serves at once. Normal volume (thousands of signals a
 * day) never reaches the cap; a replay or a partner's bulk resend queues up in the buffer
 * instead of throttling the table, and fewer concurrent writers mean fewer lost races on one
 * household. Route only delivers what ingest left (reminders, deferred deliveries), team
 * reports and outcomes are light.
 */
export const STAGE_MAX_CONCURRENCY = { ingest: 10, deliver: 5, teamReport: 2, outcomes: 5 } as const;

/**
 * What each function does in the household table, by kind of item: followed from its
 * functions/<name>/index.ts (which adapters it gets) through the use cases in packages/domain
 * to the DynamoDB calls in packages/adapters/src/dynamodb.ts.
 * - ingest: the household (read, write), its signal claims (create, read, complete a
 *   withdrawal's placeholder), and what telling a team takes: the alert index record (update:
 *   its fields, and the copy of the alert's life after the household write), an update's audit
 *   record (put), the team's capacity (marker read and put, counter update).
 * - deliver: the household, and the same team-telling items; never a signal claim.
 * - team-report: the alert index (read, and update: the copy of the alert's life) and the
 *   household it names (read, write).
 * - outcomes: a later outcome or a resend appended to a signal claim, a rejection kept beside
 *   it under the same prefix (update only, which creates the rejection's item): nothing it can read.
 */
export const TABLE_ACCESS = {
  ingest: { get: ['household', 'signalClaim', 'capacity'], put: ['household', 'signalClaim', 'audit', 'capacity', 'judged'], update: ['signalClaim', 'alert', 'capacity'] },
  deliver: { get: ['household', 'capacity'], put: ['household', 'audit', 'capacity'], update: ['alert', 'capacity'] },
  teamReport: { get: ['household', 'alert'], put: ['household'], update: ['alert'] },
  outcomes: { update: ['signalClaim'] },
} as const satisfies Record<keyof typeof STAGE_MAX_CONCURRENCY, TableAccess>;

export interface PipelineStackProps extends StackProps {
  readonly namePrefix: string;
  readonly policy: Policy;
  /** Partners with an account, in registry order. */
  readonly partners: readonly PartnerGrant[];
  readonly partnersWithoutAccount: readonly string[];
  /** Deletion protection and RETAIN on what holds data. */
  readonly production: boolean;
  readonly alarmEmail?: string;
  /** @default EVENT_BUS_POLICY_BUDGET_CHARS */
  readonly busPolicyBudgetChars?: number;
}

export class PipelineStack extends Stack {
  readonly buses: EventBuses;
  readonly table: HouseholdTable;
  readonly householdKey: HouseholdKey;
  readonly teamQueueKey: kms.Key;
  readonly stages: { ingest: BufferedConsumer; teamReport: BufferedConsumer; deliver: BufferedConsumer; outcomes: BufferedConsumer };
  readonly partnerIngress: PartnerIngress;
  readonly policyConfig: PolicyConfig;
  readonly reminders: ReminderSchedules;
  readonly monitoring: Monitoring;
  readonly namePrefix: string;

  constructor(scope: Construct, id: string, props: PipelineStackProps) {
    super(scope, id, { terminationProtection: props.production, ...props });
    const prefix = props.namePrefix;
    this.namePrefix = prefix;
    const production = props.production;
    // What holds data (or decrypts it) outlives the stack in production.
    const keyRemoval = production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.buses = new EventBuses(this, 'Buses', { namePrefix: prefix, production });
    this.table = new HouseholdTable(this, 'Households', { production });
    this.householdKey = new HouseholdKey(this, 'HouseholdKey', { namePrefix: prefix, production });
    const bufferKey = dataKey(this, 'BufferKey', { description: 'stage buffers and their DLQs', removalPolicy: keyRemoval });
    this.teamQueueKey = dataKey(this, 'TeamQueueKey', { description: 'team queues and their DLQs', removalPolicy: keyRemoval });

    const fn = (name: string, description: string) => new PipelineFunction(this, name, { name, functionName: `${prefix}${name}`, description, removalPolicy: keyRemoval });
    const ingest = fn('ingest', 'Partner entries -> household state, team alerts and outcomes');
    const teamReport = fn('team-report', 'Team report-back (AlertPickedUp, CaseClosed) -> household and outcomes');
    const deliver = fn('deliver', 'Messages a household still owes (reminders, deferred deliveries) -> the team queues');
    const outcomes = fn('outcomes', 'Later outcomes onto the signal claims partners can read back');

    const stage = (id: string, rule: (typeof RULES)[keyof typeof RULES], consumer: PipelineFunction, maxConcurrency: number) =>
      new BufferedConsumer(this, id, {
        bus: rule.bus === 'signals' ? this.buses.signals : this.buses.pipeline,
        rule,
        consumer,
        key: bufferKey,
        maxConcurrency,
      });
    this.stages = {
      ingest: stage('Ingest', RULES.partnerSignals, ingest, STAGE_MAX_CONCURRENCY.ingest),
      teamReport: stage('TeamReport', RULES.teamReports, teamReport, STAGE_MAX_CONCURRENCY.teamReport),
      deliver: stage('Deliver', RULES.dueDeliveries, deliver, STAGE_MAX_CONCURRENCY.deliver),
      outcomes: stage('Outcomes', RULES.signalOutcomes, outcomes, STAGE_MAX_CONCURRENCY.outcomes),
    };

    this.partnerIngress = new PartnerIngress(this, 'PartnerIngress', {
      namePrefix: prefix,
      signalsBus: this.buses.signals,
      partners: props.partners,
      partnersWithoutAccount: props.partnersWithoutAccount,
      deadLetterQueue: this.stages.ingest.deadLetterQueue,
      policyBudgetChars: props.busPolicyBudgetChars,
    });
    this.reminders = new ReminderSchedules(this, 'Reminders', { namePrefix: prefix, pipelineBus: this.buses.pipeline });

    this.monitoring = new Monitoring(this, 'Monitoring', {
      namePrefix: prefix,
      stages: Object.values(this.stages),
      alarmEmail: props.alarmEmail,
      production,
      maxBufferAge: Duration.minutes(5),
    });
    this.policyConfig = new PolicyConfig(this, 'PolicyConfig', {
      namePrefix: prefix,
      policy: props.policy,
      rollbackAlarm: this.monitoring.rollbackAlarm,
    });

    bindTable(ingest, this.table, TABLE_ACCESS.ingest);
    bindPipelineBus(ingest, this.buses.pipeline);
    bindHouseholdKey(ingest, this.householdKey);
    bindPolicy(ingest, this.policyConfig);
    // Ingest tells the teams what its entry decides (one household write); deliver the rest.
    for (const teller of [ingest, deliver]) {
      bindTeamQueues(teller, { prefix, key: this.teamQueueKey });
      bindReminderSchedules(teller, this.reminders);
    }

    bindTable(deliver, this.table, TABLE_ACCESS.deliver);
    bindPolicy(deliver, this.policyConfig);
    // A message deliver sends that a member may be e-mailed about becomes a TeamMessageSent (notify's rule).
    bindPipelineBus(deliver, this.buses.pipeline);

    bindTable(teamReport, this.table, TABLE_ACCESS.teamReport);
    bindPipelineBus(teamReport, this.buses.pipeline);
    bindPolicy(teamReport, this.policyConfig);

    bindTable(outcomes, this.table, TABLE_ACCESS.outcomes);

    new CfnOutput(this, 'TableName', { value: this.table.table.tableName });
    new CfnOutput(this, 'PipelineBusName', { value: this.buses.pipeline.eventBusName });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.monitoring.topic.topicArn });
    new CfnOutput(this, 'DashboardName', { value: this.monitoring.dashboard.dashboardName });
  }
}
