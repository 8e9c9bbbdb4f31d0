/**
 * A local EventBridge: an HTTP server that speaks EventBridge's JSON wire protocol
 * (`application/x-amz-json-1.1`, `X-Amz-Target: AWSEvents.<Operation>`), so the real
 * `EventBridgeClient` talks to it through `endpoint`. It implements `PutEvents`, rules with
 * event patterns (shared with the CDK stack), SQS and in-process function targets, and an
 * in-memory archive per bus.
 *
 * What it leaves out: signature verification (any credentials are accepted; only the access key
 * id is read, to tell the caller's account), input transformers, DLQs on targets, and
 * EventBridge's 24-hour delivery retry (a few quick retries here; see `deliverWithRetries`).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import {
  ACCOUNT_PATTERN,
  accountOfLocalAccessKey,
  DEFAULT_ACCOUNT,
  isOverRequestLimit,
  LOCAL_REGION,
  MAX_ENTRIES_PER_REQUEST,
  matchesEventPattern,
  takeEntry,
  validateEventPattern,
  type EventEnvelope,
  type PutEventsEntryFields,
  type RuleDefinition,
} from '@vroegsignaal/events';

export const DEFAULT_BUS_NAME = 'default';
/** Cap on the raw body, well above what 256 KB of entries can take once JSON-escaped. */
const MAX_REQUEST_BODY_BYTES = 4 * 1024 * 1024;

const DELIVERY_ATTEMPTS = 3;
const DELIVERY_RETRY_BASE_MS = 25;

/** Resource name rules from the EventBridge API reference (CreateEventBus, PutRule). */
const BUS_NAME_PATTERN = /^[/.\-_A-Za-z0-9]{1,256}$/;
const RULE_NAME_PATTERN = /^[.\-_A-Za-z0-9]{1,64}$/;

export type LocalBusErrorCode =
  | 'ResourceNotFoundException'
  | 'ResourceAlreadyExistsException'
  | 'ValidationException';

/** Errors from the bus's own API (createBus, addRule, archived), named after AWS's codes. */
export class LocalBusError extends Error {
  constructor(
    readonly code: LocalBusErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'LocalBusError';
  }
}

export type RuleTarget =
  /** Like EventBridge's SQS target: the envelope JSON is the message body. */
  | { readonly kind: 'sqs'; readonly queueUrl: string }
  /** An in-process observer, for tests; it receives its own copy of the envelope. */
  | { readonly kind: 'function'; readonly invoke: (event: EventEnvelope) => Promise<void> };

/** A rule as `events/src/patterns.ts` defines it, on any local bus, with its target. */
export type LocalRule = Omit<RuleDefinition, 'bus' | 'description'> & {
  readonly bus: string;
  readonly description?: string;
  readonly target: RuleTarget;
};

export interface LocalEventBridgeStats {
  readonly putEventsRequests: number;
  readonly entries: number;
  readonly failedEntries: number;
  /** Successful deliveries per rule name. */
  readonly matchedDeliveries: Readonly<Record<string, number>>;
  /** Deliveries that still failed after the retries. */
  readonly failedDeliveries: number;
}

export interface LocalEventBridge {
  /** `http://127.0.0.1:PORT`, for the `endpoint` of an `EventBridgeClient`. */
  readonly endpoint: string;
  readonly region: string;
  createBus(name: string): void;
  /** The ARN a caller may pass as `EventBusName` instead of the name. */
  busArn(name: string, account?: string): string;
  addRule(rule: LocalRule): void;
  /** Every accepted event on the bus, in arrival order (stands in for an EventBridge archive). */
  archived(busName?: string): readonly EventEnvelope[];
  stats(): LocalEventBridgeStats;
  stop(): Promise<void>;
}

export interface LocalEventBridgeOptions {
  readonly port?: number;
  readonly host?: string;
  readonly region?: string;
  /** Account for callers whose access key id does not name one (see `localCredentialsForAccount`). */
  readonly defaultAccount?: string;
  /** Client the SQS targets send through. */
  readonly sqs: SQSClient;
}

