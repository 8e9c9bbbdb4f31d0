import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  LEVELS,
  MAX_REASON_LENGTH,
  PARTNER_DETAIL_TYPES,
  SIGNAL_ID_PATTERN,
  SIGNAL_OUTCOMES,
  alertMessageSchema,
  deliveryDueSchema,
  parsePartnerDetail,
  parseTeamReport,
  parseWithReason,
  signalOutcomeSchema,
  teamMessageSchema,
  teamReportOutcomeSchema,
  type PartnerDetailType,
} from '@vroegsignaal/events';

const common = {
  schemaVersion: 1,
  signalId: 'portaal-2026-0001',
  observedAt: '2026-03-01T09:00:00+01:00',
  municipalityCode: 'GM0344',
  address: { postcode: '3511 AB', houseNumber: 12, houseLetter: 'a', houseNumberAddition: 'bis' },
  household: { minors: 2, adults: 1 },
  contact: { name: 'J. de Vries', phone: '+31 6 12345678', email: 'jdv@example.org' },
};

const validDetails: Record<PartnerDetailType, Record<string, unknown>> = {
  RentArrearsReported: {
    ...common,
    arrears: {
      amountCents: 145_000,
      monthsInArrears: 1.5,
      monthlyRentCents: 96_700,
      reminderSentAt: '2026-02-15',
      paymentArrangement: false,
    },
  },
  NuisanceReported: {
    ...common,
    nuisance: { category: 'hoarding', severity: 'medium', reportCount: 3, verified: true },
  },
  EvictionProceedingUpdated: {
    ...common,
    crisis: true,
    proceeding: { stage: 'scheduled', stageDate: '2026-02-20', scheduledFor: '2026-03-20', ground: 'arrears' },
  },
  CareSignalReported: {
    ...common,
    observedAt: '2026-03-01T08:00:00Z',
    care: { domains: ['debt', 'mentalHealth'], stagnation: true },
  },
  SignalWithdrawn: {
    ...common,
    signalId: 'portaal-2026-0002',
    withdrawal: { signalId: 'portaal-2026-0001', reason: 'paymentArrangement' },
  },
};

function reasonFor(detailType: string, detail: unknown): string {
  const result = parsePartnerDetail(detailType, detail);
  if (result.ok) throw new Error(`expected ${detailType} to be rejected, but it was accepted`);
  return result.reason;
}

function withAddress(address: Record<string, unknown>) {
  return { ...validDetails.RentArrearsReported, address };
}

describe('partner details', () => {
  it.each(PARTNER_DETAIL_TYPES)('accepts a valid %s detail and returns it under its detail type', (detailType) => {
    // Prepare
    const detail = validDetails[detailType];

    // Act
    const result = parsePartnerDetail(detailType, detail);

    // Assess
    expect(result).toEqual({ ok: true, signal: { detailType, detail } });
  });

  it('accepts a detail with only the required fields', () => {
    // Prepare
    const detail = {
      schemaVersion: 1,
      signalId: 'x',
      observedAt: '2026-03-01T09:00:00.250+01:00',
      municipalityCode: 'GM0518',
      address: { postcode: '2511AB', houseNumber: 1 },
      nuisance: { category: 'noise', severity: 'low' },
    };

    // Act
    const result = parsePartnerDetail('NuisanceReported', detail);

    // Assess
    expect(result.ok).toBe(true);
  });

  it.each([
    [
      'RentArrearsReported',
      { ...validDetails.RentArrearsReported, arrears: { amountCents: 0, monthsInArrears: 1 } },
      'arrears.amountCents: expected an integer greater than 0 and at most 100000000',
    ],
    [
      'RentArrearsReported',
      { ...validDetails.RentArrearsReported, arrears: { amountCents: 10.5, monthsInArrears: 0 } },
      'arrears.amountCents: expected an integer greater than 0 and at most 100000000; arrears.monthsInArrears: expected a number greater than 0 and at most 120, with at most two decimals',
    ],
    [
      'RentArrearsReported',
      { ...validDetails.RentArrearsReported, arrears: { amountCents: 100, monthsInArrears: 1, reminderSentAt: '2026-02-30' } },
      'arrears.reminderSentAt: expected a date like "2026-03-01"',
    ],
    [
      'NuisanceReported',
      { ...validDetails.NuisanceReported, nuisance: { category: 'parties', severity: 'high', reportCount: 0 } },
      'nuisance.category: expected one of "noise", "threat", "drugs", "neglect", "pollution", "hoarding", "other"; nuisance.reportCount: expected an integer from 1 to 10000',
    ],
    [
      'EvictionProceedingUpdated',
      { ...validDetails.EvictionProceedingUpdated, proceeding: { stage: 'verdict', stageDate: '2026-02-20T10:00:00Z', ground: 'arrears' } },
      'proceeding.stageDate: expected a date like "2026-03-01"',
    ],
    [
      'CareSignalReported',
      { ...validDetails.CareSignalReported, care: { domains: [] } },
      'care.domains: expected a non-empty list of distinct domains',
    ],
    [
      'SignalWithdrawn',
      { ...validDetails.SignalWithdrawn, withdrawal: { signalId: '', reason: 'changed-mind' } },
      'withdrawal.signalId: expected 1 to 128 letters, digits, ".", "_", ":", "/" or "-", starting with a letter or digit; withdrawal.reason: expected one of "resolved", "paymentArrangement", "error"',
    ],
    [
      'RentArrearsReported',
      { ...validDetails.RentArrearsReported, municipalityCode: 'gm0344', observedAt: '2026-03-01T09:00:00' },
      'observedAt: expected an ISO-8601 date-time with an offset, like "2026-03-01T09:00:00+01:00"; municipalityCode: expected a CBS municipality code like "GM0344"',
    ],
    [
      'RentArrearsReported',
      { ...validDetails.RentArrearsReported, schemaVersion: 2 },
      'schemaVersion: expected the number 1',
    ],
  ])('rejects an invalid %s detail with a reason naming the field and what was expected', (detailType, detail, expected) => {
    // Act
    const reason = reasonFor(detailType, detail);

    // Assess
    expect(reason).toContain(expected);
  });

  it('tells a missing field apart from a wrong one', () => {
    // Prepare
    const { arrears: _arrears, ...detail } = validDetails.RentArrearsReported;

    // Act
    const reason = reasonFor('RentArrearsReported', detail);

    // Assess
    expect(reason).toBe('arrears: required, expected an object with amountCents and monthsInArrears');
  });

  it('rejects a detail that is not an object, naming the detail itself', () => {
    // Act
    const reason = reasonFor('NuisanceReported', 'not an object');

    // Assess
    expect(reason).toBe('detail: expected an object');
  });

  it('rejects an unknown detail type, listing the known ones without repeating what was sent', () => {
    // Act
    const reason = reasonFor('RentArrearsReported; DROP TABLE', validDetails.RentArrearsReported);

    // Assess
    expect(reason).toBe(
      'unknown detail type; expected one of RentArrearsReported, NuisanceReported, EvictionProceedingUpdated, CareSignalReported, SignalWithdrawn',
    );
  });

  it('does not take inherited object keys for detail types', () => {
    // Act
    const result = parsePartnerDetail('constructor', {});

    // Assess
    expect(result.ok).toBe(false);
  });
});

