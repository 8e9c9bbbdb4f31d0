/**
 * Physical names of what partners, teams and the functions find by name. Everything else is
 * named by CloudFormation. The team queue name comes from the adapter the route function
 * uses, so the queue the stack creates is the queue the function looks up.
 */
import { teamQueueName } from '@vroegsignaal/adapters';

/**
 * The tag a principal of this account carries, with a team id as value, to assume that team's
 * role (see constructs/team-inbox.ts): on the IAM user or role, or as a session tag.
 */
export const TEAM_PRINCIPAL_TAG = 'vroegsignaal:team';

/** Default prefix of every physical name; a second deployment in one account takes another. */
export const DEFAULT_NAME_PREFIX = 'vroegsignaal-';

const QUEUE_NAME_MAX = 80; // SQS: up to 80 characters, including `.fifo`
const ROLE_NAME_MAX = 64; // IAM role names
const BUS_NAME_MAX = 256; // EventBridge bus names

export class ResourceNameError extends Error {
  readonly code = 'RESOURCE_NAME_INVALID';
  constructor(kind: string, name: string, max: number) {
    super(`${kind} name "${name}" is ${name.length} characters; the limit is ${max}. Use a shorter id or name prefix.`);
    this.name = 'ResourceNameError';
  }
}

function checked(kind: string, name: string, max: number): string {
  if (name.length > max) throw new ResourceNameError(kind, name, max);
  return name;
}

export const names = {
  signalsBus: (prefix: string) => checked('event bus', `${prefix}signals`, BUS_NAME_MAX),
  pipelineBus: (prefix: string) => checked('event bus', `${prefix}pipeline`, BUS_NAME_MAX),
  partnerIngressBus: (prefix: string, index: number) => checked('event bus', `${prefix}partners-${index}`, BUS_NAME_MAX),
  teamQueue: (prefix: string, teamId: string) => checked('queue', teamQueueName(prefix, teamId), QUEUE_NAME_MAX),
  /**
   * Not `<prefix>team-…`: the route function may send to `<prefix>team-*`, and a team's DLQ
   * must not be one of the queues it can reach.
   */
  teamDlq: (prefix: string, teamId: string) => checked('queue', `${prefix}dlq-team-${teamId}.fifo`, QUEUE_NAME_MAX),
  teamRole: (prefix: string, teamId: string) => checked('role', `${prefix}team-${teamId}`, ROLE_NAME_MAX),
  /** Named, so that operators find it, and can watch CloudTrail for its use, by name. */
  householdKeyBreakGlassRole: (prefix: string) => checked('role', `${prefix}household-key-break-glass`, ROLE_NAME_MAX),
  /** The ARN resource pattern that matches every team queue and nothing else we create. */
  teamQueuePattern: (prefix: string) => `${prefix}team-*`,
};
