/**
 * npm run bench: how fast, how costly, and how far from the floor.
 *
 * One run measures, on a seeded feed of N households (../feed-generator.ts):
 * 1. the domain core alone (intake, household key, state, score, team) as a ratio to a floor
 *    measured alike (each entry parsed and its household key computed), and the in-memory
 *    engine (the policy diff's) in entries/s;
 * 2. the stand-ins' own raw request rates, and the full local replay on them, so the
 *    pipeline's overhead is a ratio to what the stand-ins allow for every request they serve;
 * 3. AWS requests per stored signal by service and operation, counted by a middleware on the
 *    handlers' SDK clients, and DynamoDB request units per signal;
 * 4. an AWS cost per million signals from those counts and public list prices, with the e-mail
 *    notices sent per alert to the local users as members (SES);
 * 5. each Lambda bundle's size (built as the CDK stack builds it) and the replay's peak memory;
 * 6. the team workspace with 1,000 open alerts of one team: DynamoDB requests an inbox page and
 *    on an alert's page, and the first load's bytes, raw and compressed (./workspace.ts).
 * It writes packages/harness/results/bench.json and prints a table. Ratios and counts travel between machines;
 * seconds do not, so the machine is recorded with them.
 */
import { cpus, totalmem } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { checkOutputFile, defineCommand, integerOption, runCommand } from '@vroegsignaal/command';
import { CreateTableCommand, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, ReceiveMessageCommand, DeleteMessageBatchCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { applySignal, applyWithdrawal, emptyHousehold, householdRef, planNotifications, takeIn, type BusEntry, type HouseholdState } from '@vroegsignaal/domain';
import { compilePolicy, loadPolicyDir } from '@vroegsignaal/policy';
import { FUNCTION_BUNDLING } from '@vroegsignaal/infra';
import { DEFAULT_FEED_NOW, generateFeed } from '../feed-generator.ts';

import { play, type PlayItem } from '../chaos.ts';
import { onStandIns, replayOn, withEngine } from '@vroegsignaal/tools';
import { byService, countCapacity, countPublishedEvents, countRequests, divertHandlerOutput, seedLocalMembers, startStandIns, withLocalPipeline, type LocalPipelineOptions, type RequestCounts } from '@vroegsignaal/stand-ins';
import { estimateCost, PRICES } from './prices.ts';
import { measureWorkspaceCost, workspaceResults, workspaceRows } from './workspace.ts';

const DEFAULT_OUT = 'packages/harness/results/bench.json';

const BENCH = defineCommand({
  name: 'npm run bench --',
  purpose: 'Measures the domain core against a floor, the in-memory engine, the stand-ins and the local replay on them, AWS requests and cost per signal, the Lambda bundles, peak memory, and the team workspace\'s requests and first-load bytes for 1,000 open alerts; prints a table and writes the results as JSON.',
  usage: ['[--size N] [--inbox-alerts N] [--out FILE]'],
  examples: ['npm run bench', 'npm run bench -- --size 3000 --out .data/bench-3000.json'],
  options: {
    size: { type: 'string', value: 'N', description: 'households in the seeded feed (default 600; about 2.3 entries each)' },
    'inbox-alerts': { type: 'string', value: 'N', description: 'open alerts of the team whose workspace is measured (default 1,000, the target\'s)' },
    out: { type: 'string', value: 'FILE', description: `write the results here (default ${DEFAULT_OUT})` },
  },
  notes: ['It takes about a minute at the default size, about two at --size 3000; run it on an otherwise idle machine.'],
});

const policy = compilePolicy(loadPolicyDir());
const nowMs = Date.parse(DEFAULT_FEED_NOW);
type Feed = ReturnType<typeof generateFeed>;

// 1. The domain core on one core, as a ratio to a floor measured the same way: every entry
// parsed (its JSON, then the contract's schema) and its household key computed. The core adds
// what ingest decides: the household's state, its score, its team and what it is owed.
function parsedEntry(line: string): BusEntry {
  const e = JSON.parse(line) as { Source: string; DetailType: string; Detail: unknown };
  return { source: e.Source, 'detail-type': e.DetailType, detail: typeof e.Detail === 'string' ? JSON.parse(e.Detail) : e.Detail };
}

function floorRound(feed: Feed): void {
  for (const line of feed.lines) {
    const intake = takeIn(parsedEntry(line), policy, nowMs);
    if (intake.kind !== 'rejected') householdRef(intake.address, BENCH_SECRET);
  }
}

function domainRound(feed: Feed): void {
  const states = new Map<string, HouseholdState>();
  for (const line of feed.lines) {
    const intake = takeIn(parsedEntry(line), policy, nowMs);
    if (intake.kind === 'rejected') continue;
    const ref = householdRef(intake.address, BENCH_SECRET);
    const state = states.get(ref) ?? emptyHousehold(ref, intake.address, nowMs);
    const result =
      intake.kind === 'signal'
        ? applySignal(state, { signal: intake.signal, address: intake.address, contact: intake.contact }, policy, nowMs)
        : applyWithdrawal(state, intake.withdrawal, policy, nowMs);
    states.set(ref, result.state);
    planNotifications(result.state, policy, nowMs);
  }
}

const BENCH_SECRET = 'bench-household-secret';

/**
 * Entries per second of each round over the feed, measured side by side: the rounds take turns
 * for six seconds, so a machine that speeds up or slows down meanwhile (a shared VM does) moves
 * all of them alike and their ratio holds.
 */
function entriesPerSecond<K extends string>(rounds: Record<K, () => void>, entriesPerRound: number): Record<K, number> {
  const names = Object.keys(rounds) as K[];
  const ms = Object.fromEntries(names.map((name) => [name, 0])) as Record<K, number>;
  const counts = Object.fromEntries(names.map((name) => [name, 0])) as Record<K, number>;
  for (const name of names) rounds[name](); // warm-up: JIT and caches
  const started = performance.now();
  while (performance.now() - started < 6000) {
    for (const name of names) {
      const before = performance.now();
      rounds[name]();
      ms[name] += performance.now() - before;
      counts[name] += entriesPerRound;
    }
  }
  return Object.fromEntries(names.map((name) => [name, counts[name] / (ms[name] / 1000)])) as Record<K, number>;
}

/** The in-memory engine: the whole pipeline's use cases on in-memory ports, the policy diff's engine. */
async function measureEngine(feed: Feed): Promise<number> {
  const run = () => withEngine('memory', { policy, clock: () => nowMs }, (engine) => replayOn(engine, feed.lines, { nowMs, keep: false }));
  await run();
  let entries = 0;
  const started = performance.now();
  while (performance.now() - started < 3000) entries += (await run()).entries;
  return entries / ((performance.now() - started) / 1000);
}

// 2a. What the stand-ins do on their own: sequential requests through the same SDK clients.
async function measureStandIns(): Promise<Record<'DynamoDB' | 'SQS' | 'EventBridge', number>> {
  const standIns = await startStandIns();
  try {
    const { dynamodb, sqs, eventBridge } = standIns.clients;
    await dynamodb.send(
      new CreateTableCommand({
        TableName: 'raw',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      }),
    );
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'raw' }));
    standIns.bus.createBus('raw');
    const rate = async (request: (i: number) => Promise<unknown>) => {
      let n = 0;
      const started = performance.now();
      while (performance.now() - started < 2000) await request(n++);
      return n / ((performance.now() - started) / 1000);
    };
    const item = { pk: { S: 'x' }, state: { S: 'y'.repeat(1500) }, version: { N: '1' } };
    return {
      DynamoDB: await rate((i) =>
        i % 2 === 0
          ? dynamodb.send(new PutItemCommand({ TableName: 'raw', Item: { ...item, pk: { S: `k${i % 500}` } }, ConditionExpression: 'attribute_not_exists(nope)' }))
          : dynamodb.send(new GetItemCommand({ TableName: 'raw', Key: { pk: { S: `k${(i - 1) % 500}` } }, ConsistentRead: true })),
      ),
      SQS: await rate(async (i) => {
        await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: `m${i}` }));
        if (i % 10 === 9) {
          const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
          if (Messages.length) await sqs.send(new DeleteMessageBatchCommand({ QueueUrl, Entries: Messages.map((m, j) => ({ Id: String(j), ReceiptHandle: m.ReceiptHandle! })) }));
        }
      }),
      EventBridge: await rate(() => eventBridge.send(new PutEventsCommand({ Entries: [{ EventBusName: 'raw', Source: 'bench', DetailType: 'Raw', Detail: '{"a":1}' }] }))),
    };
  } finally {
    await standIns.stop();
  }
}

