/**
 * The household is the dwelling; its reference is an HMAC of the normalised address
 * (signals-v1.md, section 1, "address.*" and the paragraph on the pseudonymous reference).
 */
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HouseholdKeyError, householdRef, normaliseAddress, normalisePostcode, postcodeArea, type ContractAddress } from '@vroegsignaal/domain';
import { SECRET } from './fixtures.ts';

const refOf = (address: ContractAddress, secret = SECRET) => householdRef(normaliseAddress(address), secret);

describe('normaliseAddress', () => {
  it('treats "1234 ab", "1234ab" and "1234AB" as the same postcode', () => {
    // Prepare
    const spellings = ['1234 ab', '1234ab', '1234AB', '1234 AB', '1234aB'];

    // Act
    const refs = spellings.map((postcode) => refOf({ postcode, houseNumber: 7 }));

    // Assess
    expect(spellings.map(normalisePostcode)).toEqual(spellings.map(() => '1234AB'));
    expect(new Set(refs).size).toBe(1);
  });

  it('upper-cases the house letter and addition and leaves them out when absent', () => {
    // Act
    const withParts = normaliseAddress({ postcode: '3511 ab', houseNumber: 12, houseLetter: 'b', houseNumberAddition: 'bis1' });
    const bare = normaliseAddress({ postcode: '3511ab', houseNumber: 12 });

    // Assess
    expect(withParts).toEqual({ postcode: '3511AB', houseNumber: 12, houseLetter: 'B', houseNumberAddition: 'BIS1' });
    expect(bare).toEqual({ postcode: '3511AB', houseNumber: 12 });
    expect('houseLetter' in bare).toBe(false);
    expect('houseNumberAddition' in bare).toBe(false);
  });

  it('gives the same ref whatever the case of the letter and addition', () => {
    // Act
    const lower = refOf({ postcode: '3511AB', houseNumber: 12, houseLetter: 'a', houseNumberAddition: 'hs' });
    const upper = refOf({ postcode: '3511AB', houseNumber: 12, houseLetter: 'A', houseNumberAddition: 'HS' });

    // Assess
    expect(lower).toBe(upper);
  });

  it('gives different dwellings different refs: addition, letter, number and postcode all count', () => {
    // Prepare
    const dwellings: ContractAddress[] = [
      { postcode: '3511AB', houseNumber: 12 },
      { postcode: '3511AB', houseNumber: 12, houseNumberAddition: '1' },
      { postcode: '3511AB', houseNumber: 12, houseNumberAddition: '2' },
      { postcode: '3511AB', houseNumber: 12, houseLetter: 'A' },
      { postcode: '3511AB', houseNumber: 12, houseLetter: 'A', houseNumberAddition: '1' },
      { postcode: '3511AB', houseNumber: 121 },
      { postcode: '3511AC', houseNumber: 12 },
      // Letter and addition must not be confused with each other.
      { postcode: '3511AB', houseNumber: 12, houseLetter: 'B', houseNumberAddition: 'A' },
      { postcode: '3511AB', houseNumber: 12, houseLetter: 'A', houseNumberAddition: 'B' },
      // A numeric addition keeps its value: 10 is not 1.
      { postcode: '3511AB', houseNumber: 12, houseNumberAddition: '10' },
    ];

    // Act
    const refs = dwellings.map((d) => refOf(d));

    // Assess
    expect(new Set(refs).size).toBe(dwellings.length);
  });

  it('reads a lone letter given as addition as the house letter, and drops a numeric addition\'s leading zeros', () => {
    // Act / Assess
    expect(normaliseAddress({ postcode: '3511AB', houseNumber: 12, houseNumberAddition: 'a' })).toEqual({ postcode: '3511AB', houseNumber: 12, houseLetter: 'A' });
    expect(normaliseAddress({ postcode: '3511AB', houseNumber: 12, houseLetter: 'b', houseNumberAddition: 'a' })).toEqual({ postcode: '3511AB', houseNumber: 12, houseLetter: 'B', houseNumberAddition: 'A' });
    expect(normaliseAddress({ postcode: '3511AB', houseNumber: 12, houseNumberAddition: '0002' })).toEqual({ postcode: '3511AB', houseNumber: 12, houseNumberAddition: '2' });
    expect(normaliseAddress({ postcode: '3511AB', houseNumber: 12, houseNumberAddition: '000' })).toEqual({ postcode: '3511AB', houseNumber: 12, houseNumberAddition: '0' });
    expect(normaliseAddress({ postcode: '3511AB', houseNumber: 12, houseNumberAddition: '02a' })).toEqual({ postcode: '3511AB', houseNumber: 12, houseNumberAddition: '02A' });
  });

  it('gives one key for every spelling of one dwelling (property)', () => {
    // Prepare: a dwelling as the register holds it, and the ways partners' systems write it:
    // postcode case and space, the letter in either field, its case, zeros before a numeric addition.
    const letter = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ');
    const dwelling = fc.record({
      digits: fc.integer({ min: 1000, max: 9999 }),
      letters: fc.tuple(letter, letter),
      houseNumber: fc.integer({ min: 1, max: 99_999 }),
      part: fc.oneof(
        fc.constant({ kind: 'none' as const }),
        letter.map((l) => ({ kind: 'letter' as const, letter: l })),
        fc.integer({ min: 1, max: 999 }).map((n) => ({ kind: 'number' as const, n })),
        fc.tuple(letter, fc.stringMatching(/^[A-Z0-9]{1,4}$/)).map(([l, a]) => ({ kind: 'letter+addition' as const, letter: l, addition: a })),
      ),
    });
    type Dwelling = typeof dwelling extends fc.Arbitrary<infer T> ? T : never;
    const spelling = fc.record({ space: fc.boolean(), lower: fc.boolean(), letterAsAddition: fc.boolean(), zeros: fc.integer({ min: 0, max: 3 }) });
    const spell = (d: Dwelling, s: { space: boolean; lower: boolean; letterAsAddition: boolean; zeros: number }): ContractAddress => {
      const cased = (text: string) => (s.lower ? text.toLowerCase() : text);
      const address: ContractAddress = { postcode: cased(`${d.digits}${s.space ? ' ' : ''}${d.letters.join('')}`), houseNumber: d.houseNumber };
      if (d.part.kind === 'letter') {
        if (s.letterAsAddition) address.houseNumberAddition = cased(d.part.letter);
        else address.houseLetter = cased(d.part.letter);
      } else if (d.part.kind === 'number') {
        const padded = `${'0'.repeat(s.zeros)}${d.part.n}`;
        if (padded.length <= 4) address.houseNumberAddition = padded;
        else address.houseNumberAddition = String(d.part.n);
      } else if (d.part.kind === 'letter+addition') {
        address.houseLetter = cased(d.part.letter);
        address.houseNumberAddition = cased(d.part.addition);
      }
      return address;
    };

    fc.assert(
      fc.property(dwelling, spelling, spelling, (d, one, other) => {
        // Act / Assess
        expect(refOf(spell(d, one))).toBe(refOf(spell(d, other)));
      }),
      { numRuns: 500 },
    );
  });

  it('gives the 4-digit postcode area that district maps are keyed on', () => {
    expect(postcodeArea(normaliseAddress({ postcode: '6511 xx', houseNumber: 1 }))).toBe(6511);
  });
});

