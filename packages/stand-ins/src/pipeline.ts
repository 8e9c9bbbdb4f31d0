/**
 * The whole pipeline on one machine: the stand-ins, the table, the buffers and team queues,
 * the two buses with the rules of events/src/patterns.ts, and the same handler code that runs
 * in Lambda, fed by local SQS event sources. Members' e-mail notices go over SMTP to a local
 * mail server that keeps them (nothing leaves the machine); the digest runs when asked.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { BUSES, DEFAULT_ACCOUNT, LOCAL_REGION, RULES } from '@vroegsignaal/events';
import {
  DynamoAlertIndex,
  DynamoAuditTrail,
  DynamoCapacityLedger,
  DynamoHouseholdStore,
  DynamoMonitor,
  DynamoSignalLedger,
  DynamoTeamInbox,
  EventBridgePublisher,
  EventBridgeReminderScheduler,
  NoticingTeamMessenger,
  SmtpMailer,
  SqsDeadLetterQueue,
  SqsTeamMessenger,
  createHouseholdTable,
  documentClient,
  noticePorts,
  teamQueueName,
} from '@vroegsignaal/adapters';
import type { CompiledPolicy } from '@vroegsignaal/policy';
import type { HouseholdState, NotifyResult } from '@vroegsignaal/domain';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { EventEnvelope, TeamMessage } from '@vroegsignaal/events';
import {
  createDeliverHandler,
  createIngestHandler,
  createNoticeDigestHandler,
  createNotifyHandler,
  createOutcomesHandler,
  createTeamReportHandler,
  type NoticeHandlerDeps,
} from '@vroegsignaal/functions';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { startLocalMailServer, type LocalMailServer } from './local-mail-server.ts';
import { localLambdaContext } from './lambda-context.ts';
import { startLocalScheduler } from './local-scheduler.ts';
import { startStandIns, type StandIns } from './stand-ins.ts';
import { startSqsEventSource, type SqsEventSource, type SqsLambdaHandler } from './sqs-event-source.ts';

export const LOCAL_TABLE_NAME = 'vroegsignaal-households';
export const LOCAL_QUEUE_PREFIX = 'vroegsignaal-';
/** Local only: the role EventBridge Scheduler would assume; the stand-in does not check it. */
const LOCAL_SCHEDULER_ROLE_ARN = 'arn:aws:iam::000000000000:role/vroegsignaal-scheduler';
/** Local only: a deployment reads its secret from Secrets Manager. */
export const LOCAL_HOUSEHOLD_SECRET = 'local-household-key-not-for-production';
/** The From of the local notices; the mail server takes mail for any address and passes none on. */
const LOCAL_NOTICE_SENDER = 'Vroegsignaal <meldingen@vroegsignaal.local>';
/** Where the notices' links point until the workspace says where it listens (`npm run serve`'s default). */
const DEFAULT_WORKSPACE_ORIGIN = 'http://localhost:8080';

export interface LocalPipelineOptions {
  policy: CompiledPolicy;
  /** What "now" means for every handler: the replay's --now, or the wall clock. */
  clock: () => number;
  householdSecret?: string;
  /** Seconds before a failed record is retried (Lambda waits the visibility timeout). */
  retryDelaySeconds?: number;
  /** Receives after which a buffer's message moves to its DLQ. */
  maxReceiveCount?: number;
  /**
   * The functions' timeout, in seconds (Lambda's default here: 30). An invocation that runs
   * past it fails as a whole and its batch comes back; a short one makes crash tests quick.
   */
  functionTimeoutSeconds?: number;
  /** Called with the handlers' own SDK clients before use, e.g. to count or break requests. */
  decorateClients?: (clients: HandlerClients) => void;
  /** The workspace the notices link to; default http://localhost:8080 (see also setWorkspaceOrigin). */
  workspaceOrigin?: string;
}

export interface HandlerClients {
  dynamodb: DynamoDBClient;
  sqs: SQSClient;
  eventBridge: EventBridgeClient;
  scheduler: SchedulerClient;
  /** The notice functions' (notify, digest, mail feedback): a client of their own, so that the bench tells their requests from the signals'. */
  noticesDynamodb: DynamoDBClient;
}

export interface TeamDelivery {
  team: string;
  message: TeamMessage;
  sentTimestamp: number;
}

