/**
 * Counting must not scan the table (issue 16): a municipality's month is read from the sparse
 * month index byMonth, its cost in requests and read units following the size of that month,
 * never the table's. Measured on dynalite through the real adapters with the request counter;
 * the other municipality's and the other month's records are there and must not be read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createHouseholdTable, documentClient, DynamoAlertIndex, DynamoHouseholdStore, DynamoMonitor } from '@vroegsignaal/adapters';
import { emptyHousehold, type AlertIndexRecord, type AlertLife, type JudgedEntryRecord } from '@vroegsignaal/domain';
import { byService, countCapacity, countRequests, startStandIns, type StandIns } from '@vroegsignaal/stand-ins';

const NOVEMBER = Date.parse('2026-11-02T09:00:00Z');
const OCTOBER = Date.parse('2026-10-02T09:00:00Z');
const HOUR = 3_600_000;
const EXPIRES = Date.parse('2028-12-01T00:00:00Z');
const UTRECHT = 'GM0344';
const AMSTERDAM = 'GM0363';

let standIns: StandIns;

beforeAll(async () => {
  standIns = await startStandIns();
});

afterAll(async () => {
  await standIns?.stop();
});

const ref = (i: number) => `${'b'.repeat(56)}${String(i).padStart(8, '0')}`;

function judged(i: number, municipalityCode: string, fromMs: number): JudgedEntryRecord {
  return {
    eventId: `${municipalityCode}-${fromMs}-${i}`,
    municipalityCode,
    partnerId: ['mitros', 'eneco', 'ggd-regio-utrecht'][i % 3]!,
    detailType: ['RentArrearsReported', 'UtilityArrearsReported', 'CareSignalReported'][i % 3]!,
    outcome: i % 5 === 0 ? 'duplicate' : 'accepted',
    householdRef: ref(i),
    atMs: fromMs + i * HOUR,
    expiresAtMs: EXPIRES,
  };
}

function alert(i: number, municipalityCode: string, fromMs: number): Omit<AlertIndexRecord, 'life'> {
  const alertId = `al_${municipalityCode}_${fromMs}_${i}`;
  return {
    alertId,
    householdRef: ref(i),
    team: 'utrecht-schuldhulp',
    level: 'signal',
    sequence: 0,
    atMs: fromMs + i * HOUR,
    deliveryId: alertId,
    reasonCodes: ['arrears-2m'],
    score: 130,
    respondByMs: fromMs + i * HOUR + 5 * 24 * HOUR,
    district: 'binnenstad',
    municipalityCode,
    signals: [{ partnerId: 'mitros', signalId: `mit-${i}` }],
    expiresAtMs: EXPIRES,
  };
}

const pickedUp = (r: Omit<AlertIndexRecord, 'life'>): AlertLife => ({
  timeline: [
    { type: 'raised', atMs: r.atMs },
    { type: 'picked-up', atMs: r.atMs + HOUR, by: 'sh-207' },
  ],
  status: 'picked-up',
  pickedUpAtMs: r.atMs + HOUR,
  holder: 'sh-207',
});

async function inParallel<T>(items: readonly T[], write: (item: T) => Promise<void>, width = 8): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) await write(items[next++]!);
  }));
}

/** Reads through a client of its own, every request and read unit counted. */
async function counted<T>(read: (monitor: DynamoMonitor) => Promise<T>, table: string) {
  // Clients of its own for every service, so that a request to any of them would be counted.
  const clients = {
    dynamodb: new DynamoDBClient(standIns.clientConfig('dynamodb')),
    sqs: new SQSClient(standIns.clientConfig('sqs')),
    eventBridge: new EventBridgeClient(standIns.clientConfig('eventbridge')),
    scheduler: new SchedulerClient(standIns.clientConfig('eventbridge')),
  };
  const requests = countRequests(clients);
  const units = countCapacity(clients);
  try {
    return { result: await read(new DynamoMonitor(documentClient(clients.dynamodb), table)), requests, units };
  } finally {
    for (const client of Object.values(clients)) client.destroy();
  }
}

describe("the municipality's monitor on DynamoDB", () => {
  it('reads a month with queries on the month index only, its read units growing with the month and not with the rest of the table', { timeout: 60_000 }, async () => {
    // Prepare: Utrecht's November small (40 entries, 10 alerts), its October five times as large; Amsterdam's November as large again.
    const table = 'monitor-requests';
    await createHouseholdTable(standIns.clients.dynamodb, table);
    const db = documentClient(standIns.clients.dynamodb);
    const monitor = new DynamoMonitor(db, table);
    const alerts = new DynamoAlertIndex(db, table);
    const entries = [
      ...Array.from({ length: 40 }, (_, i) => judged(i, UTRECHT, NOVEMBER)),
      ...Array.from({ length: 200 }, (_, i) => judged(i, UTRECHT, OCTOBER)),
      ...Array.from({ length: 200 }, (_, i) => judged(i, AMSTERDAM, NOVEMBER)),
    ];
    const raised = [...Array.from({ length: 10 }, (_, i) => alert(i, UTRECHT, NOVEMBER)), ...Array.from({ length: 50 }, (_, i) => alert(i, UTRECHT, OCTOBER)), ...Array.from({ length: 50 }, (_, i) => alert(i, AMSTERDAM, NOVEMBER))];
    await inParallel(entries, (e) => monitor.record(e));
    await inParallel(raised, (r) => alerts.put(r));
    await inParallel(raised, (r) => alerts.recordLife(r.alertId, pickedUp(r)));

    // Act
    const november = await counted(async (m) => ({ entries: await m.entriesJudged(UTRECHT, '2026-11'), alerts: await m.alertsRaised(UTRECHT, '2026-11') }), table);
    const october = await counted(async (m) => ({ entries: await m.entriesJudged(UTRECHT, '2026-10'), alerts: await m.alertsRaised(UTRECHT, '2026-10') }), table);

    // Assess: one query per kind of record, never a scan; what was read is the month's.
    for (const read of [november, october]) {
      expect(read.requests).toEqual({ 'DynamoDB.Query': 2 });
    }
    expect(november.result.entries).toHaveLength(40);
    expect(november.result.alerts).toHaveLength(10);
    expect(november.result.alerts[0]!.life).toEqual(pickedUp(raised[0]!));
    expect(october.result.entries).toHaveLength(200);
    expect(october.result.alerts).toHaveLength(50);
    // Five times the records, about five times the read units (each query rounds up to whole 4 KB units).
    expect(november.units.read).toBeGreaterThan(0);
    expect(october.units.read / november.units.read).toBeGreaterThan(3);
    expect(october.units.read / november.units.read).toBeLessThan(7);
  });

  it('gives the households of 250 refs in three BatchGetItem requests of at most 100 keys, without a scan', { timeout: 60_000 }, async () => {
    // Prepare
    const table = 'monitor-households';
    await createHouseholdTable(standIns.clients.dynamodb, table);
    const households = new DynamoHouseholdStore(documentClient(standIns.clients.dynamodb), table);
    const refs = Array.from({ length: 250 }, (_, i) => ref(i));
    await inParallel(refs, async (r) => {
      await households.put(emptyHousehold(r, { postcode: '3511AB', houseNumber: 1 }, NOVEMBER), 0, EXPIRES);
    });

    // Act
    const read = await counted((m) => m.households([...refs, ref(9999)]), table);

    // Assess
    expect(byService(read.requests)).toEqual({ DynamoDB: 3 });
    expect(read.requests).toEqual({ 'DynamoDB.BatchGetItem': 3 });
    expect(read.result.map((h) => h.ref).sort()).toEqual(refs);
  });
});