// 2b-3. The replay itself, every handler request counted, and every request the stand-ins
// served. Played in rounds of up to 40 entries, at most one per household (as `npm run chaos` plays), so the stages overlap as they
// would under load; `oneByOne` is `npm run replay`'s pace, every entry settled alone.
async function measureReplay(feed: Feed) {
  const counts: RequestCounts = {};
  const capacity = { read: 0, write: 0 };
  const published = { events: 0 };
  // The notice functions' requests are counted apart: the signals' targets are the pipeline's.
  const noticeCounts: RequestCounts = {};
  const noticeCapacity = { read: 0, write: 0 };
  const decorateClients: LocalPipelineOptions['decorateClients'] = ({ noticesDynamodb, ...clients }) => {
    countRequests(clients, counts);
    countCapacity(clients, capacity);
    countPublishedEvents(clients, published);
    countRequests({ noticesDynamodb }, noticeCounts);
    countCapacity({ dynamodb: noticesDynamodb }, noticeCapacity);
  };
  return withLocalPipeline({ policy, clock: () => nowMs, decorateClients }, async (pipeline) => {
    // The local users as members who want every notice (as npm run serve has them): the notices sent are counted with the rest.
    await seedLocalMembers(pipeline);
    const items: PlayItem[] = feed.entries.map((entry, id) => ({ kind: 'line', id, text: entry.line, household: entry.household }));
    const servedBefore = pipeline.standIns.requestsServed();
    const started = performance.now();
    const result = await play(pipeline, items, { roundSize: 40 });
    const seconds = (performance.now() - started) / 1000;
    const servedAfter = pipeline.standIns.requestsServed();
    const served = {
      DynamoDB: servedAfter.dynamodb - servedBefore.dynamodb,
      SQS: servedAfter.sqs - servedBefore.sqs,
      EventBridge: servedAfter.eventbridge - servedBefore.eventbridge,
    };
    const invocations = Object.fromEntries(Object.entries(pipeline.eventSources).map(([name, source]) => [name, source.stats()]));
    const notices = { sent: pipeline.mail.all().length, counts: noticeCounts, capacity: noticeCapacity };
    return { outcomes: [...result.outcomes.values()].map((o) => o.outcome), alerts: result.alerts.length, notices, seconds, counts, capacity, published, invocations, served };
  });
}

