/**
 * The DDAS v1.2 exchange model: the zod schema and the JSON Schema generated from it accept
 * the documents the standard describes and refuse the same wrong ones.
 */
import { describe, expect, it } from 'vitest';
import { DDAS_CONTACTSOORTEN, DDAS_DAGDELEN, DDAS_EINDRESULTATEN, DDAS_SIGNAALPARTNERS, DDAS_SIGNAALSTATUSSEN, renderJsonSchemas } from '@vroegsignaal/events';
import { checkDdas } from '../../support/ddas.ts';

type Json = Record<string, unknown>;
type Levering = Json & { vroegsignalen: Json[]; vroegsignaalzaken: (Json & { contactpogingen: Json[] })[]; aanleverendeOrganisatie: Json };
type Document = Json & { codeGegevensleverancier: string; leveringen: Levering[] };

function validDocument(): Document {
  return {
    startdatumLevering: '2026-10-01',
    einddatumLevering: '2026-12-31',
    aanleverdatumEnTijd: '2027-01-05T09:00:00+01:00',
    codeGegevensleverancier: 'vroegsignaal 0.1.0',
    leveringen: [
      {
        teller: 1,
        gemeentecode: 'GM0344',
        aanleverendeOrganisatie: {
          naam: 'Gemeente Utrecht',
          'kvk-nummer': '12345678',
          contactpersonen: [{ naam: 'Team Vroegsignalering', email: 'vroegsignalering@example.org', telefoonnummer: '14 030', functietitel: 'coördinator' }],
        },
        vroegsignalen: [
          {
            ID: 'mitros:2026-0001',
            crisissignaal: false,
            bedrag: 1450,
            signaaldatum: '2026-10-02',
            status: 'Opgepakt',
            signaalpartner: { type: 'Huur' },
            client: { postcode: '3511AB', huisnummer: '12', huisnummertoevoeging: 'A bis' },
          },
          { ID: 'ggd:77', signaalpartner: { type: 'Overige' }, client: { burgerservicenummer: '123456782' } },
        ],
        vroegsignaalzaken: [
          {
            resultaat: '(Budget)advies en/of quick fix',
            matchingsdatum: '2026-10-03',
            startdatumMatchingperiode: '2026-07-05',
            einddatumMatchingperiode: '2026-10-03',
            datumOpgepakt: '2026-10-04',
            vroegsignalen: [{ ID: 'mitros:2026-0001' }, { ID: 'ggd:77' }],
            contactpogingen: [{ soort: 'Telefoon', bereikt: true, datum: '2026-10-05', dagdeel: 'Ochtend' }],
          },
        ],
      },
    ],
  };
}

/** The valid document with its first levering changed by `change`. */
function withLevering(change: (levering: Levering) => void): Document {
  const document = validDocument();
  change(document.leveringen[0]!);
  return document;
}

