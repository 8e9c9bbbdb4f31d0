/**
 * The workspace's Lambda entry (functions/workspace/index.ts) run as Lambda runs it: loaded in
 * a process of its own with the environment the stack sets, the session key from Secrets
 * Manager and the policy from AppConfig (both served by a small local stand-in of their JSON
 * and REST protocols), and called with API Gateway HTTP API (payload 2.0) events through
 * Hono's Lambda adapter: the app answers what carries CloudFront's origin secret, and refuses
 * the rest. A session secret that is too short fails the cold start by its code.
 */
import { execFile } from 'node:child_process';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '@vroegsignaal/adapters';
import { loadPolicyDir } from '@vroegsignaal/policy';

const run = promisify(execFile);
const ENTRY = new URL('../../functions/workspace/index.ts', import.meta.url).href;
const SESSION_SECRET_ARN = 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:workspace-session';
const ORIGIN_SECRET_ARN = 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:workspace-origin';
const ORIGIN_HEADER = 'x-vroegsignaal-origin';
const ORIGIN_SECRET = 'o'.repeat(48);
/** Loads the entry once and answers each event, as one warm container would. */
const RUNNER = `
const { handler } = await import(process.env.TEST_ENTRY);
const results = [];
for (const event of JSON.parse(process.env.TEST_EVENTS)) results.push(await handler(event, {}));
process.stdout.write(JSON.stringify(results));
`;

let server: Server;
let endpoint: string;
let sessionSecret = 'k'.repeat(64);
const requests: string[] = [];

async function body(request: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of request) text += chunk;
  return text;
}

beforeAll(async () => {
  const policy = JSON.stringify(loadPolicyDir());
  server = createServer(async (request, response) => {
    const input = await body(request);
    const target = request.headers['x-amz-target'];
    if (target === 'secretsmanager.GetSecretValue') {
      const { SecretId } = JSON.parse(input) as { SecretId: string };
      requests.push(`GetSecretValue ${SecretId}`);
      response.setHeader('content-type', 'application/x-amz-json-1.1');
      response.end(JSON.stringify({ ARN: SecretId, Name: SecretId.split(':').at(-1), SecretString: SecretId === ORIGIN_SECRET_ARN ? ORIGIN_SECRET : sessionSecret, VersionId: 'v1' }));
    } else if (request.method === 'POST' && request.url?.startsWith('/configurationsessions')) {
      requests.push('StartConfigurationSession');
      response.statusCode = 201;
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ InitialConfigurationToken: 'first' }));
    } else if (request.method === 'GET' && request.url?.startsWith('/configuration?')) {
      requests.push('GetLatestConfiguration');
      response.setHeader('content-type', 'application/json');
      response.setHeader('next-poll-configuration-token', 'next');
      response.setHeader('next-poll-interval-in-seconds', '60');
      response.setHeader('version-label', 'test');
      response.end(policy);
    } else {
      response.statusCode = 400;
      response.end(JSON.stringify({ __type: 'UnknownOperation' }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function httpEvent(method: string, path: string, origin: string | null = ORIGIN_SECRET): APIGatewayProxyEventV2 {
  const domainName = 'abc123.execute-api.eu-central-1.amazonaws.com';
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers: { host: domainName, 'user-agent': 'test', ...(origin === null ? {} : { [ORIGIN_HEADER]: origin }) },
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      domainName,
      domainPrefix: 'abc123',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'test' },
      requestId: 'request-1',
      routeKey: '$default',
      stage: '$default',
      time: '03/Dec/2026:09:00:00 +0000',
      timeEpoch: Date.parse('2026-12-03T09:00:00Z'),
    },
    isBase64Encoded: false,
  };
}

/** Starts the entry in a process of its own and sends it the events. */
async function coldStart(...events: APIGatewayProxyEventV2[]): Promise<APIGatewayProxyStructuredResultV2[]> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', RUNNER], {
    env: {
      PATH: process.env.PATH,
      TEST_ENTRY: ENTRY,
      TEST_EVENTS: JSON.stringify(events),
      AWS_REGION: 'eu-central-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoint,
      AWS_ENDPOINT_URL_APPCONFIGDATA: endpoint,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      AWS_LAMBDA_FUNCTION_NAME: 'vroegsignaal-workspace',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      [ENV.tableName]: 'households',
      [ENV.pipelineBusName]: 'vroegsignaal-pipeline',
      [ENV.policyApplication]: 'app',
      [ENV.policyEnvironment]: 'live',
      [ENV.policyProfile]: 'policy',
      [ENV.workspaceIssuer]: 'https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_test',
      [ENV.workspaceClientId]: 'workspace',
      [ENV.workspacePublicOrigin]: 'https://d111111abcdef8.cloudfront.net',
      [ENV.workspaceSessionSecretArn]: SESSION_SECRET_ARN,
      [ENV.workspaceOriginHeader]: ORIGIN_HEADER,
      [ENV.workspacePullClientIds]: 'cbs-ddas',
      [ENV.workspaceOriginSecretArn]: ORIGIN_SECRET_ARN,
    },
    timeout: 60_000,
  });
  return JSON.parse(stdout) as APIGatewayProxyStructuredResultV2[];
}

describe('the workspace Lambda entry', () => {
  it('reads its secrets and the policy, answers HTTP API events from CloudFront with the app and its security headers, and refuses the rest', async () => {
    // Act
    const [health, stylesheet, direct, forged] = await coldStart(
      httpEvent('GET', '/health'),
      httpEvent('GET', '/static/workspace.css'),
      httpEvent('GET', '/health', null),
      httpEvent('GET', '/health', `${'o'.repeat(47)}x`),
    );

    // Assess
    expect(health!.statusCode).toBe(200);
    expect(JSON.parse(String(health!.body))).toEqual({ status: 'ok' });
    expect(health!.headers?.['strict-transport-security']).toContain('max-age=');
    expect(health!.headers?.['x-frame-options']).toBe('DENY');
    expect(stylesheet!.statusCode).toBe(200);
    expect(stylesheet!.headers?.['content-type']).toContain('text/css');
    expect(requests).toEqual(expect.arrayContaining([`GetSecretValue ${SESSION_SECRET_ARN}`, `GetSecretValue ${ORIGIN_SECRET_ARN}`]));
    // Around CloudFront (the API's own endpoint), without or with a wrong origin secret: refused.
    expect([direct!.statusCode, forged!.statusCode]).toEqual([403, 403]);
    expect(requests).toEqual(expect.arrayContaining(['StartConfigurationSession', 'GetLatestConfiguration']));
  }, 60_000);

  it('fails its cold start, by the error\'s name, when the session secret is shorter than 32 bytes', async () => {
    // Prepare
    sessionSecret = 'too-short';
    try {
      // Act and assess
      await expect(coldStart(httpEvent('GET', '/health'))).rejects.toThrow(/WorkspaceSecretError: the workspace session secret/);
    } finally {
      sessionSecret = 'k'.repeat(64);
    }
  }, 60_000);
});
