/**
 * The names a deployment shares between the CDK stack that sets them and the functions that
 * read them: defined once, here, below both.
 */

/** The environment variables each deployed function reads (functions/lib/environment.ts). */
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
  /** The workspace's OpenID provider (the Cognito user pool's issuer URL). */
  workspaceIssuer: 'WORKSPACE_ISSUER',
  /** The workspace's public app client (authorization code with PKCE, no secret). */
  workspaceClientId: 'WORKSPACE_CLIENT_ID',
  /** The origin the browser sees (https://<CloudFront domain>): redirect URIs and cookies. */
  workspacePublicOrigin: 'WORKSPACE_PUBLIC_ORIGIN',
  /** The Secrets Manager secret the session key is derived from. */
  workspaceSessionSecretArn: 'WORKSPACE_SESSION_SECRET_ARN',
  /** The header CloudFront sends the origin secret in, and the Secrets Manager secret it holds: the API answers CloudFront only. */
  workspaceOriginHeader: 'WORKSPACE_ORIGIN_HEADER',
  workspaceOriginSecretArn: 'WORKSPACE_ORIGIN_SECRET_ARN',
  /** The monthly monitor's bucket (SSE-KMS) and the topic that tells a municipality's operators. */
  monitorBucketName: 'MONITOR_BUCKET_NAME',
  monitorTopicArn: 'MONITOR_TOPIC_ARN',
  /** The machine clients that may pull the DDAS export (POST /gegevens), comma-separated. */
  workspacePullClientIds: 'WORKSPACE_PULL_CLIENT_IDS',
  /** Per federated identity provider, its groups -> the workspace's groups (JSON; the Cognito trigger). */
  federatedGroupMappings: 'FEDERATED_GROUP_MAPPINGS',
  /**
   * E-mail notices (notify, notice-digest, mail-feedback): the From of every notice (an address
   * of the SES identity's domain, optionally with a display name) and the SES configuration set
   * whose event destination reports bounces and complaints. Their links go to
   * WORKSPACE_PUBLIC_ORIGIN, the origin a member's browser reaches the workspace at.
   */
  noticeSenderAddress: 'NOTICE_SENDER_ADDRESS',
  sesConfigurationSet: 'SES_CONFIGURATION_SET',
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
