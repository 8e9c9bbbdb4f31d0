/**
 * Operations: alarms on every DLQ, on the age of the oldest message in each buffer and on each
 * function's errors, all to one KMS-encrypted SNS topic; the alarm that rolls a policy rollout
 * back; a CloudWatch dashboard of the pipeline's own metrics (namespace Vroegsignaal, emitted
 * by the functions with Powertools) and its queues; saved Logs Insights queries.
 */
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { TELEMETRY } from '@vroegsignaal/adapters';
import type { BufferedConsumer } from './buffered-consumer.ts';
import { dataKey } from './keys.ts';
import type { PipelineFunction } from './pipeline-function.ts';

/** The namespace the functions' Powertools metrics use, and the ERROR log line count. */
const METRICS_NAMESPACE = TELEMETRY.metricsNamespace;
/** ERROR log lines: without dimensions (the rollback alarm), and by POLICY_VERSION. */
export const ERROR_LOG_LINES = 'ErrorLogLines';
/** The log field, and the metric dimension, that names the policy version in use. */
const POLICY_VERSION = TELEMETRY.policyVersionField;

/** Alarm when anything lands in a DLQ: every message there is a signal, alert or report not handled. */
export function deadLetterQueueAlarm(scope: Construct, id: string, queue: sqs.IQueue, alarmName: string, action: cloudwatch.IAlarmAction): cloudwatch.Alarm {
  const alarm = new cloudwatch.Alarm(scope, id, {
    alarmName,
    alarmDescription: `Messages in ${alarmName}: redrive them after fixing the cause (SQS console, "Start DLQ redrive").`,
    metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: cloudwatch.Stats.MAXIMUM }),
    threshold: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  alarm.addAlarmAction(action);
  return alarm;
}

/** Alarm when the oldest message in a queue is older than `maxAge`: its consumer is stuck or too slow. */
export function queueAgeAlarm(scope: Construct, id: string, queue: sqs.IQueue, alarmName: string, maxAge: Duration, action: cloudwatch.IAlarmAction): cloudwatch.Alarm {
  const alarm = new cloudwatch.Alarm(scope, id, {
    alarmName,
    alarmDescription: `The oldest message in ${alarmName} is older than ${maxAge.toHumanString()}.`,
    metric: queue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(5), statistic: cloudwatch.Stats.MAXIMUM }),
    threshold: maxAge.toSeconds(),
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  alarm.addAlarmAction(action);
  return alarm;
}