describe('postcode', () => {
  it.each(['1234 AB', '1234AB', '1234ab', '1234 ab', '9999 zZ'])('accepts "%s", in any case, with or without one space', (postcode) => {
    // Act
    const result = parsePartnerDetail('RentArrearsReported', withAddress({ postcode, houseNumber: 1 }));

    // Assess
    expect(result.ok).toBe(true);
  });

  it.each([
    ['a leading zero', '0123AB'],
    ['two spaces', '1234  AB'],
    ['full-width digits', '１２３４AB'],
    ['full-width letters', '1234ＡＢ'],
    ['one letter', '1234A'],
    ['three digits', '123AB'],
    ['a space before the digits', ' 1234AB'],
    ['a trailing newline', '1234AB\n'],
    ['a dash', '1234-AB'],
  ])('rejects a postcode with %s', (_what, postcode) => {
    // Act
    const reason = reasonFor('RentArrearsReported', withAddress({ postcode, houseNumber: 1 }));

    // Assess
    expect(reason).toBe('address.postcode: expected a Dutch postcode like "1234 AB"');
  });
});

describe('address', () => {
  it.each([
    ['houseNumber 0', { houseNumber: 0 }, 'address.houseNumber: expected an integer from 1 to 99999'],
    ['houseNumber 100000', { houseNumber: 100_000 }, 'address.houseNumber: expected an integer from 1 to 99999'],
    ['a fractional houseNumber', { houseNumber: 12.5 }, 'address.houseNumber: expected an integer from 1 to 99999'],
    ['a two-letter houseLetter', { houseNumber: 1, houseLetter: 'ab' }, 'address.houseLetter: expected a single letter'],
    ['a non-ASCII houseLetter', { houseNumber: 1, houseLetter: 'é' }, 'address.houseLetter: expected a single letter'],
    ['a five-character addition', { houseNumber: 1, houseNumberAddition: 'bis12' }, 'address.houseNumberAddition: expected 1 to 4 letters or digits'],
    ['an addition with a space', { houseNumber: 1, houseNumberAddition: 'b 1' }, 'address.houseNumberAddition: expected 1 to 4 letters or digits'],
  ])('rejects %s', (_what, fields, expected) => {
    // Act
    const reason = reasonFor('RentArrearsReported', withAddress({ postcode: '1234AB', ...fields }));

    // Assess
    expect(reason).toBe(expected);
  });

  it('rejects a negative number of minors and a household without adults', () => {
    // Prepare
    const detail = { ...validDetails.NuisanceReported, household: { minors: -1, adults: 0 } };

    // Act
    const reason = reasonFor('NuisanceReported', detail);

    // Assess
    expect(reason).toBe('household.minors: expected an integer from 0 to 30; household.adults: expected an integer from 1 to 30');
  });
});

