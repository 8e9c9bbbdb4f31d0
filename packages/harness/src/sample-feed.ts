/**
 * The shipped sample feed, which `npm run samples` (cli/sample-feed.ts) writes to
 * events/samples/feed.ndjson and events/samples/README.md.
 *
 * A seeded, deterministic generator (the harness's PRNG, never Math.random, never the
 * wall clock): the same code always writes the same bytes, and a unit test checks that the
 * committed files are what this module generates.
 *
 * The feed is NDJSON of EventBridge `PutEvents` entries (docs/contract.md,
 * section 4): about eight months of partner signals before the replay clock
 * `SAMPLE_FEED_NOW`, with stories that exercise every routing row of
 * docs/policy.md, background noise that looks like a real month of
 * partner traffic, and a handful of intentionally broken lines. All data is fake: postcodes
 * in each municipality's real range, made-up names, phones and addresses at example.nl.
 * Postcodes, household keys and entry lines are written with the feed generator's building
 * blocks (feed-generator.ts), so there is one way to write an entry.
 */
import { amsterdamWallTimeMs, formatAmsterdamIso } from '@vroegsignaal/calendar';
import { alertIdFor, householdRef, normaliseAddress } from '@vroegsignaal/domain';
import { SAMPLE_FEED_NOW, TEAM_SOURCE_PREFIX, type Level, type TeamReportByType } from '@vroegsignaal/events';
import { LOCAL_HOUSEHOLD_SECRET } from '@vroegsignaal/stand-ins';
import { drawPostcode, eventTime, householdKey, MUNICIPALITY_HOUSING, partnerEntryLine, writePostcode, type PostcodeStyle } from './feed-generator.ts';
import { Rng } from './rng.ts';

/** The PRNG seed. Changing it changes every generated value (and the committed files). */
export const SAMPLE_FEED_SEED = 20261115;

const NOW_MS = Date.parse(SAMPLE_FEED_NOW);
const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
/** The account id some lines carry; the defaults register no account ids, so it is accepted. */
const SAMPLE_ACCOUNT = '123456789012';

// ---------------------------------------------------------------------------------------
// Time in Europe/Amsterdam

interface Instant {
  /** ISO-8601 with the Amsterdam offset, as partners write observedAt. */
  iso: string;
  ms: number;
  /** The local calendar date, YYYY-MM-DD. */
  date: string;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** A wall-clock time in Amsterdam: `at('2026-06-03', '07:12')`. */
function at(date: string, time: string, seconds = 0): Instant {
  const ms = amsterdamWallTimeMs(date, time, seconds);
  return { iso: formatAmsterdamIso(new Date(ms)), ms, date };
}

function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const shifted = new Date(Date.UTC(y, m - 1, d + days));
  return `${shifted.getUTCFullYear()}-${pad(shifted.getUTCMonth() + 1)}-${pad(shifted.getUTCDate())}`;
}

function weekday(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

// ---------------------------------------------------------------------------------------
// The registry the feed is written against (docs/policy.md)

interface MunicipalityInfo {
  code: string;
  name: string;
  corporations: readonly string[];
  /** Share of the background households. */
  backgroundHouseholds: number;
}

const MUNICIPALITIES = {
  amersfoort: { code: 'GM0307', name: 'Amersfoort', corporations: ['portaal', 'de-alliantie', 'omnia'], backgroundHouseholds: 16 },
  amsterdam: { code: 'GM0363', name: 'Amsterdam', corporations: ['eigen-haard', 'de-key', 'rochdale', 'stadgenoot', 'ymere', 'de-alliantie'], backgroundHouseholds: 30 },
  denhaag: { code: 'GM0518', name: 'Den Haag', corporations: ['haag-wonen', 'staedion', 'vestia'], backgroundHouseholds: 23 },
  maastricht: { code: 'GM0935', name: 'Maastricht', corporations: ['woonpunt', 'servatius', 'maasvallei'], backgroundHouseholds: 15 },
  nijmegen: { code: 'GM0268', name: 'Nijmegen', corporations: ['talis', 'portaal'], backgroundHouseholds: 16 },
  rotterdam: { code: 'GM0599', name: 'Rotterdam', corporations: ['havensteder', 'woonstad-rotterdam'], backgroundHouseholds: 27 },
  tilburg: { code: 'GM0855', name: 'Tilburg', corporations: ['wonenbreburg', 'tiwos', 'tbv-wonen'], backgroundHouseholds: 16 },
  utrecht: { code: 'GM0344', name: 'Utrecht', corporations: ['mitros', 'boex', 'groenwest', 'ssh', 'portaal'], backgroundHouseholds: 24 },
  groningen: { code: 'GM0014', name: 'Groningen', corporations: [], backgroundHouseholds: 0 },
} as const satisfies Record<string, MunicipalityInfo>;
type MunicipalityKey = keyof typeof MUNICIPALITIES;

/** The eight municipalities with a policy in the shipped defaults. */
export const SAMPLE_FEED_MUNICIPALITIES: readonly string[] = Object.values(MUNICIPALITIES)
  .filter((m) => m.code !== 'GM0014')
  .map((m) => m.code);

/** Each partner's signalId style: a prefix and a running number that starts somewhere. */
const SIGNAL_ID_STYLE: Record<string, { format: (n: number) => string; start: number }> = {
  'portaal': { format: (n) => `PTL-2026-${pad(n, 6)}`, start: 4_210 },
  'de-alliantie': { format: (n) => `DA-HA-26-${pad(n, 5)}`, start: 1_880 },
  'omnia': { format: (n) => `omnia-2026-${pad(n, 4)}`, start: 312 },
  'eigen-haard': { format: (n) => `EH/2026/${pad(n, 5)}`, start: 7_015 },
  'de-key': { format: (n) => `dekey-ha-${pad(n, 6)}`, start: 20_440 },
  'rochdale': { format: (n) => `RD-2026-${pad(n, 5)}`, start: 3_102 },
  'stadgenoot': { format: (n) => `SG${pad(n, 7)}`, start: 1_550_300 },
  'ymere': { format: (n) => `YM-26-${pad(n, 5)}`, start: 9_044 },
  'haag-wonen': { format: (n) => `HW-2026-${pad(n, 5)}`, start: 2_230 },
  'staedion': { format: (n) => `STD-${pad(n, 7)}`, start: 880_120 },
  'vestia': { format: (n) => `VES-26-${pad(n, 4)}`, start: 415 },
  'woonpunt': { format: (n) => `WP-2026-${pad(n, 5)}`, start: 1_207 },
  'servatius': { format: (n) => `SRV-${pad(n, 5)}`, start: 44_810 },
  'maasvallei': { format: (n) => `MV-26-${pad(n, 4)}`, start: 118 },
  'talis': { format: (n) => `TAL-2026-${pad(n, 5)}`, start: 5_530 },
  'havensteder': { format: (n) => `HS-26-${pad(n, 5)}`, start: 12_004 },
  'woonstad-rotterdam': { format: (n) => `WSR-2026-${pad(n, 5)}`, start: 8_761 },
  'wonenbreburg': { format: (n) => `WBB-26-${pad(n, 5)}`, start: 3_390 },
  'tiwos': { format: (n) => `TIW-${pad(n, 5)}`, start: 20_117 },
  'tbv-wonen': { format: (n) => `TBV-2026-${pad(n, 4)}`, start: 640 },
  'mitros': { format: (n) => `MIT-2026-${pad(n, 5)}`, start: 6_120 },
  'boex': { format: (n) => `BX-26-${pad(n, 4)}`, start: 233 },
  'groenwest': { format: (n) => `GW-2026-${pad(n, 5)}`, start: 1_410 },
  'ssh': { format: (n) => `SSH-${pad(n, 5)}`, start: 30_502 },
  'politie': { format: (n) => `POL-2026-${pad(n, 7)}`, start: 4_118_020 },
  'ggd': { format: (n) => `GGD-2026-${pad(n, 5)}`, start: 10_233 },
  'leger-des-heils': { format: (n) => `LDH-${pad(n, 6)}`, start: 77_410 },
  'mondriaan': { format: (n) => `MDR-26-${pad(n, 5)}`, start: 2_918 },
  'jeugdzorg': { format: (n) => `JZ-2026-${pad(n, 5)}`, start: 4_402 },
};

// ---------------------------------------------------------------------------------------
// Fake people and addresses

const AVOIDED_POSTCODE_LETTERS = new Set(['SA', 'SD', 'SS']);

const SURNAMES = [
  'de Vries', 'Jansen', 'van den Berg', 'Bakker', 'Visser', 'Smit', 'Meijer', 'de Boer', 'Mulder', 'de Groot',
  'Bos', 'Vos', 'Peters', 'Hendriks', 'van Leeuwen', 'Dekker', 'Brouwer', 'de Wit', 'Dijkstra', 'Smits',
  'de Graaf', 'van der Meer', 'Kok', 'Jacobs', 'de Haan', 'Vermeulen', 'van Dijk', 'Schouten', 'Willems', 'Hoekstra',
  'Yilmaz', 'El Amrani', 'Bouzid', 'Öztürk', 'Kaya', 'Pinas', 'Martina', 'Nguyen', 'Haddou', 'Ramdin',
  'Verbeek', 'Kuipers', 'Post', 'van Rijn', 'Claassen', 'Lambermont', 'Janssen', 'Wauben', 'Aydın', 'Mohamud',
];
const FIRST_NAMES = [
  'Jan', 'Anouk', 'Mohamed', 'Sanne', 'Priya', 'Kees', 'Fatima', 'Ruud', 'Ilse', 'Yusuf',
  'Marieke', 'Dewi', 'Henk', 'Samira', 'Bram', 'Esther', 'Oumaima', 'Gerrit', 'Noor', 'Tiago',
  'Wendy', 'Mehmet', 'Lotte', 'Ricardo', 'Ingrid', 'Ayoub', 'Petra', 'Thijs', 'Zeynep', 'Chantal',
];

interface Person {
  first: string;
  surname: string;
  phone: string;
  email: string;
}

/** A household: one dwelling, as the partners' registers know it. */
interface Household {
  municipality: MunicipalityInfo;
  area: number;
  letters: string;
  houseNumber: number;
  houseLetter?: string;
  addition?: string;
  rentCents: number;
  person?: Person;
  minors?: number;
  adults?: number;
}

function surnameSlug(surname: string): string {
  return surname
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ı/g, 'i')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
}

