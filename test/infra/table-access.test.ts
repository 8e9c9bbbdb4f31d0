/**
 * The household table grants checked against what the functions really do: each handler runs,
 * wired with the DynamoDB adapters its functions/<name>/index.ts gives it, on dynalite, through
 * a life of three households (alerts to a team with a yearly capacity, a pick-up, an update to
 * an open case, a withdrawal before its signal, a resend, deliveries ingest had to leave to
 * deliver, later outcomes). Every DynamoDB call is recorded with its action and partition key and
 * must be allowed by a statement of that function's role in the synthesized stack; and every
 * action and key prefix the role is granted must have been used, so that a grant the code no
 * longer needs does not linger.
 */
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createHouseholdTable,
  documentClient,
  DynamoAlertIndex,
  DynamoAuditTrail,
  DynamoCapacityLedger,
  DynamoHouseholdStore,
  DynamoMonitor,
  DynamoSignalLedger,
  TABLE_LAYOUT,
} from '@vroegsignaal/adapters';
import type { PipelineEvent } from '@vroegsignaal/domain';
import { PIPELINE_DETAIL_TYPES, PIPELINE_SOURCE } from '@vroegsignaal/events';
import { createIngestHandler } from '@vroegsignaal/functions';
import { createOutcomesHandler } from '@vroegsignaal/functions';
import { createDeliverHandler } from '@vroegsignaal/functions';
import { createTeamReportHandler } from '@vroegsignaal/functions';
import { captureOutput, envelope, lambdaContext, RecordingPublisher, sqsEvent, sqsRecord } from '../functions/support.ts';
import { defaultPolicy, detail, DETAIL_TYPE, NOW, NOW_ISO, SECRET } from '../unit/domain/fixtures.ts';
import { RecordingScheduler, RecordingTeamMessenger } from '../unit/domain/in-memory-ports.ts';
import { build, defaultsWithAccounts, ofType, type PolicyStatement, type Ref, type Resources, resourcesOf } from './support.ts';

const TABLE = 'households';
const FUNCTIONS = ['ingest', 'deliver', 'team-report', 'outcomes'] as const;
type FunctionName = (typeof FUNCTIONS)[number];
interface Call {
  action: string;
  pk: string;
}

let server: ReturnType<typeof dynalite>;
let endpoint: string;
const clients: DynamoDBClient[] = [];

/** A DynamoDB client of one function, recording each call's action and partition key. */
function recordingClient(calls: Call[]): DynamoDBClient {
  const client = new DynamoDBClient({ region: 'eu-west-1', endpoint, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { Key?: Record<string, unknown>; Item?: Record<string, unknown> };
      const pk = (input.Key ?? input.Item)?.[TABLE_LAYOUT.partitionKey] as { S?: string } | string | undefined;
      calls.push({ action: `dynamodb:${String(context.commandName).replace(/Command$/, '')}`, pk: typeof pk === 'string' ? pk : String(pk?.S) });
      return next(args);
    },
    { step: 'build', name: 'recordCalls' },
  );
  clients.push(client);
  return client;
}

