/**
 * Contract v1.1, intake: no partner can divert, block or outlive another partner's household.
 * The use cases on in-memory ports (the same semantics as the adapters), so that thousands of
 * hostile entries run in a unit test.
 */
import { describe, expect, it } from 'vitest';
import { ALERT_RETENTION_MONTHS, applySignal, applyWithdrawal, handleTeamReport, HOUSEHOLD_BUDGET_BYTES, householdBytes, householdExpiresAtMs, householdRef, ingestEntry, MAX_SIGNALS_PER_PARTNER, normaliseAddress, takeIn, type BusEntry, type IngestResult } from '@vroegsignaal/domain';
import { addCalendarMonthsMs } from '@vroegsignaal/calendar';
import { arrears, CODES, DAY, defaultPolicy, detail, DETAIL_TYPE, household, NOW, nuisance, SECRET, withdrawal } from './fixtures.ts';
import { inMemoryPorts } from './in-memory-ports.ts';

const policy = defaultPolicy();
type Entry = BusEntry & { id: string };
let eventCounter = 0;
function partnerEntry(kind: keyof typeof DETAIL_TYPE, overrides: Record<string, unknown>, partner: string): Entry {
  return { id: `evt-${++eventCounter}`, source: `partner.${partner}`, 'detail-type': DETAIL_TYPE[kind], detail: detail(kind, overrides) };
}
const firstOutcome = (result: IngestResult) => result.events.find((e) => e.type === 'SignalOutcome')!.detail as { outcome: string; reason: string };

const AMSTERDAM = { postcode: '1012 AB', houseNumber: 5 };
const UTRECHT = { postcode: '3511 AB', houseNumber: 12 };

describe('the address decides the municipality', () => {
  it('rejects a signal whose postcode area lies in another policy municipality, naming the area and both codes', () => {
    // Act
    const intake = takeIn(
      { source: 'partner.politie', 'detail-type': 'NuisanceReported', detail: detail('nuisance', { municipalityCode: CODES.utrecht, address: AMSTERDAM }) },
      policy,
      NOW,
    );

    // Assess
    expect(intake).toMatchObject({ kind: 'rejected', rule: 'postcode-area', reason: 'postcode area 1012 lies in GM0363, not in GM0344' });
  });

  it('keeps the code the partner sent for an area outside every policy municipality', () => {
    // Act
    const intake = takeIn(
      { source: 'partner.politie', 'detail-type': 'NuisanceReported', detail: detail('nuisance', { municipalityCode: CODES.unknown, address: { postcode: '3701 AA', houseNumber: 1 } }) },
      policy,
      NOW,
    );

    // Assess
    expect(intake).toMatchObject({ kind: 'signal', municipalityCode: CODES.unknown });
  });
});

describe('logs carry no partner free text', () => {
  it('tells a signalId outside the contract\'s alphabet back as null, so it is never logged', () => {
    // Act
    const freeText = takeIn({ source: 'partner.mitros', 'detail-type': 'RentArrearsReported', detail: detail('arrears', { signalId: 'Jan de Vries, Oudegracht 12' }) }, policy, NOW);
    const wellFormed = takeIn({ source: 'partner.mitros', 'detail-type': 'RentArrearsReported', detail: detail('arrears', { signalId: 'MIT-2026/11:0042_a.b' }) }, policy, NOW);

    // Assess
    expect(freeText).toMatchObject({ kind: 'rejected', signalId: null, rule: 'contract' });
    expect(JSON.stringify(freeText)).not.toContain('Vries');
    expect(wellFormed).toMatchObject({ kind: 'signal', signalId: 'MIT-2026/11:0042_a.b' });
  });
});

