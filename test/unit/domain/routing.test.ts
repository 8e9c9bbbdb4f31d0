/**
 * Every row of the routing table in municipalities.md ("Routing per municipality"), on the
 * shipped default policy: a realistic live profile, its assessed level, and the team the
 * first matching route names.
 */
import { describe, expect, it } from 'vitest';
import type { Level } from '@vroegsignaal/policy';
import { assessHousehold, districtOf, normaliseAddress, routeHousehold, viewHousehold, type StoredSignal } from '@vroegsignaal/domain';
import { arrears, care, CODES, defaultPolicy, household, nuisance, proceeding, withdrawal } from './fixtures.ts';

const policy = defaultPolicy();

type Municipality = keyof typeof CODES;

const POSTCODE: Record<Municipality, string> = {
  amersfoort: '3811 AB',
  amsterdam: '1012 AB',
  denhaag: '2511 AB',
  maastricht: '6211 AB',
  nijmegen: '6511 AB',
  rotterdam: '3011 AB',
  tilburg: '5011 AB',
  utrecht: '3511 AB',
  unknown: '3701 AB',
};

/** Realistic live profiles, each built for one municipality's CBS code. */
const PROFILES = {
  /** 2 months of arrears: a signal everywhere, Amsterdam included. */
  signal: (m: string) => [arrears({ monthsInArrears: 2, amountCents: 180_000 }, { municipalityCode: m })],
  /** Arrears and a nuisance report: case, with nuisance. */
  caseWithNuisance: (m: string) => [arrears({ monthsInArrears: 2, amountCents: 180_000 }, { municipalityCode: m }), nuisance('noise', 'medium', { municipalityCode: m })],
  /** Arrears and a GGD mental-health signal: case, no nuisance. */
  caseWithHealth: (m: string) => [arrears({ monthsInArrears: 2, amountCents: 180_000 }, { municipalityCode: m }), care(['mentalHealth'], { municipalityCode: m })],
  /** Arrears and a debt signal from two partners: case on finance alone, no health, no nuisance. */
  caseFinanceOnly: (m: string) => [arrears({ monthsInArrears: 2, amountCents: 180_000 }, { municipalityCode: m }), care(['debt'], { municipalityCode: m, partnerId: 'leger-des-heils' })],
  /** Arrears, mental health and youth: case in 3 domains. */
  caseThreeDomains: (m: string) => [arrears({ monthsInArrears: 2, amountCents: 180_000 }, { municipalityCode: m }), care(['mentalHealth', 'youth'], { municipalityCode: m })],
  /** A care signal that says help has stalled (Maastricht). */
  caseStagnation: (m: string) => [arrears({ monthsInArrears: 2, amountCents: 180_000 }, { municipalityCode: m }), care(['addiction'], { municipalityCode: m, stagnation: true })],
  /** Minors in the household, at case level. */
  caseWithMinors: (m: string) => [arrears({ monthsInArrears: 2, amountCents: 180_000 }, { municipalityCode: m, minors: 2 }), care(['youth'], { municipalityCode: m })],
  /** A summons. */
  evictionThreat: (m: string) => [arrears({ monthsInArrears: 3, amountCents: 270_000 }, { municipalityCode: m }), proceeding('summons', '2026-06-01', { municipalityCode: m })],
  /** An eviction scheduled in two weeks. */
  urgent: (m: string) => [proceeding('scheduled', '2026-06-01', { municipalityCode: m, scheduledFor: '2026-06-29' })],
} satisfies Record<string, (m: string) => StoredSignal[]>;

type Profile = keyof typeof PROFILES;

function routeOf(municipality: Municipality, signals: StoredSignal[], postcode = POSTCODE[municipality]) {
  const address = normaliseAddress({ postcode, houseNumber: 10 });
  const view = viewHousehold(household(signals, { address }), policy.settings, Date.parse('2026-06-15T10:00:00+02:00'));
  const { level } = assessHousehold(view, policy);
  if (!level) throw new Error('profile raises no level');
  return { level, routing: routeHousehold(view, level, address, policy) };
}

