/**
 * What a partner is told (signals-v1.md, section 3): applySignal / applyWithdrawal outcomes,
 * and takeIn's rejections of entries that break the contract or the partner registry.
 */
import { describe, expect, it } from 'vitest';
import { compilePolicy } from '@vroegsignaal/policy';
import { applySignal, applyWithdrawal, assessHousehold, emptyHousehold, normaliseAddress, PARTNER_QUOTA_REASON, rejectionRuleOf, takeIn, viewHousehold, type BusEntry, type HouseholdState, type Intake, type StoredSignal } from '@vroegsignaal/domain';
import { startOfAmsterdamDay } from '@vroegsignaal/calendar';
import {
  arrears,
  care,
  CODES,
  DAY,
  daysAgo,
  defaultPolicy,
  defaultPolicyData,
  detail,
  DETAIL_TYPE,
  household,
  NOW,
  nuisance,
  proceeding,
  UTRECHT_ADDRESS,
  withdrawal,
} from './fixtures.ts';

const policy = defaultPolicy();
const apply = (state: HouseholdState, signal: StoredSignal, nowMs = NOW) => applySignal(state, { signal, address: UTRECHT_ADDRESS }, policy, nowMs);
const empty = () => household([]);

describe('applySignal: first outcomes', () => {
  it('calls a second signal with the same partner and signalId a duplicate and keeps the state as it was', () => {
    // Prepare
    const first = nuisance('noise', 'medium', { signalId: 'pol-1' });
    const state = household([first]);

    // Act
    const result = apply(state, nuisance('drugs', 'high', { signalId: 'pol-1' }));

    // Assess
    expect(result.outcome.outcome).toBe('duplicate');
    expect(result.state).toBe(state);
    expect(result.laterOutcomes).toEqual([]);
  });

  it('does not call the same signalId from another partner a duplicate', () => {
    // Prepare
    const state = household([nuisance('noise', 'medium', { signalId: 'x-1', partnerId: 'politie' })]);

    // Act
    const result = apply(state, care(['mentalHealth'], { signalId: 'x-1', partnerId: 'ggd' }));

    // Assess
    expect(result.outcome.outcome).toBe('accepted');
    expect(result.state.signals).toHaveLength(2);
  });

  it('calls rent arrears no higher in months and amount than the partner’s current ones a repeat, and stores it', () => {
    // Prepare
    const current = arrears({ monthsInArrears: 2, amountCents: 180_000 }, { at: daysAgo(20) });
    const state = household([current]);
    const same = arrears({ monthsInArrears: 2, amountCents: 180_000 }, { at: daysAgo(1) });
    const lower = arrears({ monthsInArrears: 1.5, amountCents: 120_000 }, { at: daysAgo(1) });

    // Act
    const sameResult = apply(state, same);
    const lowerResult = apply(state, lower);

    // Assess
    expect(sameResult.outcome.outcome).toBe('repeat');
    expect(lowerResult.outcome.outcome).toBe('repeat');
    expect(lowerResult.outcome.reason).toContain('stored as the current arrears');
    expect(lowerResult.state.signals).toHaveLength(2);
    expect(lowerResult.state.signalVersion).toBe(state.signalVersion + 1);
    // Newer, so it becomes current.
    expect(viewHousehold(lowerResult.state, policy.settings, NOW).currentArrears.map((s) => s.signalId)).toEqual([lower.signalId]);
  });

  it.each([
    ['more months', { monthsInArrears: 3, amountCents: 180_000 }],
    ['a higher amount', { monthsInArrears: 2, amountCents: 190_000 }],
  ])('does not call rent arrears with %s a repeat', (_name, figures) => {
    // Prepare
    const state = household([arrears({ monthsInArrears: 2, amountCents: 180_000 }, { at: daysAgo(20) })]);

    // Act / Assess
    expect(apply(state, arrears(figures)).outcome.outcome).toBe('accepted');
  });

  it('does not compare against another partner’s arrears', () => {
    // Prepare
    const state = household([arrears({ monthsInArrears: 3, amountCents: 300_000 }, { partnerId: 'boex' })]);

    // Act / Assess
    expect(apply(state, arrears({ monthsInArrears: 1, amountCents: 90_000 })).outcome.outcome).toBe('accepted');
  });

  it('calls rent arrears under the municipality’s threshold below-threshold, stores it, and counts it towards a case', () => {
    // Prepare
    const state = household([nuisance('noise', 'low', { partnerId: 'politie' })]);

    // Act
    const result = apply(state, arrears({ monthsInArrears: 0.5, amountCents: 40_000 }));

    // Assess
    expect(result.outcome.outcome).toBe('below-threshold');
    expect(result.outcome.reason).toMatch(/threshold of 1 month\(s\) and EUR 75\.00/);
    expect(result.state.signals).toHaveLength(2);
    expect(assessHousehold(viewHousehold(result.state, policy.settings, NOW), policy).level).toBe('case');
  });

  it('applies the Amsterdam threshold of 2 months to an Amsterdam signal', () => {
    // Act
    const result = apply(empty(), arrears({ monthsInArrears: 1.5, amountCents: 150_000 }, { municipalityCode: CODES.amsterdam, partnerId: 'ymere' }));

    // Assess
    expect(result.outcome.outcome).toBe('below-threshold');
    expect(result.outcome.reason).toContain('2 month(s)');
  });

  it('lets repeat win over below-threshold (the first outcome in the table wins)', () => {
    // Prepare
    const state = household([arrears({ monthsInArrears: 0.8, amountCents: 60_000 }, { at: daysAgo(10) })]);

    // Act / Assess
    expect(apply(state, arrears({ monthsInArrears: 0.5, amountCents: 40_000 })).outcome.outcome).toBe('repeat');
  });

  it('accepts anything else that was stored', () => {
    // Act
    const result = apply(empty(), care(['mentalHealth']));

    // Assess
    expect(result.outcome).toEqual({ outcome: 'accepted', reason: 'stored' });
    expect(result.state.signals).toHaveLength(1);
    expect(result.state.signalVersion).toBe(1);
  });

  it('accepts a signal older than the lookback, stored but not live', () => {
    // Prepare: 200 days old.
    const old = nuisance('noise', 'high', { at: daysAgo(200) });

    // Act
    const result = apply(empty(), old);

    // Assess
    expect(result.outcome.outcome).toBe('accepted');
    expect(result.outcome.reason).toContain('older than the lookback');
    expect(result.state.signals.map((s) => s.signalId)).toEqual([old.signalId]);
    expect(viewHousehold(result.state, policy.settings, NOW).live).toEqual([]);
  });

  it('accepts an old proceeding update as live: proceedings live 12 months after their stageDate', () => {
    // Act
    const result = apply(empty(), proceeding('verdict', '2025-12-01'));

    // Assess
    expect(result.outcome).toEqual({ outcome: 'accepted', reason: 'stored' });
  });

  it('says below-threshold rather than accepted for an old arrears signal under the threshold', () => {
    expect(apply(empty(), arrears({ monthsInArrears: 0.5 }, { at: daysAgo(200) })).outcome.outcome).toBe('below-threshold');
  });

  it('keeps each partner\'s newest contact details, by observedAt, and never replaces another partner\'s', () => {
    // Prepare
    const newer = applySignal(empty(), { signal: nuisance('noise', 'low', { at: daysAgo(1) }), address: UTRECHT_ADDRESS, contact: { name: 'Nieuw' } }, policy, NOW).state;

    // Act
    const older = applySignal(newer, { signal: nuisance('noise', 'low', { at: daysAgo(30) }), address: UTRECHT_ADDRESS, contact: { name: 'Oud' } }, policy, NOW).state;
    const other = applySignal(older, { signal: care(['debt'], { at: daysAgo(0.5) }), address: UTRECHT_ADDRESS, contact: { phone: '0612345678' } }, policy, NOW).state;

    // Assess
    expect(older.contacts?.map((c) => [c.partnerId, c.name])).toEqual([['politie', 'Nieuw']]);
    expect(other.contacts?.map((c) => [c.partnerId, c.name ?? c.phone])).toEqual([['politie', 'Nieuw'], ['ggd', '0612345678']]);
  });
});

