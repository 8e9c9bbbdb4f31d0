/**
 * Reminder checks: the ingest and deliver functions create one-time EventBridge Scheduler schedules that,
 * when due, put a DeliveryDue event on the pipeline bus so deliver looks at the household
 * again (packages/adapters/src/scheduler.ts). This is their schedule group, and the role the
 * schedules run as: it may put events on the pipeline bus and nothing else.
 */
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';

export interface ReminderSchedulesProps {
  readonly namePrefix: string;
  readonly pipelineBus: events.IEventBus;
}

export class ReminderSchedules extends Construct {
  readonly group: scheduler.ScheduleGroup;
  /** The group's name, known at synth (for scoped ARNs). */
  readonly groupName: string;
  readonly role: iam.Role;
  readonly pipelineBus: events.IEventBus;

  constructor(scope: Construct, id: string, props: ReminderSchedulesProps) {
    super(scope, id);
    this.pipelineBus = props.pipelineBus;
    this.groupName = `${props.namePrefix}reminders`;
    this.group = new scheduler.ScheduleGroup(this, 'Group', {
      scheduleGroupName: this.groupName,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: 'Reminder schedules put their DeliveryDue event on the pipeline bus',
    });
    props.pipelineBus.grantPutEventsTo(this.role);
  }
}