function measureOneByOne(lines: string[]): Promise<number> {
  return withLocalPipeline({ policy, clock: () => nowMs }, async (pipeline) => {
    const started = performance.now();
    const result = await replayOn(onStandIns(pipeline), lines, { nowMs });
    return result.entries / ((performance.now() - started) / 1000);
  });
}

/** The e-mail notices' functions: a mail can wait for a cold start, a signal's stages are held to a bundle target. */
const NOTICE_FUNCTIONS = ['notify', 'notice-digest', 'mail-feedback'];

// 5. Bundles as the CDK stack builds them (infra/constructs/pipeline-function.ts).
async function measureBundles(): Promise<Record<string, number>> {
  const sizes: Record<string, number> = {};
  for (const name of ['ingest', 'deliver', 'team-report', 'outcomes', ...NOTICE_FUNCTIONS]) {
    const result = await build({
      entryPoints: [fileURLToPath(new URL(`../../../../functions/${name}/index.ts`, import.meta.url))],
      bundle: true,
      write: false,
      outfile: `${name}.mjs`,
      format: 'esm',
      platform: FUNCTION_BUNDLING.platform,
      target: FUNCTION_BUNDLING.target,
      minify: FUNCTION_BUNDLING.minify,
      mainFields: [...FUNCTION_BUNDLING.mainFields],
      banner: { js: FUNCTION_BUNDLING.banner },
      external: FUNCTION_BUNDLING.bundleAwsSDK ? [] : ['@aws-sdk/*'],
      logLevel: 'error',
    });
    sizes[name] = result.outputFiles.find((f) => f.path.endsWith('.mjs'))!.contents.byteLength;
  }
  return sizes;
}