describe('DDAS v1.2 exchange model', () => {
  it('accepts a complete document, in zod and in the JSON Schema alike', () => {
    // Act
    const verdicts = checkDdas(validDocument());

    // Assess
    expect(verdicts).toEqual({ ajv: [], zod: [] });
  });

  it('accepts the smallest document the standard allows: the four required fields', () => {
    // Prepare
    const { leveringen: _leveringen, ...bare } = validDocument();

    // Act
    const verdicts = checkDdas(bare);

    // Assess
    expect(verdicts).toEqual({ ajv: [], zod: [] });
  });

  it('accepts every value of every enumeration where the standard uses it', () => {
    // Prepare
    const document = withLevering((levering) => {
      levering.vroegsignalen = DDAS_SIGNAALPARTNERS.flatMap((type, p) =>
        DDAS_SIGNAALSTATUSSEN.map((status, s) => ({ ID: `s-${p}-${s}`, status, signaalpartner: { type }, client: { postcode: '3511AB', huisnummer: '1' } })),
      );
      levering.vroegsignaalzaken = DDAS_EINDRESULTATEN.map((resultaat) => ({
        resultaat,
        vroegsignalen: [{ ID: 's-0-0' }],
        contactpogingen: DDAS_CONTACTSOORTEN.flatMap((soort) => DDAS_DAGDELEN.map((dagdeel) => ({ soort, dagdeel, bereikt: false, datum: '2026-10-05' }))),
      }));
    });

    // Act
    const verdicts = checkDdas(document);

    // Assess
    expect(verdicts).toEqual({ ajv: [], zod: [] });
  });

  const wrong: [string, () => unknown][] = [
    ['a property the standard does not name, at the top', () => ({ ...validDocument(), extra: true })],
    ['a property the standard does not name, in a vroegsignaal', () => withLevering((l) => Object.assign(l.vroegsignalen[0]!, { bsn: '123456782' }))],
    ['a property the standard does not name, in a contactpoging', () => withLevering((l) => Object.assign(l.vroegsignaalzaken[0]!.contactpogingen[0]!, { notitie: 'x' }))],
    ['a signaalpartner type that is not in EnumSignaalpartner', () => withLevering((l) => Object.assign(l.vroegsignalen[0]!, { signaalpartner: { type: 'huur' } }))],
    ['a status that is not in EnumSignaalstatus', () => withLevering((l) => Object.assign(l.vroegsignalen[0]!, { status: 'Gesloten' }))],
    ['a resultaat that is not in EnumEindresultaat', () => withLevering((l) => Object.assign(l.vroegsignaalzaken[0]!, { resultaat: 'Opgelost' }))],
    ['a contactsoort that is not in EnumContactsoort', () => withLevering((l) => Object.assign(l.vroegsignaalzaken[0]!.contactpogingen[0]!, { soort: 'SMS' }))],
    ['a dagdeel that is not in EnumDagdeel', () => withLevering((l) => Object.assign(l.vroegsignaalzaken[0]!.contactpogingen[0]!, { dagdeel: 'Nacht' }))],
    ['no codeGegevensleverancier', () => {
      const { codeGegevensleverancier: _code, ...rest } = validDocument();
      return rest;
    }],
    ['a levering without gemeentecode', () => withLevering((l) => delete l.gemeentecode)],
    ['a vroegsignaal without client', () => withLevering((l) => delete l.vroegsignalen[0]!.client)],
    ['a vroegsignaal without signaalpartner', () => withLevering((l) => delete l.vroegsignalen[0]!.signaalpartner)],
    ['a client with postcode but no huisnummer', () => withLevering((l) => Object.assign(l.vroegsignalen[0]!, { client: { postcode: '3511AB' } }))],
    ['a client with a BSN and an address', () => withLevering((l) => Object.assign(l.vroegsignalen[1]!, { client: { burgerservicenummer: '123456782', postcode: '3511AB', huisnummer: '1' } }))],
    ['a BSN that is not 9 characters', () => withLevering((l) => Object.assign(l.vroegsignalen[1]!, { client: { burgerservicenummer: '12345678' } }))],
    ['a date that is not YYYY-MM-DD', () => withLevering((l) => Object.assign(l.vroegsignalen[0]!, { signaaldatum: '02-10-2026' }))],
    ['a date that does not exist', () => ({ ...validDocument(), einddatumLevering: '2026-02-30' })],
    ['a date-time without an offset', () => ({ ...validDocument(), aanleverdatumEnTijd: '2027-01-05T09:00:00' })],
    ['a bedrag with cents', () => withLevering((l) => Object.assign(l.vroegsignalen[0]!, { bedrag: 1450.5 }))],
    ['no levering in leveringen', () => ({ ...validDocument(), leveringen: [] })],
    ['the same levering twice', () => ({ ...validDocument(), leveringen: [validDocument().leveringen[0], validDocument().leveringen[0]] })],
    ['a case without signals', () => withLevering((l) => Object.assign(l.vroegsignaalzaken[0]!, { vroegsignalen: [] }))],
    ['a case naming one signal twice', () => withLevering((l) => Object.assign(l.vroegsignaalzaken[0]!, { vroegsignalen: [{ ID: 'ggd:77' }, { ID: 'ggd:77' }] }))],
    ['an organisation with no contact person', () => withLevering((l) => Object.assign(l.aanleverendeOrganisatie, { contactpersonen: [] }))],
  ];

  it.each(wrong)('refuses %s, in zod and in the JSON Schema alike', (_name, make) => {
    // Act
    const verdicts = checkDdas(make());

    // Assess
    expect(verdicts.ajv).not.toEqual([]);
    expect(verdicts.zod).not.toEqual([]);
  });

  it('refuses, in zod, a case that names a signal its levering does not have (JSON Schema cannot say it)', () => {
    // Prepare
    const document = withLevering((l) => Object.assign(l.vroegsignaalzaken[0]!, { vroegsignalen: [{ ID: 'elsewhere:1' }] }));

    // Act
    const verdicts = checkDdas(document);

    // Assess
    expect(verdicts.ajv).toEqual([]);
    expect(verdicts.zod).toEqual(['leveringen.0.vroegsignaalzaken.0.vroegsignalen.0.ID: refers to no vroegsignaal of this levering']);
  });

  it("publishes its enumerations under the standard's names in $defs", () => {
    // Act
    const schema = JSON.parse(renderJsonSchemas()['DdasUitwisselmodel.json']!) as { $defs: Record<string, { enum?: string[] }> };

    // Assess
    expect(schema.$defs.EnumSignaalpartner!.enum).toEqual([...DDAS_SIGNAALPARTNERS]);
    expect(schema.$defs.EnumSignaalstatus!.enum).toEqual([...DDAS_SIGNAALSTATUSSEN]);
    expect(schema.$defs.EnumEindresultaat!.enum).toEqual([...DDAS_EINDRESULTATEN]);
    expect(schema.$defs.EnumContactsoort!.enum).toEqual([...DDAS_CONTACTSOORTEN]);
    expect(schema.$defs.EnumDagdeel!.enum).toEqual([...DDAS_DAGDELEN]);
  });
});