describe('contract rules beyond field types', () => {
  it('rejects a scheduled eviction without scheduledFor', () => {
    // Prepare
    const detail = {
      ...validDetails.EvictionProceedingUpdated,
      proceeding: { stage: 'scheduled', stageDate: '2026-02-20', ground: 'arrears' },
    };

    // Act
    const reason = reasonFor('EvictionProceedingUpdated', detail);

    // Assess
    expect(reason).toBe('proceeding.scheduledFor: required when stage is "scheduled", expected a date like "2026-03-01"');
  });

  it('accepts other stages without scheduledFor', () => {
    // Prepare
    const detail = {
      ...validDetails.EvictionProceedingUpdated,
      proceeding: { stage: 'verdict', stageDate: '2026-02-20', ground: 'nuisance' },
    };

    // Act
    const result = parsePartnerDetail('EvictionProceedingUpdated', detail);

    // Assess
    expect(result.ok).toBe(true);
  });

  it('rejects care domains given twice, naming the repeat', () => {
    // Prepare
    const detail = { ...validDetails.CareSignalReported, care: { domains: ['debt', 'youth', 'debt'] } };

    // Act
    const reason = reasonFor('CareSignalReported', detail);

    // Assess
    expect(reason).toBe('care.domains[2]: repeats an earlier domain, expected each domain at most once');
  });

  it.each([
    ['at the top level', { ...validDetails.RentArrearsReported, note: 'x' }, 'detail: an unknown field'],
    ['in the address', withAddress({ postcode: '1234AB', houseNumber: 1, street: 'x' }), 'address: an unknown field'],
    [
      'in the type-specific object',
      { ...validDetails.RentArrearsReported, arrears: { amountCents: 1, monthsInArrears: 1, interestCents: 5 } },
      'arrears: an unknown field',
    ],
    ['in contact', { ...validDetails.RentArrearsReported, contact: { bsn: '123456789' } }, 'contact: an unknown field'],
    ['in household', { ...validDetails.RentArrearsReported, household: { pets: 2 } }, 'household: an unknown field'],
  ])('rejects a field the contract does not name %s, naming its parent, not the field', (_where, detail, expected) => {
    // Act
    const reason = reasonFor('RentArrearsReported', detail);

    // Assess
    expect(reason).toBe(expected);
  });

  it('requires the common fields on SignalWithdrawn too', () => {
    // Prepare
    const detail = {
      schemaVersion: 1,
      signalId: 'w-1',
      withdrawal: { signalId: 's-1', reason: 'error' },
    };

    // Act
    const reason = reasonFor('SignalWithdrawn', detail);

    // Assess
    expect(reason).toContain('observedAt: required');
    expect(reason).toContain('municipalityCode: required');
    expect(reason).toContain('address: required');
  });
});

