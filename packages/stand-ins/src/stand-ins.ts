/**
 * The local stand-ins for the AWS services the pipeline uses, all speaking the real wire
 * protocols so the real SDK v3 clients drive them: DynamoDB on dynalite (in memory), SQS on
 * fauxqs, and EventBridge on the local bus (whose SQS targets deliver into fauxqs).
 */
import diagnostics from 'node:diagnostics_channel';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import dynalite from 'dynalite';
import { startFauxqs, type FauxqsServer } from 'fauxqs';
import { DEFAULT_ACCOUNT, LOCAL_REGION, localCredentialsForAccount } from '@vroegsignaal/events';
import { startLocalEventBridge, type LocalEventBridge } from './local-event-bus.ts';

export type StandInService = 'dynamodb' | 'sqs' | 'eventbridge';

export interface StandInClientConfig {
  readonly region: string;
  readonly endpoint: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

export interface StandIns {
  readonly region: string;
  readonly dynamodbEndpoint: string;
  readonly sqsEndpoint: string;
  readonly eventBridgeEndpoint: string;
  readonly bus: LocalEventBridge;
  readonly clients: {
    readonly dynamodb: DynamoDBClient;
    readonly sqs: SQSClient;
    readonly eventBridge: EventBridgeClient;
  };
  /**
   * Configuration for a client of one stand-in. The credentials are dummies (none of the
   * stand-ins checks signatures); their access key id tells the local bus the caller's account.
   */
  clientConfig(service: StandInService, account?: string): StandInClientConfig;
  /**
   * Messages on a queue, visible, in flight and delayed, read from fauxqs in-process: the
   * synchronous counterpart of GetQueueAttributes' approximate counts, for tight settle loops.
   */
  queueDepth(queueUrl: string): number;
  /**
   * Requests each stand-in has served since it started, from anyone: the handlers, the local
   * Lambda pollers and the bus's deliveries alike (what the bench weighs the replay against).
   */
  requestsServed(): Record<StandInService, number>;
  /** Stops the clients and all three stand-ins; everything is in memory and is gone afterwards. */
  stop(): Promise<void>;
}

export interface StandInsOptions {
  readonly region?: string;
}

const LOOPBACK = '127.0.0.1';

export async function startStandIns(options: StandInsOptions = {}): Promise<StandIns> {
  const region = options.region ?? LOCAL_REGION;
  const cleanups: Array<() => Promise<void>> = [];
  const stopAll = async (): Promise<void> => {
    // Last started, first stopped: the bus delivers into fauxqs, clients talk to all of them.
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  };

  try {
    const dynamo = await startDynalite();
    cleanups.push(() => closeServer(dynamo.server));
    // fauxqs takes the region from each request's signature; defaultRegion covers its own URLs.
    const fauxqs: FauxqsServer = await startFauxqs({ port: 0, logger: false, defaultRegion: region });
    cleanups.push(() => fauxqs.stop());

    // fauxqs answers with queue URLs on `sqs.<region>.localhost`; an explicit endpoint makes the
    // SDK send every call to fauxqs whatever host the queue URL names.
    const busSqs = new SQSClient({ region, endpoint: fauxqs.address, credentials: localCredentialsForAccount() });
    cleanups.push(async () => busSqs.destroy());
    const bus = await startLocalEventBridge({ region, sqs: busSqs });
    cleanups.push(() => bus.stop());

    const endpoints: Readonly<Record<StandInService, string>> = {
      dynamodb: dynamo.endpoint,
      sqs: fauxqs.address,
      eventbridge: bus.endpoint,
    };
    const served = countRequestsServed(endpoints);
    cleanups.push(async () => void served.stop());
    const clientConfig = (service: StandInService, account: string = DEFAULT_ACCOUNT): StandInClientConfig => ({
      region,
      endpoint: endpoints[service],
      credentials: localCredentialsForAccount(account),
    });
    const clients = {
      dynamodb: new DynamoDBClient(clientConfig('dynamodb')),
      sqs: new SQSClient(clientConfig('sqs')),
      eventBridge: new EventBridgeClient(clientConfig('eventbridge')),
    };
    cleanups.push(async () => {
      for (const client of Object.values(clients)) client.destroy();
    });

    return {
      region,
      dynamodbEndpoint: endpoints.dynamodb,
      sqsEndpoint: endpoints.sqs,
      eventBridgeEndpoint: endpoints.eventbridge,
      bus,
      clients,
      clientConfig,
      queueDepth: (queueUrl) => {
        const name = new URL(queueUrl).pathname.split('/').pop() ?? '';
        const queue = fauxqs.inspectQueue(name);
        if (queue === undefined) throw new Error(`Queue ${name} does not exist on the SQS stand-in.`);
        const { ready, delayed, inflight } = queue.messages;
        return ready.length + delayed.length + inflight.length;
      },
      requestsServed: () => ({ ...served.counts }),
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** Counts the HTTP requests each stand-in's server receives, told apart by port (Node's own diagnostics channel sees every server). */
function countRequestsServed(endpoints: Readonly<Record<StandInService, string>>) {
  const counts: Record<StandInService, number> = { dynamodb: 0, sqs: 0, eventbridge: 0 };
  const serviceByPort = new Map(Object.entries(endpoints).map(([service, endpoint]) => [Number(new URL(endpoint).port), service as StandInService]));
  const serviceByServer = new WeakMap<Server, StandInService | null>();
  const onRequest = (message: unknown) => {
    const { server } = message as { server: Server };
    let service = serviceByServer.get(server);
    if (service === undefined) {
      const address = server.address();
      service = (typeof address === 'object' && address ? serviceByPort.get(address.port) : undefined) ?? null;
      serviceByServer.set(server, service);
    }
    if (service) counts[service]++;
  };
  diagnostics.subscribe('http.server.request.start', onRequest);
  return { counts, stop: () => diagnostics.unsubscribe('http.server.request.start', onRequest) };
}

async function startDynalite(): Promise<{ server: Server; endpoint: string }> {
  // Tables become ACTIVE at once instead of after dynalite's default 500 ms.
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, LOOPBACK, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return { server, endpoint: `http://${LOOPBACK}:${port}` };
}

function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    // Keep-alive sockets of clients created elsewhere would otherwise hold `close` open.
    server.closeAllConnections();
  });
}