describe('no partner can crowd out a household', () => {
  it('5,000 entries from one partner for one address, then another partner\'s arrears and summons: both stored, scored and alerted', async () => {
    // Prepare
    const ports = inMemoryPorts();
    const ingest = (entry: Entry, nowMs = NOW) => ingestEntry(entry, { policy, ...ports, householdSecret: SECRET, nowMs });
    const ref = householdRef(normaliseAddress(UTRECHT), SECRET);
    const outcomes = new Map<string, number>();

    // Act: the police flood the dwelling with low nuisance signals, each a new signalId.
    for (let i = 0; i < 5_000; i++) {
      const observedAt = new Date(NOW - DAY + i * 1000).toISOString();
      const result = await ingest(partnerEntry('nuisance', { signalId: `flood-${i}`, observedAt, address: UTRECHT, nuisance: { category: 'noise', severity: 'low' } }, 'politie'));
      const { outcome } = firstOutcome(result);
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    }
    const arrearsResult = await ingest(partnerEntry('arrears', { signalId: 'mitros-arrears', address: UTRECHT, arrears: { amountCents: 190_000, monthsInArrears: 2 } }, 'mitros'));
    const summonsResult = await ingest(partnerEntry('proceeding', { signalId: 'mitros-summons', address: UTRECHT }, 'mitros'));

    // Assess
    expect(outcomes.get('accepted')).toBe(MAX_SIGNALS_PER_PARTNER);
    expect(outcomes.get('rejected')).toBe(5_000 - MAX_SIGNALS_PER_PARTNER);
    const rejected = await ingest(partnerEntry('nuisance', { signalId: 'flood-again', address: UTRECHT, nuisance: { category: 'noise', severity: 'low' } }, 'politie'));
    expect(firstOutcome(rejected).reason).toBe('too many live signals from this partner for this household');
    expect(rejected.rejectionRule).toBe('partner-quota');
    expect(firstOutcome(arrearsResult).outcome).toBe('accepted');
    expect(firstOutcome(summonsResult).outcome).toBe('accepted');
    const stored = ports.households.peek(ref)!;
    expect(stored.signals.filter((s) => s.partnerId === 'politie')).toHaveLength(MAX_SIGNALS_PER_PARTNER);
    expect(stored.signals.map((s) => s.signalId)).toEqual(expect.arrayContaining(['mitros-arrears', 'mitros-summons']));
    expect(householdBytes(stored)).toBeLessThan(HOUSEHOLD_BUDGET_BYTES);
    expect(summonsResult.sent).toMatchObject([{ kind: 'alert', team: 'utrecht-voorkom-huisuitzetting', level: 'eviction-threat' }]);
    // A rejected flood entry was not remembered: the same signalId is not a duplicate later.
    expect(ports.ledger.claims.size).toBe(MAX_SIGNALS_PER_PARTNER + 2);
  });

  it('makes room by dropping the partner\'s signals that are no longer live, oldest first', () => {
    // Prepare: 50 police signals, the 10 oldest past the 6-month lookback.
    const old = Array.from({ length: 10 }, (_, i) => nuisance('noise', 'low', { at: NOW - (200 + i) * DAY }));
    const live = Array.from({ length: MAX_SIGNALS_PER_PARTNER - 10 }, (_, i) => nuisance('noise', 'low', { at: NOW - (i + 1) * 60_000 }));
    const state = household([...old, ...live]);
    const incoming = nuisance('noise', 'low', { at: NOW - 1000 });

    // Act
    const result = applySignal(state, { signal: incoming, address: state.address }, policy, NOW);

    // Assess: the oldest went (209 days), the newest of the old ones stayed.
    expect(result.outcome.outcome).toBe('accepted');
    expect(result.state.signals).toHaveLength(MAX_SIGNALS_PER_PARTNER);
    expect(result.state.signals).not.toContain(old[9]);
    expect(result.state.signals).toContain(old[0]);
  });

  it('keeps a partner\'s loose withdrawals (of signals it does not hold) to its share, newest first', () => {
    // Prepare
    let state = household([arrears()]);

    // Act: 120 withdrawals of signals the household never held.
    for (let i = 0; i < 120; i++) state = applyWithdrawal(state, withdrawal({ partnerId: 'politie', signalId: `ghost-${i}` }, NOW - (120 - i) * 1000), policy, NOW).state;

    // Assess
    expect(state.withdrawals).toHaveLength(50);
    expect(state.withdrawals.map((w) => w.signalId)).toContain('ghost-119');
    expect(state.withdrawals.map((w) => w.signalId)).not.toContain('ghost-69');
  });

  it('keeps the record within its byte budget when many partners fill their shares, sparing the newest signal and proceedings', () => {
    // Prepare: fifteen partners, each with 50 live signals carrying 128-character ids.
    const partners = Array.from({ length: 15 }, (_, p) => `partner-${p}`);
    const signals = partners.flatMap((partnerId, p) =>
      Array.from({ length: MAX_SIGNALS_PER_PARTNER }, (_, i) => nuisance('noise', 'low', { partnerId, signalId: `${p}-${i}-`.padEnd(128, 'x'), at: NOW - (p * 100 + i + 1) * 60_000 })),
    );
    const state = household(signals);
    const summons = { ...arrears({}, { partnerId: 'ymere-test', at: NOW - 1000 }) };

    // Act
    const result = applySignal(state, { signal: summons, address: state.address }, policy, NOW);

    // Assess
    expect(householdBytes(state)).toBeGreaterThan(HOUSEHOLD_BUDGET_BYTES);
    expect(householdBytes(result.state)).toBeLessThanOrEqual(HOUSEHOLD_BUDGET_BYTES);
    expect(result.state.signals).toContain(summons);
  });
});

describe('no entry outlives the documented retention', () => {
  it('clamps the household\'s expiry to ALERT_RETENTION_MONTHS after the write, whatever dates the record holds', () => {
    // Prepare: a proceeding dated far in the future cannot pass intake, but the store must not trust that.
    const state = household([arrears({}, { at: NOW + 10_000 * 365 * DAY })]);

    // Act / Assess
    const latest = addCalendarMonthsMs(NOW, ALERT_RETENTION_MONTHS);
    expect(householdExpiresAtMs(state, policy, NOW)).toBe(latest);
    expect(householdExpiresAtMs(household([arrears()]), policy, NOW)).toBeLessThan(latest);
  });
});

describe('team reports', () => {
  it('refuses a report dated before its alert was raised (beyond the 5-minute skew)', async () => {
    // Prepare
    const ports = inMemoryPorts();
    const ingested = await ingestEntry(partnerEntry('arrears', { address: UTRECHT, arrears: { amountCents: 190_000, monthsInArrears: 2 } }, 'mitros'), { policy, ...ports, householdSecret: SECRET, nowMs: NOW });
    const alertId = ingested.sent[0]!.alertId;
    const report = (at: string) =>
      handleTeamReport(
        { id: `evt-${++eventCounter}`, source: 'team.utrecht-schuldhulp', 'detail-type': 'AlertPickedUp', detail: { schemaVersion: 1, alertId, at } },
        { policy, households: ports.households, alerts: ports.alerts, nowMs: NOW + DAY },
      );

    // Act
    const early = await report(new Date(NOW - 6 * 60_000).toISOString());
    const withinSkew = await report(new Date(NOW - 4 * 60_000).toISOString());

    // Assess
    expect(early).toMatchObject({ outcome: 'rejected', rejection: 'before-alert' });
    expect(early.events[0]!.detail).toMatchObject({ reason: '"at" is before the alert was raised' });
    expect(withinSkew.outcome).toBe('accepted');
  });
});