/** The ways people write a Dutch mobile number (all fake: 06 plus random digits). */
function phoneNumber(rng: Rng): string {
  const d = `${rng.int(1, 5)}${rng.digits(7)}`;
  const [a, b] = [d.slice(0, 4), d.slice(4)];
  return rng.weighted<string>([
    [`06-${a} ${b}`, 4],
    [`06 ${a} ${b}`, 2],
    [`06${d}`, 2],
    [`06-${d}`, 2],
    [`+31 6 ${a} ${b}`, 2],
    [`+31 6 ${d}`, 1],
    [`+316${d}`, 1],
    [`(06) ${a}${b}`, 1],
  ]);
}

function makePerson(rng: Rng): Person {
  const first = rng.pick(FIRST_NAMES);
  const surname = rng.pick(SURNAMES);
  const slug = surnameSlug(surname);
  const email = rng.weighted<string>([
    [`${first[0]!.toLowerCase()}.${slug}@example.nl`, 4],
    [`${first.toLowerCase()}.${slug}@example.nl`, 3],
    [`${first.toLowerCase()}${rng.int(60, 99)}@example.nl`, 2],
    [`${slug}${rng.int(1, 9)}${rng.int(0, 9)}@example.nl`, 1],
  ]);
  return { first, surname, phone: phoneNumber(rng), email };
}

/** How a partner writes a name: "J. de Vries", "Jan de Vries", "De Vries, J.". */
function nameAs(person: Person, style: number): string {
  const initial = `${person.first[0]}.`;
  switch (style % 3) {
    case 0:
      return `${initial} ${person.surname}`;
    case 1:
      return `${person.first} ${person.surname}`;
    default: {
      const capitalised = person.surname[0]!.toUpperCase() + person.surname.slice(1);
      return `${capitalised}, ${initial}`;
    }
  }
}

// ---------------------------------------------------------------------------------------
// The feed being built

export interface SampleFeedProblemLine {
  /** 1-based physical line number in feed.ndjson. */
  line: number;
  /** What is wrong with it, for the README. */
  problem: string;
  /** `rejected`: one rejected outcome; `skipped`: a blank line, which gets no outcome. */
  expected: 'rejected' | 'skipped';
}

export interface SampleFeedStory {
  municipality: string;
  municipalityCode: string;
  title: string;
  /** What the replay should do with it, in words. */
  expect: string;
  lines: number[];
}

export interface SampleFeed {
  lines: string[];
  problems: SampleFeedProblemLine[];
  stories: SampleFeedStory[];
  /** Line numbers of a few kinds of line tests look for. */
  marks: {
    duplicates: number[];
    withdrawals: number[];
    detailAsString: number[];
    withAccount: number[];
    /** Team reports (contract v1.1), each on a line with its own `Now`. */
    teamReports: number[];
    /** A team report sent again unchanged. */
    teamResends: number[];
    /** Withdrawals and the line of the signal they withdraw, when that is in the feed. */
    withdrawalPairs: { withdrawal: number; signal: number }[];
  };
}

interface Planned {
  /** When the entry was put on the bus: the feed is in this order (ties: plan order). */
  sentMs: number;
  seq: number;
  text: string;
  problem?: { text: string; expected: 'rejected' | 'skipped' };
  story?: StoryRecord;
  tags: Set<'duplicate' | 'withdrawal' | 'detail-string' | 'account' | 'team-report' | 'team-resend'>;
}

interface StoryRecord {
  municipality: MunicipalityInfo;
  title: string;
  expect: string;
  planned: Planned[];
}

interface EmitOptions {
  /** Attach contact data: 'all', a subset, or nothing. */
  contact?: 'all' | 'name-phone' | 'name-email' | 'phone' | false;
  /** Send household.minors/adults. */
  household?: boolean;
  crisis?: boolean;
  style?: PostcodeStyle;
  /** Upper- or lower-case the house letter / addition as written. */
  letterCase?: 'upper' | 'lower';
  /** Minutes between observedAt and the entry reaching the bus. */
  delayMinutes?: number;
  time?: boolean;
  account?: boolean;
  detailAsString?: boolean;
  signalId?: string;
}

interface Emitted {
  partner: string;
  signalId: string;
  detailType: string;
  detail: Record<string, unknown>;
  observedMs: number;
  planned: Planned;
}

type Body =
  | { type: 'RentArrearsReported'; arrears: Record<string, unknown> }
  | { type: 'NuisanceReported'; nuisance: Record<string, unknown> }
  | { type: 'EvictionProceedingUpdated'; proceeding: Record<string, unknown> }
  | { type: 'CareSignalReported'; care: Record<string, unknown> }
  | { type: 'SignalWithdrawn'; withdrawal: Record<string, unknown> };

class FeedBuilder {
  readonly rng: Rng;
  private readonly planned: Planned[] = [];
  private readonly counters = new Map<string, number>();
  private readonly usedAddresses = new Set<string>();
  private readonly partnerStyle = new Map<string, PostcodeStyle>();
  private seq = 0;
  private readonly withdrawalPairs: { withdrawal: Planned; signal: Planned }[] = [];
  private currentStory: StoryRecord | undefined;
  readonly stories: StoryRecord[] = [];

  constructor(seed: number) {
    this.rng = new Rng(seed);
  }

  // --- dates drawn from the PRNG ---------------------------------------------------------

  /** A weekday between two dates (inclusive; a weekend draw moves to the Monday after). */
  rngDate(from: string, to: string): string {
    const span = Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
    return this.nextWeekday(addDays(from, this.rng.int(0, span)));
  }

  /** An office-hours time, HH:MM. */
  rngTime(): string {
    return `${pad(this.rng.int(8, 17))}:${pad(this.rng.int(0, 59))}`;
  }

  nextWeekday(date: string): string {
    let d = date;
    while (weekday(d) === 0 || weekday(d) === 6) d = addDays(d, 1);
    return d;
  }

  // --- households -------------------------------------------------------------------------

  household(
    key: MunicipalityKey,
    options: {
      area?: number;
      houseNumber?: number;
      houseLetter?: string;
      addition?: string;
      minors?: number;
      adults?: number;
      person?: boolean;
    } = {},
  ): Household {
    const municipality: MunicipalityInfo = MUNICIPALITIES[key];
    const rng = this.rng;
    for (;;) {
      // The committed feed was written when a municipality had a list of postcode ranges to
      // draw one from: the draw stays, so that its bytes do.
      rng.float();
      const { area, letters } = drawPostcode(rng, municipality.code, { area: options.area, avoided: AVOIDED_POSTCODE_LETTERS });
      const houseNumber = options.houseNumber ?? rng.weighted<number>([[rng.int(1, 60), 6], [rng.int(61, 250), 3], [rng.int(251, 900), 1]]);
      const houseLetter = options.houseLetter ?? (rng.chance(0.1) ? rng.pick(['A', 'B', 'C', 'D']) : undefined);
      const addition =
        options.addition ?? (houseLetter === undefined && rng.chance(0.18) ? rng.pick(['1', '2', '3', 'HS', 'BIS', '1HG', '2HG', 'II', '4', 'A01']) : undefined);
      const key = householdKey({ postcode: `${area}${letters}`, houseNumber, houseLetter, houseNumberAddition: addition });
      if (this.usedAddresses.has(key)) continue;
      this.usedAddresses.add(key);
      const [low, high] = MUNICIPALITY_HOUSING[municipality.code]!.rentCents;
      return {
        municipality,
        area,
        letters,
        houseNumber,
        ...(houseLetter !== undefined ? { houseLetter } : {}),
        ...(addition !== undefined ? { addition } : {}),
        rentCents: Math.round(rng.int(low, high) / 100) * 100 + rng.pick([0, 0, 35, 50, 75, 90]),
        ...(options.person === false ? {} : { person: makePerson(rng) }),
        ...(options.minors !== undefined ? { minors: options.minors } : {}),
        ...(options.adults !== undefined ? { adults: options.adults } : {}),
      };
    }
  }

