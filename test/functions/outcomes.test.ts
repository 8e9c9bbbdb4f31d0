/**
 * The outcomes Lambda handler on an in-memory ledger: SignalOutcome envelopes from the
 * pipeline bus in; later outcomes (withdrawn, picked-up, closed) and resends recorded on the
 * claim, rejections beside it.
 */
import { describe, expect, it } from 'vitest';
import type { SignalLedger } from '@vroegsignaal/domain';
import { PIPELINE_DETAIL_TYPES, PIPELINE_SOURCE } from '@vroegsignaal/events';
import { createOutcomesHandler } from '@vroegsignaal/functions';
import { NOW } from '../unit/domain/fixtures.ts';
import { InMemorySignalLedger } from '../unit/domain/in-memory-ports.ts';
import { captureOutput, envelope, jsonLines, lambdaContext, sqsEvent, sqsRecord } from './support.ts';

function setup(ledger: SignalLedger = new InMemorySignalLedger()) {
  const handler = createOutcomesHandler({ ledger, clock: () => NOW });
  return { invoke: (...records: ReturnType<typeof sqsRecord>[]) => handler(sqsEvent(...records), lambdaContext('vroegsignaal-outcomes')) };
}

const outcome = (partnerId: string, signalId: string, kind: string, eventId = 'evt-o') =>
  envelope(PIPELINE_SOURCE, PIPELINE_DETAIL_TYPES.signalOutcome, { partnerId, signalId, outcome: kind, reason: 'a reason', eventId });
const record = (body: Parameters<typeof sqsRecord>[0]) => sqsRecord(body, 'vroegsignaal-outcomes');

describe('outcomes handler', () => {
  it('records later outcomes on the claim with the clock time, and ignores first outcomes and other detail types', async () => {
    // Prepare
    const ledger = new InMemorySignalLedger();
    const { invoke } = setup(ledger);
    const records = [
      record(outcome('mitros', 'mit-o1', 'accepted')),
      record(outcome('mitros', 'mit-o1', 'picked-up')),
      record(outcome('ggd', 'ggd-o2', 'duplicate')),
      record(outcome('ggd', 'ggd-o2', 'withdrawn')),
      record(outcome('boex', 'boe-o3', 'rejected')),
      record(outcome('mitros', 'mit-o1', 'closed')),
      record(outcome('mitros', 'mit-o4', 'repeat')),
      record(outcome('mitros', 'mit-o5', 'below-threshold')),
      record(envelope(PIPELINE_SOURCE, PIPELINE_DETAIL_TYPES.teamReportOutcome, { teamId: 'utrecht-schuldhulp', alertId: 'al_x', outcome: 'accepted', eventId: 'e' })),
    ];

    // Act
    const { result, output } = await captureOutput(() => invoke(...records));

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    expect(ledger.laterOutcomes).toEqual([
      { partnerId: 'mitros', signalId: 'mit-o1', outcome: 'picked-up', atMs: NOW },
      { partnerId: 'ggd', signalId: 'ggd-o2', outcome: 'withdrawn', atMs: NOW },
      { partnerId: 'mitros', signalId: 'mit-o1', outcome: 'closed', atMs: NOW },
    ]);
    // Every SignalOutcome is counted by outcome (EMF metric lines on stdout).
    const counted = jsonLines(output).flatMap((l) => (typeof l.outcome === 'string' && 'SignalOutcomes' in l ? [l.outcome] : []));
    expect(counted.sort()).toEqual(['accepted', 'below-threshold', 'closed', 'duplicate', 'picked-up', 'rejected', 'repeat', 'withdrawn']);
  });

  it("keeps a resend's duplicate on its claim and a rejection beside it, with the clock time and the rejection's rule", async () => {
    // Prepare
    const ledger = new InMemorySignalLedger();
    await ledger.claim({ partnerId: 'mitros', signalId: 'mit-o7', householdRef: 'hh-1', eventId: 'evt-first', outcome: 'accepted', reason: 'stored', expiresAtMs: NOW + 1e9 });
    const { invoke } = setup(ledger);
    const rejection = { partnerId: 'mitros', signalId: 'mit-o8', outcome: 'rejected', reason: 'partner "mitros" is not registered for municipality GM0363', eventId: 'evt-r' };

    // Act
    const { result } = await captureOutput(() => invoke(record(outcome('mitros', 'mit-o7', 'duplicate', 'evt-again')), record(envelope(PIPELINE_SOURCE, PIPELINE_DETAIL_TYPES.signalOutcome, rejection))));

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    expect(ledger.resendsOf('mitros', 'mit-o7').resends).toEqual([{ eventId: 'evt-again', atMs: NOW }]);
    expect(ledger.rejectionOf('mitros', 'mit-o8')).toEqual({ partnerId: 'mitros', signalId: 'mit-o8', eventId: 'evt-r', rule: 'municipality', reason: rejection.reason, atMs: NOW });
    expect(await ledger.get('mitros', 'mit-o8')).toBeUndefined();
  });

  it('does not record a later outcome without partner or signal id (an entry too broken to have one)', async () => {
    // Prepare
    const ledger = new InMemorySignalLedger();
    const { invoke } = setup(ledger);
    const broken = envelope(PIPELINE_SOURCE, PIPELINE_DETAIL_TYPES.signalOutcome, { partnerId: null, signalId: null, outcome: 'withdrawn', reason: 'x', eventId: 'e' });

    // Act
    const { result } = await captureOutput(() => invoke(record(broken), record(outcome('mitros', 'mit-o6', 'picked-up'))));

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    expect(ledger.laterOutcomes.map((o) => o.signalId)).toEqual(['mit-o6']);
  });

  it('fails only the records that are not JSON, not an envelope or not a SignalOutcome, or whose ledger write throws', async () => {
    // Prepare
    const inner = new InMemorySignalLedger();
    const ledger: SignalLedger = {
      claim: (c) => inner.claim(c),
      get: (p, s) => inner.get(p, s),
      recordFirstOutcome: (c) => inner.recordFirstOutcome(c),
      placeWithdrawal: (p, s, w, e) => inner.placeWithdrawal(p, s, w, e),
      recordLaterOutcome: (p, s, o, at) => (s === 'mit-throws' ? Promise.reject(new Error('ThrottlingException')) : inner.recordLaterOutcome(p, s, o, at)),
      recordResend: (p, s, r) => inner.recordResend(p, s, r),
      recordRejection: (r) => inner.recordRejection(r),
    };
    const { invoke } = setup(ledger);
    const notJson = record('picked-up');
    const notEnvelope = record(JSON.stringify({ 'detail-type': 'SignalOutcome', detail: { partnerId: 'mitros', signalId: 'x', outcome: 'closed' } }));
    const badOutcome = record(outcome('mitros', 'mit-bad', 'lost-in-the-mail'));
    const throwing = record(outcome('mitros', 'mit-throws', 'closed'));
    const good = record(outcome('ggd', 'ggd-good', 'closed'));

    // Act
    const { result } = await captureOutput(() => invoke(notJson, notEnvelope, badOutcome, throwing, good));

    // Assess
    expect(result.batchItemFailures).toEqual([notJson, notEnvelope, badOutcome, throwing].map((r) => ({ itemIdentifier: r.messageId })));
    expect(inner.laterOutcomes).toEqual([{ partnerId: 'ggd', signalId: 'ggd-good', outcome: 'closed', atMs: NOW }]);
  });
});