describe('householdRef', () => {
  it('is 64 lower-case hex characters', () => {
    expect(refOf({ postcode: '3511AB', houseNumber: 12 })).toMatch(/^[0-9a-f]{64}$/);
  });

  it('depends on the deployment secret', () => {
    // Prepare
    const address: ContractAddress = { postcode: '3511AB', houseNumber: 12 };

    // Act
    const a = refOf(address, 'first-secret-16chars');
    const b = refOf(address, 'other-secret-16chars');

    // Assess
    expect(a).not.toBe(b);
    expect(refOf(address, 'first-secret-16chars')).toBe(a);
  });

  it('is the HMAC-SHA-256 of postcode|number|letter|addition under the secret, as createHmac gives it (property)', () => {
    // Prepare: secrets of any characters, some longer than SHA-256's 64-byte block (RFC 2104 hashes those first).
    const secret = fc.oneof(fc.string({ minLength: 16, maxLength: 40 }), fc.string({ unit: 'grapheme', minLength: 16, maxLength: 120 }));
    const address = fc.record({
      postcode: fc.stringMatching(/^[1-9][0-9]{3}[A-Z]{2}$/),
      houseNumber: fc.integer({ min: 1, max: 99_999 }),
      houseLetter: fc.option(fc.stringMatching(/^[A-Z]$/), { nil: undefined }),
      houseNumberAddition: fc.option(fc.stringMatching(/^[A-Z0-9]{1,4}$/), { nil: undefined }),
    });

    fc.assert(
      // Two secrets in turn: the ref must not carry anything over from the call before.
      fc.property(secret, secret, address, (first, second, a) => {
        const normalised = normaliseAddress(a);
        const material = `${normalised.postcode}|${normalised.houseNumber}|${normalised.houseLetter ?? ''}|${normalised.houseNumberAddition ?? ''}`;

        // Act / Assess
        expect(householdRef(normalised, first)).toBe(createHmac('sha256', first).update(material).digest('hex'));
        expect(householdRef(normalised, second)).toBe(createHmac('sha256', second).update(material).digest('hex'));
        expect(householdRef(normalised, first)).toBe(createHmac('sha256', first).update(material).digest('hex'));
      }),
      { numRuns: 300 },
    );
  });

  it('refuses a secret shorter than 16 characters', () => {
    // Prepare
    const address = normaliseAddress({ postcode: '3511AB', houseNumber: 12 });

    // Act / Assess
    expect(() => householdRef(address, 'fifteen-chars!!')).toThrow(HouseholdKeyError);
    expect(() => householdRef(address, '')).toThrow(HouseholdKeyError);
    expect(() => householdRef(address, 'sixteen-chars!!!')).not.toThrow();
  });

  it('is stable under case and space variations of the postcode (property)', () => {
    // Prepare: a valid contract address (postcode: 4 digits, first not 0, optional space, 2 letters).
    const letter = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ');
    const address = fc.record({
      digits: fc.integer({ min: 1000, max: 9999 }),
      letters: fc.tuple(letter, letter),
      houseNumber: fc.integer({ min: 1, max: 99_999 }),
      houseLetter: fc.option(letter, { nil: undefined }),
      addition: fc.option(fc.stringMatching(/^[A-Z0-9]{1,4}$/), { nil: undefined }),
    });
    const variation = fc.record({ space: fc.boolean(), lower: fc.tuple(fc.boolean(), fc.boolean(), fc.boolean(), fc.boolean()) });

    fc.assert(
      fc.property(address, variation, (a, v) => {
        const canonical: ContractAddress = {
          postcode: `${a.digits}${a.letters.join('')}`,
          houseNumber: a.houseNumber,
          ...(a.houseLetter ? { houseLetter: a.houseLetter } : {}),
          ...(a.addition ? { houseNumberAddition: a.addition } : {}),
        };
        const [l1, l2] = a.letters.map((ch, i) => (v.lower[i] ? ch.toLowerCase() : ch));
        const varied: ContractAddress = {
          ...canonical,
          postcode: `${a.digits}${v.space ? ' ' : ''}${l1}${l2}`,
          ...(a.houseLetter ? { houseLetter: v.lower[2] ? a.houseLetter.toLowerCase() : a.houseLetter } : {}),
          ...(a.addition ? { houseNumberAddition: v.lower[3] ? a.addition.toLowerCase() : a.addition } : {}),
        };

        // Act / Assess
        expect(refOf(varied)).toBe(refOf(canonical));
        expect(normaliseAddress(varied).postcode).toMatch(/^[1-9][0-9]{3}[A-Z]{2}$/);
      }),
      { numRuns: 200 },
    );
  });
});