  private styleOf(partner: string): PostcodeStyle {
    let style = this.partnerStyle.get(partner);
    if (!style) {
      style = this.rng.weighted<PostcodeStyle>([['spaced', 6], ['compact', 3], ['spaced-lower', 1], ['compact-lower', 1]]);
      this.partnerStyle.set(partner, style);
    }
    return style;
  }

  private address(household: Household, style: PostcodeStyle, letterCase: 'upper' | 'lower'): Record<string, unknown> {
    const postcode = writePostcode(household.area, household.letters, style);
    const cased = (value: string) => (letterCase === 'lower' ? value.toLowerCase() : value);
    return {
      postcode,
      houseNumber: household.houseNumber,
      ...(household.houseLetter !== undefined ? { houseLetter: cased(household.houseLetter) } : {}),
      ...(household.addition !== undefined ? { houseNumberAddition: cased(household.addition) } : {}),
    };
  }

  // --- stories ----------------------------------------------------------------------------

  story(key: MunicipalityKey, title: string, expect: string, body: () => void): void {
    const record: StoryRecord = { municipality: MUNICIPALITIES[key], title, expect, planned: [] };
    this.stories.push(record);
    this.currentStory = record;
    try {
      body();
    } finally {
      this.currentStory = undefined;
    }
  }

  // --- entries ----------------------------------------------------------------------------

  nextSignalId(partner: string): string {
    const style = SIGNAL_ID_STYLE[partner];
    if (!style) throw new Error(`no signalId style for ${partner}`);
    const previous = this.counters.get(partner) ?? style.start;
    const next = previous + this.rng.int(1, 37);
    this.counters.set(partner, next);
    return style.format(next);
  }

  private push(sentMs: number, text: string, extra: Partial<Pick<Planned, 'problem'>> & { tags?: Planned['tags'] } = {}): Planned {
    const planned: Planned = { sentMs, seq: this.seq++, text, tags: extra.tags ?? new Set(), ...(extra.problem ? { problem: extra.problem } : {}) };
    if (this.currentStory) {
      planned.story = this.currentStory;
      this.currentStory.planned.push(planned);
    }
    this.planned.push(planned);
    return planned;
  }

  private defaultDelay(partner: string): number {
    // Corporations send in a nightly or hourly batch; police and care send when the report is filed.
    return this.rng.weighted<number>(
      partner === 'politie' || partner === 'ggd' || partner === 'jeugdzorg' || partner === 'mondriaan' || partner === 'leger-des-heils'
        ? [[this.rng.int(2, 40), 6], [this.rng.int(41, 240), 3], [this.rng.int(241, 1_200), 1]]
        : [[this.rng.int(5, 90), 4], [this.rng.int(91, 600), 5], [this.rng.int(601, 1_500), 1]],
    );
  }

  emit(partner: string, household: Household, when: Instant, body: Body, options: EmitOptions = {}): Emitted {
    const rng = this.rng;
    const signalId = options.signalId ?? this.nextSignalId(partner);
    const detail: Record<string, unknown> = {
      schemaVersion: 1,
      signalId,
      observedAt: when.iso,
      municipalityCode: household.municipality.code,
      address: this.address(household, options.style ?? this.styleOf(partner), options.letterCase ?? 'upper'),
    };
    if (options.household && (household.minors !== undefined || household.adults !== undefined)) {
      detail.household = {
        ...(household.minors !== undefined ? { minors: household.minors } : {}),
        ...(household.adults !== undefined ? { adults: household.adults } : {}),
      };
    }
    const contactMode = options.contact ?? false;
    if (contactMode && household.person) {
      const person = household.person;
      const nameStyle = [...partner].reduce((sum, c) => sum + c.charCodeAt(0), 0);
      const contact: Record<string, string> = {};
      if (contactMode !== 'phone') contact.name = nameAs(person, nameStyle);
      if (contactMode === 'all' || contactMode === 'name-phone' || contactMode === 'phone') contact.phone = person.phone;
      if (contactMode === 'all' || contactMode === 'name-email') contact.email = person.email;
      detail.contact = contact;
    }
    if (options.crisis) detail.crisis = true;
    const { type, ...payload } = body;
    Object.assign(detail, payload);

    const sentMs = Math.min(when.ms + (options.delayMinutes ?? this.defaultDelay(partner)) * MINUTE_MS + rng.int(0, 59) * 1000, NOW_MS - 30 * MINUTE_MS);
    const tags: Planned['tags'] = new Set();
    if (type === 'SignalWithdrawn') tags.add('withdrawal');
    if (options.detailAsString) tags.add('detail-string');
    if (options.account) tags.add('account');
    const line = partnerEntryLine({
      partnerId: partner,
      detailType: type,
      detail,
      detailAsString: options.detailAsString,
      sentMs: options.time ? sentMs : undefined,
      account: options.account ? SAMPLE_ACCOUNT : undefined,
    });
    const planned = this.push(sentMs, line, { tags });
    return { partner, signalId, detailType: type, detail, observedMs: when.ms, planned };
  }

  /** The partner sends the same entry again (same signalId and detail): a duplicate. */
  resend(original: Emitted, delayMinutes: number, options: Pick<EmitOptions, 'detailAsString'> = {}): Planned {
    const sentMs = Math.min(original.planned.sentMs + delayMinutes * MINUTE_MS, NOW_MS - 10 * MINUTE_MS);
    const line = partnerEntryLine({ partnerId: original.partner, detailType: original.detailType, detail: original.detail, detailAsString: options.detailAsString, sentMs });
    const tags: Planned['tags'] = new Set(['duplicate']);
    if (options.detailAsString) tags.add('detail-string');
    return this.push(sentMs, line, { tags });
  }

  withdraw(original: Emitted, household: Household, when: Instant, reason: 'resolved' | 'paymentArrangement' | 'error', options: EmitOptions = {}): Emitted {
    const withdrawal = this.emit(original.partner, household, when, { type: 'SignalWithdrawn', withdrawal: { signalId: original.signalId, reason } }, options);
    this.withdrawalPairs.push({ withdrawal: withdrawal.planned, signal: original.planned });
    return withdrawal;
  }

  /**
   * A team's report on an alert the feed raised, on a line of its own clock (`Now`), after the
   * partner entries: the replay judges every partner entry at SAMPLE_FEED_NOW, so each alert's
   * id follows from the household, the team, the level and that moment, as the pipeline makes it.
   */
  teamReport<T extends keyof TeamReportByType>(team: string, household: Household, level: Level, type: T, when: Instant, fields: Omit<TeamReportByType[T], 'schemaVersion' | 'alertId' | 'at'>): Planned {
    const ref = householdRef(normaliseAddress(this.address(household, 'compact', 'upper') as { postcode: string; houseNumber: number }), LOCAL_HOUSEHOLD_SECRET);
    const alertId = alertIdFor({ ref, createdAtMs: NOW_MS }, team, level, 0);
    // The team's system sends a few minutes after the member acted.
    const line = JSON.stringify({ Now: formatAmsterdamIso(new Date(when.ms + 3 * MINUTE_MS)), Source: `${TEAM_SOURCE_PREFIX}${team}`, DetailType: type, Detail: { schemaVersion: 1, alertId, at: when.iso, ...fields } });
    return this.push(when.ms, line, { tags: new Set(['team-report']) });
  }

  /** The team's system sends the same report again (at least once delivery): it gets its first outcome. */
  resendTeamReport(original: Planned, when: Instant): Planned {
    const entry = JSON.parse(original.text) as Record<string, unknown>;
    return this.push(when.ms, JSON.stringify({ ...entry, Now: when.iso }), { tags: new Set(['team-report', 'team-resend']) });
  }

  /** A line that breaks the contract on purpose. `text` is the raw line. */
  broken(sentAt: Instant, text: string, problem: string, expected: 'rejected' | 'skipped' = 'rejected'): Planned {
    return this.push(sentAt.ms, text, { problem: { text: problem, expected } });
  }

  /** A broken line built from an entry object. */
  brokenEntry(sentAt: Instant, entry: Record<string, unknown>, problem: string): Planned {
    return this.broken(sentAt, JSON.stringify(entry), problem);
  }

  build(): SampleFeed {
    const ordered = [...this.planned].sort((a, b) => a.sentMs - b.sentMs || a.seq - b.seq);
    const lineOf = new Map<Planned, number>(ordered.map((p, i) => [p, i + 1]));
    const linesTagged = (tag: Parameters<Planned['tags']['has']>[0]) => ordered.filter((p) => p.tags.has(tag)).map((p) => lineOf.get(p)!);
    return {
      lines: ordered.map((p) => p.text),
      problems: ordered
        .filter((p) => p.problem)
        .map((p) => ({ line: lineOf.get(p)!, problem: p.problem!.text, expected: p.problem!.expected })),
      stories: this.stories.map((s) => ({
        municipality: s.municipality.name,
        municipalityCode: s.municipality.code,
        title: s.title,
        expect: s.expect,
        lines: s.planned.map((p) => lineOf.get(p)!).sort((a, b) => a - b),
      })),
      marks: {
        duplicates: linesTagged('duplicate'),
        withdrawals: linesTagged('withdrawal'),
        detailAsString: linesTagged('detail-string'),
        withAccount: linesTagged('account'),
        teamReports: linesTagged('team-report'),
        teamResends: linesTagged('team-resend'),
        withdrawalPairs: this.withdrawalPairs
          .map((pair) => ({ withdrawal: lineOf.get(pair.withdrawal)!, signal: lineOf.get(pair.signal)! }))
          .sort((a, b) => a.withdrawal - b.withdrawal),
      },
    };
  }
}