describe('values within reason (intake v1.1)', () => {
  const arrears = validDetails.RentArrearsReported.arrears as Record<string, unknown>;
  const withArrears = (fields: Record<string, unknown>) => ({ ...validDetails.RentArrearsReported, arrears: { ...arrears, ...fields } });
  const nuisance = validDetails.NuisanceReported.nuisance as Record<string, unknown>;
  const withNuisance = (fields: Record<string, unknown>) => ({ ...validDetails.NuisanceReported, nuisance: { ...nuisance, ...fields } });
  const withHousehold = (fields: Record<string, unknown>) => ({ ...validDetails.NuisanceReported, household: fields });
  const withSignalId = (signalId: unknown) => ({ ...validDetails.NuisanceReported, signalId });
  const withWithdrawn = (signalId: unknown) => ({
    ...validDetails.SignalWithdrawn,
    withdrawal: { signalId, reason: 'error' },
  });

  const amount = 'arrears.amountCents: expected an integer greater than 0 and at most 100000000';
  const months = 'arrears.monthsInArrears: expected a number greater than 0 and at most 120, with at most two decimals';
  const rent = 'arrears.monthlyRentCents: expected an integer greater than 0 and at most 1000000';
  const reports = 'nuisance.reportCount: expected an integer from 1 to 10000';
  const minors = 'household.minors: expected an integer from 0 to 30';
  const adults = 'household.adults: expected an integer from 1 to 30';
  const id = 'expected 1 to 128 letters, digits, ".", "_", ":", "/" or "-", starting with a letter or digit';

  // [bound, detail type, detail with a value just inside, detail with a value just outside, reason]
  const bounds: [string, PartnerDetailType, Record<string, unknown>, Record<string, unknown>, string][] = [
    ['amountCents at least 1', 'RentArrearsReported', withArrears({ amountCents: 1 }), withArrears({ amountCents: 0 }), amount],
    ['amountCents at most 100,000,000', 'RentArrearsReported', withArrears({ amountCents: 100_000_000 }), withArrears({ amountCents: 100_000_001 }), amount],
    ['monthsInArrears greater than 0', 'RentArrearsReported', withArrears({ monthsInArrears: 0.01 }), withArrears({ monthsInArrears: 0 }), months],
    ['monthsInArrears at most 120', 'RentArrearsReported', withArrears({ monthsInArrears: 120 }), withArrears({ monthsInArrears: 120.01 }), months],
    ['monthsInArrears with two decimals', 'RentArrearsReported', withArrears({ monthsInArrears: 1.29 }), withArrears({ monthsInArrears: 1.295 }), months],
    ['monthlyRentCents at least 1', 'RentArrearsReported', withArrears({ monthlyRentCents: 1 }), withArrears({ monthlyRentCents: 0 }), rent],
    ['monthlyRentCents at most 1,000,000', 'RentArrearsReported', withArrears({ monthlyRentCents: 1_000_000 }), withArrears({ monthlyRentCents: 1_000_001 }), rent],
    ['reportCount at least 1', 'NuisanceReported', withNuisance({ reportCount: 1 }), withNuisance({ reportCount: 0 }), reports],
    ['reportCount at most 10,000', 'NuisanceReported', withNuisance({ reportCount: 10_000 }), withNuisance({ reportCount: 10_001 }), reports],
    ['minors at least 0', 'NuisanceReported', withHousehold({ minors: 0 }), withHousehold({ minors: -1 }), minors],
    ['minors at most 30', 'NuisanceReported', withHousehold({ minors: 30 }), withHousehold({ minors: 31 }), minors],
    ['adults at least 1', 'NuisanceReported', withHousehold({ adults: 1 }), withHousehold({ adults: 0 }), adults],
    ['adults at most 30', 'NuisanceReported', withHousehold({ adults: 30 }), withHousehold({ adults: 31 }), adults],
    ['signalId of 1 character', 'NuisanceReported', withSignalId('a'), withSignalId(''), `signalId: ${id}`],
    ['signalId of 128 characters', 'NuisanceReported', withSignalId('a'.repeat(128)), withSignalId('a'.repeat(129)), `signalId: ${id}`],
    ['signalId starting with a digit', 'NuisanceReported', withSignalId('0.x'), withSignalId('.0x'), `signalId: ${id}`],
    ['signalId of the allowed characters', 'NuisanceReported', withSignalId('Az09._:/-'), withSignalId('Az09._:/-+'), `signalId: ${id}`],
    ['withdrawal.signalId of 1 character', 'SignalWithdrawn', withWithdrawn('Z'), withWithdrawn(''), `withdrawal.signalId: ${id}`],
    ['withdrawal.signalId of 128 characters', 'SignalWithdrawn', withWithdrawn('9'.repeat(128)), withWithdrawn('9'.repeat(129)), `withdrawal.signalId: ${id}`],
    ['withdrawal.signalId starting with a letter', 'SignalWithdrawn', withWithdrawn('a/b'), withWithdrawn('/ab'), `withdrawal.signalId: ${id}`],
  ];

  it.each(bounds)('accepts a value just inside the bound: %s', (_bound, detailType, inside) => {
    // Act
    const result = parsePartnerDetail(detailType, inside);

    // Assess
    expect(result.ok).toBe(true);
  });

  it.each(bounds)('rejects a value just outside the bound, naming the field: %s', (_bound, detailType, _inside, outside, expected) => {
    // Act
    const reason = reasonFor(detailType, outside);

    // Assess
    expect(reason).toBe(expected);
  });

  it.each([1.1, 0.29, 2.03, 0.07, 1.15, 119.99, 0.3, 0.1 + 0.2])('accepts %s months in arrears (two decimals, in binary floating point)', (value) => {
    // Act
    const result = parsePartnerDetail('RentArrearsReported', withArrears({ monthsInArrears: value }));

    // Assess
    expect(result.ok).toBe(true);
  });

  it.each([0.001, 0.005, 1.001, 2.035, 119.999, 1e-7, 120.000001])('rejects %s months in arrears (more than two decimals)', (value) => {
    // Act
    const reason = reasonFor('RentArrearsReported', withArrears({ monthsInArrears: value }));

    // Assess
    expect(reason).toBe(months);
  });

  it('accepts every number of months with at most two decimals up to 120, and none with a third (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12_000 }), fc.integer({ min: 1, max: 9 }), (hundredths, thousandth) => {
        // Written as a partner's system would, from decimal text.
        const twoDecimals = Number(`${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}`);
        const threeDecimals = Number(`${twoDecimals.toFixed(2)}${thousandth}`);

        expect(parsePartnerDetail('RentArrearsReported', withArrears({ monthsInArrears: twoDecimals })).ok).toBe(true);
        expect(reasonFor('RentArrearsReported', withArrears({ monthsInArrears: threeDecimals }))).toBe(months);
      }),
      { numRuns: 2_000 },
    );
  });

  it('allows in a signalId exactly what SIGNAL_ID_PATTERN allows, and the pattern holds the length (property)', () => {
    // Prepare
    const idChars = fc.constantFrom(...'Aa0Zz9._:/-+ é\n#'.split(''));
    const candidate = fc.oneof(
      fc.string({ unit: idChars, minLength: 0, maxLength: 130 }),
      fc.string({ maxLength: 20 }),
      fc.constant('a'.repeat(128)),
      fc.constant('a'.repeat(129)),
    );

    // Act and assess
    fc.assert(
      fc.property(candidate, (signalId) => {
        const expected = signalId.length >= 1 && signalId.length <= 128 && /^[A-Za-z0-9][A-Za-z0-9._:/-]*$/.test(signalId);
        expect(SIGNAL_ID_PATTERN.test(signalId)).toBe(expected);
        expect(parsePartnerDetail('NuisanceReported', withSignalId(signalId)).ok).toBe(expected);
        expect(parsePartnerDetail('SignalWithdrawn', withWithdrawn(signalId)).ok).toBe(expected);
      }),
      { numRuns: 1_000 },
    );
  });

  it('keeps alertId in team reports as it was: any 1 to 128 characters', () => {
    // Act
    const result = parseTeamReport('AlertPickedUp', { schemaVersion: 1, alertId: ' any id, even with spaces ', at: '2026-03-02T10:00:00Z' });

    // Assess
    expect(result.ok).toBe(true);
  });
});

