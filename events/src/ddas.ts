/**
 * The VNG DDAS exchange model for early signalling (vroegsignalering schulden), version 1.2:
 * the document a municipality's system delivers to the national statistics office. Written
 * from the standard's model (`json_schema_Uitwisselmodel.json`, JSON Schema draft 2020-12);
 * names and enumeration values are the standard's own, spelled exactly, so a document that
 * passes here passes there. Every object is closed: a field the standard does not name is an error.
 */
import * as z from 'zod';

// ---------------------------------------------------------------------------------------
// Enumerations, in the standard's order

export const DDAS_SIGNAALPARTNERS = ['Belastingdienst', 'CAK Eigen bijdrage', 'CAK Zorgverzekeringen', 'Dienst Toeslagen', 'DUO', 'Energie', 'Huur', 'Hypotheek', 'Overige', 'Water', 'Zorg'] as const;
export type DdasSignaalpartner = (typeof DDAS_SIGNAALPARTNERS)[number];

export const DDAS_SIGNAALSTATUSSEN = [
  'Nog niet opgepakt',
  'Opgepakt',
  'Niet opgepakt: onterecht signaal',
  'Niet opgepakt: herhaalde melding',
  'Niet opgepakt: andere reden',
  'Inwoner al bekend bij schuldhulpverlening',
  'Inwoner is overleden',
  'Persoon is geen inwoner (meer) in de gemeente',
] as const;
export type DdasSignaalstatus = (typeof DDAS_SIGNAALSTATUSSEN)[number];

export const DDAS_EINDRESULTATEN = [
  '(Budget)advies en/of quick fix',
  'Definitief geen contact kunnen krijgen',
  'Geen reactie na eerder contact',
  'Inwoner al bekend bij schuldhulpverlening',
  'Inwoner heeft al een ander lopend traject',
  'Inwoner heeft zelf al betaald/betalingsregeling getroffen',
  'Inwoner is overleden',
  'Inwoner regelt het zelf/hoeft geen hulp vanuit vroegsignalering',
  'Niet opgepakt: andere reden',
  'Niet opgepakt: herhaalde melding',
  'Niet opgepakt: onterecht signaal',
  'Persoon is geen inwoner (meer) in de gemeente',
  'Vervolghulp en/of verwijzing',
  'Vervolghulp en/of verwijzing financieel',
  'Vervolghulp en/of verwijzing niet financieel',
  'Verwijzing zonder tussenkomst inwoner',
] as const;
export type DdasEindresultaat = (typeof DDAS_EINDRESULTATEN)[number];

export const DDAS_CONTACTSOORTEN = ['Administratief', 'Afspraak op locatie', 'Brief', 'Huisbezoek', 'Kaartje', 'Mail', 'Onbekend', 'Overige', 'SMS/Whatsapp', 'Telefoon'] as const;
export type DdasContactsoort = (typeof DDAS_CONTACTSOORTEN)[number];

export const DDAS_DAGDELEN = ['Ochtend', 'Middag', 'Avond'] as const;
export type DdasDagdeel = (typeof DDAS_DAGDELEN)[number];

export const DDAS_GESLACHTSAANDUIDINGEN = ['Man', 'Vrouw', 'Onbekend', 'Leeg'] as const;
export type DdasGeslachtsaanduiding = (typeof DDAS_GESLACHTSAANDUIDINGEN)[number];

/** An enumeration under the standard's own name, so the JSON Schema has it in `$defs` as the standard does. */
function enumeration<const T extends readonly [string, ...string[]]>(id: string, values: T, description: string) {
  return z.enum(values).meta({ id, description });
}