// ---------------------------------------------------------------------------------------
// Signal bodies

function arrears(
  household: Household,
  months: number,
  extra: { reminderSentAt?: string; paymentArrangement?: boolean; costsCents?: number; amountCents?: number } = {},
): Body {
  const amountCents = extra.amountCents ?? Math.round(months * household.rentCents) + (extra.costsCents ?? 0);
  return {
    type: 'RentArrearsReported',
    arrears: {
      amountCents,
      monthsInArrears: months,
      monthlyRentCents: household.rentCents,
      ...(extra.reminderSentAt ? { reminderSentAt: extra.reminderSentAt } : {}),
      ...(extra.paymentArrangement !== undefined ? { paymentArrangement: extra.paymentArrangement } : {}),
    },
  };
}

/** A small residue (under EUR 75) after a partial payment. */
function residue(household: Household, amountCents: number): Body {
  const months = Math.max(0.01, Math.round((amountCents / household.rentCents) * 100) / 100);
  return arrears(household, months, { amountCents });
}

function nuisance(category: string, severity: 'low' | 'medium' | 'high', extra: { reportCount?: number; verified?: boolean } = {}): Body {
  return { type: 'NuisanceReported', nuisance: { category, severity, ...extra } };
}

function proceeding(stage: string, stageDate: string, ground: 'arrears' | 'nuisance' | 'other', scheduledFor?: string): Body {
  return { type: 'EvictionProceedingUpdated', proceeding: { stage, stageDate, ...(scheduledFor ? { scheduledFor } : {}), ground } };
}

function care(domains: string[], stagnation?: boolean): Body {
  return { type: 'CareSignalReported', care: { domains, ...(stagnation !== undefined ? { stagnation } : {}) } };
}

// ---------------------------------------------------------------------------------------
// The stories: every routing row of municipalities.md, plus the contract's delivery rules

