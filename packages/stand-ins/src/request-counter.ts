/**
 * Counts AWS requests by service and operation with a middleware on the SDK clients, the
 * way they would be billed: one per API call, retries included.
 */
import type { DeserializeHandler, DeserializeHandlerArguments, HandlerExecutionContext, MetadataBearer } from '@smithy/types';
import type { HandlerClients } from './pipeline.ts';

type CountingMiddleware = (next: DeserializeHandler<object, MetadataBearer>, context: HandlerExecutionContext) => DeserializeHandler<object, MetadataBearer>;
interface StackOwner {
  middlewareStack: { add(middleware: CountingMiddleware, options: { step: 'deserialize'; name: string }): void };
}

export type RequestCounts = Record<string, number>;

export function countRequests(clients: Partial<HandlerClients>, counts: RequestCounts = {}): RequestCounts {
  for (const client of Object.values(clients) as unknown as StackOwner[]) {
    client.middlewareStack.add(
      (next, context) => async (args: DeserializeHandlerArguments<object>) => {
        const key = `${context.clientName?.replace(/Client$/, '')}.${context.commandName?.replace(/Command$/, '')}`;
        counts[key] = (counts[key] ?? 0) + 1;
        return next(args);
      },
      // The deserialize step sits inside the retry middleware, so every attempt is counted.
      { step: 'deserialize', name: 'countRequests' },
    );
  }
  return counts;
}

/** Requests per service (DynamoDB, SQS, EventBridge), summed over operations. */
export function byService(counts: RequestCounts): Record<string, number> {
  const services: Record<string, number> = {};
  for (const [key, n] of Object.entries(counts)) {
    const service = key.split('.')[0]!;
    services[service] = (services[service] ?? 0) + n;
  }
  return services;
}

export interface CapacityUnits {
  read: number;
  write: number;
}

type InitializeMiddleware = (
  next: (args: { input: Record<string, unknown> }) => Promise<{ output: { ConsumedCapacity?: { CapacityUnits?: number } } }>,
  context: HandlerExecutionContext,
) => (args: { input: Record<string, unknown> }) => Promise<{ output: { ConsumedCapacity?: { CapacityUnits?: number } } }>;

const READS = new Set(['GetItemCommand', 'QueryCommand', 'ScanCommand', 'BatchGetItemCommand']);

/**
 * Sums the DynamoDB request units the handlers consume, by asking every request to return its
 * consumed capacity (what on-demand pricing bills: RRU per 4 KB read, WRU per 1 KB written).
 */
export function countCapacity(clients: Pick<HandlerClients, 'dynamodb'>, units: CapacityUnits = { read: 0, write: 0 }): CapacityUnits {
  (clients.dynamodb as unknown as { middlewareStack: { add(m: InitializeMiddleware, o: { step: 'initialize'; name: string }): void } }).middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next({ ...args, input: { ReturnConsumedCapacity: 'TOTAL', ...args.input } });
      const consumed = result.output.ConsumedCapacity?.CapacityUnits ?? 0;
      if (READS.has(context.commandName ?? '')) units.read += consumed;
      else units.write += consumed;
      return result;
    },
    { step: 'initialize', name: 'countCapacity' },
  );
  return units;
}

/**
 * Counts the events the handlers put on a bus: EventBridge bills per event (each 64 KB chunk of
 * an entry), not per PutEvents request, and the handlers put up to ten in one request.
 */
export function countPublishedEvents(clients: Pick<HandlerClients, 'eventBridge'>, published: { events: number } = { events: 0 }): { events: number } {
  (clients.eventBridge as unknown as { middlewareStack: { add(m: InitializeMiddleware, o: { step: 'initialize'; name: string }): void } }).middlewareStack.add(
    (next) => async (args) => {
      const entries = args.input.Entries;
      if (Array.isArray(entries)) published.events += entries.length;
      return next(args);
    },
    { step: 'initialize', name: 'countPublishedEvents' },
  );
  return published;
}