export interface LocalPipeline {
  standIns: StandIns;
  policy: CompiledPolicy;
  /** An EventBridge client as a partner or team in `account` would have it. */
  busClient(account?: string): EventBridgeClient;
  signalsBusName: string;
  /** Resolves when every buffer is empty and no handler runs. */
  settle(timeoutMs?: number): Promise<void>;
  /** Takes every message waiting on the team queues (as the teams would), oldest first. */
  collectTeamMessages(): Promise<TeamDelivery[]>;
  /** Observes every event the pipeline publishes (outcomes of entries, reports, escalations). */
  /** Returns a function that stops the listener. */
  onPipelineEvent(listener: (event: EventEnvelope) => void): () => void;
  /** Each buffer's queue and dead-letter queue. */
  buffers: Readonly<Record<BufferName, BufferQueues>>;
  dlqDepths(): Promise<Record<string, number>>;
  /** Runs the reminder checks due at `nowMs` (time moves only when the caller moves it) and settles. */
  fireSchedules(nowMs: number): Promise<number>;
  /** When the earliest reminder check not yet run is due, or undefined when none is waiting. */
  nextScheduleAt(): number | undefined;
  /** The moment the handlers judge by: the caller's clock, or where moveClockTo put it. */
  now(): number;
  /** From here on the handlers judge at `ms`, not by the caller's clock: how a replay's time passes. */
  moveClockTo(ms: number): void;
  /** Every household the table holds (a scan: for reports on a replay, not for the pipeline). */
  households(): Promise<HouseholdState[]>;
  eventSources: Record<string, SqsEventSource>;
  /** The local mail server the notices go to: what it received, and addresses it refuses. */
  mail: LocalMailServer;
  /** Runs the notice digest at the pipeline's clock (every quarter hour on AWS), and settles. */
  runDigest(): Promise<NotifyResult>;
  /** From here on the notices link to the workspace at `origin` (known once it listens). */
  setWorkspaceOrigin(origin: string): void;
  stop(): Promise<void>;
}

export const BUFFERS = ['ingest', 'deliver', 'team-report', 'outcomes', 'notify'] as const;
export type BufferName = (typeof BUFFERS)[number];
export interface BufferQueues {
  url: string;
  arn: string;
  dlqUrl: string;
}

export async function startLocalPipeline(options: LocalPipelineOptions): Promise<LocalPipeline> {
  const standIns = await startStandIns();
  let mail: LocalMailServer | undefined;
  let pipeline: LocalPipeline | undefined;
  try {
    // A mail is received at the pipeline's moment (a replay's clock), as its text was written.
    mail = await startLocalMailServer({ nowMs: () => pipeline?.now() ?? options.clock() });
    pipeline = await assemble(standIns, mail, options);
    return pipeline;
  } catch (error) {
    await mail?.stop();
    await standIns.stop();
    throw error;
  }
}

/** Starts a pipeline, runs `use` on it, and stops the pipeline however `use` ends. */
export async function withLocalPipeline<T>(options: LocalPipelineOptions, use: (pipeline: LocalPipeline) => Promise<T>): Promise<T> {
  const pipeline = await startLocalPipeline(options);
  try {
    return await use(pipeline);
  } finally {
    await pipeline.stop();
  }
}

