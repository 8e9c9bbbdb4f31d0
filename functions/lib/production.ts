/**
 * What a deployed function is wired to: the real AWS clients, the household secret from
 * Secrets Manager, and the policy from AppConfig. The local runtime wires the same handler
 * factories to the stand-ins instead; nothing below runs locally.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { getAppConfig } from '@aws-lambda-powertools/parameters/appconfig';
import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { compilePolicy, policySchema, type CompiledPolicy } from '@vroegsignaal/policy';
import {
  documentClient,
  DynamoAlertIndex,
  DynamoAuditTrail,
  DynamoCapacityLedger,
  DynamoTeamInbox,
  EventBridgeReminderScheduler,
  NoticingTeamMessenger,
  noticePorts,
  SesMailer,
  SqsDeadLetterQueue,
  SqsTeamMessenger,
  ENV,
  TELEMETRY,
} from '@vroegsignaal/adapters';
import type { DispatchDeps, EventPublisher } from '@vroegsignaal/domain';
import type { NoticeHandlerDeps } from './notices.ts';
import { readEnvironment } from './environment.ts';
import { policyVersionOf } from '@vroegsignaal/policy';
import type { DeadLetterPolicy } from './sqs-batch.ts';
import { logger } from './observability.ts';

/** How long a fetched policy is used before AppConfig is asked again (Powertools caches it). */
const POLICY_MAX_AGE_SECONDS = 60;

/** Makes its value on the first call and returns that same one on every later call. */
function once<T>(make: () => T): () => T {
  let made: T | undefined;
  return () => (made ??= make());
}

/**
 * One client per service per container, shared by every adapter on it (ingest and route send
 * to SQS for both dead letters and team queues): one connection pool and credential resolution.
 */
export const awsClients = {
  dynamodb: once(() => new DynamoDBClient({})),
  sqs: once(() => new SQSClient({})),
  eventBridge: once(() => new EventBridgeClient({})),
  scheduler: once(() => new SchedulerClient({})),
  ses: once(() => new SESv2Client({})),
};

export class PolicyUnavailableError extends Error {
  readonly code = 'POLICY_UNAVAILABLE';
  constructor(detail: string) {
    super(`the policy from AppConfig cannot be used: ${detail}`);
    this.name = 'PolicyUnavailableError';
  }
}

/**
 * The policy as AppConfig serves it, compiled once per version. A deployment that somehow
 * passed AppConfig's validator but not the zod schema is refused, and the last good policy
 * stays in use; at a cold start without one, the invocation fails and its batch is retried.
 * Its version (policy-version.ts) goes on the functions' log lines; a refused one is logged at
 * ERROR under its own version, which is what rolls its deployment back.
 */
export class AppConfigPolicy {
  private compiled: CompiledPolicy | undefined;
  private source: unknown;
  private inUse: string | undefined;
  private readonly names = readEnvironment([ENV.policyApplication, ENV.policyEnvironment, ENV.policyProfile]);

  current(): CompiledPolicy {
    if (!this.compiled) throw new PolicyUnavailableError('not loaded yet');
    return this.compiled;
  }

  /** The version of the policy in use, once one is loaded. */
  get version(): string | undefined {
    return this.inUse;
  }

  async refresh(): Promise<void> {
    // The document as served (no transform), so that its version is the digest of exactly
    // what was deployed; Powertools returns the same bytes until AppConfig has a new version.
    const document = await getAppConfig(this.names[ENV.policyProfile], {
      application: this.names[ENV.policyApplication],
      environment: this.names[ENV.policyEnvironment],
      maxAge: POLICY_MAX_AGE_SECONDS,
    });
    if (document === this.source && this.compiled) return;
    const bytes = document instanceof Uint8Array ? document : new TextEncoder().encode(String(document ?? ''));
    const version = policyVersionOf(bytes);
    const parsed = policySchema.safeParse(parseJson(bytes));
    if (!parsed.success) {
      if (this.compiled) {
        logger.error('the new policy does not match its schema; the previous one stays in use', {
          problems: parsed.error.issues.length,
          [TELEMETRY.policyVersionField]: version,
          inUse: this.inUse,
        });
        return;
      }
      throw new PolicyUnavailableError(`${parsed.error.issues.length} schema problem(s) in ${version}`);
    }
    this.source = document;
    this.compiled = compilePolicy(parsed.data);
    this.inUse = version;
  }
}