function writeStories(f: FeedBuilder): void {
  // --- Amersfoort (GM0307) ----------------------------------------------------------------
  f.story('amersfoort', 'omnia: 1 month of arrears in May, rising to a scheduled eviction on 8 December', 'signal to amersfoort-schuldhulp; eviction-threat (summons) and then urgent (scheduled within 8 weeks) to amersfoort-via; the resent 2-month signal is a duplicate', () => {
    const h = f.household('amersfoort', { area: 3823, adults: 1, minors: 0 });
    f.emit('omnia', h, at('2026-05-20', '06:40'), arrears(h, 1, { reminderSentAt: '2026-05-06' }), { contact: 'name-phone', household: true });
    const second = f.emit('omnia', h, at('2026-06-17', '06:41'), arrears(h, 2, { reminderSentAt: '2026-06-03', costsCents: 4_000 }), { time: true });
    f.resend(second, 26 * 60);
    f.emit('omnia', h, at('2026-07-15', '06:38'), arrears(h, 3, { costsCents: 11_500 }));
    f.emit('omnia', h, at('2026-08-04', '14:12'), proceeding('summons', '2026-08-03', 'arrears'), { contact: 'all' });
    f.emit('omnia', h, at('2026-09-24', '10:05'), proceeding('verdict', '2026-09-23', 'arrears'));
    f.emit('omnia', h, at('2026-11-03', '11:30'), proceeding('scheduled', '2026-11-02', 'arrears', '2026-12-08'), { contact: 'all', time: true });
    // The team's work on the urgent alert: picked up, two attempts, closed with a payment plan.
    f.teamReport('amersfoort-via', h, 'urgent', 'AlertPickedUp', at('2026-11-16', '08:55'), { by: 'via-0412' });
    const attempt = f.teamReport('amersfoort-via', h, 'urgent', 'ContactAttemptLogged', at('2026-11-16', '10:20'), { channel: 'phone', reached: false, by: 'via-0412' });
    f.resendTeamReport(attempt, at('2026-11-16', '10:40'));
    f.teamReport('amersfoort-via', h, 'urgent', 'ContactAttemptLogged', at('2026-11-17', '19:05'), { channel: 'home-visit', reached: true, by: 'via-0412' });
    f.teamReport('amersfoort-via', h, 'urgent', 'CaseClosed', at('2026-11-27', '10:00'), { result: 'resolved', detail: 'paid-or-arrangement', by: 'via-0412' });
  });
  f.story('amersfoort', 'de-alliantie arrears, then police and the corporation report threats and noise', 'signal to amersfoort-schuldhulp, then case with nuisance to amersfoort-woonoverlast', () => {
    const h = f.household('amersfoort', { area: 3813, adults: 2, minors: 0 });
    f.emit('de-alliantie', h, at('2026-08-12', '07:02'), arrears(h, 1.5), { contact: 'name-email', household: true });
    f.emit('de-alliantie', h, at('2026-09-02', '15:20'), nuisance('noise', 'medium', { reportCount: 4, verified: true }), { style: 'spaced' });
    f.emit('politie', h, at('2026-09-14', '23:48'), nuisance('threat', 'medium', { reportCount: 2, verified: true }), { style: 'compact' });
  });
  f.story('amersfoort', 'portaal arrears under the threshold plus a GGD mental-health signal', 'below-threshold, then case without nuisance to amersfoort-oggz', () => {
    const h = f.household('amersfoort', { area: 3822, adults: 1 });
    f.emit('portaal', h, at('2026-09-08', '06:15'), arrears(h, 0.5), { contact: 'name-phone' });
    f.emit('ggd', h, at('2026-09-21', '13:44'), care(['mentalHealth']), { style: 'compact-lower', contact: 'phone' });
  });
  f.story('amersfoort', 'omnia arrears of 1 month, withdrawn after a payment arrangement', 'signal to amersfoort-schuldhulp; the withdrawal is withdrawn (after the signal)', () => {
    const h = f.household('amersfoort', { area: 3825 });
    const signal = f.emit('omnia', h, at('2026-10-07', '06:44'), arrears(h, 1, { reminderSentAt: '2026-09-24' }));
    f.withdraw(signal, h, at('2026-10-22', '09:12'), 'paymentArrangement');
  });

  // --- Amsterdam (GM0363) -----------------------------------------------------------------
  f.story('amsterdam', 'ymere: 1 month (below Amsterdam\'s 2 months), then 2 months', 'below-threshold, then signal to amsterdam-vroeg-eropaf', () => {
    const h = f.household('amsterdam', { area: 1055 });
    f.emit('ymere', h, at('2026-08-05', '05:55'), arrears(h, 1, { reminderSentAt: '2026-07-22' }));
    f.emit('ymere', h, at('2026-09-04', '05:57'), arrears(h, 2, { reminderSentAt: '2026-08-21' }), { contact: 'all' });
  });
  f.story('amsterdam', 'stadgenoot arrears in a family with two children, youth care, then a summons', 'signal to amsterdam-vroeg-eropaf; case and then urgent (minors) to amsterdam-mpg-wonen', () => {
    const h = f.household('amsterdam', { area: 1034, minors: 2, adults: 1 });
    f.emit('stadgenoot', h, at('2026-07-10', '06:20'), arrears(h, 2.5), { household: true, contact: 'name-phone' });
    f.emit('jeugdzorg', h, at('2026-08-19', '11:05'), care(['youth', 'domesticViolence']), { household: true, style: 'compact' });
    f.emit('stadgenoot', h, at('2026-10-13', '09:40'), proceeding('summons', '2026-10-12', 'arrears'), { contact: 'all' });
  });
  f.story('amsterdam', 'de-key arrears of a single adult, then a GGD mental-health signal', 'signal to amsterdam-vroeg-eropaf, then case (health, no minors) to amsterdam-meldpunt-zorg-en-overlast', () => {
    const h = f.household('amsterdam', { area: 1064, adults: 1, minors: 0 });
    f.emit('de-key', h, at('2026-07-28', '07:10'), arrears(h, 2), { household: true, contact: 'name-phone' });
    f.emit('ggd', h, at('2026-08-25', '16:02'), care(['mentalHealth', 'addiction']), { style: 'compact' });
  });
  f.story('amsterdam', 'rochdale reports verified high-severity hoarding', 'case (nuisance, no minors) to amsterdam-meldpunt-zorg-en-overlast', () => {
    const h = f.household('amsterdam', { area: 1069, houseNumber: 212, addition: '3', adults: 1 });
    f.emit('rochdale', h, at('2026-10-01', '12:30'), nuisance('hoarding', 'high', { reportCount: 6, verified: true }), { contact: 'name-phone', household: true });
  });
  f.story('amsterdam', 'eigen-haard arrears and a Leger des Heils debt signal, no health or nuisance', 'signal, then case to amsterdam-vroeg-eropaf (the "any other case" row)', () => {
    const h = f.household('amsterdam', { area: 1093, adults: 2 });
    f.emit('eigen-haard', h, at('2026-09-09', '06:05'), arrears(h, 2, { reminderSentAt: '2026-08-26' }), { contact: 'name-email' });
    f.emit('leger-des-heils', h, at('2026-09-30', '10:48'), care(['debt', 'income']));
    // Leger des Heils already helps with the debts: the team does not take the case.
    f.teamReport('amsterdam-vroeg-eropaf', h, 'case', 'AlertNotTaken', at('2026-11-16', '11:00'), { reason: 'already-in-debt-help', by: 'vep-31' });
  });

  // --- Den Haag (GM0518) ------------------------------------------------------------------
  f.story('denhaag', 'haag-wonen arrears, sent again two weeks later with the same figures', 'signal to denhaag-schuldhulp; the second is a repeat', () => {
    const h = f.household('denhaag', { area: 2573 });
    f.emit('haag-wonen', h, at('2026-09-01', '07:00'), arrears(h, 2, { reminderSentAt: '2026-08-18' }), { contact: 'all' });
    f.emit('haag-wonen', h, at('2026-09-15', '07:00'), arrears(h, 2, { reminderSentAt: '2026-08-18' }));
  });
  f.story('denhaag', 'staedion writes "2525 bk" 14a, the police "2525BK" 14A: one household', 'signal to denhaag-schuldhulp, then case to denhaag-sociaal-casemanagement', () => {
    const h = f.household('denhaag', { area: 2525, houseNumber: 14, houseLetter: 'A', adults: 2, minors: 0 });
    f.emit('staedion', h, at('2026-08-26', '06:30'), arrears(h, 1.5), { style: 'spaced-lower', letterCase: 'lower', contact: 'name-phone', household: true });
    f.emit('politie', h, at('2026-09-06', '02:14'), nuisance('drugs', 'medium', { verified: true }), { style: 'compact', letterCase: 'upper' });
  });
  f.story('denhaag', 'vestia arrears and a GGD signal marked crisis (heating and power about to be cut off)', 'signal to denhaag-schuldhulp, then urgent (crisis) to denhaag-sociaal-casemanagement', () => {
    const h = f.household('denhaag', { area: 2541, minors: 1, adults: 1 });
    f.emit('vestia', h, at('2026-10-20', '06:50'), arrears(h, 3), { household: true, contact: 'all' });
    f.emit('ggd', h, at('2026-11-04', '15:35'), care(['health', 'income']), { crisis: true, contact: 'name-phone' });
  });
  f.story('denhaag', 'staedion summons, then the proceeding is withdrawn after payment', 'signal to denhaag-schuldhulp, eviction-threat to denhaag-sociaal-casemanagement; the withdrawn stage ends the proceeding', () => {
    const h = f.household('denhaag', { area: 2531 });
    f.emit('staedion', h, at('2026-07-07', '06:30'), arrears(h, 2));
    f.emit('staedion', h, at('2026-08-18', '10:10'), proceeding('summons', '2026-08-17', 'arrears'));
    f.emit('staedion', h, at('2026-09-29', '10:20'), proceeding('withdrawn', '2026-09-28', 'arrears'));
  });

  // --- Maastricht (GM0935) ----------------------------------------------------------------
  f.story('maastricht', 'woonpunt arrears of 1.5 months', 'signal to maastricht-schuldhulp', () => {
    const h = f.household('maastricht', { area: 6217 });
    f.emit('woonpunt', h, at('2026-10-06', '06:25'), arrears(h, 1.5), { contact: 'name-phone' });
  });
  f.story('maastricht', 'servatius arrears and a Mondriaan addiction signal: help has stalled', 'signal to maastricht-schuldhulp, then case with care stagnation to maastricht-procesmanagement', () => {
    const h = f.household('maastricht', { area: 6222, adults: 1 });
    f.emit('servatius', h, at('2026-08-11', '07:15'), arrears(h, 2), { contact: 'all' });
    f.emit('mondriaan', h, at('2026-09-16', '14:00'), care(['addiction', 'debt'], true));
    f.teamReport('maastricht-procesmanagement', h, 'case', 'AlertPickedUp', at('2026-11-17', '09:00'), { by: 'pm-2' });
    f.teamReport('maastricht-procesmanagement', h, 'case', 'ContactAttemptLogged', at('2026-11-17', '09:20'), { channel: 'card', reached: false, by: 'pm-2' });
  });
  f.story('maastricht', 'maasvallei neglect report and a GGD health signal', 'case to maastricht-vangnet-oggz', () => {
    const h = f.household('maastricht', { area: 6226, adults: 1 });
    f.emit('maasvallei', h, at('2026-09-22', '11:00'), nuisance('neglect', 'medium', { reportCount: 2 }), { contact: 'name-phone' });
    f.emit('ggd', h, at('2026-10-05', '09:30'), care(['health']));
  });
  f.story('maastricht', 'woonpunt summons with stalled social-work help (Leger des Heils)', 'signal to maastricht-schuldhulp, eviction-threat to maastricht-vangnet-oggz, then the same level to maastricht-procesmanagement once help is reported stalled (a change of team is a new alert)', () => {
    const h = f.household('maastricht', { area: 6214 });
    f.emit('woonpunt', h, at('2026-09-01', '06:25'), arrears(h, 3, { costsCents: 21_000 }));
    f.emit('woonpunt', h, at('2026-10-14', '13:05'), proceeding('summons', '2026-10-13', 'arrears'));
    f.emit('leger-des-heils', h, at('2026-10-21', '10:15'), care(['income', 'mentalHealth'], true), { contact: 'name-phone' });
  });

  // --- Nijmegen (GM0268) ------------------------------------------------------------------
  f.story('nijmegen', 'talis arrears of 1 month', 'signal to nijmegen-schuldhulp', () => {
    const h = f.household('nijmegen', { area: 6532 });
    f.emit('talis', h, at('2026-10-09', '06:10'), arrears(h, 1));
  });
  // One case per regieteam district: a corporation's arrears plus a second partner.
  const nijmegenCases: [number, string, string, () => Body][] = [
    [6512, 'nijmegen-regieteam-centrum', 'politie', () => nuisance('threat', 'low')],
    [6523, 'nijmegen-regieteam-oost', 'ggd', () => care(['health'])],
    [6534, 'nijmegen-regieteam-zuid', 'politie', () => nuisance('drugs', 'high', { verified: true })],
    [6538, 'nijmegen-regieteam-dukenburg-lindenholt', 'jeugdzorg', () => care(['youth', 'income'])],
    [6542, 'nijmegen-regieteam-oud-west', 'ggd', () => care(['addiction'])],
    [6545, 'nijmegen-regieteam-nieuw-west', 'mondriaan', () => care(['mentalHealth'])],
  ];
  for (const [area, team, other, otherBody] of nijmegenCases) {
    const corporation = area === 6538 || area === 6545 ? 'portaal' : 'talis';
    f.story('nijmegen', `${corporation} arrears and ${other} in postcode area ${area}`, `signal to nijmegen-schuldhulp, then case to ${team}`, () => {
      const h = f.household('nijmegen', { area, minors: area === 6538 ? 3 : 0, adults: 1 });
      f.emit(corporation, h, at(f.rngDate('2026-07-01', '2026-09-30'), '06:35'), arrears(h, f.rng.pick([1, 1.5, 2])), { contact: 'name-phone', household: true });
      f.emit(other, h, at(f.rngDate('2026-10-01', '2026-11-06'), f.rngTime()), otherBody());
    });
  }
  f.story('nijmegen', 'talis arrears and a Leger des Heils signal in Lent (6663, Nijmegen-Noord, not in the district map)', 'signal to nijmegen-schuldhulp, then case to nijmegen-onbekende-wijk', () => {
    const h = f.household('nijmegen', { area: 6663, adults: 2 });
    f.emit('talis', h, at('2026-08-20', '06:35'), arrears(h, 1.5), { contact: 'all' });
    f.emit('leger-des-heils', h, at('2026-09-10', '11:25'), care(['income', 'health']));
  });
  f.story('nijmegen', 'talis summons after months of arrears in Hengstdal (oost)', 'signal to nijmegen-schuldhulp, then eviction-threat to nijmegen-regieteam-oost', () => {
    const h = f.household('nijmegen', { area: 6521 });
    f.emit('talis', h, at('2026-06-12', '06:35'), arrears(h, 3));
    f.emit('talis', h, at('2026-09-03', '10:00'), proceeding('summons', '2026-09-02', 'arrears'), { contact: 'all' });
  });

  // --- Rotterdam (GM0599) -----------------------------------------------------------------
  f.story('rotterdam', 'havensteder arrears of 1 month', 'signal to rotterdam-frontlijn', () => {
    const h = f.household('rotterdam', { area: 3082 });
    f.emit('havensteder', h, at('2026-10-16', '06:05'), arrears(h, 1), { contact: 'name-phone' });
  });
  f.story('rotterdam', 'woonstad-rotterdam arrears and police noise reports (2 domains)', 'signal, then case to rotterdam-frontlijn', () => {
    const h = f.household('rotterdam', { area: 3035 });
    f.emit('woonstad-rotterdam', h, at('2026-08-14', '06:45'), arrears(h, 2));
    f.emit('politie', h, at('2026-09-19', '01:20'), nuisance('noise', 'medium', { reportCount: 3 }));
  });
  f.story('rotterdam', 'havensteder arrears, police threats, GGD mental health and youth care for a family of five', 'signal and case (2 domains) to rotterdam-frontlijn, case in 3+ domains to rotterdam-mpg-plus, then urgent (a summons in a family with minors) to rotterdam-mpg-plus', () => {
    const h = f.household('rotterdam', { area: 3074, minors: 3, adults: 2 });
    f.emit('havensteder', h, at('2026-07-03', '06:05'), arrears(h, 2), { contact: 'name-phone' });
    f.emit('politie', h, at('2026-07-26', '21:40'), nuisance('threat', 'medium', { verified: true }), { household: true });
    f.emit('ggd', h, at('2026-08-12', '10:15'), care(['mentalHealth']), { detailAsString: true, time: true });
    f.emit('jeugdzorg', h, at('2026-08-31', '14:30'), care(['youth']), { household: true, contact: 'all' });
    f.emit('havensteder', h, at('2026-10-27', '11:00'), proceeding('summons', '2026-10-26', 'arrears'));
  });
  f.story('rotterdam', 'Leger des Heils reports a crisis: no income, the power is about to be cut off', 'urgent (crisis) to rotterdam-frontlijn', () => {
    const h = f.household('rotterdam', { area: 3025, adults: 1 });
    f.emit('leger-des-heils', h, at('2026-11-10', '16:50'), care(['income']), { crisis: true, contact: 'name-phone', account: true });
  });

  // --- Tilburg (GM0855) -------------------------------------------------------------------
  f.story('tilburg', 'tiwos arrears of 1 month', 'signal to tilburg-schuldhulp', () => {
    const h = f.household('tilburg', { area: 5017 });
    f.emit('tiwos', h, at('2026-10-12', '06:00'), arrears(h, 1), { contact: 'name-email' });
  });
  f.story('tilburg', 'wonenbreburg arrears and a Mondriaan signal in Wandelbos (5037)', 'signal, then case to tilburg-buurtregieteam-wandelbos', () => {
    const h = f.household('tilburg', { area: 5037, adults: 1 });
    f.emit('wonenbreburg', h, at('2026-09-07', '06:20'), arrears(h, 1.5), { contact: 'name-phone' });
    f.emit('mondriaan', h, at('2026-10-08', '10:40'), care(['mentalHealth']));
  });
  f.story('tilburg', 'tbv-wonen arrears rising to a summons and a verdict', 'signal to tilburg-schuldhulp, then eviction-threat to tilburg-tweede-kans (the verdict is the same level: no new alert)', () => {
    const h = f.household('tilburg', { area: 5045, adults: 2 });
    f.emit('tbv-wonen', h, at('2026-06-09', '06:50'), arrears(h, 2));
    f.emit('tbv-wonen', h, at('2026-07-08', '06:50'), arrears(h, 3, { costsCents: 9_500 }));
    f.emit('tbv-wonen', h, at('2026-08-25', '09:00'), proceeding('summons', '2026-08-24', 'arrears'), { contact: 'all' });
    f.emit('tbv-wonen', h, at('2026-10-16', '14:10'), proceeding('verdict', '2026-10-15', 'arrears'));
  });
  f.story('tilburg', 'police and GGD about a household in Berkel-Enschot (5056, not in the district map)', 'case to tilburg-onbekende-wijk', () => {
    const h = f.household('tilburg', { area: 5056, adults: 1 });
    f.emit('politie', h, at('2026-09-27', '22:10'), nuisance('threat', 'high', { verified: true }));
    f.emit('ggd', h, at('2026-10-02', '09:20'), care(['mentalHealth']), { detailAsString: true });
  });

  // --- Utrecht (GM0344) -------------------------------------------------------------------
  f.story('utrecht', 'boex arrears of 1 month', 'signal to utrecht-schuldhulp', () => {
    const h = f.household('utrecht', { area: 3555 });
    f.emit('boex', h, at('2026-10-05', '06:30'), arrears(h, 1), { contact: 'name-phone' });
  });
  f.story('utrecht', 'mitros arrears, then the eviction verdict of 7 October (Utrecht corporations report the judgment)', 'signal to utrecht-schuldhulp, then eviction-threat to utrecht-voorkom-huisuitzetting at the verdict', () => {
    const h = f.household('utrecht', { area: 3563, adults: 1, minors: 0 });
    f.emit('mitros', h, at('2026-06-02', '06:15'), arrears(h, 2), { household: true });
    f.emit('mitros', h, at('2026-07-01', '06:15'), arrears(h, 3, { costsCents: 14_000 }), { contact: 'all' });
    f.emit('mitros', h, at('2026-10-08', '15:00'), proceeding('verdict', '2026-10-07', 'arrears'), { contact: 'name-phone' });
  });
  f.story('utrecht', 'portaal arrears and a GGD signal in Kanaleneiland (3526)', 'signal, then case to utrecht-buurtteam-zuidwest', () => {
    const h = f.household('utrecht', { area: 3526 });
    f.emit('portaal', h, at('2026-08-18', '06:40'), arrears(h, 1.5), { contact: 'name-phone' });
    f.emit('ggd', h, at('2026-09-23', '13:15'), care(['addiction']));
    // Debt help reaches the household by phone and refers it on; the buurtteam hands the case to the neighbouring district's team.
    f.teamReport('utrecht-schuldhulp', h, 'signal', 'AlertPickedUp', at('2026-11-16', '09:30'), { by: 'sh-207' });
    f.teamReport('utrecht-schuldhulp', h, 'signal', 'ContactAttemptLogged', at('2026-11-16', '09:45'), { channel: 'letter', reached: false, by: 'sh-207' });
    f.teamReport('utrecht-schuldhulp', h, 'signal', 'ContactAttemptLogged', at('2026-11-19', '13:10'), { channel: 'phone', reached: true, partOfDay: 'afternoon', by: 'sh-207' });
    f.teamReport('utrecht-schuldhulp', h, 'signal', 'CaseClosed', at('2026-11-20', '16:00'), { result: 'referred', detail: 'referred-financial', by: 'sh-207' });
    f.teamReport('utrecht-buurtteam-zuidwest', h, 'case', 'AlertForwarded', at('2026-11-17', '10:00'), { toTeam: 'utrecht-buurtteam-west', reason: 'other-district', by: 'bt-zw-12' });
  });
  f.story('utrecht', 'ssh writes "3511 ab", the police and Mondriaan "3511AB": one student household in the binnenstad', 'case to utrecht-buurtteam-binnenstad', () => {
    const h = f.household('utrecht', { area: 3511, houseNumber: 37, houseLetter: 'B', adults: 1 });
    f.emit('ssh', h, at('2026-09-11', '10:00'), nuisance('noise', 'medium', { reportCount: 7 }), { style: 'spaced-lower', letterCase: 'lower', contact: 'name-email' });
    f.emit('politie', h, at('2026-09-19', '03:05'), nuisance('threat', 'medium', { verified: true }), { style: 'compact' });
    f.emit('mondriaan', h, at('2026-10-01', '11:30'), care(['mentalHealth']), { style: 'compact', detailAsString: true });
  });
  f.story('utrecht', 'groenwest corrects a wrong signal; the withdrawal reaches the bus before the signal', 'the withdrawal is withdrawn before its signal arrives; the signal then raises nothing', () => {
    const h = f.household('utrecht', { area: 3453 });
    const signal = f.emit('groenwest', h, at('2026-10-26', '06:10'), arrears(h, 2), { delayMinutes: 26 * 60 });
    f.withdraw(signal, h, at('2026-10-26', '09:45'), 'error', { delayMinutes: 3, time: true });
  });

  // --- Groningen (GM0014): registered partners, no municipal policy ------------------------
  f.story('groningen', 'police and GGD about a household in Groningen, which has no policy', 'case (high-severity threat) to unrouted; the police report is resent (duplicate)', () => {
    const h = f.household('groningen', { area: 9728, adults: 1 });
    const police = f.emit('politie', h, at('2026-09-29', '20:35'), nuisance('threat', 'high', { verified: true }), { time: true });
    f.resend(police, 45);
    f.emit('ggd', h, at('2026-10-09', '10:20'), care(['mentalHealth', 'debt']), { contact: 'name-phone', account: true });
  });
}

