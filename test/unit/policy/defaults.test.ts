/**
 * The shipped default policy (packages/policy/defaults) expresses the eight municipal
 * approaches of docs/policy.md: team ids, partner ids, CBS codes and the
 * numbers the contract names.
 */
import { beforeAll, describe, expect, it } from 'vitest';
// Imported from the source files directly so this test does not depend on compiled.ts.
import { loadPolicyDir } from '@vroegsignaal/policy';
import { expandAreas } from '@vroegsignaal/policy';
import type { Municipality, Policy } from '@vroegsignaal/policy';
import { LEVELS } from '@vroegsignaal/policy';

const CODES = {
  amersfoort: 'GM0307',
  amsterdam: 'GM0363',
  denhaag: 'GM0518',
  maastricht: 'GM0935',
  nijmegen: 'GM0268',
  rotterdam: 'GM0599',
  tilburg: 'GM0855',
  utrecht: 'GM0344',
} as const;

/** Every fixed team id of the contract's routing table (district teams are checked below). */
const CONTRACT_TEAMS = [
  'amersfoort-schuldhulp',
  'amersfoort-woonoverlast',
  'amersfoort-oggz',
  'amersfoort-via',
  'amsterdam-vroeg-eropaf',
  'amsterdam-mpg-wonen',
  'amsterdam-meldpunt-zorg-en-overlast',
  'denhaag-schuldhulp',
  'denhaag-sociaal-casemanagement',
  'maastricht-schuldhulp',
  'maastricht-procesmanagement',
  'maastricht-vangnet-oggz',
  'nijmegen-schuldhulp',
  'rotterdam-mpg-plus',
  'rotterdam-frontlijn',
  'tilburg-schuldhulp',
  'tilburg-tweede-kans',
  'utrecht-schuldhulp',
  'utrecht-voorkom-huisuitzetting',
];

const { amersfoort, amsterdam, denhaag, maastricht, nijmegen, rotterdam, tilburg, utrecht } = CODES;
const CONTRACT_PARTNERS: Record<string, string[] | 'all'> = {
  'de-alliantie': [amersfoort, amsterdam],
  portaal: [amersfoort, utrecht, nijmegen],
  omnia: [amersfoort],
  'eigen-haard': [amsterdam],
  'de-key': [amsterdam],
  rochdale: [amsterdam],
  stadgenoot: [amsterdam],
  ymere: [amsterdam],
  'haag-wonen': [denhaag],
  staedion: [denhaag],
  vestia: [denhaag],
  woonpunt: [maastricht],
  servatius: [maastricht],
  maasvallei: [maastricht],
  talis: [nijmegen],
  havensteder: [rotterdam],
  'woonstad-rotterdam': [rotterdam],
  wonenbreburg: [tilburg],
  tiwos: [tilburg],
  'tbv-wonen': [tilburg],
  mitros: [utrecht],
  boex: [utrecht],
  groenwest: [utrecht],
  ssh: [utrecht],
  politie: 'all',
  ggd: 'all',
  'leger-des-heils': 'all',
  mondriaan: 'all',
  jeugdzorg: 'all',
};

/** Municipalities routed by district: route prefix, postcode range, number of districts. */
const DISTRICTED = [
  { slug: 'nijmegen', prefix: 'nijmegen-regieteam', from: 6511, to: 6546, districts: 6 },
  { slug: 'tilburg', prefix: 'tilburg-buurtregieteam', from: 5011, to: 5049, districts: 20 },
  { slug: 'utrecht', prefix: 'utrecht-buurtteam', from: 3511, to: 3585, districts: 10 },
] as const;

let policy: Policy;
const bySlug = (slug: string): Municipality => {
  const municipality = policy.municipalities.find((m) => m.slug === slug);
  if (!municipality) throw new Error(`no municipality ${slug}`);
  return municipality;
};
const team = (slug: string, id: string) => {
  const found = bySlug(slug).teams.find((t) => t.id === id);
  if (!found) throw new Error(`no team ${id}`);
  return found;
};

beforeAll(() => {
  policy = loadPolicyDir();
});