const ROWS: [Municipality, Profile, Level, string][] = [
  ['amersfoort', 'signal', 'signal', 'amersfoort-schuldhulp'],
  ['amersfoort', 'caseWithNuisance', 'case', 'amersfoort-woonoverlast'],
  ['amersfoort', 'caseWithHealth', 'case', 'amersfoort-oggz'],
  ['amersfoort', 'evictionThreat', 'eviction-threat', 'amersfoort-via'],
  ['amersfoort', 'urgent', 'urgent', 'amersfoort-via'],

  ['amsterdam', 'signal', 'signal', 'amsterdam-vroeg-eropaf'],
  ['amsterdam', 'caseWithMinors', 'case', 'amsterdam-mpg-wonen'],
  ['amsterdam', 'caseWithHealth', 'case', 'amsterdam-meldpunt-zorg-en-overlast'],
  ['amsterdam', 'caseWithNuisance', 'case', 'amsterdam-meldpunt-zorg-en-overlast'],
  ['amsterdam', 'caseFinanceOnly', 'case', 'amsterdam-vroeg-eropaf'],
  ['amsterdam', 'evictionThreat', 'eviction-threat', 'amsterdam-vroeg-eropaf'],

  ['denhaag', 'signal', 'signal', 'denhaag-schuldhulp'],
  ['denhaag', 'caseWithHealth', 'case', 'denhaag-sociaal-casemanagement'],
  ['denhaag', 'evictionThreat', 'eviction-threat', 'denhaag-sociaal-casemanagement'],
  ['denhaag', 'urgent', 'urgent', 'denhaag-sociaal-casemanagement'],

  ['maastricht', 'signal', 'signal', 'maastricht-schuldhulp'],
  ['maastricht', 'caseStagnation', 'case', 'maastricht-procesmanagement'],
  ['maastricht', 'caseWithHealth', 'case', 'maastricht-vangnet-oggz'],
  ['maastricht', 'urgent', 'urgent', 'maastricht-vangnet-oggz'],

  ['nijmegen', 'signal', 'signal', 'nijmegen-schuldhulp'],
  ['nijmegen', 'caseWithHealth', 'case', 'nijmegen-regieteam-centrum'],
  ['nijmegen', 'evictionThreat', 'eviction-threat', 'nijmegen-regieteam-centrum'],

  ['rotterdam', 'signal', 'signal', 'rotterdam-frontlijn'],
  ['rotterdam', 'caseThreeDomains', 'case', 'rotterdam-mpg-plus'],
  ['rotterdam', 'caseWithHealth', 'case', 'rotterdam-frontlijn'],
  ['rotterdam', 'urgent', 'urgent', 'rotterdam-frontlijn'],

  ['tilburg', 'signal', 'signal', 'tilburg-schuldhulp'],
  ['tilburg', 'caseWithHealth', 'case', 'tilburg-buurtregieteam-centrum'],
  ['tilburg', 'evictionThreat', 'eviction-threat', 'tilburg-tweede-kans'],
  ['tilburg', 'urgent', 'urgent', 'tilburg-tweede-kans'],

  ['utrecht', 'signal', 'signal', 'utrecht-schuldhulp'],
  ['utrecht', 'caseWithHealth', 'case', 'utrecht-buurtteam-binnenstad'],
  ['utrecht', 'evictionThreat', 'eviction-threat', 'utrecht-voorkom-huisuitzetting'],
  ['utrecht', 'urgent', 'urgent', 'utrecht-voorkom-huisuitzetting'],

  ['unknown', 'signal', 'signal', 'unrouted'],
  ['unknown', 'urgent', 'urgent', 'unrouted'],
];

describe('routeHousehold: the routing table of municipalities.md', () => {
  it.each(ROWS)('%s, profile %s (level %s) goes to %s', (municipality, profile, expectedLevel, expectedTeam) => {
    // Prepare
    const signals = PROFILES[profile](CODES[municipality]);

    // Act
    const { level, routing } = routeOf(municipality, signals);

    // Assess
    expect(level).toBe(expectedLevel);
    expect(routing.team).toBe(expectedTeam);
    expect(routing.municipalityCode).toBe(CODES[municipality]);
  });
});

