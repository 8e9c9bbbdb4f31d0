/**
 * Reminder checks on EventBridge Scheduler: a one-time schedule that, at the due time, puts a
 * DeliveryDue event for the household on the pipeline bus, so route looks at it again.
 * The schedule name is derived from the household and the time, so asking twice is harmless;
 * the schedule deletes itself once it has run.
 */
import { createHash } from 'node:crypto';
import { ConflictException, CreateScheduleCommand, type SchedulerClient } from '@aws-sdk/client-scheduler';
import { PIPELINE_DETAIL_TYPES, PIPELINE_SOURCE, type DeliveryDue } from '@vroegsignaal/events';
import type { ReminderScheduler } from '@vroegsignaal/domain';

export interface SchedulerTarget {
  /** ARN of the pipeline bus. */
  pipelineBusArn: string;
  /** Role EventBridge Scheduler assumes to put the event. */
  roleArn: string;
  /** Schedule group (the CDK stack creates it); `default` when omitted. */
  groupName?: string;
}

export function reminderScheduleName(householdRef: string, atMs: number): string {
  return `vs-check-${createHash('sha256').update(`${householdRef}|${atMs}`).digest('hex').slice(0, 40)}`;
}

export class EventBridgeReminderScheduler implements ReminderScheduler {
  constructor(private readonly scheduler: SchedulerClient, private readonly target: SchedulerTarget) {}

  async scheduleCheck(householdRef: string, atMs: number): Promise<void> {
    const at = new Date(atMs).toISOString().slice(0, 19);
    const detail: DeliveryDue = { schemaVersion: 1, householdRef, version: 0, at: `${at}Z` };
    try {
      await this.scheduler.send(
        new CreateScheduleCommand({
          Name: reminderScheduleName(householdRef, atMs),
          GroupName: this.target.groupName,
          ScheduleExpression: `at(${at})`,
          ScheduleExpressionTimezone: 'UTC',
          FlexibleTimeWindow: { Mode: 'OFF' },
          ActionAfterCompletion: 'DELETE',
          Target: {
            Arn: this.target.pipelineBusArn,
            RoleArn: this.target.roleArn,
            Input: JSON.stringify(detail),
            EventBridgeParameters: { Source: PIPELINE_SOURCE, DetailType: PIPELINE_DETAIL_TYPES.deliveryDue },
          },
        }),
      );
    } catch (error) {
      // The same check for the same household and time exists already.
      if (!(error instanceof ConflictException) && (error as { name?: string }).name !== 'ConflictException') throw error;
    }
  }
}
