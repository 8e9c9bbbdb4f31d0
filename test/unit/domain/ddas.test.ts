/**
 * The DDAS export's mapping, on hand-built records: which signals and cases it holds, what the
 * alerts' lives become, and that every value of the standard's enumerations is either made by
 * the mapping or, for a stated reason, never made.
 */
import { describe, expect, it } from 'vitest';
import {
  CASE_DETAILS,
  CASE_RESULTS,
  CONTACT_CHANNELS,
  DDAS_CONTACTSOORTEN,
  DDAS_DAGDELEN,
  DDAS_EINDRESULTATEN,
  DDAS_GESLACHTSAANDUIDINGEN,
  DDAS_SIGNAALPARTNERS,
  DDAS_SIGNAALSTATUSSEN,
  NOT_TAKEN_REASONS,
  PARTS_OF_DAY,
  type DdasVroegsignaal,
} from '@vroegsignaal/events';
import { CARE_DOMAINS } from '@vroegsignaal/events';
import {
  contactpogingenOf,
  ddasDocument,
  monthsOfPeriod,
  normaliseAddress,
  resultaatOf,
  signaalpartnerOf,
  signaalstatusOf,
  type AlertIndexRecord,
  type AlertLife,
  type HouseholdState,
  type StoredSignal,
} from '@vroegsignaal/domain';
import { arrears, care, CODES, defaultPolicy, household, nuisance, proceeding } from './fixtures.ts';
import { checkDdas } from '../../support/ddas.ts';

const policy = defaultPolicy();
const at = (iso: string) => Date.parse(iso);

function alert(h: HouseholdState, signals: StoredSignal[], atIso: string, life?: AlertLife): AlertIndexRecord {
  return {
    alertId: `al-${atIso}`,
    householdRef: h.ref,
    team: 'utrecht-schuldhulp',
    level: 'signal',
    sequence: 0,
    atMs: at(atIso),
    deliveryId: `al-${atIso}`,
    reasonCodes: ['arrears-2m'],
    score: 10,
    respondByMs: at(atIso) + 14 * 86_400_000,
    district: '3511',
    signals: signals.map(({ partnerId, signalId }) => ({ partnerId, signalId })),
    ...(life ? { life } : {}),
    expiresAtMs: at(atIso) + 1e12,
  };
}

function lifeOfEntries(timeline: AlertLife['timeline'], rest: Partial<AlertLife> = {}): AlertLife {
  return { timeline, status: 'raised', ...rest };
}

const PERIOD = { municipalityCode: CODES.utrecht, from: '2026-10-01', to: '2026-12-31', nowMs: at('2027-01-05T09:00:00+01:00'), supplier: 'vroegsignaal 0.1.0' };

