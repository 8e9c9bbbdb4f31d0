/**
 * The address decides the municipality: the compiled policy says which policy municipality a
 * 4-digit postcode area lies in, from the municipalities' `postcodeAreas`.
 */
import { describe, expect, it } from 'vitest';
import { compilePolicy, loadPolicyDir, type Policy } from '@vroegsignaal/policy';

const defaults = loadPolicyDir();
const compiled = compilePolicy(defaults);

describe('municipalityOfPostcodeArea on the shipped defaults', () => {
  it.each([
    [1012, 'GM0363'], // Amsterdam, centre
    [1109, 'GM0363'], // Amsterdam, Driemond
    [1382, 'GM0363'], // Weesp, part of Amsterdam since 2022
    [3512, 'GM0344'], // Utrecht, centre
    [3453, 'GM0344'], // De Meern, Utrecht
    [3818, 'GM0307'], // Amersfoort
    [2492, 'GM0518'], // Den Haag, Leidschenveen-Ypenburg
    [2514, 'GM0518'], // Den Haag, centre
    [3012, 'GM0599'], // Rotterdam, centre
    [3181, 'GM0599'], // Rozenburg, Rotterdam
    [5038, 'GM0855'], // Tilburg
    [5056, 'GM0855'], // Berkel-Enschot, Tilburg
    [6511, 'GM0268'], // Nijmegen, centre
    [6211, 'GM0935'], // Maastricht, centre
  ])('%i lies in %s', (area, code) => {
    expect(compiled.municipalityOfPostcodeArea(area)).toBe(code);
  });

  it.each([
    [9999, 'no policy municipality'],
    [5051, 'Goirle, next to Tilburg'],
    [3436, 'Nieuwegein, next to Utrecht'],
    [1000, 'PO boxes of Amsterdam'],
    [1111, 'Diemen, next to Amsterdam'],
    [6663, 'Lent, left out as uncertain'],
  ])('%i lies in no policy municipality (%s)', (area) => {
    expect(compiled.municipalityOfPostcodeArea(area)).toBeUndefined();
  });

  it("agrees with every municipality's own postcodeAreas", () => {
    for (const municipality of defaults.municipalities) {
      for (const areas of municipality.postcodeAreas ?? []) {
        const [from, to = from] = areas.split('-').map(Number) as [number, number?];
        expect(compiled.municipalityOfPostcodeArea(from), `${municipality.slug} ${from}`).toBe(municipality.code);
        expect(compiled.municipalityOfPostcodeArea(to), `${municipality.slug} ${to}`).toBe(municipality.code);
      }
    }
  });
});

describe('municipalityOfPostcodeArea on a policy that skipped policy:check', () => {
  const withAreas = (policy: Policy, areas: Record<string, string[] | undefined>): Policy => ({
    ...policy,
    municipalities: policy.municipalities.map((m) => (m.code in areas ? { ...m, postcodeAreas: areas[m.code] } : m)),
  });

  it("gives an area two municipalities claim to neither, so neither can refuse the other's signals", () => {
    // Den Haag claims Amsterdam's 1012 as well.
    const policy = compilePolicy(withAreas(defaults, { GM0518: ['1012', '2511-2599'] }));
    expect(policy.municipalityOfPostcodeArea(1012)).toBeUndefined();
    expect(policy.municipalityOfPostcodeArea(1011)).toBe('GM0363');
    expect(policy.municipalityOfPostcodeArea(2511)).toBe('GM0518');
  });

  it('knows nothing of a municipality without postcodeAreas', () => {
    const policy = compilePolicy(withAreas(defaults, { GM0363: undefined }));
    expect(policy.municipalityOfPostcodeArea(1012)).toBeUndefined();
    expect(policy.municipalityOfPostcodeArea(3512)).toBe('GM0344');
  });
});

describe('overdueEscalation on the shipped defaults (contract v1.1 section 3)', () => {
  it("escalates Maastricht's overdue alerts to its process managers at 3 times the term, and nobody else's", () => {
    const maastricht = compiled.teams().filter((team) => team.municipalityCode === 'GM0935');
    expect(maastricht.map((team) => [team.id, team.overdueEscalation])).toEqual(
      maastricht.map((team) => [team.id, { team: 'maastricht-procesmanagement', afterTermMultiple: 3 }]),
    );
    expect(compiled.teams().filter((team) => team.municipalityCode !== 'GM0935' && team.overdueEscalation !== undefined)).toEqual([]);
  });

  it('takes 3 as the multiple when the policy names only the team', () => {
    const withoutMultiple: Policy = {
      ...defaults,
      municipalities: defaults.municipalities.map((m) => (m.code === 'GM0935' ? { ...m, overdueEscalation: { team: 'maastricht-procesmanagement' } } : m)),
    };
    expect(compilePolicy(withoutMultiple).team('maastricht-vangnet-oggz')?.overdueEscalation).toEqual({ team: 'maastricht-procesmanagement', afterTermMultiple: 3 });
  });
});
