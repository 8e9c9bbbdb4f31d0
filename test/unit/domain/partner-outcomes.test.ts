/**
 * recordPartnerOutcome: a signal's later outcomes kept on its claim once, however often the
 * outcome is delivered; first outcomes and rejections are not its business.
 */
import { describe, expect, it } from 'vitest';
import type { SignalOutcome } from '@vroegsignaal/events';
import { recordPartnerOutcome } from '@vroegsignaal/domain';
import { MemorySignalLedger } from '@vroegsignaal/engine-memory';
import { NOW } from './fixtures.ts';

const outcome = (overrides: Partial<SignalOutcome>): SignalOutcome => ({ partnerId: 'mitros', signalId: 'mit-1', outcome: 'accepted', reason: 'stored', eventId: 'evt-1', ...overrides });

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

  it('records nothing for a first outcome, a rejection, or an outcome without a signal', async () => {
    // Prepare
    const ledger = await claimed();

    // Act
    await recordPartnerOutcome(outcome({ outcome: 'accepted' }), ledger, NOW);
    await recordPartnerOutcome(outcome({ outcome: 'rejected', reason: 'partner-quota' }), ledger, NOW);
    await recordPartnerOutcome(outcome({ outcome: 'closed', signalId: null }), ledger, NOW);

    // Assess
    expect(ledger.laterOutcomesOf('mitros', 'mit-1')).toEqual([]);
  });
});