describe('the DDAS export', () => {
  // A household at 3511 AB 12 a-bis with rent arrears, a care signal in debt, nuisance, other care and a proceeding.
  const rent = arrears({ amountCents: 145_099 }, { at: '2026-10-02T23:30:00+02:00', crisis: true, signalId: 'r-1', partnerId: 'mitros' });
  const debt = care(['debt', 'mentalHealth'], { at: '2026-09-20T10:00:00+02:00', signalId: 'c-1' });
  const noise = nuisance('noise', 'high', { at: '2026-10-03T10:00:00+02:00', signalId: 'n-1' });
  const health = care(['mentalHealth'], { at: '2026-10-04T10:00:00+02:00', signalId: 'c-2' });
  const summons = proceeding('summons', '2026-10-05', { signalId: 'p-1' });
  const address = normaliseAddress({ postcode: '3511 ab', houseNumber: 12, houseLetter: 'a', houseNumberAddition: 'bis' });
  const home = household([rent, debt, noise, health, summons], { address });
  const worked = alert(
    home,
    [rent, debt, noise],
    '2026-10-03T09:00:00+02:00',
    lifeOfEntries(
      [
        { type: 'raised', atMs: at('2026-10-03T09:00:00+02:00') },
        { type: 'picked-up', atMs: at('2026-10-04T10:00:00+02:00'), by: 'm1' },
        { type: 'attempt', atMs: at('2026-10-05T19:30:00+02:00'), channel: 'phone', partOfDay: 'evening', reached: false },
        { type: 'attempt', atMs: at('2026-10-06T09:00:00+02:00'), reached: true },
        { type: 'closed', atMs: at('2026-10-20T12:00:00+02:00'), result: 'resolved', detail: 'quick-fix' },
        { type: 'attempt', atMs: at('2026-10-21T12:00:00+02:00'), channel: 'letter', reached: false, afterEnd: true },
      ],
      { status: 'closed', ending: 'closed', pickedUpAtMs: at('2026-10-04T10:00:00+02:00'), closedAtMs: at('2026-10-20T12:00:00+02:00'), result: 'resolved', detail: 'quick-fix' },
    ),
  );
  const nuisanceOnly = alert(home, [noise, health], '2026-10-04T12:00:00+02:00');
  const document = ddasDocument({ ...PERIOD, alerts: [worked, nuisanceOnly], households: [home] }, policy);
  const levering = document.leveringen![0]!;
  const byId = new Map(levering.vroegsignalen!.map((s) => [s.ID, s]));

  it('validates, in zod and in the JSON Schema alike', () => {
    // Assess
    expect(checkDdas(document)).toEqual({ ajv: [], zod: [] });
    expect(document).toMatchObject({ startdatumLevering: '2026-10-01', einddatumLevering: '2026-12-31', aanleverdatumEnTijd: '2027-01-05T08:00:00Z', codeGegevensleverancier: 'vroegsignaal 0.1.0' });
    expect(levering).toMatchObject({ teller: 1, gemeentecode: CODES.utrecht, aanleverendeOrganisatie: { naam: 'Gemeente Utrecht' } });
  });

  it('holds rent arrears as Huur and care in debt as Overige; nuisance, proceedings and other care not at all', () => {
    // Assess
    expect([...byId.keys()].sort()).toEqual(['ggd:c-1', 'mitros:r-1']);
    expect(byId.get('mitros:r-1')).toEqual<DdasVroegsignaal>({
      ID: 'mitros:r-1',
      crisissignaal: true,
      bedrag: 1450,
      signaaldatum: '2026-10-02',
      status: 'Opgepakt',
      signaalpartner: { type: 'Huur' },
      client: { postcode: '3511AB', huisnummer: '12', huisnummertoevoeging: 'A BIS' },
    });
    expect(byId.get('ggd:c-1')).toMatchObject({ signaalpartner: { type: 'Overige' }, crisissignaal: false, signaaldatum: '2026-09-20', status: 'Opgepakt' });
    expect(byId.get('ggd:c-1')).not.toHaveProperty('bedrag');
    expect(JSON.stringify(document)).not.toMatch(/burgerservicenummer|geboortedatum/);
  });

  it('makes a case of an alert whose live signals include exported ones, with its matching period, pick-up, attempts and result', () => {
    // Assess
    expect(levering.vroegsignaalzaken).toEqual([
      {
        resultaat: '(Budget)advies en/of quick fix',
        matchingsdatum: '2026-10-03',
        startdatumMatchingperiode: '2026-04-03',
        einddatumMatchingperiode: '2026-10-03',
        datumOpgepakt: '2026-10-04',
        vroegsignalen: [{ ID: 'mitros:r-1' }, { ID: 'ggd:c-1' }],
        contactpogingen: [
          { soort: 'Telefoon', bereikt: false, datum: '2026-10-05', dagdeel: 'Avond' },
          { soort: 'Onbekend', bereikt: true, datum: '2026-10-06', dagdeel: 'Ochtend' },
        ],
      },
    ]);
  });

  it('leaves out signals observed outside the period that no case of the period handled, alerts raised outside it, forwarded alerts and signals sent in error', () => {
    // Prepare
    const before = arrears({}, { at: '2026-09-30T23:59:00+02:00', signalId: 'r-early' });
    const after = arrears({}, { at: '2027-01-01T00:00:00+01:00', signalId: 'r-late' });
    const mistaken = arrears({}, { at: '2026-11-01T10:00:00+01:00', signalId: 'r-error' });
    const forwardedAway = arrears({}, { at: '2026-11-02T10:00:00+01:00', signalId: 'r-fw' });
    const h = household([before, after, mistaken, forwardedAway], { withdrawals: [{ partnerId: 'mitros', signalId: 'r-error', reason: 'error', observedAtMs: at('2026-11-02T10:00:00+01:00') }] });
    const lateAlert = alert(h, [after], '2027-01-01T09:00:00+01:00');
    const forwarded = alert(h, [forwardedAway], '2026-11-02T12:00:00+01:00', lifeOfEntries([], { status: 'forwarded', ending: 'forwarded' }));

    // Act
    const result = ddasDocument({ ...PERIOD, alerts: [lateAlert, forwarded], households: [h] }, policy).leveringen![0]!;

    // Assess
    expect(result.vroegsignalen!.map((s) => [s.ID, s.status])).toEqual([['mitros:r-fw', 'Nog niet opgepakt']]);
    expect(result.vroegsignaalzaken).toEqual([]);
  });

  it('takes the delivering organisation from the policy', () => {
    // Prepare
    const organisation = { naam: 'Gemeente Utrecht', 'kvk-nummer': '12345678', contactpersonen: [{ naam: 'Vroegsignalering', email: 'vs@example.org' }] };
    const withDdas = { ...policy, municipality: (code: string) => ({ ...policy.municipality(code)!, ddas: { aanleverendeOrganisatie: organisation } }) };

    // Act
    const result = ddasDocument({ ...PERIOD, alerts: [], households: [] }, withDdas);

    // Assess
    expect(result.leveringen![0]!.aanleverendeOrganisatie).toEqual(organisation);
    expect(checkDdas(result)).toEqual({ ajv: [], zod: [] });
  });

  it('reads the months a period touches', () => {
    // Assess
    expect(monthsOfPeriod('2026-10-01', '2026-12-31')).toEqual(['2026-10', '2026-11', '2026-12']);
    expect(monthsOfPeriod('2026-12-15', '2027-01-02')).toEqual(['2026-12', '2027-01']);
    expect(() => monthsOfPeriod('2026-12-31', '2026-10-01')).toThrow(RangeError);
  });
});

