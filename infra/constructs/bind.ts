/**
 * Bind helpers: each gives a function one thing it uses, setting the environment variable the
 * function reads (names from functions/lib/environment.ts) and the IAM grant it needs in one
 * call, so the two can never drift apart. Grants are the least the adapters need: the exact
 * DynamoDB, SQS and KMS actions they call, on the one resource, and in the household table
 * only the kinds of item the function touches (dynamodb:LeadingKeys).
 */
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { ENV } from '@vroegsignaal/adapters';
import { acknowledge } from '../lib/acknowledge.ts';
import { leadingKeyPatterns, type ItemKind } from '../lib/key-prefixes.ts';
import { names } from '../lib/names.ts';
import type { HouseholdKey } from './household-key.ts';
import type { HouseholdTable } from './household-table.ts';
import type { PipelineFunction } from './pipeline-function.ts';
import type { PolicyConfig } from './policy-config.ts';
import type { ReminderSchedules } from './reminder-schedules.ts';

/** The KMS actions DynamoDB performs with a table's customer-managed key on the caller's behalf. */
const DYNAMODB_KMS_ACTIONS = ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'];
/** Sending to a queue encrypted with a customer-managed key needs a data key and Decrypt. */
const SQS_SEND_KMS_ACTIONS = ['kms:GenerateDataKey', 'kms:Decrypt'];

/** `actions` on `key`, only as `service` uses it on the function's behalf (kms:ViaService). */
function allowKeyVia(fn: PipelineFunction, service: 'dynamodb' | 'sqs', key: kms.IKey, actions: string[]): void {
  fn.role.addToPolicy(
    new iam.PolicyStatement({
      actions,
      resources: [key.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `${service}.${fn.fn.stack.region}.amazonaws.com` } },
    }),
  );
}

/**
 * What a function does in the household table, by kind of item (see lib/key-prefixes.ts): read
 * (GetItem), read many by key (BatchGetItem: the DDAS export's households), create or replace
 * (PutItem), update in place (UpdateItem), remove (DeleteItem: a notice's once-gate record of a
 * run that failed), read one partition's items (Query). Each list becomes one statement for that
 * action whose `dynamodb:LeadingKeys` must all match those kinds' prefixes.
 */
export interface TableAccess {
  readonly get?: readonly ItemKind[];
  readonly batchGet?: readonly ItemKind[];
  readonly put?: readonly ItemKind[];
  readonly update?: readonly ItemKind[];
  readonly delete?: readonly ItemKind[];
  readonly query?: readonly ItemKind[];
}

const TABLE_ACTIONS = {
  get: 'dynamodb:GetItem',
  batchGet: 'dynamodb:BatchGetItem',
  put: 'dynamodb:PutItem',
  update: 'dynamodb:UpdateItem',
  delete: 'dynamodb:DeleteItem',
  query: 'dynamodb:Query',
} as const;

/**
 * TABLE_NAME, and per action the household table's items of the kinds `access` names, no other:
 * a function that only updates signal claims cannot read a household's address. The
 * condition holds for every action granted here, each of which names a partition key (a
 * Query on the table names the one partition it reads); Scan is never granted.
 */