describe('applyWithdrawal', () => {
  it('withdraws a stored signal: outcome withdrawn, a later outcome for the signal, and it is no longer live', () => {
    // Prepare
    const signal = arrears({ monthsInArrears: 2 });
    const state = household([signal]);

    // Act
    const result = applyWithdrawal(state, withdrawal(signal), policy, NOW);

    // Assess
    expect(result.outcome.outcome).toBe('withdrawn');
    expect(result.laterOutcomes).toEqual([{ partnerId: signal.partnerId, signalId: signal.signalId, outcome: 'withdrawn', reason: 'withdrawn by the partner (resolved)' }]);
    expect(result.state.signalVersion).toBe(state.signalVersion + 1);
    expect(viewHousehold(result.state, policy.settings, NOW).live).toEqual([]);
  });

  it('changes nothing and tells nothing new for the same withdrawal twice', () => {
    // Prepare
    const signal = arrears();
    const once = applyWithdrawal(household([signal]), withdrawal(signal), policy, NOW).state;

    // Act
    const twice = applyWithdrawal(once, withdrawal(signal), policy, NOW);

    // Assess
    expect(twice.state).toBe(once);
    expect(twice.outcome.outcome).toBe('withdrawn');
    expect(twice.laterOutcomes).toEqual([]);
  });

  it('withdraws a signal that arrives after its withdrawal: it arrives withdrawn, with a later outcome', () => {
    // Prepare
    const signal = arrears({ monthsInArrears: 3, amountCents: 270_000 }, { signalId: 'late-1' });
    const early = applyWithdrawal(empty(), withdrawal(signal), policy, NOW);

    // Act
    const arrived = apply(early.state, signal);

    // Assess
    expect(early.outcome.outcome).toBe('withdrawn');
    expect(early.outcome.reason).toContain('will be withdrawn when it arrives');
    expect(early.laterOutcomes).toEqual([]);
    expect(arrived.outcome.outcome).toBe('accepted');
    expect(arrived.laterOutcomes).toMatchObject([{ partnerId: 'mitros', signalId: 'late-1', outcome: 'withdrawn' }]);
    const view = viewHousehold(arrived.state, policy.settings, NOW);
    expect(view.live).toEqual([]);
    expect(assessHousehold(view, policy).level).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------
// takeIn

const PRIVATE = {
  postcode: '3511 ZQ',
  houseNumber: 97531,
  name: 'Jansen-Zwartbroek',
  phone: '+31 6 12345678',
  email: 'j.jansen@voorbeeld.nl',
};
const privateFields = {
  address: { postcode: PRIVATE.postcode, houseNumber: PRIVATE.houseNumber, houseLetter: 'q' },
  contact: { name: PRIVATE.name, phone: PRIVATE.phone, email: PRIVATE.email },
};

function entry(kind: keyof typeof DETAIL_TYPE, overrides: Record<string, unknown> = {}, source = 'partner.mitros'): BusEntry {
  return { source, 'detail-type': DETAIL_TYPE[kind], detail: detail(kind, { ...privateFields, ...overrides }) };
}

function rejected(intake: Intake): Extract<Intake, { kind: 'rejected' }> {
  if (intake.kind !== 'rejected') throw new Error(`expected a rejection, got ${intake.kind}`);
  return intake;
}

describe('takeIn: accepted entries', () => {
  it('turns a valid rent-arrears entry into a stored signal with a normalised address, without reminderSentAt', () => {
    // Prepare
    const e = entry('arrears', { signalId: 'mit-77', arrears: { amountCents: 95_000, monthsInArrears: 1, reminderSentAt: '2026-06-01', paymentArrangement: false }, household: { minors: 1 } });

    // Act
    const intake = takeIn(e, policy, NOW);

    // Assess
    expect(intake.kind).toBe('signal');
    if (intake.kind !== 'signal') return;
    expect(intake.address).toEqual({ postcode: '3511ZQ', houseNumber: 97531, houseLetter: 'Q' });
    expect(intake.contact).toEqual(privateFields.contact);
    expect(intake.signal).toMatchObject({
      partnerId: 'mitros',
      signalId: 'mit-77',
      type: 'RentArrearsReported',
      observedAtMs: Date.parse('2026-06-10T09:00:00+02:00'),
      municipalityCode: CODES.utrecht,
      minors: 1,
      arrears: { amountCents: 95_000, monthsInArrears: 1, paymentArrangement: false },
    });
    expect(intake.signal.arrears).not.toHaveProperty('reminderSentAt');
  });

  it('dates a proceeding stage at the start of its day in Europe/Amsterdam', () => {
    // Act
    const intake = takeIn(entry('proceeding', { proceeding: { stage: 'scheduled', stageDate: '2026-06-01', scheduledFor: '2026-07-01', ground: 'arrears' } }), policy, NOW);

    // Assess
    if (intake.kind !== 'signal') throw new Error(intake.kind);
    expect(intake.signal.proceeding).toMatchObject({
      stage: 'scheduled',
      stageDateMs: startOfAmsterdamDay('2026-06-01').getTime(),
      scheduledForMs: Date.parse('2026-07-01T00:00:00+02:00'),
    });
  });

  it('turns a SignalWithdrawn entry into a withdrawal of the partner’s own signal', () => {
    // Act
    const intake = takeIn(entry('withdrawal', { signalId: 'w-1', withdrawal: { signalId: 'mit-77', reason: 'paymentArrangement' } }), policy, NOW);

    // Assess
    expect(intake).toMatchObject({ kind: 'withdrawal', partnerId: 'mitros', signalId: 'w-1', withdrawal: { partnerId: 'mitros', signalId: 'mit-77', reason: 'paymentArrangement' } });
  });

  it('lets police and care partners report in any municipality, also one without a policy', () => {
    expect(takeIn(entry('nuisance', { municipalityCode: CODES.unknown, address: { postcode: '3701 AA', houseNumber: 3 } }, 'partner.politie'), policy, NOW).kind).toBe('signal');
  });
});

describe('takeIn: rejections', () => {
  const cases: [string, BusEntry, string][] = [
    ['a source without the partner prefix', entry('arrears', {}, 'mitros'), 'source'],
    ['a team source', entry('arrears', {}, 'team.utrecht-schuldhulp'), 'source'],
    ['a malformed partner id', entry('arrears', {}, 'partner.Mitros_NL'), 'source'],
    ['a source that is not a string', { ...entry('arrears'), source: 42 }, 'source'],
    ['an unregistered partner', entry('arrears', {}, 'partner.woonbron'), 'unregistered-partner'],
    ['a detail over 64 KiB', entry('arrears', { contact: { name: PRIVATE.name.repeat(4_000) } }), 'size'],
    ['an unknown detail type', { ...entry('arrears'), 'detail-type': 'RentArrearsReportedV2' }, 'contract'],
    ['a missing amount', entry('arrears', { arrears: { monthsInArrears: 1 } }), 'contract'],
    ['an invalid postcode', entry('arrears', { address: { postcode: '0511 ZQ', houseNumber: PRIVATE.houseNumber } }), 'contract'],
    ['an unknown field', entry('arrears', { note: PRIVATE.name }), 'contract'],
    ['an invalid email shape (too long)', entry('arrears', { contact: { email: `${'x'.repeat(250)}@voorbeeld.nl` } }), 'contract'],
    ['observedAt 6 minutes ahead', entry('arrears', { observedAt: '2026-06-15T10:06:00+02:00' }), 'observed-at'],
    ['observedAt 401 days ago', entry('arrears', { observedAt: new Date(NOW - 401 * DAY).toISOString() }), 'observed-at'],
    ['a municipality the partner is not registered for', entry('arrears', { municipalityCode: CODES.amsterdam }), 'municipality'],
  ];

  it.each(cases)('rejects %s', (_name, e, rule) => {
    // Act
    const intake = rejected(takeIn(e, policy, NOW));

    // Assess
    expect(intake.rule).toBe(rule);
    expect(intake.reason.length).toBeGreaterThan(0);
  });

  it.each<[string, BusEntry, string]>([
    ...cases,
    ['an address in another municipality', entry('arrears', { address: { postcode: '1012 AB', houseNumber: 1 } }), 'postcode-area'],
  ])('reads the rule back from the reason of %s, as the outcomes stage keeps it', (_name, e, rule) => {
    // Act
    const intake = rejected(takeIn(e, policy, NOW));

    // Assess
    expect(intake.rule).toBe(rule);
    expect(rejectionRuleOf(intake.reason)).toBe(rule);
  });

  it("reads the account and partner-quota rules back from their reasons, and calls anything else the contract's", () => {
    const data = defaultPolicyData();
    const withAccount = compilePolicy({ ...data, partners: data.partners.map((p) => (p.id === 'mitros' ? { ...p, accountId: '123456789012' } : p)) });
    expect(rejectionRuleOf(rejected(takeIn(entry('arrears'), withAccount, NOW)).reason)).toBe('account');
    expect(rejectionRuleOf(PARTNER_QUOTA_REASON)).toBe('partner-quota');
    expect(rejectionRuleOf('address.postcode: expected a Dutch postcode like "1234 AB"')).toBe('contract');
  });

  it.each(cases)('never puts an address or contact value in the reason when rejecting %s', (_name, e) => {
    // Act
    const { reason } = rejected(takeIn(e, policy, NOW));

    // Assess
    for (const value of [PRIVATE.postcode, '3511ZQ', '0511', String(PRIVATE.houseNumber), PRIVATE.name, 'Jansen', PRIVATE.phone, '12345678', PRIVATE.email, 'voorbeeld']) {
      expect(reason).not.toContain(value);
    }
  });

  it.each([
    ['ASCII', 'x', 1],
    ['two-byte UTF-8', 'é', 2],
    ['escaped', '\n', 2],
  ])('measures the detail in bytes of its JSON, up to exactly 64 KiB (%s text)', (_name, unit, bytesPerUnit) => {
    // Prepare: an unknown field fills the detail up to the limit, so that within it the contract rejects it.
    const withNote = (units: number) => entry('arrears', { note: unit.repeat(units) });
    const bytesOf = (e: BusEntry) => Buffer.byteLength(JSON.stringify(e.detail));
    const unitsAtLimit = Math.floor((64 * 1024 - bytesOf(withNote(0))) / bytesPerUnit);
    expect(bytesOf(withNote(unitsAtLimit))).toBeGreaterThan(64 * 1024 - bytesPerUnit);

    // Act and assess
    expect(rejected(takeIn(withNote(unitsAtLimit), policy, NOW)).rule).toBe('contract');
    expect(rejected(takeIn(withNote(unitsAtLimit + 1), policy, NOW)).rule).toBe('size');
  });

  it('accepts observedAt up to 5 minutes ahead and up to 400 days old', () => {
    expect(takeIn(entry('arrears', { observedAt: '2026-06-15T10:05:00+02:00' }), policy, NOW).kind).toBe('signal');
    expect(takeIn(entry('arrears', { observedAt: new Date(NOW - 400 * DAY).toISOString() }), policy, NOW).kind).toBe('signal');
  });

  it('names the partner and signalId of a rejected entry when it has them', () => {
    // Act
    const intake = rejected(takeIn(entry('arrears', { signalId: 'mit-9', municipalityCode: CODES.amsterdam }), policy, NOW));

    // Assess
    expect(intake.partnerId).toBe('mitros');
    expect(intake.signalId).toBe('mit-9');
    expect(rejected(takeIn(entry('arrears', { signalId: 'mit-9' }, 'nonsense'), policy, NOW)).partnerId).toBeNull();
  });

  describe('with a partner registered to an AWS account', () => {
    const data = defaultPolicyData();
    const withAccount = compilePolicy({ ...data, partners: data.partners.map((p) => (p.id === 'mitros' ? { ...p, accountId: '123456789012' } : p)) });

    it.each([
      ['another account', '999999999999'],
      ['no account', undefined],
    ])('rejects an entry from %s', (_name, account) => {
      // Act
      const intake = rejected(takeIn({ ...entry('arrears'), ...(account ? { account } : {}) }, withAccount, NOW));

      // Assess
      expect(intake.rule).toBe('account');
      expect(intake.reason).not.toContain('999999999999');
    });

    it('accepts an entry from the registered account', () => {
      expect(takeIn({ ...entry('arrears'), account: '123456789012' }, withAccount, NOW).kind).toBe('signal');
    });
  });
});

describe('emptyHousehold', () => {
  it('starts with no signals, alerts or versions', () => {
    const state = emptyHousehold('r'.repeat(64), normaliseAddress({ postcode: '3511AB', houseNumber: 1 }), NOW);
    expect(state).toMatchObject({ signals: [], withdrawals: [], alerts: [], signalVersion: 0, version: 0, createdAtMs: NOW });
  });
});