const signaalpartnerSchema = enumeration('EnumSignaalpartner', DDAS_SIGNAALPARTNERS, 'Kind of signalling partner');
const signaalstatusSchema = enumeration('EnumSignaalstatus', DDAS_SIGNAALSTATUSSEN, 'What became of the signal');
const eindresultaatSchema = enumeration('EnumEindresultaat', DDAS_EINDRESULTATEN, 'How the case ended');
const contactsoortSchema = enumeration('EnumContactsoort', DDAS_CONTACTSOORTEN, 'How contact was attempted');
const dagdeelSchema = enumeration('EnumDagdeel', DDAS_DAGDELEN, 'Part of the day: Ochtend, Middag or Avond');
const geslachtSchema = enumeration('geslacht', DDAS_GESLACHTSAANDUIDINGEN, 'Sex as registered, or that it is unknown');

// ---------------------------------------------------------------------------------------
// Scalars

const datum = z.iso.date().meta({ id: 'datum', description: 'A date, YYYY-MM-DD' });
const datumTijd = z.iso.datetime({ offset: true }).meta({ id: 'datum-tijd', description: 'Date and time, ISO 8601 with an offset or Z' });
const bedrag = z.int().meta({ id: 'bedrag', description: 'An amount of money in whole euros' });

/** Recursively key-sorted JSON: two values are the same item when these are equal (JSON Schema's `uniqueItems`). */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** A non-empty array whose items are pairwise different, in zod and as `uniqueItems` in the JSON Schema. */
function nonEmptyUniqueArray<T extends z.ZodType>(item: T, description: string) {
  return z
    .array(item)
    .min(1)
    .superRefine((items, ctx) => {
      const seen = new Set<string>();
      items.forEach((entry, index) => {
        const key = canonicalJson(entry);
        if (seen.has(key)) ctx.addIssue({ code: 'custom', path: [index], message: 'repeats an earlier item; the items must be unique' });
        seen.add(key);
      });
    })
    .meta({ description, uniqueItems: true });
}

// ---------------------------------------------------------------------------------------
// Objects

export const ddasContactpersoonSchema = z
  .strictObject({
    naam: z.string().optional(),
    telefoonnummer: z.string().optional(),
    email: z.email().meta({ description: 'An e-mail address' }).optional(),
    functietitel: z.string().optional(),
  })
  .meta({ description: 'A contact person at the delivering organisation' });
export type DdasContactpersoon = z.infer<typeof ddasContactpersoonSchema>;

export const ddasAanleverendeOrganisatieSchema = z
  .strictObject({
    naam: z.string().optional(),
    'kvk-nummer': z.string().optional(),
    contactpersonen: nonEmptyUniqueArray(ddasContactpersoonSchema, 'At least one contact person, each once').optional(),
  })
  .meta({ description: 'The organisation that delivers the data: the municipality, or one that handles the signals on its behalf' });
export type DdasAanleverendeOrganisatie = z.infer<typeof ddasAanleverendeOrganisatieSchema>;

/** The client by citizen service number alone. */
const clientByBsnSchema = z.strictObject({
  burgerservicenummer: z.string().length(9).meta({ description: 'Citizen service number (BSN), 9 characters' }),
});

/** The client by address, without a BSN. */
const clientByAddressSchema = z.strictObject({
  postcode: z.string().meta({ description: 'Postcode, e.g. 1234AB' }),
  huisnummer: z.string().meta({ description: 'House number' }),
  huisnummertoevoeging: z.string().meta({ description: 'House letter and addition' }).optional(),
  geboortedatum: datum.optional(),
  geslachtsaanduiding: geslachtSchema.optional(),
});

export const ddasClientSchema = z
  .union([clientByBsnSchema, clientByAddressSchema])
  .meta({ description: 'The resident: either the burgerservicenummer alone, or (without it) postcode and huisnummer' });
export type DdasClient = z.infer<typeof ddasClientSchema>;