export function bindTable(fn: PipelineFunction, table: HouseholdTable, access: TableAccess): void {
  fn.addEnvironment(ENV.tableName, table.table.tableName);
  for (const [verb, action] of Object.entries(TABLE_ACTIONS) as [keyof TableAccess, string][]) {
    const kinds = access[verb];
    if (!kinds || kinds.length === 0) continue;
    fn.role.addToPolicy(
      new iam.PolicyStatement({
        actions: [action],
        resources: [table.table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': leadingKeyPatterns(kinds) } },
      }),
    );
  }
  allowKeyVia(fn, 'dynamodb', table.key, DYNAMODB_KMS_ACTIONS);
}

/**
 * Query on one of the table's global secondary indexes, no other, and nothing else on it (a
 * Scan of an index reads every item it projects). The index's partition key is not a leading
 * key of the table, so no LeadingKeys condition applies: what the index projects is what the
 * grant gives.
 */
export function bindTableIndex(fn: PipelineFunction, table: HouseholdTable, indexName: string): void {
  fn.role.addToPolicy(new iam.PolicyStatement({ actions: ['dynamodb:Query'], resources: [`${table.table.tableArn}/index/${indexName}`] }));
}

/** The workspace's OpenID client settings: the issuer, its app client, and its own public origin. */
export function bindWorkspaceIdentity(fn: PipelineFunction, identity: { issuer: string; clientId: string; origin: string; pullClientIds: readonly string[] }): void {
  fn.addEnvironment(ENV.workspaceIssuer, identity.issuer);
  fn.addEnvironment(ENV.workspaceClientId, identity.clientId);
  fn.addEnvironment(ENV.workspacePublicOrigin, identity.origin);
  fn.addEnvironment(ENV.workspacePullClientIds, identity.pullClientIds.join(','));
}

/** WORKSPACE_SESSION_SECRET_ARN, and GetSecretValue on that secret only. */
export function bindSessionSecret(fn: PipelineFunction, secret: secretsmanager.ISecret): void {
  fn.addEnvironment(ENV.workspaceSessionSecretArn, secret.secretArn);
  secret.grantRead(fn.role);
}

/**
 * WORKSPACE_ORIGIN_HEADER and WORKSPACE_ORIGIN_SECRET_ARN, and GetSecretValue on that secret:
 * the function refuses a request that does not carry the secret CloudFront adds in that header.
 */
export function bindOriginSecret(fn: PipelineFunction, origin: { header: string; secret: secretsmanager.ISecret }): void {
  fn.addEnvironment(ENV.workspaceOriginHeader, origin.header);
  fn.addEnvironment(ENV.workspaceOriginSecretArn, origin.secret.secretArn);
  origin.secret.grantRead(fn.role);
}

/** PIPELINE_BUS_NAME, and PutEvents on that bus. */
export function bindPipelineBus(fn: PipelineFunction, bus: events.IEventBus): void {
  fn.addEnvironment(ENV.pipelineBusName, bus.eventBusName);
  bus.grantPutEventsTo(fn.fn);
}

/**
 * HOUSEHOLD_SECRET_ARN, and GetSecretValue on that secret (Decrypt on its key via Secrets
 * Manager): the function's role joins the few the secret's and the key's policies admit.
 */
export function bindHouseholdKey(fn: PipelineFunction, householdKey: HouseholdKey): void {
  fn.addEnvironment(ENV.householdSecretArn, householdKey.secret.secretArn);
  householdKey.grantRead(fn.role);
}

/**
 * The three AppConfig identifiers, and StartConfigurationSession plus GetLatestConfiguration
 * on exactly the policy profile in exactly the deployment's environment.
 */
export function bindPolicy(fn: PipelineFunction, policy: PolicyConfig): void {
  fn.addEnvironment(ENV.policyApplication, policy.application.applicationId);
  fn.addEnvironment(ENV.policyEnvironment, policy.environment.environmentId);
  fn.addEnvironment(ENV.policyProfile, policy.configuration.configurationProfileId);
  fn.role.addToPolicy(
    new iam.PolicyStatement({
      actions: ['appconfig:StartConfigurationSession', 'appconfig:GetLatestConfiguration'],
      resources: [`${policy.environment.environmentArn}/configuration/${policy.configuration.configurationProfileId}`],
    }),
  );
}

export interface TeamQueueAccess {
  /** The name prefix the team queues share: `<prefix>team-<teamId>.fifo`. */
  readonly prefix: string;
  /** The key every team queue is encrypted with. */
  readonly key: kms.IKey;
}

/**
 * TEAM_QUEUE_PREFIX, and SendMessage plus GetQueueUrl on every team queue by name pattern. The
 * function finds a team's queue by name, so a team added to the policy needs no change to this
 * stack, and this stack needs no reference to each teams stack.
 */
export function bindTeamQueues(fn: PipelineFunction, access: TeamQueueAccess): void {
  fn.addEnvironment(ENV.teamQueuePrefix, access.prefix);
  const pattern = names.teamQueuePattern(access.prefix);
  fn.role.addToPolicy(
    new iam.PolicyStatement({
      actions: ['sqs:SendMessage', 'sqs:GetQueueUrl'],
      resources: [fn.arn('sqs', pattern)],
    }),
  );
  allowKeyVia(fn, 'sqs', access.key, SQS_SEND_KMS_ACTIONS);
  acknowledge(
    fn.role,
    `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:sqs:<AWS::Region>:<AWS::AccountId>:${pattern}]`,
    'Ingest and deliver send to the team queues by name; one queue per team in the policy, created by the teams stacks. The pattern matches team queues only (their DLQs are named <prefix>dlq-team-*).',
  );
}

/**
 * DEAD_LETTER_QUEUE_URL and DEAD_LETTER_AFTER_RECEIVES, and SendMessage on that queue only:
 * the function dead-letters a record itself on its last attempt, with the reason.
 */
export function bindDeadLetterQueue(fn: PipelineFunction, queue: sqs.IQueue, key: kms.IKey, afterReceives: number): void {
  fn.addEnvironment(ENV.deadLetterQueueUrl, queue.queueUrl);
  fn.addEnvironment(ENV.deadLetterAfterReceives, String(afterReceives));
  allowSendTo(fn, queue, key);
}

/** SendMessage on one queue encrypted with `key`, and that key only as SQS uses it for the function. */
export function allowSendTo(fn: PipelineFunction, queue: sqs.IQueue, key: kms.IKey): void {
  fn.role.addToPolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] }));
  allowKeyVia(fn, 'sqs', key, SQS_SEND_KMS_ACTIONS);
}

