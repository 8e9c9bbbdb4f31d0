/**
 * Lambda entry: the team workspace behind CloudFront and an HTTP API (payload format 2.0),
 * through Hono's Lambda adapter. The same app `npm run serve` runs on Node, wired here to the
 * household table (items, alert index and its inbox index, access records), the pipeline bus
 * for the outcomes of members' reports, the policy from AppConfig, the Cognito user pool as
 * OpenID provider, and the session key from Secrets Manager.
 */
import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { handle } from 'hono/aws-lambda';
import { documentClient, DynamoAccessLog, DynamoAlertIndex, DynamoHouseholdStore, DynamoTeamInbox, ENV, EventBridgePublisher } from '@vroegsignaal/adapters';
import { readEnvironment } from '../lib/environment.ts';
import { AppConfigPolicy, awsClients, withPolicy } from '../lib/production.ts';
import { createWorkspaceApp } from './app.ts';

/** The session key is at least this many bytes (IdentitySettings.sessionKey). */
const SESSION_KEY_MIN_BYTES = 32;

export class SessionSecretError extends Error {
  readonly code = 'SESSION_SECRET_INVALID';
  constructor() {
    super(`the workspace session secret is missing or shorter than ${SESSION_KEY_MIN_BYTES} bytes`);
    this.name = 'SessionSecretError';
  }
}

const env = readEnvironment([ENV.tableName, ENV.pipelineBusName, ENV.workspaceIssuer, ENV.workspaceClientId, ENV.workspacePublicOrigin, ENV.workspaceSessionSecretArn]);
const table = env[ENV.tableName];
const db = documentClient(awsClients.dynamodb());
const policy = new AppConfigPolicy();

// Read once per cold start: a container keeps its key for its life, so a changed secret
// takes effect as containers are replaced (sessions last 30 minutes idle at most).
const secret = await getSecret(env[ENV.workspaceSessionSecretArn]);
const sessionKey = typeof secret === 'string' ? new TextEncoder().encode(secret) : undefined;
if (!sessionKey || sessionKey.length < SESSION_KEY_MIN_BYTES) throw new SessionSecretError();

const app = createWorkspaceApp({
  policy: () => policy.current(),
  households: new DynamoHouseholdStore(db, table),
  alerts: new DynamoAlertIndex(db, table),
  inbox: new DynamoTeamInbox(db, table),
  access: new DynamoAccessLog(db, table),
  publisher: new EventBridgePublisher(awsClients.eventBridge(), env[ENV.pipelineBusName]),
  clock: Date.now,
  identity: {
    issuer: env[ENV.workspaceIssuer],
    clientId: env[ENV.workspaceClientId],
    publicOrigin: env[ENV.workspacePublicOrigin],
    sessionKey,
  },
});

export const handler = withPolicy(policy, handle(app));
