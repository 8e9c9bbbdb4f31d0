/**
 * The environment each deployed function reads: names defined once, used by the CDK stack
 * that sets them and by the functions that read them. Parsed when the module loads, so a
 * missing variable fails the cold start with a message that names it.
 */
import * as z from 'zod';

export const ENV = {
  tableName: 'TABLE_NAME',
  pipelineBusName: 'PIPELINE_BUS_NAME',
  teamQueuePrefix: 'TEAM_QUEUE_PREFIX',
  householdSecretArn: 'HOUSEHOLD_SECRET_ARN',
  policyApplication: 'POLICY_APPCONFIG_APPLICATION',
  policyEnvironment: 'POLICY_APPCONFIG_ENVIRONMENT',
  policyProfile: 'POLICY_APPCONFIG_PROFILE',
  pipelineBusArn: 'PIPELINE_BUS_ARN',
  schedulerRoleArn: 'SCHEDULER_ROLE_ARN',
  scheduleGroup: 'SCHEDULE_GROUP',
  deadLetterQueueUrl: 'DEAD_LETTER_QUEUE_URL',
  deadLetterAfterReceives: 'DEAD_LETTER_AFTER_RECEIVES',
} as const;
export type EnvName = (typeof ENV)[keyof typeof ENV];

/**
 * The service name and metrics namespace of every function's logs and metrics (Powertools):
 * the stack sets them as the functions' POWERTOOLS_* environment and searches them in its
 * dashboard and alarms; observability.ts names its logger and metrics with them. The policy
 * version in use is a field of every log line of an invocation (middify.ts), and the dimension
 * the stack counts ERROR lines by.
 */
export const TELEMETRY = { serviceName: 'vroegsignaal', metricsNamespace: 'Vroegsignaal', policyVersionField: 'policyVersion' } as const;

export class EnvironmentError extends Error {
  readonly code = 'ENVIRONMENT_INVALID';
  constructor(missing: string[]) {
    super(`missing or empty environment variable(s): ${missing.join(', ')}`);
    this.name = 'EnvironmentError';
  }
}

/** Reads the named variables; throws an EnvironmentError naming every one that is missing. */
export function readEnvironment<const N extends EnvName>(names: readonly N[], source: NodeJS.ProcessEnv = process.env): Record<N, string> {
  const schema = z.object(Object.fromEntries(names.map((name) => [name, z.string().min(1)])) as Record<N, z.ZodString>);
  const parsed = schema.safeParse(source);
  if (!parsed.success) throw new EnvironmentError([...new Set(parsed.error.issues.map((issue) => String(issue.path[0])))]);
  return parsed.data as Record<N, string>;
}