export async function startLocalEventBridge(options: LocalEventBridgeOptions): Promise<LocalEventBridge> {
  const region = options.region ?? LOCAL_REGION;
  const host = options.host ?? '127.0.0.1';
  const defaultAccount = options.defaultAccount ?? DEFAULT_ACCOUNT;
  if (!ACCOUNT_PATTERN.test(defaultAccount)) {
    throw new LocalBusError('ValidationException', `defaultAccount must be 12 digits, got "${defaultAccount}".`);
  }

  const buses = new Map<string, BusState>();
  const ruleNames = new Set<string>();
  const counters = { putEventsRequests: 0, entries: 0, failedEntries: 0, failedDeliveries: 0 };
  const matchedDeliveries: Record<string, number> = {};

  function createBus(name: string): void {
    if (!BUS_NAME_PATTERN.test(name)) {
      throw new LocalBusError('ValidationException', `Event bus name "${name}" is not valid.`);
    }
    if (buses.has(name)) throw new LocalBusError('ResourceAlreadyExistsException', `Event bus ${name} already exists.`);
    buses.set(name, { rules: [], archive: [] });
  }
  createBus(DEFAULT_BUS_NAME);

  function requireBus(name: string): BusState {
    const bus = buses.get(name);
    if (bus === undefined) throw new LocalBusError('ResourceNotFoundException', `Event bus ${name} does not exist.`);
    return bus;
  }

  function addRule(rule: LocalRule): void {
    if (!RULE_NAME_PATTERN.test(rule.name)) {
      throw new LocalBusError('ValidationException', `Rule name "${rule.name}" is not valid.`);
    }
    // AWS scopes rule names per bus; here they are unique across buses so that the per-rule
    // statistics can be keyed by name alone.
    if (ruleNames.has(rule.name)) {
      throw new LocalBusError('ResourceAlreadyExistsException', `Rule ${rule.name} already exists.`);
    }
    const bus = requireBus(rule.bus);
    validateEventPattern(rule.pattern);
    bus.rules.push(rule);
    ruleNames.add(rule.name);
    matchedDeliveries[rule.name] = 0;
  }

  /** `EventBusName` may be a name or an ARN; absent means the default bus. */
  function resolveBus(eventBusName: string | undefined): BusState | undefined {
    if (eventBusName === undefined || eventBusName === '') return buses.get(DEFAULT_BUS_NAME);
    const arn = /^arn:aws:events:([^:]+):(\d{12}):event-bus\/(.+)$/.exec(eventBusName);
    if (arn === null) return buses.get(eventBusName);
    const [, arnRegion, , name] = arn;
    return arnRegion === region && name !== undefined ? buses.get(name) : undefined;
  }

  async function deliver(rule: LocalRule, envelope: EventEnvelope): Promise<void> {
    const { target } = rule;
    if (target.kind === 'function') {
      await target.invoke(structuredClone(envelope));
      return;
    }
    // EventBridge requires a message group for FIFO targets and uses the event id to deduplicate.
    const fifo = target.queueUrl.endsWith('.fifo');
    await options.sqs.send(
      new SendMessageCommand({
        QueueUrl: target.queueUrl,
        MessageBody: JSON.stringify(envelope),
        ...(fifo ? { MessageGroupId: envelope.source, MessageDeduplicationId: envelope.id } : {}),
      }),
    );
  }

  async function deliverWithRetries(rule: LocalRule, envelope: EventEnvelope): Promise<void> {
    let lastError: unknown;
    for (let attempt = 1; attempt <= DELIVERY_ATTEMPTS; attempt += 1) {
      try {
        await deliver(rule, envelope);
        matchedDeliveries[rule.name] = (matchedDeliveries[rule.name] ?? 0) + 1;
        return;
      } catch (error) {
        lastError = error;
        if (attempt < DELIVERY_ATTEMPTS) await sleep(DELIVERY_RETRY_BASE_MS * attempt);
      }
    }
    // Like EventBridge without a target DLQ, the event is dropped for this target; the
    // PutEvents entry itself stays successful.
    counters.failedDeliveries += 1;
    process.stderr.write(
      `[local-eventbridge] delivery failed after ${DELIVERY_ATTEMPTS} attempts: bus=${rule.bus} rule=${rule.name} ` +
        `target=${rule.target.kind} error=${errorName(lastError)}\n`,
    );
  }

  /**
   * PutEvents, as AWS answers it: request-level limits fail the whole call with a
   * ValidationException; an invalid entry fails alone, with an error code in its result slot.
   * Accepted events are delivered to matching rules' targets before the response is sent, so a
   * caller that got its EventId knows the event is already on the target queues.
   */
  async function putEvents(request: unknown, account: string): Promise<PutEventsResponse> {
    const entries = parsePutEventsRequest(request);
    if (entries.length === 0) {
      throw new WireError(400, 'ValidationException', lengthViolation('greater than or equal to 1'));
    }
    if (entries.length > MAX_ENTRIES_PER_REQUEST) {
      throw new WireError(400, 'ValidationException', lengthViolation(`less than or equal to ${MAX_ENTRIES_PER_REQUEST}`));
    }
    if (isOverRequestLimit(entries)) {
      throw new WireError(400, 'ValidationException', 'Total size of the entries in the request is over the limit.');
    }

    counters.putEventsRequests += 1;
    counters.entries += entries.length;
    const results: PutEventsResultEntry[] = [];
    for (const entry of entries) {
      const accepted = acceptEntry(entry, account);
      if ('ErrorCode' in accepted) {
        counters.failedEntries += 1;
        results.push(accepted);
        continue;
      }
      const { bus, envelope } = accepted;
      bus.archive.push(envelope);
      for (const rule of bus.rules) {
        if (matchesEventPattern(rule.pattern, envelope)) await deliverWithRetries(rule, envelope);
      }
      results.push({ EventId: envelope.id });
    }
    return { FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length, Entries: results };
  }

  function acceptEntry(
    entry: WireEntry,
    account: string,
  ): PutEventsResultError | { bus: BusState; envelope: EventEnvelope } {
    const taken = takeEntry(entry, Date.now());
    if ('ErrorCode' in taken) return taken;
    const bus = resolveBus(entry.EventBusName);
    if (bus === undefined) {
      return { ErrorCode: 'ResourceNotFoundException', ErrorMessage: `Event bus ${entry.EventBusName} does not exist.` };
    }
    const envelope: EventEnvelope = {
      version: '0',
      id: randomUUID(),
      'detail-type': entry.DetailType ?? '',
      source: entry.Source ?? '',
      account,
      time: taken.time,
      region,
      resources: entry.Resources ?? [],
      detail: taken.detail,
    };
    return { bus, envelope };
  }

  const server = createServer((request, response) => {
    handleRequest(request, response).catch((error: unknown) => {
      process.stderr.write(`[local-eventbridge] internal error: ${errorName(error)}\n`);
      if (!response.headersSent) sendError(response, new WireError(500, 'InternalException', 'Internal error.'));
    });
  });

  async function handleRequest(request: IncomingMessage, response: ServerResponse): Promise<void> {
    try {
      const target = request.headers['x-amz-target'];
      const operation = typeof target === 'string' && target.startsWith('AWSEvents.') ? target.slice('AWSEvents.'.length) : undefined;
      if (request.method !== 'POST' || operation !== 'PutEvents') {
        throw new WireError(400, 'UnknownOperationException', `Operation ${operation ?? '(none)'} is not supported by the local bus.`);
      }
      const body = await readBody(request);
      let payload: unknown;
      try {
        payload = JSON.parse(body.length === 0 ? '{}' : body);
      } catch {
        throw new WireError(400, 'SerializationException', 'The request body is not valid JSON.');
      }
      const result = await putEvents(payload, accountFromAuthorization(request.headers.authorization, defaultAccount));
      sendJson(response, 200, result);
    } catch (error) {
      if (!(error instanceof WireError)) throw error;
      sendError(response, error);
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://${host}:${port}`,
    region,
    createBus,
    busArn: (name, account = defaultAccount) => `arn:aws:events:${region}:${account}:event-bus/${name}`,
    addRule,
    archived: (busName = DEFAULT_BUS_NAME) => [...requireBus(busName).archive],
    stats: () => ({ ...counters, matchedDeliveries: { ...matchedDeliveries } }),
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive sockets from SDK clients would otherwise hold `close` open.
        server.closeAllConnections();
      }),
  };
}