// ---------------------------------------------------------------------------------------
// Background: a few months of ordinary partner traffic

type BackgroundPattern = 'grow' | 'resolved' | 'below' | 'repeat' | 'arrangement' | 'nuisance-low' | 'care-single' | 'old';

function writeBackground(f: FeedBuilder): { duplicateCandidates: Emitted[] } {
  const rng = f.rng;
  const duplicateCandidates: Emitted[] = [];
  for (const key of Object.keys(MUNICIPALITIES) as MunicipalityKey[]) {
    const municipality: MunicipalityInfo = MUNICIPALITIES[key];
    const amsterdam = municipality.code === 'GM0363';
    for (let i = 0; i < municipality.backgroundHouseholds; i++) {
      const pattern = rng.weighted<BackgroundPattern>([
        ['grow', 30],
        ['resolved', 14],
        ['below', 12],
        ['repeat', 12],
        ['arrangement', 6],
        ['nuisance-low', 10],
        ['care-single', 8],
        ['old', 8],
      ]);
      const corporation = rng.pick(municipality.corporations);
      const h = f.household(key, rng.chance(0.35) ? { adults: rng.int(1, 2), minors: rng.weighted([[0, 5], [1, 2], [2, 2], [3, 1]]) } : {});
      const contact = (): EmitOptions['contact'] => rng.weighted<EmitOptions['contact']>([[false, 6], ['name-phone', 2], ['all', 1], ['name-email', 1], ['phone', 1]]);
      const first = f.rngDate('2026-05-18', '2026-10-30');
      const batchTime = `0${rng.int(5, 7)}:${pad(rng.int(0, 59))}`;
      const startMonths = amsterdam ? 2 : 1;
      switch (pattern) {
        case 'grow': {
          const steps = rng.int(1, 3);
          let date = first;
          for (let s = 0; s < steps && date <= '2026-11-13'; s++) {
            const emitted = f.emit(corporation, h, at(date, batchTime), arrears(h, startMonths + s, s === 0 ? { reminderSentAt: addDays(date, -14) } : {}), {
              contact: contact(),
              household: s === 0,
              time: rng.chance(0.3),
            });
            duplicateCandidates.push(emitted);
            date = f.nextWeekday(addDays(date, rng.int(26, 33)));
          }
          break;
        }
        case 'resolved': {
          const signal = f.emit(corporation, h, at(first, batchTime), arrears(h, startMonths + rng.pick([0, 0.5])), { contact: contact() });
          const later = f.nextWeekday(addDays(first, rng.int(6, 30)));
          if (later <= '2026-11-13') f.withdraw(signal, h, at(later, f.rngTime()), rng.pick(['resolved', 'paymentArrangement', 'paymentArrangement'] as const));
          break;
        }
        case 'below': {
          // Amsterdam: 1 month is under its 2-month threshold; elsewhere a small amount or part of a month.
          const body = amsterdam
            ? arrears(h, rng.pick([1, 1.5]))
            : rng.chance(0.5)
              ? arrears(h, rng.pick([0.3, 0.5, 0.7]))
              : residue(h, rng.int(2_500, 7_400));
          f.emit(corporation, h, at(first, batchTime), body, { contact: contact(), time: rng.chance(0.3) });
          break;
        }
        case 'repeat': {
          const months = startMonths + rng.pick([0, 0.5, 1]);
          f.emit(corporation, h, at(first, batchTime), arrears(h, months), { contact: contact() });
          const later = f.nextWeekday(addDays(first, rng.int(10, 31)));
          // The monthly status run: nothing paid, nothing new (same figures), or a bit paid.
          if (later <= '2026-11-13') f.emit(corporation, h, at(later, batchTime), arrears(h, rng.pick([months, months, months - 0.5])));
          break;
        }
        case 'arrangement': {
          f.emit(corporation, h, at(first, batchTime), arrears(h, startMonths + 1, { paymentArrangement: true }), { contact: contact() });
          break;
        }
        case 'nuisance-low': {
          const partner = rng.chance(0.7) ? corporation : 'politie';
          f.emit(partner, h, at(first, f.rngTime()), nuisance(rng.pick(['noise', 'pollution', 'other', 'noise', 'neglect']), rng.pick(['low', 'low', 'medium'] as const), { reportCount: rng.int(1, 3) }));
          break;
        }
        case 'care-single': {
          const partner = rng.pick(['ggd', 'mondriaan', 'leger-des-heils', 'jeugdzorg']);
          const domains = partner === 'jeugdzorg' ? ['youth'] : partner === 'leger-des-heils' ? [rng.pick(['debt', 'income'])] : [rng.pick(['mentalHealth', 'addiction', 'health'])];
          f.emit(partner, h, at(first, f.rngTime()), care(domains), { contact: contact(), household: partner === 'jeugdzorg' });
          break;
        }
        case 'old': {
          // Spring signals: stored, but past the 6-month lookback by the replay clock.
          const date = f.rngDate('2026-03-16', '2026-05-08');
          f.emit(corporation, h, at(date, batchTime), arrears(h, startMonths + rng.pick([0, 0.5, 1])), { contact: contact() });
          if (rng.chance(0.5)) f.emit(corporation, h, at(f.nextWeekday(addDays(date, rng.int(27, 32))), batchTime), arrears(h, startMonths + 1.5));
          break;
        }
      }
    }
  }
  return { duplicateCandidates };
}