describe('routeHousehold: first matching rule and profile details', () => {
  it('sends an Amsterdam household with minors to MPG Wonen even with a health signal (first rule wins)', () => {
    // Prepare
    const signals = [...PROFILES.caseWithHealth(CODES.amsterdam), nuisance('noise', 'low', { municipalityCode: CODES.amsterdam, minors: 1 })];

    // Act / Assess
    expect(routeOf('amsterdam', signals).routing.team).toBe('amsterdam-mpg-wonen');
  });

  it('sends an Amsterdam urgent household with minors to MPG Wonen', () => {
    // Prepare
    const signals = [proceeding('summons', '2026-06-01', { municipalityCode: CODES.amsterdam, minors: 3 })];

    // Act
    const { level, routing } = routeOf('amsterdam', signals);

    // Assess
    expect(level).toBe('urgent');
    expect(routing.team).toBe('amsterdam-mpg-wonen');
  });

  it('routes Amsterdam by the case rules again once minors drop to 0', () => {
    // Prepare: the latest signal carrying minors says 0.
    const signals = [
      care(['mentalHealth', 'debt'], { municipalityCode: CODES.amsterdam, minors: 2, at: Date.parse('2026-05-01T10:00:00+02:00') }),
      nuisance('noise', 'low', { municipalityCode: CODES.amsterdam, minors: 0, at: Date.parse('2026-06-01T10:00:00+02:00') }),
    ];

    // Act / Assess
    expect(routeOf('amsterdam', signals).routing.team).toBe('amsterdam-meldpunt-zorg-en-overlast');
  });

  it('sends Maastricht back to the vangnet OGGZ when the stagnation signal is withdrawn', () => {
    // Prepare
    const [arrearsSignal, stalled] = PROFILES.caseStagnation(CODES.maastricht) as [StoredSignal, StoredSignal];
    const address = normaliseAddress({ postcode: POSTCODE.maastricht, houseNumber: 10 });
    const state = household([arrearsSignal, stalled, care(['mentalHealth'], { municipalityCode: CODES.maastricht, partnerId: 'mondriaan' })], {
      address,
      withdrawals: [withdrawal(stalled)],
    });

    // Act
    const view = viewHousehold(state, policy.settings, Date.parse('2026-06-15T10:00:00+02:00'));
    const routing = routeHousehold(view, 'case', address, policy);

    // Assess
    expect(routing.team).toBe('maastricht-vangnet-oggz');
  });

  it('sends a Rotterdam household in 2 life domains to Bureau Frontlijn, in 3 to MPG plus', () => {
    expect(routeOf('rotterdam', PROFILES.caseWithNuisance(CODES.rotterdam)).routing.team).toBe('rotterdam-frontlijn');
    expect(routeOf('rotterdam', [...PROFILES.caseWithNuisance(CODES.rotterdam), care(['youth'], { municipalityCode: CODES.rotterdam })]).routing.team).toBe(
      'rotterdam-mpg-plus',
    );
  });

  it('routes by the municipality of the latest live signal', () => {
    // Prepare: an older Amersfoort signal, a newer Utrecht one.
    const signals = [
      care(['debt'], { municipalityCode: CODES.amersfoort, at: Date.parse('2026-05-01T10:00:00+02:00') }),
      arrears({ monthsInArrears: 2 }, { municipalityCode: CODES.utrecht, at: Date.parse('2026-06-01T10:00:00+02:00') }),
    ];

    // Act / Assess
    expect(routeOf('utrecht', signals).routing.team).toBe('utrecht-buurtteam-binnenstad');
  });
});

