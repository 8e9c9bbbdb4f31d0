/**
 * The household's state and its escalation level (municipalities.md, "The household's state"
 * and "Escalation levels"), on hand-built states and the shipped default policy.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LEVELS, type Domain } from '@vroegsignaal/policy';
import { assessHousehold, domainsOf, levelRank, viewHousehold, type HouseholdState, type StoredSignal } from '@vroegsignaal/domain';
import { arrears, care, CODES, daysAgo, defaultPolicy, household, NOW, nuisance, proceeding, withdrawal } from './fixtures.ts';

const policy = defaultPolicy();
const view = (state: HouseholdState, nowMs = NOW) => viewHousehold(state, policy.settings, nowMs);
const assess = (signals: StoredSignal[], extra: Partial<HouseholdState> = {}) => assessHousehold(view(household(signals, extra)), policy);
const codes = (signals: StoredSignal[]) => assess(signals).reasons.map((r) => r.code);

describe('viewHousehold: which signals are live', () => {
  it('keeps a signal live for 6 calendar months after its observedAt, not a day longer', () => {
    // Prepare: now is 2026-06-15T10:00+02:00; six calendar months back is 2025-12-15T10:00+01:00.
    const expired = arrears({}, { at: '2025-12-15T10:00:00+01:00' });
    const lastMinute = arrears({}, { at: '2025-12-15T10:01:00+01:00', partnerId: 'boex' });
    // 181 days old: past 180 days, but within 6 calendar months.
    const calendarNotDays = nuisance('noise', 'low', { at: '2025-12-16T10:00:00+01:00' });

    // Act
    const live = view(household([expired, lastMinute, calendarNotDays])).live;

    // Assess
    expect(live.map((s) => s.signalId).sort()).toEqual([lastMinute.signalId, calendarNotDays.signalId].sort());
  });

  it('does not count a withdrawn signal, whatever its age', () => {
    // Prepare
    const withdrawn = arrears({ monthsInArrears: 3 });
    const kept = nuisance();

    // Act
    const v = view(household([withdrawn, kept], { withdrawals: [withdrawal(withdrawn)] }));

    // Assess
    expect(v.live.map((s) => s.signalId)).toEqual([kept.signalId]);
    expect(v.currentArrears).toEqual([]);
    expect(v.domains).toEqual(new Set(['housing']));
  });

  it('lists live signals newest first and routes by the municipality of the latest one', () => {
    // Prepare
    const older = care(['debt'], { at: daysAgo(20), municipalityCode: CODES.amersfoort });
    const newer = nuisance('noise', 'low', { at: daysAgo(2), municipalityCode: CODES.utrecht });

    // Act
    const v = view(household([newer, older]));

    // Assess
    expect(v.live.map((s) => s.signalId)).toEqual([newer.signalId, older.signalId]);
    expect(v.municipalityCode).toBe(CODES.utrecht);
    expect(v.partners).toEqual(['ggd', 'politie']);
  });
});

describe('viewHousehold: current arrears', () => {
  it("takes each partner's latest rent-arrears signal by observedAt, never by arrival order", () => {
    // Prepare: mitros' newest report arrived first; boex has one of its own.
    const newest = arrears({ monthsInArrears: 1, amountCents: 80_000 }, { at: daysAgo(1) });
    const oldest = arrears({ monthsInArrears: 3, amountCents: 240_000 }, { at: daysAgo(40) });
    const boex = arrears({ monthsInArrears: 2, amountCents: 150_000 }, { at: daysAgo(10), partnerId: 'boex' });

    // Act
    const current = view(household([newest, oldest, boex])).currentArrears;

    // Assess
    expect(current.map((s) => s.signalId).sort()).toEqual([newest.signalId, boex.signalId].sort());
  });

  it('breaks a tie on observedAt by the higher signalId (string order)', () => {
    // Prepare
    const at = daysAgo(3);
    const a = arrears({ monthsInArrears: 4 }, { at, signalId: 'inv-2026-09' });
    const b = arrears({ monthsInArrears: 1 }, { at, signalId: 'inv-2026-10' });

    // Act
    const forward = view(household([a, b])).currentArrears;
    const backward = view(household([b, a])).currentArrears;

    // Assess: "inv-2026-10" > "inv-2026-09" as strings.
    expect(forward.map((s) => s.signalId)).toEqual(['inv-2026-10']);
    expect(backward.map((s) => s.signalId)).toEqual(['inv-2026-10']);
  });

  it('falls back to the previous report when the latest is withdrawn', () => {
    // Prepare
    const previous = arrears({ monthsInArrears: 2 }, { at: daysAgo(30) });
    const latest = arrears({ monthsInArrears: 1 }, { at: daysAgo(1) });

    // Act
    const current = view(household([previous, latest], { withdrawals: [withdrawal(latest)] })).currentArrears;

    // Assess
    expect(current.map((s) => s.signalId)).toEqual([previous.signalId]);
  });
});

describe('viewHousehold: eviction proceedings', () => {
  it('takes the stage with the latest stageDate as current, whatever the arrival order', () => {
    // Prepare
    const verdict = proceeding('verdict', '2026-05-20');
    const summons = proceeding('summons', '2026-03-01');
    const filed = proceeding('filed', '2026-04-02');

    // Act
    const [p] = view(household([verdict, summons, filed])).proceedings;

    // Assess
    expect(p?.current.proceeding.stage).toBe('verdict');
    expect(p?.updates.map((u) => u.proceeding!.stage)).toEqual(['summons', 'filed', 'verdict']);
    expect(p?.live).toBe(true);
  });

  it('on the same stageDate takes the later stage in the order summons, filed, verdict, scheduled, executed', () => {
    // Prepare: the stage order wins even against a higher signalId.
    const filed = proceeding('filed', '2026-05-01', { signalId: 'z-last' });
    const verdict = proceeding('verdict', '2026-05-01', { signalId: 'a-first' });

    // Act
    const [p] = view(household([verdict, filed])).proceedings;

    // Assess
    expect(p?.current.signalId).toBe('a-first');
    expect(p?.current.proceeding.stage).toBe('verdict');
  });

  it('stays live 12 months after its latest stageDate, even though its signals are older than the lookback', () => {
    // Prepare: stage dates more than 6 months ago.
    const stillLive = proceeding('verdict', '2025-06-16');
    const lapsed = proceeding('verdict', '2025-06-15', { partnerId: 'boex' });

    // Act
    const v = view(household([stillLive, lapsed]));

    // Assess
    const byPartner = Object.fromEntries(v.proceedings.map((p) => [p.partnerId, p.live]));
    expect(byPartner).toEqual({ mitros: true, boex: false });
    expect(v.live.map((s) => s.signalId)).toEqual([stillLive.signalId]);
    expect(assessHousehold(v, policy).level).toBe('eviction-threat');
  });

  it.each(['executed', 'withdrawn'] as const)('ends at stage %s', (stage) => {
    // Prepare
    const signals = [proceeding('summons', '2026-03-01'), proceeding('verdict', '2026-04-01'), proceeding(stage, '2026-05-01')];

    // Act
    const v = view(household(signals));

    // Assess
    expect(v.proceedings).toHaveLength(1);
    expect(v.proceedings[0]?.live).toBe(false);
    expect(v.live).toEqual([]);
    expect(assessHousehold(v, policy).level).toBeNull();
  });

  it.each([
    ['executed', 'verdict'],
    ['withdrawn', 'verdict'],
    ['executed', 'summons'],
    ['withdrawn', 'summons'],
  ] as const)('ends at stage %s reported on the same stageDate as a %s', (stage, other) => {
    // Prepare: the ending stage has the lower signalId, and arrives first.
    const signals = [proceeding(stage, '2026-05-01', { signalId: 'a' }), proceeding(other, '2026-05-01', { signalId: 'b' })];

    // Act
    const [p] = view(household(signals)).proceedings;

    // Assess
    expect(p?.current.proceeding.stage).toBe(stage);
    expect(p?.live).toBe(false);
  });

  it('starts a new, live proceeding with any threatening stage dated after the end; an ending stage after the end changes nothing', () => {
    // Prepare
    const ended = [proceeding('summons', '2026-01-05'), proceeding('withdrawn', '2026-02-01')];
    const laterVerdict = proceeding('verdict', '2026-03-01');
    const laterExecuted = proceeding('executed', '2026-03-01');

    // Act
    const afterVerdict = view(household([...ended, laterVerdict]));
    const afterExecuted = view(household([...ended, laterExecuted]));

    // Assess
    expect(afterVerdict.proceedings).toHaveLength(1);
    expect(afterVerdict.proceedings[0]?.live).toBe(true);
    expect(afterVerdict.proceedings[0]?.updates.map((u) => u.signalId)).toEqual([laterVerdict.signalId]);
    expect(assessHousehold(afterVerdict, policy).level).toBe('eviction-threat');
    expect(afterExecuted.proceedings[0]?.live).toBe(false);
  });

  it.each(['summons', 'filed', 'verdict', 'scheduled'] as const)('takes a %s dated after an executed eviction as a new threat', (stage) => {
    // Act
    const v = view(household([proceeding('verdict', '2026-01-05'), proceeding('executed', '2026-02-01'), proceeding(stage, '2026-05-01', stage === 'scheduled' ? { scheduledFor: '2026-09-01' } : {})]));

    // Assess
    expect(v.proceedings[0]?.live).toBe(true);
  });
});

describe('viewHousehold: minors and domains', () => {
  it('takes minors from the latest signal that carries it, even when that says 0', () => {
    // Prepare
    const older = care(['youth'], { at: daysAgo(30), minors: 2 });
    const latestWithMinors = nuisance('noise', 'low', { at: daysAgo(10), minors: 0 });
    const newestWithout = arrears({}, { at: daysAgo(1) });

    // Act
    const v = view(household([older, latestWithMinors, newestWithout]));

    // Assess
    expect(v.minors).toBe(0);
  });

  it('has no minors when no live signal carries it', () => {
    expect(view(household([arrears(), nuisance()])).minors).toBeUndefined();
  });

  it.each<[string, StoredSignal, Domain[]]>([
    ['rent arrears', arrears(), ['finance']],
    ['nuisance noise', nuisance('noise'), ['housing']],
    ['nuisance neglect', nuisance('neglect'), ['housing']],
    ['nuisance pollution', nuisance('pollution'), ['housing']],
    ['nuisance hoarding', nuisance('hoarding'), ['housing']],
    ['nuisance other', nuisance('other'), ['housing']],
    ['nuisance threat', nuisance('threat'), ['safety']],
    ['nuisance drugs', nuisance('drugs'), ['safety']],
    ['a proceeding', proceeding('summons', '2026-06-01'), ['housing']],
    ['care debt', care(['debt']), ['finance']],
    ['care income', care(['income']), ['finance']],
    ['care mentalHealth', care(['mentalHealth']), ['health']],
    ['care addiction', care(['addiction']), ['health']],
    ['care health', care(['health']), ['health']],
    ['care domesticViolence', care(['domesticViolence']), ['safety']],
    ['care safety', care(['safety']), ['safety']],
    ['care youth', care(['youth']), ['youth']],
    ['care debt + income + youth', care(['debt', 'income', 'youth']), ['finance', 'youth']],
  ])('maps %s to %j', (_name, signal, expected) => {
    expect(domainsOf(signal).sort()).toEqual([...expected].sort());
  });
});

describe('assessHousehold: levels', () => {
  it('raises a signal at 1 month and EUR 75 of rent arrears', () => {
    expect(assess([arrears({ monthsInArrears: 1, amountCents: 7_500 })]).level).toBe('signal');
  });

  it.each([
    ['under 1 month', { monthsInArrears: 0.9, amountCents: 90_000 }],
    ['under EUR 75', { monthsInArrears: 1, amountCents: 7_499 }],
  ])('raises nothing for rent arrears alone %s', (_name, figures) => {
    // Act
    const assessment = assess([arrears(figures)]);

    // Assess
    expect(assessment.level).toBeNull();
    expect(assessment.reasons.map((r) => r.code)).toEqual(['arrears-below-threshold']);
  });

  it('needs 2 months in Amsterdam (Vroeg Eropaf)', () => {
    // Prepare
    const inAmsterdam = { municipalityCode: CODES.amsterdam, partnerId: 'ymere' };

    // Act / Assess
    expect(assess([arrears({ monthsInArrears: 1.9, amountCents: 180_000 }, inAmsterdam)]).level).toBeNull();
    expect(assess([arrears({ monthsInArrears: 2, amountCents: 180_000 }, inAmsterdam)]).level).toBe('signal');
  });

  it.each([['debt'], ['income']] as const)('raises a signal for a care signal about %s on its own', (domain) => {
    // Act
    const assessment = assess([care([domain])]);

    // Assess
    expect(assessment.level).toBe('signal');
    expect(assessment.reasons.map((r) => r.code)).toContain(`care-${domain}`);
  });

  it('raises nothing for a nuisance signal on its own that is not high', () => {
    expect(assess([nuisance('noise', 'medium')]).level).toBeNull();
    expect(assess([care(['mentalHealth'])]).level).toBeNull();
  });

  it('raises a case for live signals in 2 life domains from one partner', () => {
    // Act
    const assessment = assess([care(['mentalHealth', 'youth'])]);

    // Assess
    expect(assessment.level).toBe('case');
    expect(assessment.reasons.map((r) => r.code)).toContain('domains-2');
  });

  it('raises a case for live signals from 2 partners in one domain', () => {
    // Act
    const assessment = assess([nuisance('noise', 'low', { partnerId: 'politie' }), nuisance('neglect', 'low', { partnerId: 'mitros' })]);

    // Assess
    expect(assessment.level).toBe('case');
    expect(assessment.reasons.map((r) => r.code)).toContain('partners-2');
  });

  it('counts a below-threshold arrears signal towards a case', () => {
    expect(assess([arrears({ monthsInArrears: 0.5 }), nuisance('noise', 'low', { partnerId: 'mitros' })]).level).toBe('case');
  });

  it('raises a case for a live high-severity nuisance signal on its own', () => {
    // Act
    const assessment = assess([nuisance('threat', 'high')]);

    // Assess
    expect(assessment.level).toBe('case');
    expect(assessment.reasons.map((r) => r.code)).toContain('nuisance-high');
  });

  it.each(['summons', 'filed', 'verdict'] as const)('raises an eviction-threat for a live proceeding at %s', (stage) => {
    // Act
    const assessment = assess([proceeding(stage, '2026-06-01')]);

    // Assess
    expect(assessment.level).toBe('eviction-threat');
    expect(assessment.reasons.map((r) => r.code)).toContain(`proceeding-${stage}`);
  });

  it('raises urgent for an eviction scheduled within 8 weeks, and only an eviction-threat after that', () => {
    // Prepare: now + 56 days = 2026-08-10T10:00+02:00.
    const soon = proceeding('scheduled', '2026-06-01', { scheduledFor: '2026-08-10' });
    const later = proceeding('scheduled', '2026-06-01', { scheduledFor: '2026-08-11' });

    // Act
    const urgent = assess([soon]);
    const notYet = assess([later]);

    // Assess
    expect(urgent.level).toBe('urgent');
    expect(urgent.reasons.map((r) => r.code)).toEqual(expect.arrayContaining(['proceeding-scheduled', 'eviction-scheduled-soon']));
    expect(notYet.level).toBe('eviction-threat');
  });

  it('raises urgent for a live signal marked crisis, but not once it is out of the lookback', () => {
    expect(assess([nuisance('noise', 'low', { crisis: true })]).level).toBe('urgent');
    expect(assess([nuisance('noise', 'low', { crisis: true, at: daysAgo(200) })]).level).toBeNull();
  });

  it('raises urgent for an eviction-threat in a household with minors, not with 0 minors', () => {
    // Act
    const withChildren = assess([proceeding('summons', '2026-06-01', { minors: 2 })]);
    const without = assess([proceeding('summons', '2026-06-01', { minors: 0 })]);

    // Assess
    expect(withChildren.level).toBe('urgent');
    expect(withChildren.reasons.map((r) => r.code)).toContain('minors');
    expect(without.level).toBe('eviction-threat');
  });

  it('does not make a case urgent because of minors', () => {
    expect(assess([care(['mentalHealth', 'youth'], { minors: 3 })]).level).toBe('case');
  });
});

describe('assessHousehold: score and reasons', () => {
  it('names the whole months in the arrears reason code', () => {
    expect(codes([arrears({ monthsInArrears: 2.5, amountCents: 200_000 })])).toContain('arrears-2m');
    expect(codes([arrears({ monthsInArrears: 1, amountCents: 90_000 })])).toContain('arrears-1m');
  });

  it('scores 100 per level plus an intensity below 100', () => {
    // Prepare: 2 domains (finance, housing), 1 partner, 2 months, no minors, no crisis.
    const signals = [arrears({ monthsInArrears: 2, amountCents: 150_000 }), proceeding('summons', '2026-06-01')];

    // Act
    const assessment = assess(signals);

    // Assess: 300 + 10*2 + 5*1 + 5*2 = 335.
    expect(assessment.level).toBe('eviction-threat');
    expect(assessment.score).toBe(335);
  });

  it('keeps floor(score / 100) equal to the level rank for any mix of signals (property)', () => {
    // Prepare
    const signal = fc.oneof(
      fc.record({ months: fc.double({ min: 0.1, max: 40, noNaN: true }), cents: fc.integer({ min: 1, max: 5_000_000 }), age: fc.integer({ min: 0, max: 250 }), partner: fc.constantFrom('mitros', 'boex') }).map((a) =>
        arrears({ monthsInArrears: a.months, amountCents: a.cents }, { at: daysAgo(a.age), partnerId: a.partner }),
      ),
      fc.record({
        category: fc.constantFrom('noise', 'threat', 'drugs', 'neglect', 'pollution', 'hoarding', 'other' as const),
        severity: fc.constantFrom('low', 'medium', 'high' as const),
        crisis: fc.boolean(),
        minors: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
      }).map((n) => nuisance(n.category, n.severity, { crisis: n.crisis, ...(n.minors !== undefined ? { minors: n.minors } : {}) })),
      fc.subarray(['debt', 'income', 'mentalHealth', 'addiction', 'youth', 'domesticViolence', 'health', 'safety'] as const, { minLength: 1 }).map((d) => care([...d])),
      fc.record({ stage: fc.constantFrom('summons', 'filed', 'verdict', 'scheduled', 'executed', 'withdrawn' as const), day: fc.integer({ min: 0, max: 400 }) }).map((p) => {
        const date = new Date(NOW - p.day * 86_400_000).toISOString().slice(0, 10);
        return proceeding(p.stage, date, { scheduledFor: '2026-07-01', partnerId: 'ssh' });
      }),
    );

    fc.assert(
      fc.property(fc.array(signal, { maxLength: 8 }), (signals) => {
        // Act
        const { level, score } = assess(signals);

        // Assess
        expect(Math.floor(score / 100)).toBe(level ? levelRank(level) : 0);
        expect(score % 100).toBeLessThanOrEqual(99);
      }),
      { numRuns: 150 },
    );
  });

  it('ranks the levels signal < case < eviction-threat < urgent', () => {
    expect(LEVELS.map(levelRank)).toEqual([1, 2, 3, 4]);
  });
});
