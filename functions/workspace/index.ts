/**
 * Lambda entry: the team workspace behind CloudFront and an HTTP API (payload format 2.0),
 * through Hono's Lambda adapter. The same app `npm run serve` runs on Node, wired here to the
 * household table (items, alert index and its inbox index, access records), the pipeline bus
 * for the outcomes of members' reports, the policy from AppConfig, the Cognito user pool as
 * OpenID provider, and the session key from Secrets Manager. Only requests that came through
 * CloudFront reach the app: CloudFront adds a secret header the API's public endpoint cannot.
 */
import { timingSafeEqual } from 'node:crypto';
import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { Hono } from 'hono';
import { handle } from 'hono/aws-lambda';
import { documentClient, ENV, EventBridgePublisher, workspaceTablePorts } from '@vroegsignaal/adapters';
import { DDAS_PULL_SCOPE } from '@vroegsignaal/policy';
import { readEnvironment } from '../lib/environment.ts';
import { AppConfigPolicy, awsClients, withPolicy } from '../lib/production.ts';
import { createWorkspaceApp } from './app.ts';

/** Both secrets are at least this many bytes (IdentitySettings.sessionKey asks 32). */
const SECRET_MIN_BYTES = 32;

export class WorkspaceSecretError extends Error {
  readonly code = 'WORKSPACE_SECRET_INVALID';
  constructor(which: 'session' | 'origin') {
    super(`the workspace ${which} secret is missing or shorter than ${SECRET_MIN_BYTES} bytes`);
    this.name = 'WorkspaceSecretError';
  }
}

// Read once per cold start: a container keeps them for its life, so a changed secret takes
// effect as containers are replaced (sessions last 30 minutes idle at most).
async function secretBytes(arn: string, which: 'session' | 'origin'): Promise<Buffer> {
  const secret = await getSecret(arn);
  const bytes = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : undefined;
  if (!bytes || bytes.length < SECRET_MIN_BYTES) throw new WorkspaceSecretError(which);
  return bytes;
}

const env = readEnvironment([
  ENV.tableName,
  ENV.pipelineBusName,
  ENV.workspaceIssuer,
  ENV.workspaceClientId,
  ENV.workspacePublicOrigin,
  ENV.workspaceSessionSecretArn,
  ENV.workspaceOriginHeader,
  ENV.workspaceOriginSecretArn,
  ENV.workspacePullClientIds,
]);
const table = env[ENV.tableName];
const db = documentClient(awsClients.dynamodb());
const policy = new AppConfigPolicy();
const [sessionKey, originSecret] = await Promise.all([secretBytes(env[ENV.workspaceSessionSecretArn], 'session'), secretBytes(env[ENV.workspaceOriginSecretArn], 'origin')]);

const app = createWorkspaceApp({
  policy: () => policy.current(),
  ...workspaceTablePorts(db, table),
  publisher: new EventBridgePublisher(awsClients.eventBridge(), env[ENV.pipelineBusName]),
  clock: Date.now,
  identity: {
    issuer: env[ENV.workspaceIssuer],
    clientId: env[ENV.workspaceClientId],
    publicOrigin: env[ENV.workspacePublicOrigin],
    sessionKey: new Uint8Array(sessionKey),
  },
  // Cognito's access tokens of the client credentials grant carry the scope and client id, no audience.
  pull: {
    issuer: env[ENV.workspaceIssuer],
    jwksUri: `${env[ENV.workspaceIssuer]}/.well-known/jwks.json`,
    scope: DDAS_PULL_SCOPE,
    clientIds: env[ENV.workspacePullClientIds].split(',').filter(Boolean),
  },
});

const fromCloudFront = (value: string | undefined) => {
  const given = Buffer.from(value ?? '', 'utf8');
  return given.length === originSecret.length && timingSafeEqual(given, originSecret);
};
const gate = new Hono();
gate.all('*', (c) => (fromCloudFront(c.req.header(env[ENV.workspaceOriginHeader])) ? app.fetch(c.req.raw, c.env) : c.text('Forbidden', 403)));

export const handler = withPolicy(policy, handle(gate));