beforeAll(async () => {
  server = dynalite({ createTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const admin = new DynamoDBClient({ region: 'eu-west-1', endpoint, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  await createHouseholdTable(admin, TABLE);
  admin.destroy();
});

afterAll(async () => {
  for (const client of clients) client.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** The four handlers, wired as their index.ts wires them, but on dynalite and recording fakes for SQS, Scheduler and EventBridge. */
function pipeline() {
  const policy = defaultPolicy();
  const calls: Record<FunctionName, Call[]> = { ingest: [], deliver: [], 'team-report': [], outcomes: [] };
  const db = (name: FunctionName) => documentClient(recordingClient(calls[name]));
  const messenger = new RecordingTeamMessenger();
  const scheduler = new RecordingScheduler();
  const publisher = new RecordingPublisher();
  const dispatchPorts = (client: ReturnType<typeof documentClient>) => ({
    alerts: new DynamoAlertIndex(client, TABLE),
    capacity: new DynamoCapacityLedger(client, TABLE),
    audit: new DynamoAuditTrail(client, TABLE),
    messenger,
    scheduler,
  });
  const ingestDb = db('ingest');
  // Ingest's capacity count can fail (the table throttled): the alert is then left to deliver.
  const ingestCapacity = new DynamoCapacityLedger(ingestDb, TABLE);
  const capacityTrouble = { refuseNext: 0 };
  const deliverDb = db('deliver');
  const teamReportDb = db('team-report');
  const handlers = {
    ingest: createIngestHandler({
      policy: () => policy,
      households: new DynamoHouseholdStore(ingestDb, TABLE),
      ledger: new DynamoSignalLedger(ingestDb, TABLE),
      monitor: new DynamoMonitor(ingestDb, TABLE),
      ...dispatchPorts(ingestDb),
      capacity: {
        countHousehold: (...args) =>
          capacityTrouble.refuseNext-- > 0 ? Promise.reject(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' })) : ingestCapacity.countHousehold(...args),
      },
      publisher,
      householdSecret: SECRET,
      clock: () => NOW,
    }),
    deliver: createDeliverHandler({ policy: () => policy, households: new DynamoHouseholdStore(deliverDb, TABLE), ...dispatchPorts(deliverDb), clock: () => NOW }),
    'team-report': createTeamReportHandler({
      policy: () => policy,
      households: new DynamoHouseholdStore(teamReportDb, TABLE),
      alerts: new DynamoAlertIndex(teamReportDb, TABLE),
      publisher,
      clock: () => NOW,
    }),
    outcomes: createOutcomesHandler({ ledger: new DynamoSignalLedger(db('outcomes'), TABLE), clock: () => NOW }),
  };
  const run = async (name: FunctionName, ...bodies: ReturnType<typeof envelope>[]) => {
    const { result } = await captureOutput(() => handlers[name](sqsEvent(...bodies.map((b) => sqsRecord(b, `vroegsignaal-${name}`))), lambdaContext(`vroegsignaal-${name}`)));
    expect(result, name).toEqual({ batchItemFailures: [] });
  };
  /** The pipeline events of one type published since the last call for it, as the bus delivers them. */
  const seen: Partial<Record<PipelineEvent['type'], number>> = {};
  const detailType = { SignalOutcome: PIPELINE_DETAIL_TYPES.signalOutcome, DeliveryDue: PIPELINE_DETAIL_TYPES.deliveryDue, TeamReportOutcome: PIPELINE_DETAIL_TYPES.teamReportOutcome, TeamMessageSent: PIPELINE_DETAIL_TYPES.teamMessageSent, AlertAssigned: PIPELINE_DETAIL_TYPES.alertAssigned };
  const published = (type: PipelineEvent['type']) => {
    const all = publisher.published.filter((e) => e.type === type);
    const fresh = all.slice(seen[type] ?? 0);
    seen[type] = all.length;
    return fresh.map((e) => envelope(PIPELINE_SOURCE, detailType[type], e.detail));
  };
  return { calls, messenger, capacityTrouble, run, published };
}

const HOUSEHOLD_A = { postcode: '3511 AB', houseNumber: 12 };
const HOUSEHOLD_B = { postcode: '3583 XK', houseNumber: 7 };
const HOUSEHOLD_C = { postcode: '3521 CD', houseNumber: 3 };
const entry = (partner: string, kind: keyof typeof DETAIL_TYPE, fields: Record<string, unknown>) => envelope(`partner.${partner}`, DETAIL_TYPE[kind], detail(kind, fields));

describe('household table grants against the functions\' own DynamoDB calls', () => {
  let calls: Record<FunctionName, Call[]>;
  let r: Resources;

  beforeAll(async () => {
    r = resourcesOf(build({ policy: defaultsWithAccounts() }).pipeline);
    const p = pipeline();
    calls = p.calls;

    // A: a court summons (an alert to a team with a yearly capacity), picked up by the team.
    await p.run('ingest', entry('mitros', 'proceeding', { signalId: 'mit-a1', address: HOUSEHOLD_A }));
    p.published('SignalOutcome'); // first outcomes: ingest wrote them with the claims
    const [alert] = p.messenger.delivered.map((d) => d.message);
    expect(alert?.kind).toBe('alert');
    await p.run('team-report', envelope(`team.${alert!.team}`, 'AlertPickedUp', { schemaVersion: 1, alertId: alert!.alertId, at: NOW_ISO }));
    expect(p.published('TeamReportOutcome').map((e) => (e.detail as { outcome: string }).outcome)).toEqual(['accepted']);
    // The partners are told, on their claims.
    await p.run('outcomes', ...p.published('SignalOutcome'));
    // A new signal for the open case: an update (with its audit record).
    await p.run('ingest', entry('ggd', 'care', { signalId: 'ggd-a2', address: HOUSEHOLD_A }));
    p.published('SignalOutcome');
    expect(p.messenger.delivered.at(-1)?.message.kind).toBe('update');
    // Another, while the team queue fails: the update is left to deliver.
    p.messenger.refuseNext = 1;
    await p.run('ingest', entry('mitros', 'arrears', { signalId: 'mit-a3', address: HOUSEHOLD_A, arrears: { amountCents: 180_000, monthsInArrears: 2 } }));
    const deferredUpdate = p.published('DeliveryDue');
    expect(deferredUpdate).toHaveLength(1);
    await p.run('deliver', ...deferredUpdate);
    expect(p.messenger.delivered.at(-1)?.message.kind).toBe('update');

    // B: a withdrawal that arrives before its signal, the signal, and a resend of it.
    await p.run('ingest', entry('mitros', 'withdrawal', { signalId: 'mit-b-w', address: HOUSEHOLD_B, withdrawal: { signalId: 'mit-b1', reason: 'resolved' } }));
    await p.run('ingest', entry('mitros', 'arrears', { signalId: 'mit-b1', address: HOUSEHOLD_B }));
    await p.run('ingest', entry('mitros', 'arrears', { signalId: 'mit-b1', address: HOUSEHOLD_B }));
    p.published('SignalOutcome');

    // C: a court summons while the capacity count fails: the alert is left to deliver, which counts.
    p.capacityTrouble.refuseNext = 1;
    await p.run('ingest', entry('mitros', 'proceeding', { signalId: 'mit-c1', address: HOUSEHOLD_C }));
    const deferredAlert = p.published('DeliveryDue');
    expect(deferredAlert).toHaveLength(1);
    await p.run('deliver', ...deferredAlert);
    expect(p.messenger.delivered.at(-1)?.message.kind).toBe('alert');
  });

  const statementsOf = (name: FunctionName) => {
    const [, fn] = ofType(r, 'AWS::Lambda::Function').find(([, f]) => f.Properties!.FunctionName === `vroegsignaal-${name}`)!;
    const roleId = fn.Properties!.Role['Fn::GetAtt'][0];
    return ofType(r, 'AWS::IAM::Policy')
      .filter(([, p]) => p.Properties!.Roles.some((ref: Ref) => ref.Ref === roleId))
      .flatMap(([, p]) => p.Properties!.PolicyDocument.Statement as PolicyStatement[])
      .filter((s) => [s.Action].flat().some((a: string) => a.startsWith('dynamodb:')));
  };
  const matches = (pattern: string, pk: string) => (pattern.endsWith('*') ? pk.startsWith(pattern.slice(0, -1)) : pk === pattern);
  const allowedBy = (statement: PolicyStatement, call: Call) =>
    [statement.Action].flat().includes(call.action) && [statement.Condition!['ForAllValues:StringLike']['dynamodb:LeadingKeys']].flat().some((p: string) => matches(p, call.pk));

  it.each(FUNCTIONS)('%s: every call it made is allowed to its role', (name) => {
    expect(calls[name].length, name).toBeGreaterThan(0);
    const denied = calls[name].filter((call) => !statementsOf(name).some((s) => allowedBy(s, call)));
    expect(denied.map((c) => `${c.action} ${c.pk}`)).toEqual([]);
  });

  it.each(FUNCTIONS)('%s: every action and key prefix its role is granted was used', (name) => {
    const unused = statementsOf(name).flatMap((s) =>
      [s.Action].flat().flatMap((action: string) =>
        [s.Condition!['ForAllValues:StringLike']['dynamodb:LeadingKeys']].flat().flatMap((pattern: string) =>
          calls[name].some((c) => c.action === action && matches(pattern, c.pk)) ? [] : [`${action} ${pattern}`],
        ),
      ),
    );
    expect(unused).toEqual([]);
  });
});
