/**
 * Team inboxes for one group of teams (one municipality, see lib/stack-plan.ts): a FIFO queue,
 * DLQ and role per team. Split from the pipeline stack to stay far from CloudFormation's 500
 * resources per stack; the route function reaches the queues by name, so the pipeline stack
 * needs nothing from here.
 */
import { Stack, type StackProps } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { TeamInbox } from '../constructs/team-inbox.ts';

export interface TeamsStackProps extends StackProps {
  readonly namePrefix: string;
  readonly teamIds: readonly string[];
  /** The key the team queues share (from the pipeline stack, so the route function can use it). */
  readonly teamQueueKey: kms.IKey;
  readonly signalsBus: events.IEventBus;
  readonly alarmAction: cloudwatch.IAlarmAction;
  /** Who may assume the team roles. @default per team, principals of this account tagged for it (see TeamInbox) */
  readonly teamPrincipal?: iam.IPrincipal;
}

export class TeamsStack extends Stack {
  readonly inboxes = new Map<string, TeamInbox>();

  constructor(scope: Construct, id: string, props: TeamsStackProps) {
    super(scope, id, props);
    for (const teamId of props.teamIds) {
      this.inboxes.set(
        teamId,
        new TeamInbox(this, `Team-${teamId}`, {
          namePrefix: props.namePrefix,
          teamId,
          key: props.teamQueueKey,
          signalsBus: props.signalsBus,
          alarmAction: props.alarmAction,
          principal: props.teamPrincipal,
        }),
      );
    }
  }
}
