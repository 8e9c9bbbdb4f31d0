/**
 * What only the notices' DynamoDB adapters show, beyond the shared port contract: where their
 * items lie in the household table (no address in any key), how the once-gate keeps its
 * records and lets a run that died in progress be taken over; and NoticingTeamMessenger, the
 * team queue that tells notify what went on it.
 */
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHouseholdTable, documentClient, itemKeys, NOTICE_ONCE_PARTITION, noticePorts, NoticingTeamMessenger, PowertoolsOnceGate } from '@vroegsignaal/adapters';
import { noticeTriggerOf, type EventPublisher, type MemberRecord } from '@vroegsignaal/domain';
import { MemoryEventPublisher, MemoryTeamMessenger } from '@vroegsignaal/engine-memory';
import type { TeamMessage } from '@vroegsignaal/events';

const NOW = Date.parse('2026-12-09T08:00:00Z');
const WEEK_SECONDS = 7 * 24 * 3600;

let server: ReturnType<typeof dynalite>;
let client: DynamoDBClient;
let tables = 0;

beforeAll(async () => {
  server = dynalite({ createTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  client = new DynamoDBClient({ region: 'eu-west-1', endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
});

afterAll(async () => {
  client?.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

afterEach(() => {
  vi.useRealTimers();
});

async function table() {
  const name = `households-${++tables}`;
  await createHouseholdTable(client, name);
  const db = documentClient(client);
  return { name, db, items: async () => (await db.send(new ScanCommand({ TableName: name }))).Items ?? [] };
}

const member: MemberRecord = {
  memberId: 'sub-207',
  email: 'sh207@utrecht.example',
  locale: 'nl',
  teams: ['utrecht-schuldhulp'],
  coordinatorOf: [],
  optedIn: true,
  kinds: {},
  mail: 'active',
  updatedAtMs: NOW,
};

describe('the notices in the household table', () => {
  it('keys members, defaults and sent notices by ids and codes: the address is an attribute of the member only', async () => {
    const { name, db, items } = await table();
    const { members, noticeLog, once } = noticePorts(db, name);
    await members.put(member);
    await members.putDefaults({ team: 'utrecht-schuldhulp', kinds: { 'urgent-alert': true, assigned: true, overdue: true, escalation: true, digest: true }, digestTime: '08:30', setBy: 'sub-1', updatedAtMs: NOW });
    await noticeLog.record({ memberId: 'sub-207', key: 'notice#al-1#sub-207', kind: 'urgent-alert', team: 'utrecht-schuldhulp', alertId: 'al-1', level: 'urgent', atMs: NOW, expiresAtMs: NOW + 90 * 86_400_000 });
    await once.once('notice#al-1#sub-207', async () => {});

    const stored = await items();

    expect(stored.map(({ pk, sk }) => ({ pk, sk })).filter(({ pk }) => pk !== NOTICE_ONCE_PARTITION)).toEqual(
      expect.arrayContaining([itemKeys.member('sub-207'), itemKeys.teamNoticeDefaults('utrecht-schuldhulp'), itemKeys.sentNotice('sub-207', 'notice#al-1#sub-207')]),
    );
    expect(stored).toHaveLength(4);
    for (const { pk, sk } of stored) expect(`${pk} ${sk}`).not.toContain('@');
    expect(stored.filter((item) => JSON.stringify(item).includes('sh207@utrecht.example'))).toEqual([{ ...itemKeys.member('sub-207'), ...member }]);
    expect(stored.find((item) => item.pk === 'NOTICES#sub-207')?.expiresAt).toBe(Math.ceil((NOW + 90 * 86_400_000) / 1000));
  });
});

describe('PowertoolsOnceGate', () => {
  it('keeps a completed key in its own partition, hashed, for a week', async () => {
    const { name, db, items } = await table();
    const before = Math.floor(Date.now() / 1000);

    await new PowertoolsOnceGate(db, name).once('notice#al-1#sub-207', async () => {});

    const [record, ...more] = await items();
    expect(more).toEqual([]);
    expect(record).toMatchObject({ pk: NOTICE_ONCE_PARTITION, status: 'COMPLETED' });
    expect(record!.sk).toMatch(/^notify#/);
    expect(record!.sk).not.toContain('al-1');
    expect(record!.expiresAt).toBeGreaterThanOrEqual(before + WEEK_SECONDS);
    expect(record!.expiresAt).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + WEEK_SECONDS);
  });

  it('is one gate across functions: another gate on the same table skips a key completed through the first', async () => {
    const { name, db } = await table();
    await new PowertoolsOnceGate(db, name).once('digest#sub-207#2026-12-09#08:30', async () => {});

    let ran = 0;
    const again = await new PowertoolsOnceGate(db, name).once('digest#sub-207#2026-12-09#08:30', async () => {
      ran++;
    });

    expect(again).toBe(false);
    expect(ran).toBe(0);
  });

  it('lets another run take over a key whose run died in progress, once its in-progress window has passed', async () => {
    const { name, db } = await table();
    const gate = new PowertoolsOnceGate(db, name, { inProgressMs: 30_000 });
    vi.useFakeTimers({ toFake: ['Date'], now: NOW });
    // A run that never ends: the Lambda that ran it timed out.
    void gate.once('notice#al-1#sub-207', () => new Promise<void>(() => {}));
    await vi.waitFor(async () => expect(await gate.once('notice#al-1#sub-207', async () => {}).catch((error: Error) => error.name)).toBe('IdempotencyAlreadyInProgressError'));

    vi.setSystemTime(NOW + 31_000);
    let ran = 0;
    const takenOver = await gate.once('notice#al-1#sub-207', async () => {
      ran++;
    });

    expect(takenOver).toBe(true);
    expect(ran).toBe(1);
  });
});

describe('NoticingTeamMessenger', () => {
  const alert = (level: TeamMessage['level']) => ({ kind: 'alert', level, alertId: 'al-1', team: 'utrecht-regieteam' }) as unknown as TeamMessage;
  const update = { kind: 'update', level: 'urgent', alertId: 'al-1', team: 'utrecht-regieteam' } as unknown as TeamMessage;

  function wired(publisher: EventPublisher = new MemoryEventPublisher()) {
    const queues = new MemoryTeamMessenger({ teams: ['utrecht-regieteam'] });
    return { queues, publisher, messenger: new NoticingTeamMessenger(queues, publisher, () => NOW) };
  }

  it('puts the message on its queue, then publishes the TeamMessageSent the domain makes of it', async () => {
    const { queues, publisher, messenger } = wired();

    await messenger.send('utrecht-regieteam', alert('urgent'), 'al-1', 'hh-1');

    expect(queues.messagesFor('utrecht-regieteam').map((m) => m.deduplicationId)).toEqual(['al-1']);
    const sent = noticeTriggerOf('utrecht-regieteam', alert('urgent'), 'al-1', NOW);
    expect(sent).toBeDefined();
    expect((publisher as MemoryEventPublisher).published).toEqual([{ type: 'TeamMessageSent', detail: sent }]);
  });

  it('publishes nothing for a message no member is mailed about at once (an update, a lower level)', async () => {
    const { queues, publisher, messenger } = wired();

    await messenger.send('utrecht-regieteam', alert('signal'), 'al-2', 'hh-2');
    await messenger.send('utrecht-regieteam', update, 'al-1#update#1', 'hh-1');

    expect(queues.messagesFor('utrecht-regieteam')).toHaveLength(2);
    expect((publisher as MemoryEventPublisher).published).toEqual([]);
  });

  it('publishes nothing when the send failed, and fails the send when the publish failed', async () => {
    const { publisher, messenger } = wired();
    await expect(messenger.send('no-such-team', alert('urgent'), 'al-1', 'hh-1')).rejects.toThrow();
    expect((publisher as MemoryEventPublisher).published).toEqual([]);

    const busAway = wired({ publish: async () => Promise.reject(new Error('the bus is away')) });
    await expect(busAway.messenger.send('utrecht-regieteam', alert('eviction-threat'), 'al-3', 'hh-3')).rejects.toThrow('the bus is away');
    // The message is on the queue: a retry of the delivery finds it deduplicated and publishes again.
    expect(busAway.queues.messagesFor('utrecht-regieteam')).toHaveLength(1);
  });
});
