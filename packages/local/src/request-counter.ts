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

export function countRequests(clients: HandlerClients, counts: RequestCounts = {}): RequestCounts {
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