async function assemble(standIns: StandIns, mail: LocalMailServer, options: LocalPipelineOptions): Promise<LocalPipeline> {
  const { policy } = options;
  // A replay moves the clock on (a line's Now, --until); until one does, the caller's clock holds.
  let movedTo: number | undefined;
  const clock = () => movedTo ?? options.clock();
  const maxReceiveCount = options.maxReceiveCount ?? 5;
  // The handlers get clients of their own, so that what is counted or broken is their traffic only.
  const localScheduler = await startLocalScheduler(standIns.clients.eventBridge);
  let workspaceOrigin = options.workspaceOrigin ?? DEFAULT_WORKSPACE_ORIGIN;
  const clients: HandlerClients = {
    dynamodb: new DynamoDBClient(standIns.clientConfig('dynamodb')),
    sqs: new SQSClient(standIns.clientConfig('sqs')),
    eventBridge: new EventBridgeClient(standIns.clientConfig('eventbridge')),
    scheduler: new SchedulerClient({ ...standIns.clientConfig('eventbridge'), endpoint: localScheduler.endpoint }),
    noticesDynamodb: new DynamoDBClient(standIns.clientConfig('dynamodb')),
  };
  options.decorateClients?.(clients);
  const { sqs } = standIns.clients;

  await createHouseholdTable(standIns.clients.dynamodb, LOCAL_TABLE_NAME);

  const buffers = {} as Record<BufferName, BufferQueues>;
  for (const name of BUFFERS) {
    const dlq = await createQueue(sqs, `${LOCAL_QUEUE_PREFIX}${name}-dlq`);
    const queue = await createQueue(sqs, `${LOCAL_QUEUE_PREFIX}${name}`, {
      VisibilityTimeout: '30',
      // A backstop: the handlers dead-letter a record themselves on its last attempt, with the reason.
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: maxReceiveCount + 1 }),
    });
    buffers[name] = { ...queue, dlqUrl: dlq.url };
  }
  const teamQueues = new Map<string, string>();
  for (const team of policy.teams()) {
    const queue = await createQueue(sqs, teamQueueName(LOCAL_QUEUE_PREFIX, team.id), { FifoQueue: 'true' });
    teamQueues.set(team.id, queue.url);
  }

  const { bus } = standIns;
  bus.createBus(BUSES.signals);
  bus.createBus(BUSES.pipeline);
  const ruleTargets: [keyof typeof RULES, BufferName][] = [
    ['partnerSignals', 'ingest'],
    ['teamReports', 'team-report'],
    ['dueDeliveries', 'deliver'],
    ['signalOutcomes', 'outcomes'],
    ['memberNotices', 'notify'],
  ];
  for (const [rule, buffer] of ruleTargets) {
    bus.addRule({ ...RULES[rule], target: { kind: 'sqs', queueUrl: buffers[buffer].url } });
  }
  const listeners: ((event: EventEnvelope) => void)[] = [];
  bus.addRule({
    name: 'local-observer',
    bus: BUSES.pipeline,
    pattern: { source: [{ exists: true }] },
    target: {
      kind: 'function',
      invoke: async (event) => {
        for (const listener of listeners) listener(event);
      },
    },
  });

  const db = documentClient(clients.dynamodb);
  const households = new DynamoHouseholdStore(db, LOCAL_TABLE_NAME);
  const ledger = new DynamoSignalLedger(db, LOCAL_TABLE_NAME);
  const alerts = new DynamoAlertIndex(db, LOCAL_TABLE_NAME);
  const publisher = new EventBridgePublisher(clients.eventBridge, BUSES.pipeline);
  const getPolicy = () => policy;
  const deadLettersOf = (buffer: BufferName) => ({ queue: new SqsDeadLetterQueue(clients.sqs, buffers[buffer].dlqUrl), afterReceives: maxReceiveCount });
  // Ingest and deliver both tell teams: one set of ports for both, as deployed; what a member
  // may be e-mailed about is published for notify once it is on the team's queue.
  const teamDispatch = {
    alerts,
    capacity: new DynamoCapacityLedger(db, LOCAL_TABLE_NAME),
    messenger: new NoticingTeamMessenger(new SqsTeamMessenger(clients.sqs, LOCAL_QUEUE_PREFIX), publisher, clock),
    audit: new DynamoAuditTrail(db, LOCAL_TABLE_NAME),
    scheduler: new EventBridgeReminderScheduler(clients.scheduler, { pipelineBusArn: bus.busArn(BUSES.pipeline), roleArn: LOCAL_SCHEDULER_ROLE_ARN }),
  };
  const noticesDb = documentClient(clients.noticesDynamodb);
  const mailer = new SmtpMailer({ host: mail.host, port: mail.port, from: LOCAL_NOTICE_SENDER, pooled: true });
  const notices: NoticeHandlerDeps = {
    policy: getPolicy,
    ...noticePorts(noticesDb, LOCAL_TABLE_NAME),
    alerts: new DynamoAlertIndex(noticesDb, LOCAL_TABLE_NAME),
    inbox: new DynamoTeamInbox(noticesDb, LOCAL_TABLE_NAME),
    mailer,
    workspaceOrigin: () => workspaceOrigin,
    clock,
  };
  const digest = createNoticeDigestHandler(notices);
  const handlers: Record<BufferName, SqsLambdaHandler> = {
    ingest: createIngestHandler({
      policy: getPolicy,
      households,
      ledger,
      monitor: new DynamoMonitor(db, LOCAL_TABLE_NAME),
      ...teamDispatch,
      publisher,
      householdSecret: options.householdSecret ?? LOCAL_HOUSEHOLD_SECRET,
      clock,
      deadLetters: deadLettersOf('ingest'),
    }),
    deliver: createDeliverHandler({
      policy: getPolicy,
      households,
      ...teamDispatch,
      clock,
      deadLetters: deadLettersOf('deliver'),
    }),
    'team-report': createTeamReportHandler({ policy: getPolicy, households, alerts, publisher, clock, deadLetters: deadLettersOf('team-report') }),
    outcomes: createOutcomesHandler({ ledger, clock, deadLetters: deadLettersOf('outcomes') }),
    notify: createNotifyHandler({ ...notices, deadLetters: deadLettersOf('notify') }),
  };
  const eventSources = Object.fromEntries(
    BUFFERS.map((name) => [
      name,
      startSqsEventSource({
        sqs,
        queueUrl: buffers[name].url,
        queueArn: buffers[name].arn,
        handler: handlers[name],
        functionName: `vroegsignaal-${name}`,
        batchSize: 10,
        waitTimeSeconds: 1,
        retryDelaySeconds: options.retryDelaySeconds ?? 0,
        ...(options.functionTimeoutSeconds !== undefined ? { timeoutSeconds: options.functionTimeoutSeconds } : {}),
      }),
    ]),
  ) as Record<BufferName, SqsEventSource>;

  async function settle(timeoutMs = 30_000): Promise<void> {
    const startedAt = Date.now();
    let quietChecks = 0;
    // Quiet twice in a row: a message can be between a delete and the next send for an instant.
    while (quietChecks < 2) {
      const busy = Object.values(eventSources).some((s) => !s.isIdle()) || BUFFERS.some((name) => standIns.queueDepth(buffers[name].url) > 0);
      quietChecks = busy ? 0 : quietChecks + 1;
      if (Date.now() - startedAt > timeoutMs) throw new Error(`the local pipeline did not settle within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, busy ? 2 : 1));
    }
  }

  const busClients = new Map<string, EventBridgeClient>();
  return {
    standIns,
    policy,
    eventSources,
    buffers,
    signalsBusName: BUSES.signals,
    mail,
    async runDigest() {
      const result = await digest({}, localLambdaContext({ functionName: 'vroegsignaal-notice-digest', region: LOCAL_REGION, account: DEFAULT_ACCOUNT, timeoutSeconds: 60, memoryLimitInMB: 256 }));
      await settle();
      return result;
    },
    setWorkspaceOrigin(origin) {
      workspaceOrigin = origin;
    },
    busClient(account) {
      const key = account ?? 'default';
      let client = busClients.get(key);
      if (!client) {
        client = new EventBridgeClient(standIns.clientConfig('eventbridge', account));
        busClients.set(key, client);
      }
      return client;
    },
    settle,
    async collectTeamMessages() {
      const deliveries: TeamDelivery[] = [];
      for (const [team, url] of teamQueues) {
        if (standIns.queueDepth(url) === 0) continue;
        for (const message of await drainQueue(sqs, url)) {
          deliveries.push({ team, message: JSON.parse(message.body) as TeamMessage, sentTimestamp: message.sentTimestamp });
        }
      }
      return deliveries.sort((a, b) => a.sentTimestamp - b.sentTimestamp);
    },
    onPipelineEvent(listener) {
      listeners.push(listener);
      return () => listeners.splice(listeners.indexOf(listener), 1);
    },
    async households() {
      const reportDb = documentClient(standIns.clients.dynamodb);
      const states: HouseholdState[] = [];
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await reportDb.send(new ScanCommand({ TableName: LOCAL_TABLE_NAME, FilterExpression: 'sk = :state', ExpressionAttributeValues: { ':state': 'STATE' }, ExclusiveStartKey }));
        for (const item of page.Items ?? []) states.push({ ...(item.state as HouseholdState), version: item.version as number });
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
      return states;
    },
    async fireSchedules(nowMs) {
      const fired = await localScheduler.fireDue(nowMs);
      await settle();
      return fired;
    },
    nextScheduleAt: () => localScheduler.nextDueMs(),
    now: clock,
    moveClockTo(ms) {
      movedTo = ms;
    },
    async dlqDepths() {
      return Object.fromEntries(BUFFERS.map((name) => [name, standIns.queueDepth(buffers[name].dlqUrl)]));
    },
    async stop() {
      await Promise.all(Object.values(eventSources).map((s) => s.stop()));
      for (const client of busClients.values()) client.destroy();
      for (const client of Object.values(clients)) client.destroy();
      await localScheduler.stop();
      mailer.close();
      await mail.stop();
      await standIns.stop();
    },
  };
}

async function createQueue(sqs: SQSClient, name: string, attributes: Record<string, string> = {}): Promise<{ url: string; arn: string }> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  return { url: QueueUrl!, arn: Attributes!.QueueArn! };
}

async function drainQueue(sqs: SQSClient, queueUrl: string): Promise<{ body: string; sentTimestamp: number }[]> {
  const messages: { body: string; sentTimestamp: number }[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, MessageSystemAttributeNames: ['SentTimestamp', 'SequenceNumber'] }),
    );
    if (Messages.length === 0) return messages;
    for (const m of Messages) messages.push({ body: m.Body!, sentTimestamp: Number(m.Attributes?.SentTimestamp ?? 0) });
    await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
  }
}