/** Alarm on any failed invocation of a function; `retried` says what becomes of the failed work. */
export function functionErrorsAlarm(scope: Construct, id: string, fn: PipelineFunction, alarmName: string, retried: string, action: cloudwatch.IAlarmAction): cloudwatch.Alarm {
  const alarm = new cloudwatch.Alarm(scope, id, {
    alarmName,
    alarmDescription: `The ${fn.shortName} function failed invocations (${retried}).`,
    metric: fn.metric('Errors', { period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
    threshold: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  alarm.addAlarmAction(action);
  return alarm;
}

/**
 * Deadlines watched (contract v1.1 section 3), counted per team of the alert by the functions:
 * an overdue reminder sent, an escalation sent, and a team's report that moved an overdue alert
 * out of raised.
 */
export const OVERDUE = { reminders: 'OverdueReminders', escalations: 'OverdueEscalations', cleared: 'OverdueCleared' } as const;
/** How far back "overdue now" counts: CloudWatch keeps hourly data 455 days; a quarter covers every term many times over. */
const OVERDUE_WINDOW_DAYS = 90;

/**
 * Alerts overdue now: the overdue reminders minus the overdue alerts cleared since, summed over
 * every team (a widget's period set to its time range sums each over the whole range). An alert
 * counts from its overdue reminder until a report moves it out of raised.
 */
export function overdueNow(): cloudwatch.MathExpression {
  const total = (metricName: string) => `SUM(SEARCH('{${METRICS_NAMESPACE},team,service} MetricName="${metricName}"', 'Sum'))`;
  return new cloudwatch.MathExpression({
    expression: `FILL(${total(OVERDUE.reminders)}, 0) - FILL(${total(OVERDUE.cleared)}, 0)`,
    label: 'alerts overdue now',
    // One value over the whole window, also where a widget would not set its period to its range.
    period: Duration.days(OVERDUE_WINDOW_DAYS),
  });
}

export interface MonitoringProps {
  readonly namePrefix: string;
  readonly stages: readonly BufferedConsumer[];
  /** Age of the oldest buffered message that raises an alarm. @default 5 minutes */
  readonly maxBufferAge?: Duration;
  /** An address that gets the alarms by email. @default none (subscribe later) */
  readonly alarmEmail?: string;
  /** RETAIN for the topic key. @default false */
  readonly production?: boolean;
}

export class Monitoring extends Construct {
  readonly topic: sns.Topic;
  readonly topicKey: kms.Key;
  readonly alarmAction: cloudwatch.IAlarmAction;
  readonly alarms: cloudwatch.Alarm[] = [];
  /** Rolls a policy rollout back: any function error or ERROR log line within a minute. */
  readonly rollbackAlarm: cloudwatch.Alarm;
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const prefix = props.namePrefix;
    const stack = Stack.of(this);
    const functions = props.stages.map((stage) => stage.consumer);

    this.topicKey = dataKey(this, 'TopicKey', {
      description: 'alarm topic',
      removalPolicy: props.production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    // CloudWatch publishes alarms to the encrypted topic, so it needs the key.
    this.topicKey.grant(
      new iam.ServicePrincipal('cloudwatch.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': stack.account } } }),
      'kms:GenerateDataKey*',
      'kms:Decrypt',
    );
    this.topic = new sns.Topic(this, 'Alarms', { displayName: 'vroegsignaal alarms', masterKey: this.topicKey, enforceSSL: true });
    if (props.alarmEmail) this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    this.alarmAction = new actions.SnsAction(this.topic);

    for (const stage of props.stages) {
      this.alarms.push(deadLetterQueueAlarm(this, `${stage.node.id}Dlq`, stage.deadLetterQueue, `${prefix}${stage.stageName}-dlq`, this.alarmAction));
      this.alarms.push(
        queueAgeAlarm(this, `${stage.node.id}Age`, stage.queue, `${prefix}${stage.stageName}-buffer-age`, props.maxBufferAge ?? Duration.minutes(5), this.alarmAction),
      );
    }
    for (const fn of functions) {
      this.alarms.push(functionErrorsAlarm(this, `${fn.node.id}Errors`, fn, `${prefix}${fn.shortName}-errors`, 'its batch is retried, then goes to the DLQ', this.alarmAction));
    }

    // ERROR log lines count too: a policy the functions refuse is logged at ERROR while the
    // previous policy stays in use, so it never shows as a function error. (What a partner
    // caused is logged at WARN, see functions/lib/faults.ts, so no partner can roll back.)
    const errorLines = new cloudwatch.Metric({ namespace: METRICS_NAMESPACE, metricName: ERROR_LOG_LINES, statistic: cloudwatch.Stats.SUM, period: Duration.minutes(1) });
    const isError = logs.FilterPattern.stringValue('$.level', '=', 'ERROR');
    for (const fn of functions) {
      new logs.MetricFilter(this, `${fn.node.id}ErrorLines`, {
        logGroup: fn.logGroup,
        filterPattern: isError,
        metricNamespace: METRICS_NAMESPACE,
        metricName: ERROR_LOG_LINES,
        metricValue: '1',
      });
      // The same lines counted once more, by the policy version they were logged under (the
      // AppConfig version label, see functions/lib/policy-version.ts): which config
      // deployment they came with. A second count rather than the dimension alone, because the
      // alarm must see every line, also one without a version (outcomes reads no policy; a
      // cold start before one is loaded), and an alarm cannot sum a dimension's values it does
      // not know at synth (no SEARCH in alarms).
      new logs.MetricFilter(this, `${fn.node.id}ErrorLinesByPolicy`, {
        logGroup: fn.logGroup,
        filterPattern: logs.FilterPattern.all(isError, logs.FilterPattern.exists(`$.${POLICY_VERSION}`)),
        metricNamespace: METRICS_NAMESPACE,
        metricName: ERROR_LOG_LINES,
        metricValue: '1',
        dimensions: { [POLICY_VERSION]: `$.${POLICY_VERSION}` },
      });
    }
    const errorMetrics: Record<string, cloudwatch.IMetric> = { lines: errorLines };
    functions.forEach((fn, i) => {
      errorMetrics[`e${i}`] = fn.metric('Errors', { period: Duration.minutes(1), statistic: cloudwatch.Stats.SUM });
    });
    this.rollbackAlarm = new cloudwatch.Alarm(this, 'PolicyRollback', {
      alarmName: `${prefix}policy-rollback`,
      alarmDescription: 'Watched by AppConfig during a policy rollout: any function error or ERROR log line rolls the policy back.',
      metric: new cloudwatch.MathExpression({
        label: 'function errors + ERROR log lines',
        expression: Object.keys(errorMetrics).map((k) => `FILL(${k}, 0)`).join(' + '),
        usingMetrics: errorMetrics,
        period: Duration.minutes(1),
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.rollbackAlarm.addAlarmAction(this.alarmAction);

    this.dashboard = this.buildDashboard(prefix, props.stages);
    this.addQueries(prefix, props.stages);
  }

  private buildDashboard(prefix: string, stages: readonly BufferedConsumer[]): cloudwatch.Dashboard {
    const byDimension = (metricName: string, dimension: string, label: string) =>
      new cloudwatch.MathExpression({
        expression: `SEARCH('{${METRICS_NAMESPACE},${dimension},service} MetricName="${metricName}"', 'Sum', 300)`,
        label,
        period: Duration.minutes(5),
      });
    const graph = (title: string, left: cloudwatch.IMetric[], width = 12) => new cloudwatch.GraphWidget({ title, left, width, height: 6 });
    const functions = stages.map((stage) => stage.consumer);
    const dashboard = new cloudwatch.Dashboard(this, 'Dashboard', { dashboardName: `${prefix}pipeline`, defaultInterval: Duration.hours(24) });
    dashboard.addWidgets(
      new cloudwatch.TextWidget({
        markdown: '# vroegsignaal\nSignals in, alerts out. Every DLQ should be empty; see the README for Logs Insights queries.',
        width: 24,
        height: 2,
      }),
    );
    dashboard.addWidgets(
      graph('Entries ingested, by outcome', [byDimension('EntriesIngested', 'outcome', '')]),
      graph('Entries rejected, by rule', [byDimension('EntriesRejected', 'rule', '')]),
    );
    dashboard.addWidgets(
      graph('Alerts sent, by team', [byDimension('AlertsSent', 'team', '')]),
      graph('Alerts past a team\'s yearly capacity, by team', [byDimension('CapacityExceeded', 'team', '')]),
    );
    dashboard.addWidgets(
      graph('Team messages ingest left for deliver, by reason', [byDimension('DeliveriesDeferred', 'reason', '')]),
      graph('Records dead-lettered, by reason', [byDimension('RecordsDeadLettered', 'reason', '')]),
    );
    dashboard.addWidgets(
      graph('ERROR log lines, by policy version', [
        new cloudwatch.MathExpression({
          expression: `SEARCH('{${METRICS_NAMESPACE},${POLICY_VERSION}} MetricName="${ERROR_LOG_LINES}"', 'Sum', 300)`,
          label: '',
          period: Duration.minutes(5),
        }),
      ]),
      graph('Records a partner caused to fail, by rule', [byDimension('PartnerFaults', 'rule', '')]),
    );
    dashboard.addWidgets(
      graph('Overdue reminders sent, by team of the alert', [byDimension(OVERDUE.reminders, 'team', '')], 8),
      graph('Overdue alerts escalated to a coordinating team, by team of the alert', [byDimension(OVERDUE.escalations, 'team', '')], 8),
      new cloudwatch.SingleValueWidget({
        title: `Alerts overdue now (went overdue in the last ${OVERDUE_WINDOW_DAYS} days, still raised)`,
        metrics: [overdueNow()],
        start: `-P${OVERDUE_WINDOW_DAYS}D`,
        setPeriodToTimeRange: true,
        width: 8,
        height: 6,
      }),
    );
    // The notice functions live in the workspace stack; their counts share the namespace.
    dashboard.addWidgets(
      graph('E-mail notices sent to members, by kind', [byDimension('NoticesSent', 'kind', '')]),
      graph("Members' mail switched off (bounce, complaint, refusal), by trigger", [byDimension('MailSwitchedOff', 'trigger', '')]),
    );
    dashboard.addWidgets(
      graph('Team reports rejected, by rule', [byDimension('TeamReportsRejected', 'rule', '')]),
      graph('Oldest alert waiting in a team queue (s)', [
        new cloudwatch.MathExpression({
          expression: `SEARCH('{AWS/SQS,QueueName} MetricName="ApproximateAgeOfOldestMessage" "${prefix}team-"', 'Maximum', 300)`,
          label: '',
          period: Duration.minutes(5),
        }),
      ]),
    );
    dashboard.addWidgets(
      graph('Buffers: messages waiting', stages.map((s) => s.queue.metricApproximateNumberOfMessagesVisible({ label: s.stageName, statistic: cloudwatch.Stats.MAXIMUM }))),
      graph('Buffers: age of oldest message (s)', stages.map((s) => s.queue.metricApproximateAgeOfOldestMessage({ label: s.stageName, statistic: cloudwatch.Stats.MAXIMUM }))),
    );
    dashboard.addWidgets(
      graph('DLQs: messages (should be 0)', stages.map((s) => s.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ label: s.stageName, statistic: cloudwatch.Stats.MAXIMUM }))),
      graph('Function errors and throttles', functions.flatMap((f) => [f.metric('Errors', { label: `${f.shortName} errors`, statistic: cloudwatch.Stats.SUM }), f.metric('Throttles', { label: `${f.shortName} throttles`, statistic: cloudwatch.Stats.SUM })])),
    );
    dashboard.addWidgets(
      graph('Function duration p95 (ms)', functions.map((f) => f.metric('Duration', { label: f.shortName, statistic: cloudwatch.Stats.p(95) }))),
      graph('Concurrent executions', functions.map((f) => f.metric('ConcurrentExecutions', { label: f.shortName, statistic: cloudwatch.Stats.MAXIMUM }))),
    );
    return dashboard;
  }

  private addQueries(prefix: string, stages: readonly BufferedConsumer[]): void {
    const logGroup = (name: string) => stages.find((s) => s.consumer.shortName === name)?.consumer.logGroup;
    const groups = (...names: string[]) => names.map(logGroup).filter((g): g is logs.LogGroup => g !== undefined);
    new logs.QueryDefinition(this, 'RejectedEntries', {
      queryDefinitionName: `${prefix}pipeline/rejected-entries-by-partner-and-rule`,
      logGroups: groups('ingest'),
      queryString: new logs.QueryString({
        filterStatements: ['message = "entry ingested"', 'outcome = "rejected"'],
        statsStatements: ['count(*) as rejected by partnerId, rule'],
        sort: 'rejected desc',
      }),
    });
    new logs.QueryDefinition(this, 'AlertsPerTeam', {
      queryDefinitionName: `${prefix}pipeline/alerts-by-team-and-level`,
      logGroups: groups('ingest', 'deliver'),
      queryString: new logs.QueryString({
        filterStatements: ['message = "alert sent"'],
        statsStatements: ['count(*) as alerts, sum(capacityExceeded) as pastCapacity by team, alertLevel'],
        sort: 'alerts desc',
      }),
    });
    new logs.QueryDefinition(this, 'Errors', {
      queryDefinitionName: `${prefix}pipeline/errors`,
      logGroups: groups('ingest', 'deliver', 'team-report', 'outcomes'),
      queryString: new logs.QueryString({
        fields: ['@timestamp', '@log', 'message', 'error.name', 'error.message', POLICY_VERSION, 'function_request_id'],
        filterStatements: ['level = "ERROR"'],
        sort: '@timestamp desc',
        limit: 100,
      }),
    });
  }
}
