/**
 * Faults in the handlers' own AWS traffic, as AWS would cause them, without touching a
 * handler: a middleware on each SDK client (pass `injectFaults` to startLocalPipeline's
 * `decorateClients`) that, by a seeded PRNG, throws the errors the SDK gets from AWS.
 *
 * - DynamoDB throttling (`ProvisionedThroughputExceededException`, HTTP 400) and internal
 *   errors (`InternalServerError`, HTTP 500): the SDK's retry strategy retries both. Some
 *   internal errors come after the write took effect (the response is lost), so the retry
 *   meets its own write: conditional writes must take that in their stride.
 * - EventBridge `InternalException` (500) on PutEvents: retried by the SDK.
 * - A team queue's SendMessage failing on every attempt, so the SDK gives up and the route
 *   record fails; its queue redelivers it.
 * - A crash in the middle of a batch: a call that never returns. The function times out,
 *   the whole batch comes back, and what was already done is done again.
 * - Permanent faults: every attempt of matching calls fails with a client error, until the
 *   plan changes (the cause is fixed); the records end in their stage's DLQ.
 *
 * The middleware sits at the `deserialize` step, inside the SDK's retry loop, so it sees
 * every attempt: attempts minus commands is the number of SDK retries.
 */
import { DynamoDBServiceException, InternalServerError, ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { EventBridgeServiceException, InternalException } from '@aws-sdk/client-eventbridge';
import { KmsAccessDenied, SQSServiceException } from '@aws-sdk/client-sqs';
import type { DeserializeHandler, DeserializeHandlerArguments, HandlerExecutionContext, MetadataBearer } from '@smithy/types';
import type { HandlerClients } from '@vroegsignaal/stand-ins';
import { Rng } from './rng.ts';

export type Service = 'DynamoDB' | 'SQS' | 'EventBridge' | 'Scheduler';

/** One call as the middleware sees it. */
export interface FaultCall {
  service: Service;
  /** `PutItem`, `SendMessage`, `PutEvents`, ... */
  operation: string;
  /** The command's input as sent (DynamoDB items in AttributeValue form). */
  input: Record<string, unknown>;
}

export interface CrashPlan {
  /** At most this many crashes. */
  count: number;
  /** Chance per matching call, after `skip` matching calls. */
  probability: number;
  skip?: number;
  /** Which calls may hang; by default a household write (`PutItem` on an `HH#` item). */
  match?: (call: FaultCall) => boolean;
  /** Hang before the request is sent, after it took effect, or either (by the PRNG; the default). */
  phase?: 'before' | 'after' | 'either';
}

export interface PermanentFault {
  /** Named in the stats. */
  label: string;
  match: (call: FaultCall) => boolean;
  /** The error every attempt gets; a client error, so the SDK does not retry it. */
  error?: 'KmsAccessDenied' | 'AccessDeniedException';
}

export interface FaultPlan {
  /** Chance per DynamoDB attempt of a throttling error before the request is sent. */
  dynamoThrottle?: number;
  /** Chance per DynamoDB attempt of an internal error (500). */
  dynamoInternal?: number;
  /** Share of DynamoDB internal errors thrown after the request took effect (the response is lost). */
  lostResponseShare?: number;
  /** Chance per EventBridge PutEvents attempt of an internal error (500). */
  eventBridgeInternal?: number;
  /** Chance per SendMessage command to a team queue that every attempt fails (503), so the SDK gives up. */
  teamSendFailure?: number;
  crashes?: CrashPlan;
  /** The first `count` matching DynamoDB calls take effect and then fail with a 500, as a lost response. */
  lostResponses?: { count: number; match: (call: FaultCall) => boolean };
  permanent?: PermanentFault[];
}

export type FaultKind = 'dynamo-throttle' | 'dynamo-internal' | 'dynamo-lost-response' | 'eventbridge-internal' | 'team-send-failure' | 'crash' | 'permanent';

export interface FaultStats {
  /** Commands sent by the handlers (one per `client.send`). */
  commands: number;
  /** Attempts: the first try of each command and every SDK retry. */
  attempts: number;
  /** Failed attempts injected, by kind (a team send that fails three attempts counts three). */
  injected: Record<FaultKind, number>;
  /** Commands that got at least one fault. */
  commandsFaulted: number;
  /** Permanent faults by label. */
  permanentByLabel: Record<string, number>;
}

export interface FaultInjector {
  stats(): FaultStats & { retries: number; faults: number };
  /** Replaces the plan, e.g. to turn a permanent fault off once its cause is "fixed". */
  setPlan(plan: FaultPlan): void;
  /** Releases nothing: a crashed call stays hung, as a killed function would. */
  crashes(): number;
}

type Middleware = (next: DeserializeHandler<object, MetadataBearer>, context: HandlerExecutionContext) => DeserializeHandler<object, MetadataBearer>;
interface StackOwner {
  middlewareStack: { add(middleware: Middleware, options: { step: 'deserialize'; name: string; priority?: 'high' | 'normal' | 'low' }): void };
}

const SERVICE_OF: Record<string, Service> = {
  DynamoDBClient: 'DynamoDB',
  DynamoDBDocumentClient: 'DynamoDB',
  SQSClient: 'SQS',
  EventBridgeClient: 'EventBridge',
  SchedulerClient: 'Scheduler',
};

/** A household write: the item ingest and route commit their work with. */
export function isHouseholdWrite(call: FaultCall): boolean {
  return call.service === 'DynamoDB' && call.operation === 'PutItem' && keyOf(call.input, 'Item')?.startsWith('HH#') === true;
}

/** SendMessage to a team's FIFO queue (not a buffer or a DLQ). */
export function isTeamSend(call: FaultCall): boolean {
  return call.service === 'SQS' && call.operation === 'SendMessage' && typeof call.input.QueueUrl === 'string' && call.input.QueueUrl.includes('-team-');
}

/** The household a call is about, when it says so: an `HH#` item's key, or a team message's group id. */
export function householdOf(call: FaultCall): string | undefined {
  if (call.service === 'DynamoDB') {
    const pk = keyOf(call.input, 'Item') ?? keyOf(call.input, 'Key');
    return pk?.startsWith('HH#') ? pk.slice(3) : undefined;
  }
  if (isTeamSend(call)) return typeof call.input.MessageGroupId === 'string' ? call.input.MessageGroupId : undefined;
  return undefined;
}

function keyOf(input: Record<string, unknown>, field: 'Item' | 'Key'): string | undefined {
  const pk = (input[field] as Record<string, unknown> | undefined)?.pk;
  if (typeof pk === 'string') return pk;
  const s = (pk as { S?: unknown } | undefined)?.S;
  return typeof s === 'string' ? s : undefined;
}

export function injectFaults(clients: HandlerClients, initialPlan: FaultPlan, rng: Rng = new Rng(1)): FaultInjector {
  let plan = initialPlan;
  const stats: FaultStats = {
    commands: 0,
    attempts: 0,
    injected: { 'dynamo-throttle': 0, 'dynamo-internal': 0, 'dynamo-lost-response': 0, 'eventbridge-internal': 0, 'team-send-failure': 0, crash: 0, permanent: 0 },
    commandsFaulted: 0,
    permanentByLabel: {},
  };
  let crashCandidates = 0;
  let lostScripted = 0;
  const perCommand = new WeakMap<HandlerExecutionContext, { attempts: number; doomed: boolean; faulted: boolean }>();

  const middleware: Middleware = (next, context) => async (args: DeserializeHandlerArguments<object>) => {
    let state = perCommand.get(context);
    if (!state) {
      state = { attempts: 0, doomed: false, faulted: false };
      perCommand.set(context, state);
      stats.commands++;
    }
    state.attempts++;
    stats.attempts++;
    const call: FaultCall = {
      service: SERVICE_OF[context.clientName ?? ''] ?? 'DynamoDB',
      operation: (context.commandName ?? '').replace(/Command$/, ''),
      input: (args.input ?? {}) as Record<string, unknown>,
    };
    const fault = (kind: FaultKind, error: Error) => {
      stats.injected[kind]++;
      if (!state!.faulted) {
        state!.faulted = true;
        stats.commandsFaulted++;
      }
      return error;
    };

    for (const permanent of plan.permanent ?? []) {
      if (!permanent.match(call)) continue;
      stats.permanentByLabel[permanent.label] = (stats.permanentByLabel[permanent.label] ?? 0) + 1;
      throw fault('permanent', permanentError(call, permanent));
    }

    const crashes = plan.crashes;
    if (crashes && stats.injected.crash < crashes.count && (crashes.match ?? isHouseholdWrite)(call)) {
      crashCandidates++;
      if (crashCandidates > (crashes.skip ?? 0) && rng.chance(crashes.probability)) {
        fault('crash', new Error('crash'));
        // Half of the crashes come after the call took effect, half before it was sent.
        const after = crashes.phase === 'after' || (crashes.phase !== 'before' && rng.chance(0.5));
        if (after) await next(args);
        return new Promise<never>(() => undefined);
      }
    }

    const lost = plan.lostResponses;
    if (lost && call.service === 'DynamoDB' && lostScripted < lost.count && lost.match(call)) {
      lostScripted++;
      await next(args);
      throw fault('dynamo-lost-response', new InternalServerError({ message: 'Internal server error', $metadata: meta(500, state.attempts) }));
    }
    if (call.service === 'DynamoDB') {
      if (rng.chance(plan.dynamoThrottle ?? 0)) {
        throw fault('dynamo-throttle', new ProvisionedThroughputExceededException({ message: 'The level of configured provisioned throughput for the table was exceeded.', $metadata: meta(400, state.attempts) }));
      }
      if (rng.chance(plan.dynamoInternal ?? 0)) {
        const lost = rng.chance(plan.lostResponseShare ?? 0.5);
        if (lost) await next(args);
        throw fault(lost ? 'dynamo-lost-response' : 'dynamo-internal', new InternalServerError({ message: 'Internal server error', $metadata: meta(500, state.attempts) }));
      }
    }
    if (call.service === 'EventBridge' && call.operation === 'PutEvents' && rng.chance(plan.eventBridgeInternal ?? 0)) {
      throw fault('eventbridge-internal', new InternalException({ message: 'Internal error', $metadata: meta(500, state.attempts) }));
    }
    if (isTeamSend(call)) {
      if (state.attempts === 1) state.doomed = rng.chance(plan.teamSendFailure ?? 0);
      if (state.doomed) {
        throw fault(
          'team-send-failure',
          new SQSServiceException({ name: 'ServiceUnavailable', $fault: 'server', message: 'Service is unavailable; try again later.', $metadata: meta(503, state.attempts) }),
        );
      }
    }
    return next(args);
  };

  for (const client of Object.values(clients) as unknown as StackOwner[]) {
    // Added first, so it runs outside the counting middleware of countRequests if both are used.
    client.middlewareStack.add(middleware, { step: 'deserialize', name: 'injectFaults', priority: 'high' });
  }

  return {
    stats: () => {
      const copy = structuredClone(stats);
      return { ...copy, retries: copy.attempts - copy.commands, faults: Object.values(copy.injected).reduce((a, b) => a + b, 0) };
    },
    setPlan(next) {
      plan = next;
      lostScripted = 0;
    },
    crashes: () => stats.injected.crash,
  };
}

function meta(httpStatusCode: number, attempts: number) {
  return { httpStatusCode, requestId: `injected-${attempts}`, attempts, totalRetryDelay: 0 };
}

function permanentError(call: FaultCall, fault: PermanentFault): Error {
  const message = `injected permanent fault: ${fault.label}`;
  if ((fault.error ?? (call.service === 'SQS' ? 'KmsAccessDenied' : 'AccessDeniedException')) === 'KmsAccessDenied' && call.service === 'SQS') {
    return new KmsAccessDenied({ message, $metadata: meta(400, 1) });
  }
  const ServiceError = call.service === 'DynamoDB' ? DynamoDBServiceException : call.service === 'EventBridge' ? EventBridgeServiceException : SQSServiceException;
  return new ServiceError({ name: 'AccessDeniedException', $fault: 'client', message, $metadata: meta(400, 1) });
}
