/**
 * The shared port tests on the in-memory engine, and what only it can show: TTL expiry
 * (dynalite does not delete expired items, so the adapters' TTL cannot be watched locally).
 */
import { describe, expect, it } from 'vitest';
import { emptyHousehold } from '@vroegsignaal/domain';
import { createMemoryEngine, MemoryAccessLog, MemoryMemberDirectory, MemoryNoticeLog, MemoryOnceGate, MemoryTeamInbox } from '@vroegsignaal/engine-memory';
import { portContract } from './port-contract.ts';

const TEAMS = ['team-a', 'team-b'] as const;

portContract('the in-memory engine', async () => {
  const engine = createMemoryEngine({ teams: TEAMS });
  return {
    ...engine,
    inbox: new MemoryTeamInbox(engine.alerts),
    accessLog: new MemoryAccessLog(),
    monitor: engine.monitor,
    members: new MemoryMemberDirectory(),
    noticeLog: new MemoryNoticeLog(),
    once: new MemoryOnceGate(),
    teams: TEAMS,
    observe: {
      laterOutcomes: async (partnerId, signalId) => engine.ledger.laterOutcomesOf(partnerId, signalId),
      partnerRecords: async (partnerId, signalId) => {
        const { resends, count } = engine.ledger.resendsOf(partnerId, signalId);
        const rejection = engine.ledger.rejectionOf(partnerId, signalId);
        return { resends, resendCount: count, ...(rejection ? { rejection } : {}) };
      },
      auditRecord: async (householdRef, deliveryId) => engine.audit.get(householdRef, deliveryId),
      teamMessages: async (team) => engine.messenger.messagesFor(team).map(({ message, deduplicationId, groupId }) => ({ message, deduplicationId, groupId })),
      published: async () => engine.publisher.published,
      fireDueChecks: async (nowMs) => engine.scheduler.fireDue(nowMs),
    },
  };
});

describe('the in-memory engine expires records as DynamoDB TTL would', () => {
  const T = Date.parse('2026-06-15T10:00:00Z');

  it('drops what expired before now, keeps what expires later or never', async () => {
    const engine = createMemoryEngine();
    const state = emptyHousehold('hh-old', { postcode: '3511AB', houseNumber: 1 }, T);
    await engine.households.put(state, 0, T - 2000);
    await engine.households.put({ ...state, ref: 'hh-open' }, 0, Number.POSITIVE_INFINITY);
    await engine.households.put({ ...state, ref: 'hh-new' }, 0, T + 2000);
    const claim = { partnerId: 'p', householdRef: 'hh-old', eventId: 'e', outcome: 'accepted' as const, reason: null };
    await engine.ledger.claim({ ...claim, signalId: 'old', expiresAtMs: T - 2000 });
    await engine.ledger.claim({ ...claim, signalId: 'new', expiresAtMs: T + 2000 });
    await engine.alerts.put({ alertId: 'al-old', householdRef: 'hh-old', team: 't', level: 'signal', sequence: 0, atMs: T, deliveryId: 'al-old', reasonCodes: [], score: 100, respondByMs: T, district: '3511', signals: [], expiresAtMs: T - 2000 });
    await engine.audit.record({ deliveryId: 'd', householdRef: 'hh-old', alertId: 'al-old', team: 't', kind: 'update', level: 'signal', reasonCodes: [], atMs: T, expiresAtMs: T - 2000 });
    await engine.capacity.countHousehold('t', 2024, 'hh-old');
    await engine.capacity.countHousehold('t', 2025, 'hh-old');

    engine.expire(T);

    expect(engine.households.peek('hh-old')).toBeUndefined();
    expect(engine.households.peek('hh-open')).toBeDefined();
    expect(engine.households.peek('hh-new')).toBeDefined();
    expect(await engine.ledger.get('p', 'old')).toBeUndefined();
    expect(await engine.ledger.get('p', 'new')).toBeDefined();
    expect(await engine.alerts.get('al-old')).toBeUndefined();
    expect(engine.audit.get('hh-old', 'd')).toBeUndefined();
    // Capacity counts are kept through the next calendar year.
    expect(await engine.capacity.countHousehold('t', 2024, 'hh-other')).toBe(1);
    expect(await engine.capacity.countHousehold('t', 2025, 'hh-other')).toBe(2);
  });

  it("drops a sent notice once its expiry passed, keeps the member's others", async () => {
    const log = new MemoryNoticeLog();
    const sent = { memberId: 'sub-207', kind: 'urgent-alert' as const, team: 't', atMs: T };
    await log.record({ ...sent, key: 'notice#old#sub-207', expiresAtMs: T - 2000 });
    await log.record({ ...sent, key: 'notice#new#sub-207', expiresAtMs: T + 2000 });

    log.expire(T);

    expect((await log.recent('sub-207', 10)).map((n) => n.key)).toEqual(['notice#new#sub-207']);
  });

  it('keeps a record through the second its expiry falls in', async () => {
    const engine = createMemoryEngine();
    await engine.households.put(emptyHousehold('hh-1', { postcode: '3511AB', houseNumber: 1 }, T), 0, T);

    engine.expire(T + 999);
    expect(engine.households.peek('hh-1')).toBeDefined();
    engine.expire(T + 1000);
    expect(engine.households.peek('hh-1')).toBeUndefined();
  });

  it('lets a withdrawal placeholder be made again once the claim expired', async () => {
    const engine = createMemoryEngine();
    await engine.ledger.claim({ partnerId: 'p', signalId: 's', householdRef: 'hh-1', eventId: 'e', outcome: 'accepted', reason: null, expiresAtMs: T });
    const withdrawal = { partnerId: 'p', signalId: 's', reason: 'resolved' as const, observedAtMs: T };
    expect(await engine.ledger.placeWithdrawal('p', 's', withdrawal, T + 60_000)).toBe(false);

    engine.expire(T + 60_000);

    expect(await engine.ledger.placeWithdrawal('p', 's', withdrawal, T + 60_000)).toBe(true);
  });
});
