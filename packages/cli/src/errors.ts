/**
 * Exit codes and the errors behind them. Messages name endpoints, buses, queues, files and
 * columns; never a cell value (it may be an address or a name).
 */

export const EXIT = {
  ok: 0,
  /** Entries the bus did not take after every retry; or, with --strict, rows that were rejected. */
  failed: 1,
  /** The bus, queue or table cannot be reached or refuses us (network, credentials, missing). */
  unreachable: 2,
  /** A usage error: an option, the file or the mapping is wrong (as `npm run replay`). */
  usage: 64,
} as const;

export class CliError extends Error {
  constructor(
    readonly exitCode: number,
    message: string,
    readonly code: string = 'CLI_ERROR',
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export class UsageError extends CliError {
  constructor(message: string) {
    super(EXIT.usage, message, 'USAGE');
    this.name = 'UsageError';
  }
}

/** The service at an endpoint cannot be reached, or does not let us in. */
export class UnreachableError extends CliError {
  constructor(message: string, code = 'UNREACHABLE') {
    super(EXIT.unreachable, message, code);
    this.name = 'UnreachableError';
  }
}

const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'connection timed out',
  EPIPE: 'connection closed',
};

/** The network failure in an SDK error (also inside a cause or an AggregateError), if any. */
export function networkProblem(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  const visit = (value: unknown): string | undefined => {
    if (value === null || typeof value !== 'object' || seen.has(value)) return undefined;
    seen.add(value);
    const record = value as { code?: unknown; name?: unknown; cause?: unknown; errors?: unknown };
    if (typeof record.code === 'string' && NETWORK_CODES[record.code]) return NETWORK_CODES[record.code];
    if (record.name === 'TimeoutError') return 'connection timed out';
    const inner = visit(record.cause);
    if (inner) return inner;
    if (!Array.isArray(record.errors)) return undefined;
    for (const e of record.errors) {
      // Visited once: a second visit of the same error finds it seen and answers nothing.
      const found = visit(e);
      if (found) return found;
    }
    return undefined;
  };
  return visit(error);
}

const ACCESS_ERRORS = new Set([
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'ExpiredTokenException',
  'ExpiredToken',
  'AccessDeniedException',
  'AccessDenied',
  'InvalidClientTokenId',
  'NotAuthorizedForSourceException',
]);

/** Errors the service answers when what we name is not there. */
const MISSING_ERRORS = new Set([
  'ResourceNotFoundException',
  'QueueDoesNotExist',
  'AWS.SimpleQueueService.NonExistentQueue',
]);

/**
 * Turns an SDK error that means "cannot get there" into an UnreachableError with a message a
 * user can act on; undefined for anything else (a bug, a bad request), which the caller rethrows.
 * `target` names what was addressed, e.g. `EventBridge at http://127.0.0.1:4010`; the hints say
 * what to check when it cannot be reached, and when it is not there.
 */
export function unreachable(error: unknown, target: string, hints: { network?: string; missing?: string } = {}): UnreachableError | undefined {
  const name = (error as { name?: unknown })?.name;
  const network = networkProblem(error);
  if (network) return new UnreachableError(`cannot reach ${target} (${network}).${hints.network ? ` ${hints.network}` : ''}`);
  if (name === 'CredentialsProviderError') {
    return new UnreachableError(`no AWS credentials for ${target}: pass --profile NAME, or set them up as for the AWS CLI (aws configure / aws sso login).`, 'NO_CREDENTIALS');
  }
  if (typeof name === 'string' && ACCESS_ERRORS.has(name)) {
    return new UnreachableError(`${target} refused the credentials (${name}); check --profile and that the role may do this.`, 'ACCESS_DENIED');
  }
  if (typeof name === 'string' && MISSING_ERRORS.has(name)) {
    return new UnreachableError(`${target}: not found (${name}).${hints.missing ? ` ${hints.missing}` : ''}`, 'NOT_FOUND');
  }
  const message = (error as { message?: unknown })?.message;
  if (typeof message === 'string' && /region is missing/i.test(message)) {
    return new UnreachableError(`no AWS region for ${target}: pass --region (e.g. eu-west-1) or set AWS_REGION.`, 'NO_REGION');
  }
  return undefined;
}

/** Throttling and server-side errors a request may be retried after. */
export function isTransient(error: unknown): boolean {
  const record = error as { name?: unknown; $metadata?: { httpStatusCode?: number }; $retryable?: unknown };
  const status = record?.$metadata?.httpStatusCode;
  if (typeof status === 'number' && status >= 500) return true;
  return (
    record?.$retryable !== undefined ||
    (typeof record?.name === 'string' && /Throttl|TooManyRequests|InternalFailure|InternalException|ServiceUnavailable|RequestTimeout/.test(record.name))
  );
}