/** Who notices come from, and through what: an address of a verified SES identity, sent with its configuration set. */
export interface MailSender {
  /** The From header, e.g. `Vroegsignaal <meldingen@example.nl>`. */
  readonly from: string;
  /** The bare address in it, which SES compares with ses:FromAddress. */
  readonly address: string;
  readonly identityArn: string;
  readonly configurationSetName: string;
  readonly configurationSetArn: string;
}

/**
 * NOTICE_SENDER_ADDRESS and SES_CONFIGURATION_SET, and ses:SendEmail (the SES v2 call
 * nodemailer's SES transport makes, raw content included) on exactly the sender's identity and
 * configuration set, only From the sender's address: the function cannot send as anyone else,
 * nor through another identity, nor around the configuration set that reports bounces.
 */
export function bindMailSender(fn: PipelineFunction, sender: MailSender): void {
  fn.addEnvironment(ENV.noticeSenderAddress, sender.from);
  fn.addEnvironment(ENV.sesConfigurationSet, sender.configurationSetName);
  fn.role.addToPolicy(
    new iam.PolicyStatement({
      actions: ['ses:SendEmail'],
      resources: [sender.identityArn, sender.configurationSetArn],
      conditions: { StringEquals: { 'ses:FromAddress': sender.address } },
    }),
  );
}

/**
 * PIPELINE_BUS_ARN, SCHEDULER_ROLE_ARN and SCHEDULE_GROUP, and CreateSchedule in that group
 * plus PassRole on the role the schedules run as.
 */
export function bindReminderSchedules(fn: PipelineFunction, schedules: ReminderSchedules): void {
  fn.addEnvironment(ENV.pipelineBusArn, schedules.pipelineBus.eventBusArn);
  fn.addEnvironment(ENV.schedulerRoleArn, schedules.role.roleArn);
  fn.addEnvironment(ENV.scheduleGroup, schedules.group.scheduleGroupName);
  fn.role.addToPolicy(
    new iam.PolicyStatement({
      actions: ['scheduler:CreateSchedule'],
      resources: [fn.arn('scheduler', `schedule/${schedules.groupName}/*`)],
    }),
  );
  schedules.role.grantPassRole(fn.role);
  acknowledge(
    fn.role,
    `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/${schedules.groupName}/*]`,
    'Reminder schedules are created at run time with names derived from the household and the time; the grant is limited to the one schedule group of this deployment.',
  );
}