describe('routeHousehold: district teams', () => {
  it.each([
    ['6511', 'nijmegen-regieteam-centrum'],
    ['6520', 'nijmegen-regieteam-oost'],
    ['6530', 'nijmegen-regieteam-zuid'],
    ['6546', 'nijmegen-regieteam-dukenburg-lindenholt'],
    ['6542', 'nijmegen-regieteam-oud-west'],
    ['6545', 'nijmegen-regieteam-nieuw-west'],
  ])('sends a Nijmegen case in postcode area %s to %s', (area, team) => {
    // Act
    const { routing } = routeOf('nijmegen', PROFILES.caseWithHealth(CODES.nijmegen), `${area} XY`);

    // Assess
    expect(routing.team).toBe(team);
    expect(routing.reasons).toEqual([]);
  });

  it.each([
    ['nijmegen', '6663 AB', 'nijmegen-onbekende-wijk'], // Lent, Nijmegen-Noord
    ['utrecht', '3601 AB', 'utrecht-onbekende-wijk'],
  ] as const)('sends a %s case outside the district map (%s) to %s, saying why', (municipality, postcode, team) => {
    // Act
    const { routing } = routeOf(municipality, PROFILES.caseWithHealth(CODES[municipality]), postcode);

    // Assess
    expect(routing.team).toBe(team);
    expect(routing.reasons.map((r) => r.code)).toEqual(['district-unknown']);
  });

  it('routes by the address, not by the code its signals carry', () => {
    // Prepare: an Amsterdam dwelling whose live signal says Utrecht (stored before intake checked it).
    const state = household([arrears({}, { municipalityCode: CODES.utrecht })], { address: normaliseAddress({ postcode: '1012AB', houseNumber: 5 }) });
    const view = viewHousehold(state, policy.settings, Date.parse('2026-06-15T10:00:00+02:00'));

    // Act
    const routing = routeHousehold(view, 'eviction-threat', state.address, policy);

    // Assess
    expect(routing).toMatchObject({ team: 'amsterdam-vroeg-eropaf', municipalityCode: CODES.amsterdam });
  });

  it.each([
    ['5013 AB', 'tilburg-buurtregieteam-hasselt'],
    ['5056 AB', 'tilburg-buurtregieteam-heikant-quirijnstok'], // Berkel-Enschot
    ['5049 AB', 'tilburg-buurtregieteam-reeshof-zuid'],
  ])('sends a Tilburg case in %s to %s', (postcode, team) => {
    expect(routeOf('tilburg', PROFILES.caseWithHealth(CODES.tilburg), postcode).routing.team).toBe(team);
  });

  it.each([
    ['3581 AB', 'utrecht-buurtteam-oost'],
    ['3452 AB', 'utrecht-buurtteam-vleuten-de-meern'],
    ['3521 AB', 'utrecht-buurtteam-zuidwest'],
  ])('sends a Utrecht case in %s to %s', (postcode, team) => {
    expect(routeOf('utrecht', PROFILES.caseWithHealth(CODES.utrecht), postcode).routing.team).toBe(team);
  });

  it('does not route a district municipality by district at levels whose route names a fixed team', () => {
    expect(routeOf('utrecht', PROFILES.evictionThreat(CODES.utrecht), '3601 AB').routing).toEqual({
      team: 'utrecht-voorkom-huisuitzetting',
      municipalityCode: CODES.utrecht,
      reasons: [],
    });
  });
});

describe('routeHousehold: no municipal policy', () => {
  it('sends a household in a municipality without a policy to unrouted, saying why', () => {
    // Act
    const { routing } = routeOf('unknown', PROFILES.caseWithHealth(CODES.unknown));

    // Assess
    expect(routing.team).toBe('unrouted');
    expect(routing.municipalityCode).toBe(CODES.unknown);
    expect(routing.reasons).toHaveLength(1);
    expect(routing.reasons[0]?.code).toBe('no-municipal-policy');
    expect(routing.reasons[0]?.text).toContain(CODES.unknown);
  });

  it('sends a household without live signals to unrouted rather than nowhere', () => {
    // Prepare
    const view = viewHousehold(household([]), policy.settings, Date.parse('2026-06-15T10:00:00+02:00'));

    // Act: an address outside every policy municipality (Zeist), so only its signals could name one.
    const routing = routeHousehold(view, 'signal', normaliseAddress({ postcode: '3701AA', houseNumber: 1 }), policy);

    // Assess
    expect(routing.team).toBe('unrouted');
    expect(routing.reasons.map((r) => r.code)).toEqual(['no-municipal-policy']);
  });
});

describe('districtOf: where in its municipality an alert is, for the team inbox', () => {
  it.each([
    ['utrecht', '3511 AB', 'binnenstad'],
    ['nijmegen', '6546 XY', 'dukenburg-lindenholt'],
    ['amsterdam', '1012 AB', '1012'],
    ['unknown', '3701 AB', '3701'],
  ] as const)('gives a %s address in %s the district %s: the policy district, else the postcode area', (municipality, postcode, district) => {
    expect(districtOf(normaliseAddress({ postcode, houseNumber: 1 }), CODES[municipality], policy)).toBe(district);
  });

  it("gives an address outside the municipality's district map its postcode area", () => {
    expect(districtOf(normaliseAddress({ postcode: '1012 AB', houseNumber: 1 }), CODES.utrecht, policy)).toBe('1012');
  });
});
