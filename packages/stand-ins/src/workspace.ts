/**
 * The team workspace on this machine: the same Hono app as the Lambda function, on Node, wired
 * to the local pipeline's table and bus through the real adapters, and logging in through the
 * local identity provider with the same OpenID Connect client code as against Cognito; with the
 * local mail server as its outbox, it shows each member the notices mailed to them.
 */
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { documentClient, EventBridgePublisher, workspaceTablePorts } from '@vroegsignaal/adapters';
import { BUSES } from '@vroegsignaal/events';
import { createWorkspaceApp, type LocalOutbox, type WorkspaceDeps } from '@vroegsignaal/functions';
import { startLocalIdentityProvider, type LocalIdentityProvider } from './local-identity.ts';
import { LOCAL_TABLE_NAME, type LocalPipeline } from './pipeline.ts';

export interface LocalWorkspaceOptions {
  pipeline: LocalPipeline;
  /** Default: any free port. */
  port?: number;
  identityPort?: number;
  /** What "now" is for the pages and the sessions; default the pipeline's clock. */
  clock?: () => number;
  /** Default: a new random key on each start (a restart logs everyone out, as it empties the stand-ins). */
  sessionKey?: Uint8Array;
  /** The local mail server (startLocalMailServer): its mails for the member on `/uitgaande-post`. Default: no outbox page. */
  outbox?: LocalOutbox;
}

export interface LocalWorkspace {
  /** http://localhost:<port> */
  url: string;
  identity: LocalIdentityProvider;
  stop(): Promise<void>;
}

export async function startLocalWorkspace(options: LocalWorkspaceOptions): Promise<LocalWorkspace> {
  const { pipeline } = options;
  let app: ReturnType<typeof createWorkspaceApp> | undefined;
  const server = createAdaptorServer({ fetch: (request: Request) => (app ? app.fetch(request) : new Response('starting', { status: 503 })) }) as Server;
  await listen(server, options.port ?? 0);
  const url = `http://localhost:${(server.address() as AddressInfo).port}`;
  let identity: LocalIdentityProvider;
  try {
    identity = await startLocalIdentityProvider({ policy: pipeline.policy, workspaceOrigin: url, ...(options.identityPort !== undefined ? { port: options.identityPort } : {}) });
  } catch (error) {
    await close(server);
    throw error;
  }

  const db = documentClient(pipeline.standIns.clients.dynamodb);
  const deps: WorkspaceDeps = {
    policy: () => pipeline.policy,
    ...workspaceTablePorts(db, LOCAL_TABLE_NAME),
    publisher: new EventBridgePublisher(pipeline.standIns.clients.eventBridge, BUSES.pipeline),
    clock: options.clock ?? (() => pipeline.now()),
    identity: {
      issuer: identity.issuer,
      clientId: identity.clientId,
      publicOrigin: url,
      sessionKey: options.sessionKey ?? randomBytes(32),
      allowInsecureIssuer: true,
    },
    pull: { issuer: identity.issuer, jwksUri: identity.jwksUri, scope: identity.ddasClient.scope, clientIds: [identity.ddasClient.clientId], audience: identity.ddasClient.resource },
    ...(options.outbox ? { outbox: options.outbox } : {}),
  };
  app = createWorkspaceApp(deps);

  return {
    url,
    identity,
    stop: async () => {
      await close(server);
      await identity.stop();
    },
  };
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, 'localhost', () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}