describe('dates that fit observedAt and each other (intake v1.1)', () => {
  // observedAt 2026-03-01T09:00:00+01:00: the date of observedAt in Amsterdam is 2026-03-01.
  const arrears = validDetails.RentArrearsReported.arrears as Record<string, unknown>;
  const reminder = (reminderSentAt: string, observedAt = common.observedAt) => ({
    ...validDetails.RentArrearsReported,
    observedAt,
    arrears: { ...arrears, reminderSentAt },
  });
  const proceeding = (fields: Record<string, unknown>, observedAt = common.observedAt) => ({
    ...validDetails.EvictionProceedingUpdated,
    observedAt,
    proceeding: { stage: 'verdict', stageDate: '2026-02-20', ground: 'arrears', ...fields },
  });
  const reminderAfter = 'arrears.reminderSentAt: must not be after the date of observedAt';
  const stageAfter = 'proceeding.stageDate: must not be after the date of observedAt';
  const stageTooOld = 'proceeding.stageDate: must not be more than 2 years before the date of observedAt';
  const scheduledBefore = 'proceeding.scheduledFor: must not be before stageDate';
  const scheduledTooLate = 'proceeding.scheduledFor: must not be more than 1 year after stageDate';

  // [rule, detail type, detail just inside, detail just outside, reason]
  const rules: [string, PartnerDetailType, Record<string, unknown>, Record<string, unknown>, string][] = [
    ['reminderSentAt not after observedAt', 'RentArrearsReported', reminder('2026-03-01'), reminder('2026-03-02'), reminderAfter],
    [
      'reminderSentAt against the Amsterdam date, not the offset sent (23:30 UTC is the next day in Amsterdam)',
      'RentArrearsReported',
      reminder('2026-03-01', '2026-02-28T23:30:00Z'),
      reminder('2026-03-02', '2026-02-28T23:30:00Z'),
      reminderAfter,
    ],
    [
      'reminderSentAt against the Amsterdam date, not the offset sent (00:30 at +02:00 is still the day before in Amsterdam)',
      'RentArrearsReported',
      reminder('2026-02-28', '2026-03-01T00:30:00+02:00'),
      reminder('2026-03-01', '2026-03-01T00:30:00+02:00'),
      reminderAfter,
    ],
    ['stageDate not after observedAt', 'EvictionProceedingUpdated', proceeding({ stageDate: '2026-03-01' }), proceeding({ stageDate: '2026-03-02' }), stageAfter],
    [
      'stageDate against the Amsterdam date in summer time',
      'EvictionProceedingUpdated',
      proceeding({ stageDate: '2026-07-02' }, '2026-07-01T22:30:00Z'),
      proceeding({ stageDate: '2026-07-03' }, '2026-07-01T22:30:00Z'),
      stageAfter,
    ],
    ['stageDate not more than 2 years before', 'EvictionProceedingUpdated', proceeding({ stageDate: '2024-03-01' }), proceeding({ stageDate: '2024-02-29' }), stageTooOld],
    [
      'stageDate 2 years before 29 February, clamped to 28 February',
      'EvictionProceedingUpdated',
      proceeding({ stageDate: '2026-02-28' }, '2028-02-29T12:00:00+01:00'),
      proceeding({ stageDate: '2026-02-27' }, '2028-02-29T12:00:00+01:00'),
      stageTooOld,
    ],
    [
      'scheduledFor not before stageDate',
      'EvictionProceedingUpdated',
      proceeding({ stage: 'scheduled', scheduledFor: '2026-02-20' }),
      proceeding({ stage: 'scheduled', scheduledFor: '2026-02-19' }),
      scheduledBefore,
    ],
    [
      'scheduledFor not more than 1 year after stageDate',
      'EvictionProceedingUpdated',
      proceeding({ stage: 'scheduled', scheduledFor: '2027-02-20' }),
      proceeding({ stage: 'scheduled', scheduledFor: '2027-02-21' }),
      scheduledTooLate,
    ],
    [
      'scheduledFor 1 year after 29 February, clamped to 28 February',
      'EvictionProceedingUpdated',
      proceeding({ stage: 'scheduled', stageDate: '2028-02-29', scheduledFor: '2029-02-28' }, '2028-03-01T12:00:00+01:00'),
      proceeding({ stage: 'scheduled', stageDate: '2028-02-29', scheduledFor: '2029-03-01' }, '2028-03-01T12:00:00+01:00'),
      scheduledTooLate,
    ],
    [
      'scheduledFor also on other stages when given',
      'EvictionProceedingUpdated',
      proceeding({ stage: 'verdict', scheduledFor: '2026-02-20' }),
      proceeding({ stage: 'verdict', scheduledFor: '2026-02-19' }),
      scheduledBefore,
    ],
  ];

  it.each(rules)('accepts a date just inside: %s', (_rule, detailType, inside) => {
    // Act
    const result = parsePartnerDetail(detailType, inside);

    // Assess
    expect(result.ok).toBe(true);
  });

  it.each(rules)('rejects a date just outside, naming the field and the rule: %s', (_rule, detailType, _inside, outside, expected) => {
    // Act
    const reason = reasonFor(detailType, outside);

    // Assess
    expect(reason).toBe(expected);
  });

  it('reports a relative date rule beside the other problems of the detail', () => {
    // Prepare
    const detail = proceeding({ stage: 'scheduled', stageDate: '2026-03-05', scheduledFor: '2026-03-04' });

    // Act
    const reason = reasonFor('EvictionProceedingUpdated', { ...detail, household: { minors: 31 } });

    // Assess
    expect(reason.split('; ').sort()).toEqual(['household.minors: expected an integer from 0 to 30', scheduledBefore, stageAfter].sort());
  });

  it('reports a malformed date by its format only, not by a rule it cannot be compared by', () => {
    // Act
    const badObservedAt = reasonFor('RentArrearsReported', reminder('2030-01-01', '2026-03-01 09:00'));
    const badStageDate = reasonFor('EvictionProceedingUpdated', proceeding({ stage: 'scheduled', stageDate: '2026-02-30', scheduledFor: '2020-01-01' }));

    // Assess
    expect(badObservedAt).toBe('observedAt: expected an ISO-8601 date-time with an offset, like "2026-03-01T09:00:00+01:00"');
    expect(badStageDate).toBe('proceeding.stageDate: expected a date like "2026-03-01"');
  });
});