/** The JSON in `bytes`, or undefined when there is none (the schema then refuses it). */
function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
}

export class HouseholdSecretError extends Error {
  readonly code = 'HOUSEHOLD_SECRET_INVALID';
  constructor() {
    super('the household key secret is missing or shorter than 16 characters');
    this.name = 'HouseholdSecretError';
  }
}

export async function householdSecret(): Promise<string> {
  const { [ENV.householdSecretArn]: arn } = readEnvironment([ENV.householdSecretArn]);
  const secret = await getSecret(arn);
  if (typeof secret !== 'string' || secret.length < 16) throw new HouseholdSecretError();
  return secret;
}

/** Refreshes the policy (from Powertools' cache, or AppConfig once it is older than a minute) ahead of every invocation. */
export function withPolicy<E, C, R>(policy: AppConfigPolicy, handler: (event: E, context: C) => Promise<R>) {
  return async (event: E, context: C): Promise<R> => {
    await policy.refresh();
    return handler(event, context);
  };
}

/** The buffer's DLQ, written on a record's last attempt with the reason (see sqs-batch.ts). */
export function deadLetterPolicy(): DeadLetterPolicy {
  const env = readEnvironment([ENV.deadLetterQueueUrl, ENV.deadLetterAfterReceives]);
  return { queue: new SqsDeadLetterQueue(awsClients.sqs(), env[ENV.deadLetterQueueUrl]), afterReceives: Number(env[ENV.deadLetterAfterReceives]) };
}

/**
 * What telling the teams takes (ingest and deliver both do): the alert records, the team queues,
 * the reminder schedules. What goes on a team queue that a member may be e-mailed about is
 * published on the pipeline bus through `publisher`, for notify.
 */
export function teamDispatchPorts(db: ReturnType<typeof documentClient>, publisher: EventPublisher): Omit<DispatchDeps, 'policy' | 'nowMs'> {
  const env = readEnvironment([ENV.tableName, ENV.teamQueuePrefix, ENV.pipelineBusArn, ENV.schedulerRoleArn, ENV.scheduleGroup]);
  return {
    alerts: new DynamoAlertIndex(db, env[ENV.tableName]),
    capacity: new DynamoCapacityLedger(db, env[ENV.tableName]),
    messenger: new NoticingTeamMessenger(new SqsTeamMessenger(awsClients.sqs(), env[ENV.teamQueuePrefix]), publisher, Date.now),
    audit: new DynamoAuditTrail(db, env[ENV.tableName]),
    scheduler: new EventBridgeReminderScheduler(awsClients.scheduler(), {
      pipelineBusArn: env[ENV.pipelineBusArn],
      roleArn: env[ENV.schedulerRoleArn],
      groupName: env[ENV.scheduleGroup],
    }),
  };
}

/**
 * What notify, the digest and the mail feedback run on: the policy and the clock; the members,
 * the notices sent and the once-gate on the table, the alerts and inboxes they are about; SES
 * (the sender and the configuration set that reports bounces and complaints); and the
 * workspace's origin for the links.
 */
export function noticeFunctionDeps(policy: AppConfigPolicy): Omit<NoticeHandlerDeps, 'deadLetters'> {
  const env = readEnvironment([ENV.tableName, ENV.workspacePublicOrigin, ENV.noticeSenderAddress, ENV.sesConfigurationSet]);
  const table = env[ENV.tableName];
  const db = documentClient(awsClients.dynamodb());
  return {
    policy: () => policy.current(),
    policyVersion: () => policy.version,
    ...noticePorts(db, table),
    alerts: new DynamoAlertIndex(db, table),
    inbox: new DynamoTeamInbox(db, table),
    mailer: new SesMailer(awsClients.ses(), { from: env[ENV.noticeSenderAddress], configurationSetName: env[ENV.sesConfigurationSet] }),
    workspaceOrigin: () => env[ENV.workspacePublicOrigin],
    clock: Date.now,
  };
}