/** Every measurement on the feed, with the handlers' output kept off the terminal. */
async function measure(feed: Feed, inboxAlerts: number) {
  // Handler logs and metrics (Powertools writes them to stdout) are not what is measured.
  const terminal = divertHandlerOutput(null);
  const log = (line: string) => terminal.err(`${line}\n`);
  try {
    log(`bench: ${feed.lines.length} entries for ${feed.households} households (seed ${feed.seed})`);
    const rates = entriesPerSecond({ floor: () => floorRound(feed), domain: () => domainRound(feed) }, feed.lines.length);
    log(`floor: ${Math.round(rates.floor)} entries/s; domain core: ${Math.round(rates.domain)} entries/s`);
    const engineEntriesPerSecond = await measureEngine(feed);
    log(`in-memory engine: ${Math.round(engineEntriesPerSecond)} entries/s`);
    const raw = await measureStandIns();
    log(`stand-ins: ${Object.entries(raw).map(([k, v]) => `${k} ${Math.round(v)}/s`).join(', ')}`);
    const replay = await measureReplay(feed);
    const oneByOneSignalsPerSecond = await measureOneByOne(feed.lines.slice(0, 300));
    const workspace = await measureWorkspaceCost({ policy, nowMs, openAlerts: inboxAlerts });
    log(`workspace: ${workspace.openAlerts} open alerts of ${workspace.team}`);
    return { floorEntriesPerSecond: rates.floor, domainEntriesPerSecond: rates.domain, engineEntriesPerSecond, raw, replay, oneByOneSignalsPerSecond, bundleBytes: await measureBundles(), workspace };
  } finally {
    await terminal.restore();
  }
}