describe('privacy of reasons', () => {
  it('never repeats the values that were sent, only paths and expectations', () => {
    // Prepare
    const detail = {
      ...validDetails.RentArrearsReported,
      signalId: `${'x'.repeat(129)}SIGNAL-LEAK`,
      address: { postcode: '9999 ZZ-leak', houseNumber: 'Dorpsstraat 12', houseLetter: 'Jansen-leak' },
      contact: { name: 'Jan Jansen-Leak'.repeat(20), phone: '+31 6 LEAK'.repeat(10), email: '' },
      arrears: { amountCents: 'EUR 1.450 LEAK', monthsInArrears: -3.25 },
      crisis: 'yes LEAK',
    };

    // Act
    const reason = reasonFor('RentArrearsReported', detail);

    // Assess
    expect(reason).toContain('address.postcode');
    expect(reason).toContain('contact.name');
    // ('99999' is the house number limit in our own wording, so the postcode is checked whole.)
    for (const sent of ['9999 ZZ', 'ZZ-leak', 'Dorpsstraat', 'Jansen', 'LEAK', 'leak', '+31', '1.450', '-3.25', 'yes']) {
      expect(reason).not.toContain(sent);
    }
  });

  it('never shows the name of an unknown field, however it looks', () => {
    // Prepare
    const detail = { ...validDetails.NuisanceReported, 'Jan Jansen, 06-12345678': true, bsn: '123456789' };

    // Act
    const reason = reasonFor('NuisanceReported', detail);

    // Assess
    expect(reason).toBe('detail: an unknown field');
  });

  it('reports several unknown fields once per parent', () => {
    // Prepare
    const detail = {
      ...validDetails.RentArrearsReported,
      dossierNummer: 'D-1',
      huurder: 'Jansen',
      arrears: { amountCents: 1, monthsInArrears: 1, interestCents: 5, costsCents: 7, note: 'x' },
    };

    // Act
    const reason = reasonFor('RentArrearsReported', detail);

    // Assess
    expect(reason.split('; ').sort()).toEqual(['arrears: an unknown field', 'detail: an unknown field']);
  });

  it('names the parent of an unknown field, and never the field or its value, whatever the key (property)', () => {
    // Prepare: the objects a partner fills in, with the keys the contract gives them.
    const parents = {
      detail: { known: Object.keys(validDetails.RentArrearsReported), at: (d: Record<string, unknown>) => d },
      address: { known: ['postcode', 'houseNumber', 'houseLetter', 'houseNumberAddition'], at: (d: Record<string, unknown>) => d.address },
      household: { known: ['minors', 'adults'], at: (d: Record<string, unknown>) => d.household },
      contact: { known: ['name', 'phone', 'email'], at: (d: Record<string, unknown>) => d.contact },
      arrears: {
        known: ['amountCents', 'monthsInArrears', 'monthlyRentCents', 'reminderSentAt', 'paymentArrangement'],
        at: (d: Record<string, unknown>) => d.arrears,
      },
    } as const;
    const key = fc.oneof(
      fc.string({ minLength: 0, maxLength: 40 }),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }),
      fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'bsn', 'Jan Jansen, 06-12345678', 'amountCents ', 'Postcode'),
    );

    // Act and assess
    fc.assert(
      fc.property(
        fc.constantFrom(...(Object.keys(parents) as (keyof typeof parents)[])),
        fc.uniqueArray(key, { minLength: 1, maxLength: 4 }),
        fc.jsonValue(),
        (parent, keys, value) => {
          const unknownKeys = keys.filter((k) => !(parents[parent].known as readonly string[]).includes(k));
          fc.pre(unknownKeys.length > 0);
          const detail = structuredClone(validDetails.RentArrearsReported);
          const target = parents[parent].at(detail) as Record<string, unknown>;
          // defineProperty: an own key even for "__proto__", as JSON.parse makes it.
          for (const k of unknownKeys) Object.defineProperty(target, k, { value, enumerable: true, configurable: true, writable: true });

          const reason = reasonFor('RentArrearsReported', detail);

          expect(reason).toBe(`${parent}: an unknown field`);
        },
      ),
      { numRuns: 500 },
    );
  });

  it(`keeps a reason under ${MAX_REASON_LENGTH} characters and counts what it left out`, () => {
    // Prepare: 60 repeated care domains are 59 problems.
    const detail = { ...validDetails.CareSignalReported, care: { domains: Array.from({ length: 60 }, () => 'debt') } };

    // Act
    const reason = reasonFor('CareSignalReported', detail);

    // Assess
    expect(reason.length).toBeLessThanOrEqual(MAX_REASON_LENGTH);
    expect(reason).toMatch(/; and \d+ more problems$/);
    expect(reason.startsWith('care.domains[1]: repeats an earlier domain')).toBe(true);
  });
});

