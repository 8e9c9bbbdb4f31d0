/**
 * The team inbox reads without a scan (issue 15, "at most 3 DynamoDB requests a page"): a
 * team's 1,000 open alerts come from the sparse index openByTeam in one or two Query pages,
 * counted as they would be billed (request-counter.ts), on dynalite through the real adapters.
 * The alerts are written through the adapter as the pipeline writes them (the index projects
 * only an inbox row, so their lives do not weigh on the read); alerts of another team and ended
 * alerts are there too and must not be read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { createHouseholdTable, documentClient, DynamoAlertIndex, DynamoTeamInbox } from '@vroegsignaal/adapters';
import type { AlertIndexRecord, AlertLife } from '@vroegsignaal/domain';
import { byService, countRequests, startStandIns, type StandIns } from '@vroegsignaal/stand-ins';

const NOW = Date.parse('2026-06-15T10:00:00Z');
const DAY = 86_400_000;
const TEAM = 'utrecht-schuldhulp';
const OPEN = 1000;

let standIns: StandIns;

beforeAll(async () => {
  standIns = await startStandIns();
});

afterAll(async () => {
  await standIns?.stop();
});

function record(i: number, team = TEAM): Omit<AlertIndexRecord, 'life'> {
  const alertId = `al_${team}_${String(i).padStart(20, '0')}`;
  return {
    alertId,
    householdRef: `${'a'.repeat(56)}${String(i).padStart(8, '0')}`,
    team,
    level: (['signal', 'case', 'eviction-threat', 'urgent'] as const)[i % 4]!,
    sequence: 0,
    atMs: NOW - (i % 30) * DAY,
    deliveryId: alertId,
    reasonCodes: ['arrears-3m', 'domains-2', 'summons-scheduled'],
    score: 100 + (i % 380),
    respondByMs: NOW + ((i % 14) - 7) * DAY,
    district: ['binnenstad', 'oost', 'zuid', 'west'][i % 4]!,
    signals: [
      { partnerId: 'mitros', signalId: `mitros-2026-${i}` },
      { partnerId: 'eneco', signalId: `eneco-${i}-arrears` },
      { partnerId: 'ggd-regio-utrecht', signalId: `ggd-${i}` },
    ],
    expiresAtMs: NOW + 730 * DAY,
  };
}

/** A life a few reports long: picked up and tried once; then closed. */
function pickedUp(r: Omit<AlertIndexRecord, 'life'>): AlertLife {
  const by = `member-${Number(r.alertId.slice(-20)) % 7}`;
  return {
    timeline: [
      { type: 'raised', atMs: r.atMs },
      { type: 'picked-up', atMs: r.atMs + DAY, by },
      { type: 'attempt', atMs: r.atMs + 2 * DAY, by, channel: 'home-visit', partOfDay: 'afternoon', reached: false },
    ],
    status: 'picked-up',
    pickedUpAtMs: r.atMs + DAY,
    holder: by,
  };
}

function closed(r: Omit<AlertIndexRecord, 'life'>): AlertLife {
  const life = pickedUp(r);
  const closedAtMs = r.atMs + 3 * DAY;
  return { ...life, timeline: [...life.timeline, { type: 'closed', atMs: closedAtMs, result: 'resolved' }], status: 'closed', ending: 'closed', closedAtMs };
}

async function inParallel<T>(items: readonly T[], write: (item: T) => Promise<void>, width = 8): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) await write(items[next++]!);
  }));
}

describe('the team inbox on DynamoDB', () => {
  it(`reads a team's ${OPEN.toLocaleString('en')} open alerts in at most 2 requests, none of another team's and none ended`, { timeout: 120_000 }, async () => {
    // Prepare: 1,000 open alerts of the team (every tenth picked up), 20 of another team, 20 of the team ended.
    const table = 'inbox-requests';
    await createHouseholdTable(standIns.clients.dynamodb, table);
    const alerts = new DynamoAlertIndex(documentClient(standIns.clients.dynamodb), table);
    const open = Array.from({ length: OPEN }, (_, i) => record(i));
    const others = Array.from({ length: 20 }, (_, i) => record(i, 'utrecht-wijkteam-oost'));
    const ended = Array.from({ length: 20 }, (_, i) => record(OPEN + i));
    await inParallel([...open, ...others, ...ended], (r) => alerts.put(r));
    await inParallel(open.filter((_, i) => i % 10 === 1), (r) => alerts.recordLife(r.alertId, pickedUp(r)));
    await inParallel(ended, (r) => alerts.recordLife(r.alertId, closed(r)));

    // Act: read through a client of its own, every request counted.
    const reader = new DynamoDBClient(standIns.clientConfig('dynamodb'));
    const scheduler = new SchedulerClient(standIns.clientConfig('eventbridge'));
    const counts = countRequests({ ...standIns.clients, dynamodb: reader, scheduler });
    const inbox = await new DynamoTeamInbox(documentClient(reader), table).openAlerts(TEAM);
    reader.destroy();
    scheduler.destroy();

    // Assess
    expect(byService(counts).DynamoDB).toBeLessThanOrEqual(2);
    expect(Object.keys(counts)).toEqual(['DynamoDB.Query']);
    expect(inbox.map((a) => a.alertId).sort()).toEqual(open.map((r) => r.alertId).sort());
    expect(inbox.find((a) => a.alertId === open[1]!.alertId)).toMatchObject({ status: 'picked-up', holder: 'member-1', partners: ['mitros', 'eneco', 'ggd-regio-utrecht'] });
  });
});