// ---------------------------------------------------------------------------------------------
// Wire format

interface BusState {
  readonly rules: LocalRule[];
  readonly archive: EventEnvelope[];
}

type WireEntry = PutEventsEntryFields & { readonly Time?: number | string; readonly Resources?: string[] };

interface PutEventsResultError {
  readonly ErrorCode: string;
  readonly ErrorMessage: string;
}
type PutEventsResultEntry = { readonly EventId: string } | PutEventsResultError;

interface PutEventsResponse {
  readonly FailedEntryCount: number;
  readonly Entries: PutEventsResultEntry[];
}

/** An error answered in AWS's JSON-protocol shape, which the SDK turns into a typed exception. */
class WireError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = type;
  }
}

/**
 * Checks the request against the PutEvents input shape; a mismatch is what AWS reports as a
 * SerializationException (the SDK never produces one, but a hand-written request may).
 */
function parsePutEventsRequest(request: unknown): WireEntry[] {
  const entries = isRecord(request) ? request.Entries : undefined;
  if (!Array.isArray(entries)) throw new WireError(400, 'SerializationException', 'Entries must be a list.');
  return entries.map((entry: unknown, index) => {
    if (!isRecord(entry)) throw new WireError(400, 'SerializationException', `Entries[${index}] must be a structure.`);
    for (const field of ['Source', 'DetailType', 'Detail', 'EventBusName', 'TraceHeader'] as const) {
      if (entry[field] !== undefined && typeof entry[field] !== 'string') {
        throw new WireError(400, 'SerializationException', `Entries[${index}].${field} must be a string.`);
      }
    }
    const time = entry.Time;
    if (time !== undefined && typeof time !== 'number' && typeof time !== 'string') {
      throw new WireError(400, 'SerializationException', `Entries[${index}].Time must be a timestamp.`);
    }
    const resources = entry.Resources;
    if (resources !== undefined && !(Array.isArray(resources) && resources.every((item) => typeof item === 'string'))) {
      throw new WireError(400, 'SerializationException', `Entries[${index}].Resources must be a list of strings.`);
    }
    return entry as WireEntry;
  });
}