describe('team reports', () => {
  it('accepts AlertPickedUp and CaseClosed', () => {
    // Prepare
    const pickedUp = { schemaVersion: 1, alertId: 'a1', at: '2026-03-02T10:00:00+01:00' };
    const closed = { ...pickedUp, result: 'no-contact' };

    // Act
    const results = [parseTeamReport('AlertPickedUp', pickedUp), parseTeamReport('CaseClosed', closed)];

    // Assess
    expect(results).toEqual([
      { ok: true, report: { detailType: 'AlertPickedUp', detail: pickedUp } },
      { ok: true, report: { detailType: 'CaseClosed', detail: closed } },
    ]);
  });

  it('rejects a CaseClosed without a known result, and an unknown report type', () => {
    // Act
    const closed = parseTeamReport('CaseClosed', { schemaVersion: 1, alertId: 'a1', at: '2026-03-02T10:00:00Z', result: 'done' });
    const unknown = parseTeamReport('AlertDropped', {});

    // Assess
    expect(closed).toEqual({ ok: false, reason: 'result: expected one of "resolved", "referred", "no-contact", "declined"' });
    expect(unknown).toEqual({ ok: false, reason: 'unknown detail type; expected one of AlertPickedUp, CaseClosed, ContactAttemptLogged, AlertNotTaken, AlertForwarded' });
  });
});

describe('team messages', () => {
  const alert = {
    kind: 'alert',
    alertId: 'al-1',
    householdRef: 'a'.repeat(64),
    municipalityCode: 'GM0344',
    team: 'utrecht-schuldhulp',
    level: 'signal',
    score: 1,
    reasons: [{ code: 'arrears-2m', text: '2 months of rent in arrears (portaal)' }],
    partners: ['portaal'],
    signals: [
      {
        type: 'RentArrearsReported',
        partnerId: 'portaal',
        observedAt: '2026-03-01T09:00:00+01:00',
        figures: { monthsInArrears: 2, amountCents: 190_000, paymentArrangement: false },
      },
    ],
    address: { postcode: '3511AB', houseNumber: 12, houseLetter: 'A', houseNumberAddition: 'BIS' },
    contact: { name: 'J. de Vries' },
    household: { minors: 2 },
    createdAt: '2026-03-01T10:00:00+01:00',
    respondBy: '2026-03-15T10:00:00+01:00',
    capacityExceeded: false,
  };

  it('accepts an alert, an update and a reminder', () => {
    // Prepare
    const update = { ...alert, kind: 'update' };
    const reminder = {
      kind: 'reminder',
      alertId: 'al-2',
      householdRef: 'b'.repeat(64),
      municipalityCode: 'GM0344',
      team: 'utrecht-voorkom-huisuitzetting',
      level: 'eviction-threat',
      reasons: [{ code: 'verdict-lapses', text: 'The verdict lapses in 2 months' }],
      createdAt: '2026-03-01T10:00:00+01:00',
      respondBy: '2026-03-08T10:00:00+01:00',
      dueAt: '2026-05-01T00:00:00+02:00',
    };

    // Act
    const results = [alert, update, reminder].map((message) => teamMessageSchema.safeParse(message).success);

    // Assess
    expect(results).toEqual([true, true, true]);
  });

  it('requires the address in normalised form', () => {
    // Prepare
    const message = { ...alert, address: { postcode: '3511 ab', houseNumber: 12, houseLetter: 'a' } };

    // Act
    const result = parseWithReason(teamMessageSchema, message, 'message');

    // Assess
    expect(result).toEqual({
      ok: false,
      reason:
        'address.postcode: expected a normalised postcode like "1234AB"; address.houseLetter: expected a single upper-case letter',
    });
  });

  it('rejects an unknown kind, listing the kinds', () => {
    // Act
    const result = parseWithReason(teamMessageSchema, { ...alert, kind: 'digest' }, 'message');

    // Assess
    expect(result).toEqual({ ok: false, reason: 'kind: expected one of "alert", "update", "reminder"' });
  });

  describe('contacts per partner (v1.1)', () => {
    const contacts = [
      { partnerId: 'politie', observedAt: '2026-03-01T12:00:00+01:00', phone: '0900-8844' },
      { partnerId: 'portaal', observedAt: '2026-03-01T09:00:00+01:00', name: 'J. de Vries', email: 'jdv@example.org' },
      { partnerId: 'ggd-regio-utrecht', observedAt: '2026-03-01T08:00:00Z', name: 'A. Bakker' },
    ];

    it('accepts an alert and an update with contacts, one per partner, newest first, beside contact', () => {
      // Prepare
      const messages = [
        { ...alert, contacts },
        { ...alert, kind: 'update', contacts },
        { ...alert, contacts: [] },
      ];

      // Act
      const results = messages.map((message) => teamMessageSchema.safeParse(message));

      // Assess
      expect(results.map((r) => r.success)).toEqual([true, true, true]);
      expect(results[0]!.data).toEqual({ ...alert, contacts });
    });

    it('keeps a v1 alert without contacts valid', () => {
      // Act
      const result = alertMessageSchema.safeParse(alert);

      // Assess
      expect(result.success).toBe(true);
      expect('contacts' in alert).toBe(false);
    });

    it('accepts equal observedAt in either order (the same instant in different offsets)', () => {
      // Prepare
      const sameInstant = [
        { partnerId: 'portaal', observedAt: '2026-03-01T09:00:00+01:00', name: 'J. de Vries' },
        { partnerId: 'politie', observedAt: '2026-03-01T08:00:00Z', phone: '0900-8844' },
      ];

      // Act
      const result = alertMessageSchema.safeParse({ ...alert, contacts: sameInstant });

      // Assess
      expect(result.success).toBe(true);
    });

    it.each([
      ['a partner twice', [contacts[0], { ...contacts[1], partnerId: 'politie' }], 'contacts[1]: repeats an earlier partner, expected one entry per partner'],
      ['oldest first', [contacts[1], contacts[0]], 'contacts[1]: is newer than the entry before it, expected newest first'],
      ['an entry without partnerId', [{ observedAt: '2026-03-01T09:00:00+01:00', name: 'x' }], 'contacts[0].partnerId: required, expected a partner id like "mitros"'],
      ['an entry without observedAt', [{ partnerId: 'portaal', name: 'x' }], 'contacts[0].observedAt: required, expected an ISO-8601 date-time with an offset, like "2026-03-01T09:00:00+01:00"'],
      ['a field the contract does not name', [{ ...contacts[0], bsn: '123456789' }], 'contacts[0]: an unknown field'],
      ['a name that is too long', [{ ...contacts[1], name: 'x'.repeat(201) }], 'contacts[0].name: expected a string of 1 to 200 characters'],
    ])('rejects contacts with %s', (_what, list, expected) => {
      // Act
      const result = parseWithReason(teamMessageSchema, { ...alert, contacts: list }, 'message');

      // Assess
      expect(result).toEqual({ ok: false, reason: expected });
    });

    it('does not take contacts in a reminder', () => {
      // Prepare
      const reminder = {
        kind: 'reminder',
        alertId: 'al-2',
        householdRef: 'b'.repeat(64),
        municipalityCode: 'GM0344',
        team: 'utrecht-voorkom-huisuitzetting',
        level: 'eviction-threat',
        reasons: [{ code: 'verdict-lapses', text: 'The verdict lapses in 2 months' }],
        createdAt: '2026-03-01T10:00:00+01:00',
        respondBy: '2026-03-08T10:00:00+01:00',
        dueAt: '2026-05-01T00:00:00+02:00',
        contacts,
      };

      // Act
      const result = parseWithReason(teamMessageSchema, reminder, 'message');

      // Assess
      expect(result).toEqual({ ok: false, reason: 'message: an unknown field' });
    });
  });

  it('lists the levels lowest first', () => {
    // Assess
    expect(LEVELS).toEqual(['signal', 'case', 'eviction-threat', 'urgent']);
  });
});

