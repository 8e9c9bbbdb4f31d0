/**
 * SDK client configuration shared by both CLIs: one set of options (--endpoint, --region,
 * --profile, --account) that points the real SDK v3 clients at the local stack or at AWS.
 *
 * - Endpoint: the option, else the SDK's own service-specific variable
 *   (`AWS_ENDPOINT_URL_EVENTBRIDGE`, `_SQS`, `_DYNAMODB`), else `AWS_ENDPOINT_URL`, else AWS.
 *   `npm run serve` writes these variables to `.data/serve/env.sh`.
 * - Credentials: against a loopback endpoint without --profile, the local bus's convention
 *   (the access key id names the caller's account, see `localCredentialsForAccount`);
 *   otherwise --profile, else the SDK's default chain (environment, SSO, instance role).
 */
// The file, not the package entry: the entry also loads the stand-ins (dynalite, fauxqs),
// which a partner's or team's tool has no use for.
import { DEFAULT_ACCOUNT, LOCAL_REGION, localCredentialsForAccount } from '@vroegsignaal/events';
import { UsageError } from './errors.ts';

export type Service = 'eventbridge' | 'sqs' | 'dynamodb';

export interface ConnectionOptions {
  endpoint?: string;
  region?: string;
  profile?: string;
  /** Local stack only: the 12-digit account the local bus attributes entries to. */
  account?: string;
}

export interface ResolvedConnection {
  /** Passed to the client constructor. */
  config: {
    region?: string;
    endpoint?: string;
    profile?: string;
    credentials?: { accessKeyId: string; secretAccessKey: string };
    maxAttempts: number;
    requestHandler: { connectionTimeout: number; requestTimeout: number };
  };
  /** For messages: the endpoint, or `AWS <service> in <region>`. */
  target: string;
  local: boolean;
}

const ENDPOINT_VARIABLES: Record<Service, string> = {
  eventbridge: 'AWS_ENDPOINT_URL_EVENTBRIDGE',
  sqs: 'AWS_ENDPOINT_URL_SQS',
  dynamodb: 'AWS_ENDPOINT_URL_DYNAMODB',
};
const SERVICE_NAMES: Record<Service, string> = { eventbridge: 'EventBridge', sqs: 'SQS', dynamodb: 'DynamoDB' };

export function isLoopback(endpoint: string): boolean {
  try {
    const host = new URL(endpoint).hostname.replace(/^\[|\]$/g, '');
    return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
  } catch {
    return false;
  }
}

/** ConnectionOptions from a command's parsed options, with the endpoint the command talks to. */
export function connectionOptions(
  values: { region?: string | undefined; profile?: string | undefined; account?: string | undefined },
  endpoint: string | undefined,
): ConnectionOptions {
  return {
    ...(endpoint !== undefined ? { endpoint } : {}),
    ...(values.region !== undefined ? { region: values.region } : {}),
    ...(values.profile !== undefined ? { profile: values.profile } : {}),
    ...(values.account !== undefined ? { account: values.account } : {}),
  };
}

export function resolveConnection(service: Service, options: ConnectionOptions, env: NodeJS.ProcessEnv = process.env): ResolvedConnection {
  const endpoint = options.endpoint ?? env[ENDPOINT_VARIABLES[service]] ?? env.AWS_ENDPOINT_URL;
  if (endpoint !== undefined) {
    let url: URL;
    try {
      url = new URL(endpoint);
    } catch {
      throw new UsageError(`the ${SERVICE_NAMES[service]} endpoint is not a URL; expected e.g. http://127.0.0.1:4566`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`the ${SERVICE_NAMES[service]} endpoint must be an http(s) URL`);
  }
  if (options.account !== undefined && !/^\d{12}$/.test(options.account)) throw new UsageError('--account must be a 12-digit AWS account id');
  const local = endpoint !== undefined && isLoopback(endpoint) && options.profile === undefined;
  const region = options.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? (local ? LOCAL_REGION : undefined);
  const config: ResolvedConnection['config'] = {
    ...(region ? { region } : {}),
    ...(endpoint ? { endpoint } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
    ...(local ? { credentials: localCredentialsForAccount(options.account ?? DEFAULT_ACCOUNT) } : {}),
    // The SDK retries throttling and network errors itself (3 attempts); a dead endpoint should
    // fail within seconds, not hang.
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000 },
  };
  const target = endpoint ? `${SERVICE_NAMES[service]} at ${endpoint}` : `AWS ${SERVICE_NAMES[service]}${region ? ` in ${region}` : ''}`;
  return { config, target, local };
}