function lengthViolation(constraint: string): string {
  return `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length ${constraint}`;
}

/** SigV4: `AWS4-HMAC-SHA256 Credential=<access key id>/<date>/<region>/events/aws4_request, ...`. */
function accountFromAuthorization(authorization: string | undefined, defaultAccount: string): string {
  return accountOfLocalAccessKey(/Credential=([^/,\s]+)\//.exec(authorization ?? '')?.[1]) ?? defaultAccount;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // Keep draining an oversized body, so the error can still be answered on this socket.
      if (size <= MAX_REQUEST_BODY_BYTES) chunks.push(chunk);
    });
    request.on('end', () => {
      if (size > MAX_REQUEST_BODY_BYTES) reject(new WireError(400, 'ValidationException', 'Request is over the size limit.'));
      else resolve(Buffer.concat(chunks).toString('utf8'));
    });
    request.on('error', reject);
  });
}

function sendJson(response: ServerResponse, status: number, body: unknown, extraHeaders: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': 'application/x-amz-json-1.1',
    'Content-Length': Buffer.byteLength(payload),
    'x-amzn-RequestId': randomUUID(),
    ...extraHeaders,
  });
  response.end(payload);
}

function sendError(response: ServerResponse, error: WireError): void {
  sendJson(response, error.status, { __type: error.type, message: error.message }, { 'x-amzn-ErrorType': error.type });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