describe('outcomes', () => {
  it('rejects a rejected outcome without a reason', () => {
    // Prepare
    const outcome = { partnerId: 'portaal', signalId: 's-1', outcome: 'rejected', eventId: 'e-1' };

    // Act
    const result = parseWithReason(signalOutcomeSchema, outcome, 'outcome');

    // Assess
    expect(result).toEqual({ ok: false, reason: 'reason: required when outcome is "rejected", expected a sentence' });
  });

  it('accepts a rejected outcome of an entry too broken to name its partner or signal', () => {
    // Prepare
    const outcome = { partnerId: null, signalId: null, outcome: 'rejected', reason: 'detail: expected an object', eventId: null };

    // Act
    const result = signalOutcomeSchema.safeParse(outcome);

    // Assess
    expect(result.success).toBe(true);
  });

  it.each(SIGNAL_OUTCOMES.filter((o) => o !== 'rejected'))('accepts outcome %s without a reason', (outcome) => {
    // Act
    const result = signalOutcomeSchema.safeParse({ partnerId: 'portaal', signalId: 's-1', outcome, eventId: 'e-1' });

    // Assess
    expect(result.success).toBe(true);
  });

  it('lists the first outcomes in the precedence order of the contract, then the later ones', () => {
    // Assess
    expect(SIGNAL_OUTCOMES).toEqual([
      'rejected',
      'duplicate',
      'repeat',
      'below-threshold',
      'withdrawn',
      'accepted',
      'picked-up',
      'closed',
      'not-taken',
    ]);
  });

  it('requires a reason for a rejected team report too', () => {
    // Act
    const result = teamReportOutcomeSchema.safeParse({ teamId: 'utrecht-schuldhulp', alertId: 'a1', outcome: 'rejected', eventId: 'e-1' });

    // Assess
    expect(result.success).toBe(false);
  });
});

describe('pipeline events', () => {
  it('accepts a DeliveryDue event and rejects a reference that is not 64 hex characters', () => {
    // Prepare
    const event = { schemaVersion: 1, householdRef: 'c'.repeat(64), version: 3, at: '2026-03-01T09:00:00Z' };

    // Act
    const valid = deliveryDueSchema.safeParse(event).success;
    const invalid = deliveryDueSchema.safeParse({ ...event, householdRef: 'C'.repeat(64) }).success;

    // Assess
    expect([valid, invalid]).toEqual([true, false]);
  });
});
