/**
 * recordPartnerOutcome: what a partner was told, kept once however often the outcome is
 * delivered: later outcomes and resends on the claim, rejections beside it; first outcomes
 * are ingest's.
 */
import { describe, expect, it } from 'vitest';
import type { SignalOutcome } from '@vroegsignaal/events';
import { recordPartnerOutcome, REJECTION_KEPT_DAYS } from '@vroegsignaal/domain';
import { MemorySignalLedger } from '@vroegsignaal/engine-memory';
import { NOW } from './fixtures.ts';

const outcome = (overrides: Partial<SignalOutcome>): SignalOutcome => ({ partnerId: 'mitros', signalId: 'mit-1', outcome: 'accepted', reason: 'stored', eventId: 'evt-1', ...overrides });
const DAY = 24 * 60 * 60 * 1000;

async function claimed(): Promise<MemorySignalLedger> {
  const ledger = new MemorySignalLedger();
  await ledger.claim({ partnerId: 'mitros', signalId: 'mit-1', householdRef: 'hh-1', eventId: 'evt-1', outcome: 'accepted', reason: 'stored', expiresAtMs: NOW + 1e9 });
  return ledger;
}

describe('recordPartnerOutcome', () => {
  it('keeps withdrawn once, and picked-up and closed once per team report', async () => {
    // Prepare
    const ledger = await claimed();

    // Act: each delivered twice, as at-least-once delivery may.
    for (const delivery of [1, 2]) {
      await recordPartnerOutcome(outcome({ outcome: 'withdrawn', eventId: `evt-w${delivery}` }), ledger, NOW);
      await recordPartnerOutcome(outcome({ outcome: 'picked-up', eventId: 'report-1' }), ledger, NOW);
      await recordPartnerOutcome(outcome({ outcome: 'closed', eventId: 'report-2' }), ledger, NOW);
    }

    // Assess
    expect(ledger.laterOutcomesOf('mitros', 'mit-1').map((o) => o.outcome)).toEqual(['withdrawn', 'picked-up', 'closed']);
  });

  it("keeps a resend's duplicate on the claim once per bus event, with the time it was told", async () => {
    // Prepare
    const ledger = await claimed();

    // Act: the resend's outcome delivered twice, and the claiming event's own outcome again.
    await recordPartnerOutcome(outcome({ outcome: 'duplicate', reason: 'this partner sent this signalId before', eventId: 'evt-2' }), ledger, NOW + 1000);
    await recordPartnerOutcome(outcome({ outcome: 'duplicate', reason: 'this partner sent this signalId before', eventId: 'evt-2' }), ledger, NOW + 2000);
    await recordPartnerOutcome(outcome({ outcome: 'accepted', eventId: 'evt-1' }), ledger, NOW + 3000);

    // Assess
    expect(ledger.resendsOf('mitros', 'mit-1')).toEqual({ resends: [{ eventId: 'evt-2', atMs: NOW + 1000 }], count: 1 });
    expect(await ledger.get('mitros', 'mit-1')).toMatchObject({ eventId: 'evt-1', outcome: 'accepted' });
  });

  it('keeps a rejection with its rule and reason for a month, and the same signalId can still be claimed', async () => {
    // Prepare
    const ledger = new MemorySignalLedger();
    const reason = 'postcode area 1012 lies in GM0363, not in GM0344';

    // Act
    await recordPartnerOutcome(outcome({ outcome: 'rejected', reason, eventId: 'evt-r' }), ledger, NOW);

    // Assess
    expect(ledger.rejectionOf('mitros', 'mit-1')).toEqual({ partnerId: 'mitros', signalId: 'mit-1', eventId: 'evt-r', rule: 'postcode-area', reason, atMs: NOW });
    ledger.expire(NOW + REJECTION_KEPT_DAYS * DAY - 1000);
    expect(ledger.rejectionOf('mitros', 'mit-1')).toBeDefined();
    ledger.expire(NOW + REJECTION_KEPT_DAYS * DAY + 2000);
    expect(ledger.rejectionOf('mitros', 'mit-1')).toBeUndefined();
    expect(await ledger.claim({ partnerId: 'mitros', signalId: 'mit-1', householdRef: 'hh-1', eventId: 'evt-2', outcome: 'accepted', reason: 'stored', expiresAtMs: NOW + 1e9 })).toEqual({
      claimed: true,
    });
  });

  it('records nothing for a first outcome, nor for an outcome without a partner or signal', async () => {
    // Prepare
    const ledger = await claimed();

    // Act
    await recordPartnerOutcome(outcome({ outcome: 'accepted' }), ledger, NOW);
    await recordPartnerOutcome(outcome({ outcome: 'below-threshold', eventId: 'evt-9' }), ledger, NOW);
    await recordPartnerOutcome(outcome({ outcome: 'closed', signalId: null }), ledger, NOW);
    await recordPartnerOutcome(outcome({ outcome: 'rejected', reason: 'source must be "partner.<partnerId>"', partnerId: null }), ledger, NOW);
    await recordPartnerOutcome(outcome({ outcome: 'duplicate', eventId: null }), ledger, NOW);

    // Assess
    expect(ledger.laterOutcomesOf('mitros', 'mit-1')).toEqual([]);
    expect(ledger.resendsOf('mitros', 'mit-1')).toEqual({ resends: [], count: 0 });
    expect(ledger.rejections.size).toBe(0);
  });
});