// ---------------------------------------------------------------------------------------
// The broken lines

function writeProblems(f: FeedBuilder): void {
  const rng = f.rng;
  const base = (partner: string, key: MunicipalityKey, when: Instant): Record<string, unknown> => {
    const h = f.household(key, { person: false });
    return {
      schemaVersion: 1,
      signalId: f.nextSignalId(partner),
      observedAt: when.iso,
      municipalityCode: h.municipality.code,
      address: { postcode: writePostcode(h.area, h.letters, 'spaced'), houseNumber: h.houseNumber },
    };
  };

  // A truncated line: an export job died halfway through writing it.
  const cut = JSON.stringify({ Source: 'partner.portaal', DetailType: 'RentArrearsReported', Detail: base('portaal', 'utrecht', at('2026-05-27', '06:40')) });
  f.broken(at('2026-05-27', '07:05'), cut.slice(0, Math.floor(cut.length * 0.6)), 'not JSON: the line is cut off halfway');

  f.broken(at('2026-06-23', '08:00'), '', 'a blank line: skipped, gets no outcome', 'skipped');

  {
    const when = at('2026-07-14', '06:20');
    const detail = { ...base('havensteder', 'rotterdam', when), arrears: { amountCents: 112_000, monthsInArrears: 2 } };
    f.brokenEntry(at('2026-07-14', '06:52'), { Source: 'partner.woonbron', DetailType: 'RentArrearsReported', Detail: detail }, 'unknown partner: "woonbron" is not registered in the policy');
  }
  {
    const when = at('2026-08-06', '06:30');
    const detail = { ...base('mitros', 'amsterdam', when), arrears: { amountCents: 158_400, monthsInArrears: 2 } };
    f.brokenEntry(at('2026-08-06', '07:15'), { Source: 'partner.mitros', DetailType: 'RentArrearsReported', Detail: detail }, 'partner outside its municipalities: mitros (Utrecht) reports an Amsterdam address');
  }
  {
    // A bad postcode; the corrected resend with the same signalId is accepted (validation
    // comes before duplicate detection).
    const when = at('2026-08-27', '06:30');
    const h = f.household('denhaag', { area: 2562 });
    const signalId = f.nextSignalId('vestia');
    const detail = {
      schemaVersion: 1,
      signalId,
      observedAt: when.iso,
      municipalityCode: 'GM0518',
      address: { postcode: `${h.area}`, houseNumber: h.houseNumber },
      arrears: { amountCents: 2 * h.rentCents, monthsInArrears: 2, monthlyRentCents: h.rentCents },
    };
    f.brokenEntry(at('2026-08-27', '07:02'), { Source: 'partner.vestia', DetailType: 'RentArrearsReported', Detail: detail }, 'bad postcode: the letters are missing; vestia resends it corrected with the same signalId (see Den Haag above)');
    f.story('denhaag', 'vestia resends a signal it first sent with a broken postcode', 'the broken line is rejected, the corrected resend with the same signalId is accepted (signal to denhaag-schuldhulp)', () => {
      f.emit('vestia', h, when, arrears(h, 2), { signalId, delayMinutes: 3 * 60 + 10 });
    });
  }
  {
    const when = at('2026-09-08', '06:10');
    const detail: Record<string, unknown> = { ...base('talis', 'nijmegen', when), arrears: { monthsInArrears: 1.5 } };
    f.brokenEntry(at('2026-09-08', '06:44'), { Source: 'partner.talis', DetailType: 'RentArrearsReported', Detail: detail }, 'missing field: arrears.amountCents');
  }
  {
    const when = at('2026-11-20', '09:00');
    const detail = { ...base('woonstad-rotterdam', 'rotterdam', when), nuisance: { category: 'noise', severity: 'medium' } };
    f.brokenEntry(at('2026-11-13', '16:20'), { Source: 'partner.woonstad-rotterdam', DetailType: 'NuisanceReported', Detail: detail }, 'observedAt in the future: 20 November 2026, after the replay clock');
  }
  {
    const when = at('2025-09-30', '06:30');
    const detail = { ...base('eigen-haard', 'amsterdam', when), arrears: { amountCents: 231_000, monthsInArrears: 3 } };
    f.brokenEntry(at('2026-06-02', '10:30'), { Source: 'partner.eigen-haard', DetailType: 'RentArrearsReported', Detail: detail, Time: eventTime(at('2026-06-02', '10:30').ms) }, 'observedAt older than 400 days: an old signal from September 2025 replayed from an archive');
  }
  {
    const when = at('2026-09-17', '06:30');
    const detail = { ...base('wonenbreburg', 'tilburg', when), arrears: { amountCents: 121_000, monthsInArrears: 2 } };
    f.brokenEntry(at('2026-09-17', '06:58'), { Source: 'partner.wonenbreburg', DetailType: 'RentArrearsUpdated', Detail: detail }, 'unknown DetailType "RentArrearsUpdated"');
  }
  {
    const when = at('2026-10-02', '06:30');
    const detail = { ...base('havensteder', 'rotterdam', when), arrears: { amountCents: 98_000, monthsInArrears: 1.5 } };
    f.brokenEntry(at('2026-10-02', '06:41'), { Source: 'havensteder', DetailType: 'RentArrearsReported', Detail: detail }, 'Source is not "partner.<id>": "havensteder" without the prefix');
  }
  {
    const when = at('2026-10-19', '13:20');
    const detail = { ...base('woonpunt', 'maastricht', when), proceeding: { stage: 'scheduled', stageDate: '2026-10-19', ground: 'arrears' } };
    f.brokenEntry(at('2026-10-19', '13:48'), { Source: 'partner.woonpunt', DetailType: 'EvictionProceedingUpdated', Detail: detail }, 'stage "scheduled" without proceeding.scheduledFor');
  }
  {
    const when = at('2026-10-28', '07:00');
    const detail = {
      ...base('haag-wonen', 'denhaag', when),
      arrears: { amountCents: 134_500, monthsInArrears: 2 },
      dossierNummer: `HW-D-${rng.digits(6)}`,
    };
    f.brokenEntry(at('2026-10-28', '07:31'), { Source: 'partner.haag-wonen', DetailType: 'RentArrearsReported', Detail: detail }, 'extra unknown field "dossierNummer" in the detail');
  }
  {
    // The address decides the municipality: the police, registered everywhere, label an
    // Amsterdam address with Utrecht's code; a wrong code cannot send a household elsewhere.
    const when = at('2026-11-03', '22:10');
    const detail = { ...base('politie', 'amsterdam', when), municipalityCode: 'GM0344', nuisance: { category: 'noise', severity: 'high' } };
    f.brokenEntry(at('2026-11-04', '06:30'), { Source: 'partner.politie', DetailType: 'NuisanceReported', Detail: detail }, 'an Amsterdam address labelled GM0344 (Utrecht): its postcode area lies in GM0363');
  }
}