describe('default policy', () => {
  it('loads from the default directory without problems', () => {
    expect(() => loadPolicyDir()).not.toThrow();
    expect(policy.municipalities).toHaveLength(8);
  });

  it('has the eight municipalities under their CBS codes and slugs', () => {
    for (const [slug, code] of Object.entries(CODES)) {
      expect(bySlug(slug).code).toBe(code);
    }
    expect(policy.municipalities.map((m) => m.code).sort()).toEqual(Object.values(CODES).sort());
  });

  it('defines every team id of the contract table, and the unrouted team', () => {
    const ids = new Set(policy.municipalities.flatMap((m) => m.teams.map((t) => t.id)));
    for (const id of CONTRACT_TEAMS) expect(ids, id).toContain(id);
    expect(policy.settings.unroutedTeam.id).toBe('unrouted');
  });

  it('has the contract settings', () => {
    const s = policy.settings;
    expect(s.lookbackMonths).toBe(6);
    expect(s.proceedingLiveMonths).toBe(12);
    expect(s.alertWindowMonths).toBe(6);
    expect(s.quietPeriodDays).toBe(90);
    expect(s.urgentScheduledWithinWeeks).toBe(8);
    expect(s.arrearsThreshold).toEqual({ minMonths: 1, minAmountCents: 7500 });
    expect(s.terms).toEqual({
      signal: { weeks: 4 },
      case: { weeks: 4 },
      'eviction-threat': { weeks: 2 },
      urgent: { workingDays: 3 },
    });
  });

  it('registers every partner of the table for the right municipalities', () => {
    expect(policy.partners.map((p) => p.id).sort()).toEqual(Object.keys(CONTRACT_PARTNERS).sort());
    for (const partner of policy.partners) {
      const expected = CONTRACT_PARTNERS[partner.id];
      if (expected === 'all') expect(partner.municipalities, partner.id).toBe('all');
      else expect([...(partner.municipalities as string[])].sort(), partner.id).toEqual([...expected!].sort());
      expect(partner.name.length).toBeGreaterThan(0);
      expect(partner.accountId).toBeUndefined();
    }
  });

  it('routes every level somewhere in every municipality', () => {
    for (const municipality of policy.municipalities) {
      const covered = new Set(municipality.routes.flatMap((r) => r.levels));
      for (const level of LEVELS) expect(covered, `${municipality.slug} ${level}`).toContain(level);
      // The last route takes its levels unconditionally, so nothing falls through at those levels.
      for (const level of LEVELS) {
        const routes = municipality.routes.filter((r) => r.levels.includes(level));
        expect(routes.at(-1)?.when, `${municipality.slug} ${level}: last route must have no "when"`).toSatisfy(
          (when: unknown) =>
            when === undefined ||
            // Amersfoort states nuisance: false for clarity after the nuisance: true route.
            (municipality.slug === 'amersfoort' && level === 'case'),
        );
      }
    }
  });

  for (const { slug, prefix, from, to, districts } of DISTRICTED) {
    it(`${slug}: maps every postcode area ${from}-${to} to exactly one of ${districts} districts`, () => {
      const municipality = bySlug(slug);
      const map = municipality.districts ?? {};
      expect(Object.keys(map)).toHaveLength(districts);
      const owners = new Map<number, string[]>();
      for (const [district, areaList] of Object.entries(map)) {
        for (const areas of areaList) {
          for (const area of expandAreas(areas)) owners.set(area, [...(owners.get(area) ?? []), district]);
        }
      }
      for (let area = from; area <= to; area++) {
        expect(owners.get(area), `area ${area}`).toHaveLength(1);
      }
      const ids = new Set(municipality.teams.map((t) => t.id));
      for (const district of Object.keys(map)) expect(ids).toContain(`${prefix}-${district}`);
      expect(municipality.routes.some((r) => r.team === `${prefix}-*`)).toBe(true);
      expect(municipality.districtFallbackTeam).toBe(`${slug}-onbekende-wijk`);
      expect(ids).toContain(`${slug}-onbekende-wijk`);
    });
  }

  it('lists the postcode areas of every municipality, all of them, with no area in two municipalities', () => {
    const owners = new Map<number, string[]>();
    for (const municipality of policy.municipalities) {
      expect(municipality.postcodeAreas?.length ?? 0, municipality.slug).toBeGreaterThan(0);
      for (const areas of municipality.postcodeAreas ?? []) {
        for (const area of expandAreas(areas)) owners.set(area, [...(owners.get(area) ?? []), municipality.code]);
      }
    }
    const shared = [...owners].filter(([, codes]) => new Set(codes).size > 1);
    expect(shared).toEqual([]);
    // Not only the district maps: the whole municipality.
    for (const [area, code] of [
      [1011, amsterdam], [1109, amsterdam], [1381, amsterdam], [3811, amersfoort], [3829, amersfoort],
      [2491, denhaag], [2599, denhaag], [6211, maastricht], [6229, maastricht], [6511, nijmegen], [6546, nijmegen],
      [3011, rotterdam], [3151, rotterdam], [3181, rotterdam], [3199, rotterdam],
      [5011, tilburg], [5056, tilburg], [5071, tilburg], [5074, tilburg], [3451, utrecht], [3585, utrecht],
    ] as const) {
      expect(owners.get(area), `area ${area}`).toEqual([code]);
    }
  });

  it("leaves out PO-box areas and neighbouring municipalities' areas", () => {
    const listed = new Set(policy.municipalities.flatMap((m) => (m.postcodeAreas ?? []).flatMap((areas) => expandAreas(areas))));
    const neighbours = {
      1000: 'Amsterdam PO boxes', 1111: 'Diemen', 1115: 'Duivendrecht (Ouder-Amstel)',
      3431: 'Nieuwegein', 3601: 'Maarssen (Stichtse Vecht)', 3831: 'Leusden',
      2261: 'Leidschendam', 2281: 'Rijswijk', 2631: 'Nootdorp', 2611: 'Delft',
      3111: 'Schiedam', 2901: 'Capelle aan den IJssel', 3161: 'Rhoon (Albrandswaard)', 3201: 'Spijkenisse',
      5051: 'Goirle', 5052: 'Goirle', 5053: 'Goirle', 5061: 'Oisterwijk',
      6581: 'Malden (Heumen)', 6641: 'Beuningen', 6661: 'Elst (Overbetuwe)', 6663: 'Lent (uncertain)',
      6231: 'Meerssen', 6267: 'Cadier en Keer (Eijsden-Margraten)',
    };
    for (const [area, where] of Object.entries(neighbours)) expect(listed.has(Number(area)), `${area} ${where}`).toBe(false);
  });

  it('lists every district area among its municipality\'s postcode areas', () => {
    for (const { slug } of DISTRICTED) {
      const municipality = bySlug(slug);
      const own = new Set((municipality.postcodeAreas ?? []).flatMap((areas) => expandAreas(areas)));
      for (const areaList of Object.values(municipality.districts ?? {})) {
        for (const areas of areaList) for (const area of expandAreas(areas)) expect(own.has(area), `${slug} ${area}`).toBe(true);
      }
    }
  });

  it('Amsterdam counts rent arrears from 2 months and EUR 75', () => {
    expect(bySlug('amsterdam').arrearsThreshold).toEqual({ minMonths: 2, minAmountCents: 7500 });
    for (const slug of Object.keys(CODES).filter((s) => s !== 'amsterdam')) {
      expect(bySlug(slug).arrearsThreshold, slug).toBeUndefined();
    }
  });

  it('Den Haag Sociaal Casemanagement has 8 weeks for case and eviction-threat, urgent keeps the default', () => {
    expect(team('denhaag', 'denhaag-sociaal-casemanagement').terms).toEqual({
      case: { weeks: 8 },
      'eviction-threat': { weeks: 8 },
    });
  });

  it('capacities and the Utrecht verdict reminder', () => {
    expect(team('amsterdam', 'amsterdam-mpg-wonen').capacityPerYear).toBe(25);
    expect(team('tilburg', 'tilburg-tweede-kans').capacityPerYear).toBe(20);
    expect(team('utrecht', 'utrecht-voorkom-huisuitzetting').capacityPerYear).toBe(120);
    expect(team('utrecht', 'utrecht-voorkom-huisuitzetting').verdictReminderMonthsBeforeLapse).toBe(2);
  });

  it('Amsterdam routes minors to MPG Wonen, health or nuisance without minors to the Meldpunt', () => {
    const [signal, minors, meldpunt, rest] = bySlug('amsterdam').routes;
    expect(signal).toMatchObject({ levels: ['signal'], team: 'amsterdam-vroeg-eropaf' });
    expect(minors).toMatchObject({ when: { minors: true }, team: 'amsterdam-mpg-wonen' });
    expect(meldpunt).toMatchObject({
      when: { minors: false, anyOf: [{ domainsAnyOf: ['health'] }, { nuisance: true }] },
      team: 'amsterdam-meldpunt-zorg-en-overlast',
    });
    expect(rest).toMatchObject({ team: 'amsterdam-vroeg-eropaf' });
    expect(rest?.when).toBeUndefined();
  });

  it('has the expected number of teams', () => {
    const counts = Object.fromEntries(policy.municipalities.map((m) => [m.slug, m.teams.length]));
    expect(counts).toEqual({
      amersfoort: 4,
      amsterdam: 3,
      denhaag: 2,
      maastricht: 3,
      nijmegen: 8, // schuldhulp, 6 regieteams, onbekende-wijk
      rotterdam: 2,
      tilburg: 23, // schuldhulp, tweede-kans, 20 buurtregieteams, onbekende-wijk
      utrecht: 13, // schuldhulp, voorkom-huisuitzetting, 10 buurtteams, onbekende-wijk
    });
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(58);
  });
});