/** One run of every measurement on a seeded feed of `size` households, the workspace's with `inboxAlerts` open alerts; the results to `out`. */
async function bench(size: number, inboxAlerts: number, out: string): Promise<void> {
  const feed = generateFeed({ size, policy, nowMs });
  const { floorEntriesPerSecond, domainEntriesPerSecond, engineEntriesPerSecond, raw, replay, oneByOneSignalsPerSecond, bundleBytes, workspace } = await measure(feed, inboxAlerts);

  const outcomes: Record<string, number> = {};
  for (const outcome of replay.outcomes) outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
  const stored = ['accepted', 'repeat', 'below-threshold', 'withdrawn'].reduce((n, k) => n + (outcomes[k] ?? 0), 0);
  const perSignal = (n: number) => Number((n / stored).toFixed(3));
  const services = byService(replay.counts);
  const awsRequests = Object.values(services).reduce((a, b) => a + b, 0);
  // Per stored signal, as the requests are: the share below is then the replay's request rate over the stand-ins'.
  const replaySignalsPerSecond = stored / replay.seconds;
  // Time the stand-ins would need for every request they served in the replay (the handlers',
  // the local Lambda pollers' and the bus's deliveries), one after another at their raw rates.
  // The scheduler stand-in is not measured apart: its few requests count at the bus's rate.
  const standInRequests: Record<string, number> = { ...replay.served, Scheduler: services.Scheduler ?? 0 };
  const rawRateOf = (service: string) => raw[service as keyof typeof raw] ?? raw.EventBridge;
  const standInSecondsPerSignal = Object.entries(standInRequests).reduce((s, [service, n]) => s + n / stored / rawRateOf(service), 0);
  const standInAllowedSignalsPerSecond = 1 / standInSecondsPerSignal;
  const standInRequestsPerSignal = Object.values(standInRequests).reduce((a, b) => a + b, 0) / stored;
  const standInRawRequestsPerSecond = standInRequestsPerSignal / standInSecondsPerSignal;
  // The stricter view: only the handlers' own requests, as if polling and bus deliveries were free.
  const handlerRequestSecondsPerSignal = Object.entries(services).reduce((s, [service, n]) => s + n / stored / rawRateOf(service), 0);
  const messages = replay.alerts;
  const allLambda = Object.entries(replay.invocations).map(([name, s]) => ({ name, invocations: s.batches, records: s.records, ms: s.invocationMs }));
  const lambda = allLambda.filter((l) => l.name !== 'notify');
  const notify = allLambda.filter((l) => l.name === 'notify');
  const lambdaUsage = (functions: typeof allLambda) => ({
    lambdaInvocations: functions.reduce((n, l) => n + l.invocations, 0),
    lambdaMs: functions.reduce((n, l) => n + l.ms, 0),
  });
  const cost = estimateCost({
    signals: stored,
    dynamodbReadUnits: replay.capacity.read,
    dynamodbWriteUnits: replay.capacity.write,
    eventBridgeEvents: replay.published.events,
    sqsRequests: (services.SQS ?? 0) + lambda.reduce((n, l) => n + 2 * l.invocations, 0),
    schedulerRequests: services.Scheduler ?? 0,
    ...lambdaUsage(lambda),
    emails: 0,
  });
  // The members' e-mail notices: SES per mail, and notify's own requests, units and invocations
  // (the TeamMessageSent events it is driven by are the pipeline's: it puts them for any member).
  const notices = replay.notices;
  const noticeRequests = Object.values(notices.counts).reduce((a, b) => a + b, 0);
  const noticeCost = estimateCost({
    signals: stored,
    dynamodbReadUnits: notices.capacity.read,
    dynamodbWriteUnits: notices.capacity.write,
    eventBridgeEvents: 0,
    sqsRequests: notify.reduce((n, l) => n + 2 * l.invocations, 0),
    schedulerRequests: 0,
    ...lambdaUsage(notify),
    emails: notices.sent,
  });

  const results = {
    machine: `${cpus().length} x ${cpus()[0]?.model ?? 'unknown'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
    measuredAt: new Date().toISOString(),
    signals: stored,
    entries: replay.outcomes.length,
    households: feed.households,
    alerts: messages,
    notices: {
      sent: notices.sent,
      perAlert: Number((notices.sent / Math.max(messages, 1)).toFixed(3)),
      perSignal: perSignal(notices.sent),
      dynamodbRequestsPerNotice: Number((noticeRequests / Math.max(notices.sent, 1)).toFixed(2)),
      dynamodbRequestsByOperation: notices.counts,
      costPerMillionSignalsUsd: noticeCost.total,
      costBreakdownPerMillionSignalsUsd: noticeCost.breakdown,
    },
    outcomes,
    floorEntriesPerSecond: Math.round(floorEntriesPerSecond),
    domainEntriesPerSecond: Math.round(domainEntriesPerSecond),
    domainShareOfFloor: Number((domainEntriesPerSecond / floorEntriesPerSecond).toFixed(2)),
    engineEntriesPerSecond: Math.round(engineEntriesPerSecond),
    engineShareOfFloor: Number((engineEntriesPerSecond / floorEntriesPerSecond).toFixed(3)),
    engineSecondsPerMillionEntries: Math.round(1e6 / engineEntriesPerSecond),
    replaySignalsPerSecond: Number(replaySignalsPerSecond.toFixed(1)),
    replayOneByOneSignalsPerSecond: Number(oneByOneSignalsPerSecond.toFixed(1)),
    standInRawRequestsPerSecond: Math.round(standInRawRequestsPerSecond),
    standInRawRequestsPerSecondByService: Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Math.round(v)])),
    standInRequestsPerSignal: Number(standInRequestsPerSignal.toFixed(2)),
    standInRequestsPerSignalByService: Object.fromEntries(Object.entries(standInRequests).map(([k, v]) => [k, perSignal(v)])),
    standInAllowedSignalsPerSecond: Number(standInAllowedSignalsPerSecond.toFixed(1)),
    replayShareOfStandInAllowance: Number((replaySignalsPerSecond / standInAllowedSignalsPerSecond).toFixed(2)),
    replayShareOfStandInAllowanceForHandlerRequestsOnly: Number((replaySignalsPerSecond * handlerRequestSecondsPerSignal).toFixed(2)),
    dynamodbRequestsPerSignal: perSignal(services.DynamoDB ?? 0),
    awsRequestsPerSignal: perSignal(awsRequests),
    awsRequestsPerSignalByService: Object.fromEntries(Object.entries(services).map(([k, v]) => [k, perSignal(v)])),
    awsRequestsPerSignalByOperation: Object.fromEntries(Object.entries(replay.counts).sort().map(([k, v]) => [k, perSignal(v)])),
    eventBridgeEventsPerSignal: perSignal(replay.published.events),
    dynamodbReadUnitsPerSignal: perSignal(replay.capacity.read),
    dynamodbWriteUnitsPerSignal: perSignal(replay.capacity.write),
    lambdaPerSignal: Object.fromEntries(lambda.map((l) => [l.name, { invocations: perSignal(l.invocations), ms: perSignal(l.ms) }])),
    costPerMillionSignalsUsd: cost.total,
    costBreakdownPerMillionSignalsUsd: cost.breakdown,
    prices: PRICES,
    bundleBytes,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    workspace: workspaceResults(workspace),
  };
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);

  const rows: [string, string, string][] = [
    ['machine', results.machine, ''],
    ['feed', `${results.entries} entries, ${results.households} households, ${stored} stored signals, ${messages} alerts`, ''],
    ['floor', `${results.floorEntriesPerSecond.toLocaleString('en')} entries/s`, 'each entry parsed (JSON and the contract schema) and its household key computed, on one core'],
    ['domain core', `${results.domainShareOfFloor} of the floor`, `${results.domainEntriesPerSecond.toLocaleString('en')} entries/s: the floor plus state, score, team and what is owed; target >= 0.5`],
    ['in-memory engine', `${results.engineEntriesPerSecond.toLocaleString('en')} entries/s`, `${results.engineShareOfFloor} of the floor; the whole pipeline's use cases on in-memory ports: ${results.engineSecondsPerMillionEntries} s per million entries per core`],
    ['local replay', `${results.replaySignalsPerSecond} signals/s`, `${results.replayShareOfStandInAllowance} of the ${results.standInAllowedSignalsPerSecond}/s the stand-ins allow (target >= 0.5; ${results.replayShareOfStandInAllowanceForHandlerRequestsOnly} counting the handlers' requests only); one by one: ${results.replayOneByOneSignalsPerSecond}/s`],
    ['stand-ins raw', `${results.standInRawRequestsPerSecond} requests/s for this mix`, Object.entries(results.standInRawRequestsPerSecondByService).map(([k, v]) => `${k} ${v}/s`).join(', ')],
    ['stand-in requests / signal', String(results.standInRequestsPerSignal), `all they served (handlers, Lambda pollers, bus deliveries): ${Object.entries(results.standInRequestsPerSignalByService).map(([k, v]) => `${k} ${v}`).join(', ')}`],
    ['DynamoDB requests / signal', String(results.dynamodbRequestsPerSignal), 'target <= 4'],
    ['AWS requests / signal', String(results.awsRequestsPerSignal), `target <= 6; ${Object.entries(results.awsRequestsPerSignalByService).map(([k, v]) => `${k} ${v}`).join(', ')}`],
    ['DynamoDB units / signal', `${results.dynamodbReadUnitsPerSignal} read, ${results.dynamodbWriteUnitsPerSignal} write`, ''],
    ['events / signal', String(results.eventBridgeEventsPerSignal), 'put on the pipeline bus (EventBridge bills per event, not per request)'],
    ['cost / million signals', `USD ${results.costPerMillionSignalsUsd.toFixed(2)}`, `${PRICES.region} list prices of ${PRICES.asOf}; without the e-mail notices`],
    [
      'notices / alert',
      String(results.notices.perAlert),
      `${results.notices.sent} e-mails to the local users as members with every kind on (2 per team and the coordinators); ${results.notices.dynamodbRequestsPerNotice} DynamoDB requests each, counted apart from the signals'`,
    ],
    [
      'notices cost / million signals',
      `USD ${results.notices.costPerMillionSignalsUsd.toFixed(2)}`,
      Object.entries(results.notices.costBreakdownPerMillionSignalsUsd).filter(([, v]) => v > 0).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', '),
    ],
    ...Object.entries(bundleBytes).map(([name, bytes]): [string, string, string] => [
      `bundle ${name}`,
      `${bytes.toLocaleString('en')} bytes`,
      NOTICE_FUNCTIONS.includes(name) ? 'minified; off the signals\' path, no target (nodemailer and the SES client)' : 'target < 250,000 minified',
    ]),
    ['peak memory', `${Math.round(results.peakRssBytes / 2 ** 20)} MiB RSS`, ''],
    ...workspaceRows(workspace),
  ];
  const width = Math.max(...rows.map((r) => r[0].length));
  const valueWidth = Math.max(...rows.map((r) => r[1].length));
  process.stdout.write(`${rows.map(([k, v, n]) => `${k.padEnd(width)}  ${v.padEnd(valueWidth)}  ${n}`).join('\n')}\nResults: ${out}\n`);
}

process.exitCode = await runCommand(BENCH, process.argv.slice(2), ({ values }) => {
  const out = values.out ?? DEFAULT_OUT;
  checkOutputFile(out, 'a file to write the results to (--out)');
  return bench(integerOption(values.size, 'size', 1) ?? 600, integerOption(values['inbox-alerts'], 'inbox-alerts', 1) ?? 1000, out);
});