/**
 * An urgent alert nobody picks up: overdue at its respondBy, and escalated to Maastricht's
 * process managers at three times its term. Written after everything else so that the draws
 * before it keep their values.
 */
function writeUnattended(f: FeedBuilder): void {
  f.story('maastricht', 'woonpunt: eviction scheduled for a family with two children; the alert is not picked up', 'urgent to maastricht-vangnet-oggz; an overdue reminder at its respondBy (3 working days), then overdue-escalated to maastricht-procesmanagement at 3 times the term', () => {
    const h = f.household('maastricht', { area: 6215, adults: 1, minors: 2 });
    f.emit('woonpunt', h, at('2026-09-08', '06:20'), arrears(h, 3, { costsCents: 18_000 }), { household: true, contact: 'name-phone' });
    f.emit('woonpunt', h, at('2026-10-20', '11:40'), proceeding('verdict', '2026-10-19', 'arrears'));
    f.emit('woonpunt', h, at('2026-11-12', '10:05'), proceeding('scheduled', '2026-11-11', 'arrears', '2026-12-15'), { contact: 'name-phone' });
  });
}

// ---------------------------------------------------------------------------------------
// Putting it together

/** Builds the whole sample feed with its notes (problem lines, stories, marks). */
export function buildSampleFeed(): SampleFeed {
  const f = new FeedBuilder(SAMPLE_FEED_SEED);
  writeStories(f);
  const { duplicateCandidates } = writeBackground(f);
  // EventBridge retries and a partner's "resend all of today": exact duplicates.
  for (let i = 0; i < 3; i++) {
    const original = f.rng.pick(duplicateCandidates);
    f.resend(original, f.rng.pick([3, 15, 60, 24 * 60]), { detailAsString: i === 1 });
  }
  writeProblems(f);
  writeUnattended(f);
  return f.build();
}

/** The lines of events/samples/feed.ndjson (without line ends). */
export function generateSampleFeed(): string[] {
  return buildSampleFeed().lines;
}

/** The file content: one entry a line, a line end after each. */
export function renderSampleFeed(feed: SampleFeed = buildSampleFeed()): string {
  return `${feed.lines.join('\n')}\n`;
}

/** events/samples/README.md, written from the same build so the line numbers stay right. */
export function renderSampleReadme(feed: SampleFeed = buildSampleFeed()): string {
  const entries = feed.lines.filter((l) => l.trim() !== '').length;
  const rejected = feed.problems.filter((p) => p.expected === 'rejected');
  const byMunicipality = new Map<string, SampleFeedStory[]>();
  for (const story of feed.stories) {
    const key = `${story.municipality} (${story.municipalityCode})`;
    byMunicipality.set(key, [...(byMunicipality.get(key) ?? []), story]);
  }
  const out: string[] = [];
  out.push('# Sample feed');
  out.push('');
  out.push('Generated by `npm run samples` (packages/harness/src/sample-feed.ts); do not edit by hand.');
  out.push('A unit test (test/unit/events/sample-feed.test.ts) fails when these files are stale.');
  out.push('');
  out.push('## Replay clock');
  out.push('');
  out.push(`The feed is written for the replay clock **\`${SAMPLE_FEED_NOW}\`**: replay it with`);
  out.push('');
  out.push('```sh');
  out.push(`npm run replay -- events/samples/feed.ndjson --now ${SAMPLE_FEED_NOW} --outcomes outcomes.ndjson`);
  out.push('```');
  out.push('');
  out.push('With another clock some `observedAt` values fall outside the 400-day window or in the');
  out.push('future, and the live signals (6-month lookback) and deadlines change.');
  out.push('');
  out.push('## What is in it');
  out.push('');
  out.push(`\`feed.ndjson\` has ${feed.lines.length} lines: ${entries} \`PutEvents\` entries and one blank line,`);
  out.push('about eight months of partner traffic (March to mid-November 2026) in the order it reached');
  out.push('the bus. Each entry is `{"Source":"partner.<id>","DetailType":...,"Detail":{...}}`, some with');
  out.push('`Time`; a few carry `Detail` as a JSON string, as the SDK sends it');
  out.push(`(lines ${feed.marks.detailAsString.join(', ')}), and a few carry \`"Account":"${SAMPLE_ACCOUNT}"\``);
  out.push(`(lines ${feed.marks.withAccount.join(', ')}; the defaults register no account ids, so they are accepted).`);
  out.push('');
  out.push('All data is fake: postcodes in each municipality\'s real range with made-up letters, made-up');
  out.push('names, 06 numbers and addresses at example.nl. Contact data appears on some signals only;');
  out.push('the privacy tests look for these values in logs and stderr.');
  out.push('');
  out.push('Besides the stories below, background households per municipality show ordinary traffic:');
  out.push('arrears that grow month by month, arrears withdrawn after a payment arrangement, repeats of');
  out.push('the same figures (outcome `repeat`), arrears under the threshold (`below-threshold`), low');
  out.push('nuisance or a single care signal that raise nothing on their own, and spring signals that are');
  out.push('past the 6-month lookback by the clock (stored, not live).');
  out.push('');
  out.push(`Exact duplicates (same partner and \`signalId\`, resent later, \`Time\` differing): lines ${feed.marks.duplicates.join(', ')}.`);
  const early = feed.marks.withdrawalPairs.filter((p) => p.withdrawal < p.signal);
  out.push(`Withdrawals: lines ${feed.marks.withdrawals.join(', ')}.`);
  out.push(
    `Arriving before the signal it withdraws: ${early.map((p) => `line ${p.withdrawal} (signal on line ${p.signal})`).join(', ')}; all others arrive after it.`,
  );
  out.push('');
  out.push('## After the alert: the teams\' work (contract v1.1)');
  out.push('');
  out.push(`After the partner entries come the teams' reports (lines ${feed.marks.teamReports[0]}-${feed.marks.teamReports.at(-1)}): picked up, contact`);
  out.push('attempts, not taken, a forward to another buurtteam, closed with a result. Each line carries');
  out.push('`"Now"`, the moment the replay judges it at; every reminder due before it (overdue, escalated)');
  out.push(`fires first, so by the last line (${feed.lines[feed.marks.teamReports.at(-1)! - 1]!.match(/"Now":"([^"]+)"/)?.[1]}) the unattended alerts have passed`);
  out.push(`their deadlines. Line ${feed.marks.teamResends.join(', ')} sends an earlier report again, unchanged: it gets its first outcome.`);
  out.push('The stories below name the alerts the teams act on.');
  out.push('');
  out.push('## Stories per municipality');
  out.push('');
  out.push('One line per story: what happens, what the replay should do with it, and its lines.');
  out.push('');
  for (const [municipality, stories] of byMunicipality) {
    out.push(`### ${municipality}`);
    out.push('');
    for (const story of stories) {
      out.push(`- ${story.title}: ${story.expect} (${story.lines.length === 1 ? 'line' : 'lines'} ${story.lines.join(', ')})`);
    }
    out.push('');
  }
  out.push('## Intentionally bad lines');
  out.push('');
  out.push(`${rejected.length} lines break the contract or the partner registry and each get one \`rejected\``);
  out.push('outcome; the blank line gets none.');
  out.push('');
  out.push('| line | problem |');
  out.push('|---:|---|');
  for (const problem of feed.problems) out.push(`| ${problem.line} | ${problem.problem} |`);
  out.push('');
  return out.join('\n');
}