export const ddasVroegsignaalSchema = z
  .strictObject({
    ID: z.string().meta({ description: "The signal's id, unique within its levering" }),
    crisissignaal: z.boolean().meta({ description: 'Whether it is a crisis' }).optional(),
    warmeOverdracht: z.boolean().meta({ description: 'There is contact with the person already and the partner asks the municipality to take them on' }).optional(),
    bedrag: bedrag.optional(),
    ontstaansdatum: datum.optional(),
    signaaldatum: datum.optional(),
    status: signaalstatusSchema.optional(),
    signaalpartner: z.strictObject({ type: signaalpartnerSchema.optional() }).meta({ description: 'The kind of partner that sent the signal' }),
    client: ddasClientSchema,
  })
  .meta({ description: 'A signal of payment arrears a partner sent the municipality' });
export type DdasVroegsignaal = z.infer<typeof ddasVroegsignaalSchema>;

export const ddasContactpogingSchema = z
  .strictObject({
    soort: contactsoortSchema.optional(),
    bereikt: z.boolean().meta({ description: 'Whether the resident was reached' }).optional(),
    datum: datum.optional(),
    dagdeel: dagdeelSchema.optional(),
  })
  .meta({ description: 'An attempt of the municipality to reach the resident' });
export type DdasContactpoging = z.infer<typeof ddasContactpogingSchema>;

export const ddasVroegsignaalzaakSchema = z
  .strictObject({
    resultaat: eindresultaatSchema.optional(),
    matchingsdatum: datum.optional(),
    startdatumMatchingperiode: datum.optional(),
    einddatumMatchingperiode: datum.optional(),
    datumOpgepakt: datum.optional(),
    vroegsignalen: nonEmptyUniqueArray(
      z.strictObject({ ID: z.string() }).meta({ description: 'Refers to a vroegsignaal of the same levering by its ID' }),
      'The signals the case handles: at least one, each once, each a vroegsignaal of the same levering',
    ).optional(),
    contactpogingen: z.array(ddasContactpogingSchema).optional(),
  })
  .meta({ description: 'A case: the handling of one or more signals' });
export type DdasVroegsignaalzaak = z.infer<typeof ddasVroegsignaalzaakSchema>;

export const ddasLeveringSchema = z
  .strictObject({
    teller: z.int().meta({ description: 'Counts the deliveries in the file' }),
    gemeentecode: z.string().meta({ description: 'The CBS code of the municipality the delivery is for' }),
    aanleverendeOrganisatie: ddasAanleverendeOrganisatieSchema,
    vroegsignalen: z.array(ddasVroegsignaalSchema).optional(),
    vroegsignaalzaken: z.array(ddasVroegsignaalzaakSchema).optional(),
  })
  .superRefine((levering, ctx) => {
    // A reference JSON Schema cannot check: a case names signals of its own levering.
    const ids = new Set((levering.vroegsignalen ?? []).map((signaal) => signaal.ID));
    (levering.vroegsignaalzaken ?? []).forEach((zaak, z) => {
      (zaak.vroegsignalen ?? []).forEach((ref, r) => {
        if (!ids.has(ref.ID)) ctx.addIssue({ code: 'custom', path: ['vroegsignaalzaken', z, 'vroegsignalen', r, 'ID'], message: 'refers to no vroegsignaal of this levering' });
      });
    });
  })
  .meta({ description: "One municipality's signals and cases over the period" });
export type DdasLevering = z.infer<typeof ddasLeveringSchema>;

export const ddasUitwisselmodelSchema = z
  .strictObject({
    startdatumLevering: datum.meta({ description: 'First day of the period the delivery reports on' }),
    einddatumLevering: datum.meta({ description: 'Last day of the period the delivery reports on' }),
    aanleverdatumEnTijd: datumTijd.meta({ description: 'When the data was delivered' }),
    codeGegevensleverancier: z.string().meta({ description: 'The supplier that delivers the data (software and version, or hosting party)' }),
    leveringen: nonEmptyUniqueArray(ddasLeveringSchema, 'One delivery per municipality: at least one, each once').optional(),
  })
  .meta({ description: 'The DDAS v1.2 exchange model (Uitwisselmodel)' });
export type DdasUitwisselmodel = z.infer<typeof ddasUitwisselmodelSchema>;