describe("the DDAS export's enumerations", () => {
  const notTaken = (reason: string) => lifeOfEntries([{ type: 'not-taken', atMs: 1, reason }], { status: 'not-taken', ending: 'not-taken', closedAtMs: 1 });
  const closed = (result: string, detail?: string) =>
    lifeOfEntries([{ type: 'closed', atMs: 1, result, ...(detail ? { detail } : {}) }], { status: 'closed', ending: 'closed', closedAtMs: 1, pickedUpAtMs: 1, result, ...(detail ? { detail } : {}) });

  /** Values the pipeline never produces, and why. */
  const NEVER_PRODUCED = {
    // The pipeline's partners are housing corporations, police, health and care organisations: no tax office, CAK, DUO, utilities, mortgage lenders or health insurers.
    signaalpartner: ['Belastingdienst', 'CAK Eigen bijdrage', 'CAK Zorgverzekeringen', 'Dienst Toeslagen', 'DUO', 'Energie', 'Hypotheek', 'Water', 'Zorg'],
    // The pipeline never holds a person's sex (nor a BSN or a birth date): the client is an address.
    geslachtsaanduiding: [...DDAS_GESLACHTSAANDUIDINGEN],
  };

  it('makes every signaalpartner type but those of partners the pipeline does not have', () => {
    // Act
    const made = new Set([
      signaalpartnerOf({ type: 'RentArrearsReported' }),
      ...CARE_DOMAINS.map((d) => signaalpartnerOf({ type: 'CareSignalReported', care: { domains: [d] } })),
      signaalpartnerOf({ type: 'NuisanceReported' }),
      signaalpartnerOf({ type: 'EvictionProceedingUpdated' }),
    ]);
    made.delete(undefined);

    // Assess
    expect([...made, ...NEVER_PRODUCED.signaalpartner].sort()).toEqual([...DDAS_SIGNAALPARTNERS].sort());
  });

  it('makes every signal status', () => {
    // Act
    const made = new Set([
      signaalstatusOf(undefined),
      signaalstatusOf(lifeOfEntries([], { pickedUpAtMs: 1 })),
      ...NOT_TAKEN_REASONS.map((reason) => signaalstatusOf(notTaken(reason))),
    ]);

    // Assess
    expect([...made].sort()).toEqual([...DDAS_SIGNAALSTATUSSEN].sort());
  });

  it('makes every eindresultaat, from the not-taken reasons and the close details', () => {
    // Act
    const made = new Set([...NOT_TAKEN_REASONS.map((reason) => resultaatOf(notTaken(reason))), ...CASE_DETAILS.map((detail) => resultaatOf(closed('resolved', detail)))]);

    // Assess
    expect([...made].sort()).toEqual([...DDAS_EINDRESULTATEN].sort());
  });

  it('gives a case closed without detail a resultaat only where its v1 result says one', () => {
    // Act
    const made = Object.fromEntries(CASE_RESULTS.map((result) => [result, resultaatOf(closed(result))]));

    // Assess
    expect(made).toEqual({
      resolved: undefined,
      referred: 'Vervolghulp en/of verwijzing',
      'no-contact': 'Definitief geen contact kunnen krijgen',
      declined: 'Inwoner regelt het zelf/hoeft geen hulp vanuit vroegsignalering',
    });
    expect(resultaatOf(undefined)).toBeUndefined();
  });

  it('makes every contactsoort (Onbekend for an attempt without a channel) and every dagdeel', () => {
    // Prepare
    const attempts = lifeOfEntries([
      ...CONTACT_CHANNELS.flatMap((channel) => PARTS_OF_DAY.map((partOfDay) => ({ type: 'attempt' as const, atMs: 1, channel, partOfDay, reached: false }))),
      { type: 'attempt', atMs: at('2026-10-05T15:00:00+02:00'), reached: true },
    ]);

    // Act
    const made = contactpogingenOf(attempts);

    // Assess
    expect([...new Set(made.map((a) => a.soort))].sort()).toEqual([...DDAS_CONTACTSOORTEN].sort());
    expect([...new Set(made.map((a) => a.dagdeel))].sort()).toEqual([...DDAS_DAGDELEN].sort());
    expect(made.at(-1)).toEqual({ soort: 'Onbekend', bereikt: true, datum: '2026-10-05', dagdeel: 'Middag' });
  });
});
