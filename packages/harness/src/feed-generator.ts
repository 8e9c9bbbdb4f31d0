/**
 * A seeded feed of partner entries of any size, for chaos runs, benchmarks and policy diffs:
 * N households spread over the eight municipalities of the default policy in proportion to
 * their size, each with a story (arrears that grow, repeats, below-threshold arrears,
 * withdrawals, one that arrives before its signal, nuisance, care signals, eviction
 * proceedings, crisis, minors, old signals, ties on the same date), and partners resending
 * some entries. Also the building blocks the shipped sample feed (sample-feed.ts) writes its
 * entries with: the municipalities' postcode areas and rents, drawing and writing a postcode,
 * a household's key, and a partner's PutEvents entry line.
 *
 * Deterministic: the harness's seeded PRNG (never Math.random), no wall clock; the same
 * options always give the same lines. Every entry is valid against the contract and the
 * partner registry at `now`.
 *
 * Order: households are planned in blocks (`householdsPerBlock`); a block's entries, its
 * partners' resends included, are written in arrival order (observedAt plus a delivery
 * delay; ties in the order they were planned), and block after block. A household lies in one
 * block, so its entries are always in arrival order, and only a block is ever held in memory.
 * `generateFeed` plans all households as one block, so its feed is in arrival order
 * throughout; `feedEntries` streams a feed of a million entries in blocks of
 * `HOUSEHOLDS_PER_BLOCK`, where the time starts over at each block. A feed of at most one
 * block's households is the same either way.
 */
import { normaliseAddress } from '@vroegsignaal/domain';
import { amsterdamDate, formatAmsterdamIso } from '@vroegsignaal/calendar';
import type { CompiledPolicy, Partner } from '@vroegsignaal/policy';
import { Rng } from './rng.ts';

export const DEFAULT_FEED_NOW = '2026-11-15T09:00:00+01:00';
export const DEFAULT_FEED_SEED = 20_261_115;
/** Households `feedEntries` holds at once: about 46,000 entries, so `npm run feed` stays near 400 MB at any size. */
export const HOUSEHOLDS_PER_BLOCK = 20_000;

export interface FeedOptions {
  /** Households in the feed. */
  size: number;
  seed?: number;
  /** The replay clock the feed is written for. */
  nowMs?: number;
  policy: CompiledPolicy;
  /** Share of entries a partner sends again later (same signalId: a `duplicate`). */
  resendRate?: number;
}

export interface FeedStreamOptions extends FeedOptions {
  /** Default `HOUSEHOLDS_PER_BLOCK`. */
  householdsPerBlock?: number;
  /** Counted up while the entries are generated. */
  tally?: FeedTally;
}

export type Story =
  | 'quiet'
  | 'arrears-grow'
  | 'arrears-repeat'
  | 'below-threshold'
  | 'arrears-withdrawn'
  | 'withdrawal-first'
  | 'multi-problem'
  | 'nuisance-high'
  | 'proceeding'
  | 'proceeding-ended'
  | 'crisis'
  | 'minors'
  | 'old'
  | 'ties';

export interface FeedEntry {
  /** The NDJSON line: a PutEvents entry. */
  line: string;
  /** The household's key (`householdKey`): entries with the same key are about one household. */
  household: string;
  partnerId: string;
  signalId: string;
  detailType: string;
  municipalityCode: string;
  arrivalMs: number;
  story: Story;
  /** Set on a partner's resend: the position in the feed of the entry it repeats. */
  resendOf?: number;
}

export interface FeedTally {
  entries: number;
  households: number;
  householdsByMunicipality: Record<string, number>;
  stories: Partial<Record<Story, number>>;
  resends: number;
}

export interface GeneratedFeed {
  nowMs: number;
  seed: number;
  entries: FeedEntry[];
  lines: string[];
  households: number;
  householdsByMunicipality: Record<string, number>;
  stories: Partial<Record<Story, number>>;
  resends: number;
}

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

// ---------------------------------------------------------------------------------------
// Building blocks, shared with the sample feed

/** Where a municipality's fake households live (its real postcode areas) and a typical social rent, in cents. */
export const MUNICIPALITY_HOUSING: Readonly<Record<string, { postcodeAreas: readonly [number, number]; rentCents: readonly [number, number] }>> = {
  GM0363: { postcodeAreas: [1011, 1098], rentCents: [48_000, 90_000] }, // Amsterdam
  GM0599: { postcodeAreas: [3011, 3089], rentCents: [45_000, 85_000] }, // Rotterdam
  GM0518: { postcodeAreas: [2511, 2597], rentCents: [46_000, 84_000] }, // Den Haag
  GM0344: { postcodeAreas: [3511, 3585], rentCents: [50_000, 92_000] }, // Utrecht
  GM0855: { postcodeAreas: [5011, 5049], rentCents: [46_000, 80_000] }, // Tilburg
  GM0268: { postcodeAreas: [6511, 6546], rentCents: [47_000, 82_000] }, // Nijmegen
  GM0307: { postcodeAreas: [3811, 3829], rentCents: [52_000, 86_000] }, // Amersfoort
  GM0935: { postcodeAreas: [6211, 6229], rentCents: [45_000, 78_000] }, // Maastricht
  GM0014: { postcodeAreas: [9711, 9747], rentCents: [45_000, 75_000] }, // Groningen: partners registered, no policy in the defaults
};

/** Letters Dutch postcodes use (no F, I, O, Q, U, Y), so the fakes look right. */
const POSTCODE_LETTERS = [...'ABCDEGHJKLMNPRSTVWXZ'];
const NO_LETTERS: ReadonlySet<string> = new Set();

/** A postcode in the municipality's areas: the 4-digit area (`area` when given) and two letters never among `avoided`. */
export function drawPostcode(rng: Rng, municipalityCode: string, options: { area?: number; avoided?: ReadonlySet<string> } = {}): { area: number; letters: string } {
  const housing = MUNICIPALITY_HOUSING[municipalityCode];
  if (!housing) throw new Error(`no postcode areas for ${municipalityCode}`);
  const [low, high] = housing.postcodeAreas;
  const area = options.area ?? rng.int(low, high);
  const avoided = options.avoided ?? NO_LETTERS;
  let letters: string;
  do letters = rng.pick(POSTCODE_LETTERS) + rng.pick(POSTCODE_LETTERS);
  while (avoided.has(letters));
  return { area, letters };
}

/** How a partner writes a postcode: `1234 AB`, `1234AB`, `1234 ab`, `1234ab`; all normalise to the same household. */
export type PostcodeStyle = 'spaced' | 'compact' | 'spaced-lower' | 'compact-lower';

export function writePostcode(area: number, letters: string, style: PostcodeStyle): string {
  const cased = style.endsWith('lower') ? letters.toLowerCase() : letters;
  return style.startsWith('spaced') ? `${area} ${cased}` : `${area}${cased}`;
}

/** The normalised address as one string, `postcode|number|letter|addition`: one household, however partners write it. */
export function householdKey(address: { postcode: string; houseNumber: number; houseLetter?: string; houseNumberAddition?: string }): string {
  const n = normaliseAddress(address);
  return `${n.postcode}|${n.houseNumber}|${n.houseLetter ?? ''}|${n.houseNumberAddition ?? ''}`;
}

/** EventBridge's `Time`: UTC, whole seconds, `Z`. */
export function eventTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export interface PartnerEntry {
  partnerId: string;
  detailType: string;
  detail: Record<string, unknown>;
  /** `Detail` as a JSON string, as the SDK sends it, rather than an object. */
  detailAsString?: boolean;
  /** When the entry was put on the bus, written as `Time`; none when the partner leaves it to EventBridge. */
  sentMs?: number;
  account?: string;
}

/** A partner's PutEvents entry as one NDJSON line. */
export function partnerEntryLine(entry: PartnerEntry): string {
  return JSON.stringify({
    Source: `partner.${entry.partnerId}`,
    DetailType: entry.detailType,
    Detail: entry.detailAsString ? JSON.stringify(entry.detail) : entry.detail,
    ...(entry.sentMs !== undefined ? { Time: eventTime(entry.sentMs) } : {}),
    ...(entry.account !== undefined ? { Account: entry.account } : {}),
  });
}

// ---------------------------------------------------------------------------------------
// The generator

/** Inhabitants (CBS, 1 January 2024, rounded): households are spread in proportion. */
const INHABITANTS: Readonly<Record<string, number>> = {
  GM0363: 931_000, // Amsterdam
  GM0599: 670_000, // Rotterdam
  GM0518: 566_000, // Den Haag
  GM0344: 374_000, // Utrecht
  GM0855: 227_000, // Tilburg
  GM0268: 183_000, // Nijmegen
  GM0307: 161_000, // Amersfoort
  GM0935: 122_000, // Maastricht
};

const STORY_WEIGHTS: readonly (readonly [Story, number])[] = [
  ['quiet', 14],
  ['arrears-grow', 18],
  ['arrears-repeat', 8],
  ['below-threshold', 5],
  ['arrears-withdrawn', 8],
  ['withdrawal-first', 4],
  ['multi-problem', 12],
  ['nuisance-high', 4],
  ['proceeding', 10],
  ['proceeding-ended', 3],
  ['crisis', 3],
  ['minors', 3],
  ['old', 5],
  ['ties', 3],
];

const FIRST_NAMES = ['Anouk', 'Bram', 'Daan', 'Eva', 'Fatima', 'Jan', 'Lotte', 'Mohamed', 'Noah', 'Sanne', 'Yusuf', 'Zoë'];
const SURNAMES = ['de Vries', 'Jansen', 'Bakker', 'Visser', 'Smit', 'Meijer', 'El Amrani', 'Yilmaz', 'Mulder', 'de Boer'];

interface Household {
  code: string;
  address: { postcode: string; houseNumber: number; houseLetter?: string; houseNumberAddition?: string };
  key: string;
  rentCents: number;
  corporation: string;
  contact: { name: string; phone: string; email: string };
}

interface Planned {
  partnerId: string;
  detailType: string;
  detail: Record<string, unknown>;
  arrivalMs: number;
  story: Story;
  household: Household;
  detailAsString: boolean;
}

const POSTCODE_STYLES: readonly PostcodeStyle[] = ['spaced', 'compact', 'compact-lower', 'spaced-lower'];

/** A household at an address no other household of the feed has. */
function drawHousehold(rng: Rng, code: string, corporations: readonly string[], usedAddresses: Set<string>): Household {
  const [lowRent, highRent] = MUNICIPALITY_HOUSING[code]!.rentCents;
  for (;;) {
    const { area, letters } = drawPostcode(rng, code);
    const houseNumber = rng.int(1, 320);
    const houseLetter = rng.chance(0.08) ? rng.pick(['a', 'B', 'c']) : undefined;
    const houseNumberAddition = !houseLetter && rng.chance(0.06) ? rng.pick(['1', '2', 'bis', 'H', '3hg']) : undefined;
    // Partners write postcodes their own way; all normalise to the same household.
    const postcode = writePostcode(area, letters, rng.pick(POSTCODE_STYLES));
    const address = { postcode, houseNumber, ...(houseLetter ? { houseLetter } : {}), ...(houseNumberAddition ? { houseNumberAddition } : {}) };
    const key = householdKey(address);
    if (usedAddresses.has(key)) continue;
    usedAddresses.add(key);
    const first = rng.pick(FIRST_NAMES);
    const last = rng.pick(SURNAMES);
    return {
      code,
      address,
      key,
      rentCents: rng.int(lowRent / 100, highRent / 100) * 100,
      corporation: rng.pick(corporations),
      contact: { name: `${first} ${last}`, phone: `06${String(rng.int(10_000_000, 99_999_999))}`, email: `${first.toLowerCase()}.${last.replace(/\s+/g, '').toLowerCase()}@example.nl` },
    };
  }
}

export function newFeedTally(): FeedTally {
  return { entries: 0, households: 0, householdsByMunicipality: {}, stories: {}, resends: 0 };
}

/** The whole feed in memory, in arrival order: for chaos runs, benchmarks and tests. */
export function generateFeed(options: FeedOptions): GeneratedFeed {
  const seed = options.seed ?? DEFAULT_FEED_SEED;
  const nowMs = options.nowMs ?? Date.parse(DEFAULT_FEED_NOW);
  const tally = newFeedTally();
  const entries = [...feedEntries({ ...options, seed, nowMs, householdsPerBlock: Math.max(1, options.size), tally })];
  return {
    nowMs,
    seed,
    entries,
    lines: entries.map((e) => e.line),
    households: tally.households,
    householdsByMunicipality: tally.householdsByMunicipality,
    stories: tally.stories,
    resends: tally.resends,
  };
}

/** The feed entry by entry, holding one block of households at a time: for feeds of millions of entries. */
export function* feedEntries(options: FeedStreamOptions): Generator<FeedEntry> {
  const seed = options.seed ?? DEFAULT_FEED_SEED;
  const nowMs = options.nowMs ?? Date.parse(DEFAULT_FEED_NOW);
  const householdsPerBlock = options.householdsPerBlock ?? HOUSEHOLDS_PER_BLOCK;
  if (!Number.isInteger(householdsPerBlock) || householdsPerBlock < 1) throw new Error(`householdsPerBlock must be a positive integer, not ${householdsPerBlock}`);
  const tally = options.tally ?? newFeedTally();
  const rng = new Rng(seed);
  const { policy } = options;
  const partners = policy.policy.partners;
  const anywhere = (kind: Partner['kind']) => partners.filter((p) => p.kind === kind && (p.municipalities === 'all' || p.municipalities.length > 0)).map((p) => p.id);
  const police = anywhere('police');
  const health = anywhere('health');
  const care = anywhere('care');
  const corporations = new Map(
    Object.keys(INHABITANTS).map((code) => [code, partners.filter((p) => p.kind === 'corporation' && p.municipalities !== 'all' && p.municipalities.includes(code)).map((p) => p.id)]),
  );
  const codes = Object.keys(INHABITANTS).filter((code) => policy.municipality(code) && corporations.get(code)!.length > 0);
  if (codes.length === 0) throw new Error('the policy has none of the eight municipalities with a corporation registered');

  const counters = new Map<string, number>();
  const nextSignalId = (partnerId: string) => {
    const n = (counters.get(partnerId) ?? 0) + 1;
    counters.set(partnerId, n);
    return `${partnerId.slice(0, 3).toUpperCase()}-${seed % 10_000}-${String(n).padStart(6, '0')}`;
  };
  // Across blocks: no two households of the feed share an address.
  const usedAddresses = new Set<string>();
  /** The current block's entries, in the order they are planned. */
  let planned: Planned[] = [];

  // Every observedAt lies between 330 days and one hour before now: inside the 400 days.
  const earliest = nowMs - 330 * DAY_MS;
  const latest = nowMs - 60 * MINUTE_MS;
  const clamp = (ms: number) => Math.min(latest, Math.max(earliest, ms));
  /** A delivery delay: most arrive within minutes, some hours or days later. */
  const delay = () => rng.weighted<number>([[rng.int(1, 30) * MINUTE_MS, 70], [rng.int(1, 12) * 60 * MINUTE_MS, 20], [rng.int(1, 5) * DAY_MS, 10]]);

  const emit = (h: Household, story: Story, partnerId: string, detailType: string, observedAtMs: number, body: Record<string, unknown>, extra: { signalId?: string; arrivalMs?: number; contact?: boolean | Household['contact']; minors?: number } = {}) => {
    const observed = clamp(observedAtMs);
    const signalId = extra.signalId ?? nextSignalId(partnerId);
    const detail: Record<string, unknown> = {
      schemaVersion: 1,
      signalId,
      observedAt: formatAmsterdamIso(new Date(observed)),
      municipalityCode: h.code,
      address: h.address,
      ...(extra.minors !== undefined ? { household: { minors: extra.minors, adults: rng.int(1, 2) } } : {}),
      ...(extra.contact ? { contact: extra.contact === true ? h.contact : extra.contact } : {}),
      ...body,
    };
    const arrivalMs = Math.min(nowMs - MINUTE_MS, extra.arrivalMs ?? observed + delay());
    planned.push({ partnerId, detailType, detail, arrivalMs, story, household: h, detailAsString: rng.chance(0.1) });
    return { signalId, observedAtMs: observed, arrivalMs };
  };
  const arrears = (h: Household, months: number, extra: Record<string, unknown> = {}) => ({
    arrears: { amountCents: Math.round(months * h.rentCents), monthsInArrears: months, ...(rng.chance(0.5) ? { monthlyRentCents: h.rentCents } : {}), ...extra },
  });
  const withdrawal = (signalId: string, reason: string) => ({ withdrawal: { signalId, reason } });
  const day = (ms: number) => amsterdamDate(new Date(clamp(ms)));
  /** A start that leaves `spanDays` before now; the latest signals are still live (6 months). */
  const start = (spanDays: number) => nowMs - rng.int(spanDays + 2, Math.min(170, spanDays + 120)) * DAY_MS - rng.int(0, 12 * 60) * MINUTE_MS;

  const codeWeights = codes.map((code) => [code, INHABITANTS[code]!] as const);
  const planHousehold = () => {
    const code = rng.weighted(codeWeights);
    tally.households++;
    tally.householdsByMunicipality[code] = (tally.householdsByMunicipality[code] ?? 0) + 1;
    const h = drawHousehold(rng, code, corporations.get(code)!, usedAddresses);
    const story = rng.weighted(STORY_WEIGHTS);
    tally.stories[story] = (tally.stories[story] ?? 0) + 1;
    const corp = h.corporation;
    switch (story) {
      case 'quiet': {
        const t = start(30);
        if (rng.chance(0.5)) emit(h, story, rng.pick(police), 'NuisanceReported', t, { nuisance: { category: rng.pick(['noise', 'neglect', 'pollution']), severity: 'low', reportCount: rng.int(1, 3) } });
        else emit(h, story, rng.pick([...health, ...care]), 'CareSignalReported', t, { care: { domains: [rng.pick(['mentalHealth', 'addiction', 'health'])] } });
        break;
      }
      case 'arrears-grow': {
        const t = start(70);
        const steps = rng.int(1, 3);
        for (let s = 0; s < steps; s++) emit(h, story, corp, 'RentArrearsReported', t + s * rng.int(25, 35) * DAY_MS, arrears(h, s + 1), { contact: s === 0 && rng.chance(0.6) });
        break;
      }
      case 'arrears-repeat': {
        const t = start(60);
        const months = rng.pick([1.5, 2, 2.5]);
        emit(h, story, corp, 'RentArrearsReported', t, arrears(h, months));
        // The same figures again, and a lower report: both `repeat`.
        emit(h, story, corp, 'RentArrearsReported', t + rng.int(10, 25) * DAY_MS, arrears(h, months));
        if (rng.chance(0.5)) emit(h, story, corp, 'RentArrearsReported', t + rng.int(30, 55) * DAY_MS, arrears(h, 1));
        break;
      }
      case 'below-threshold': {
        const t = start(20);
        emit(h, story, corp, 'RentArrearsReported', t, { arrears: { amountCents: rng.int(1_000, 7_000), monthsInArrears: rng.pick([0.1, 0.2, 0.5]) } });
        if (rng.chance(0.4)) emit(h, story, rng.pick(care), 'CareSignalReported', t + rng.int(5, 15) * DAY_MS, { care: { domains: ['mentalHealth'] } });
        break;
      }
      case 'arrears-withdrawn': {
        const t = start(60);
        const first = emit(h, story, corp, 'RentArrearsReported', t, arrears(h, rng.pick([1, 2])), { contact: true });
        emit(h, story, corp, 'SignalWithdrawn', t + rng.int(10, 50) * DAY_MS, withdrawal(first.signalId, rng.pick(['paymentArrangement', 'resolved'])));
        break;
      }
      case 'withdrawal-first': {
        // An archive replay: the withdrawal reaches the bus before the signal it withdraws.
        const t = start(40);
        const signalId = nextSignalId(corp);
        const w = emit(h, story, corp, 'SignalWithdrawn', t + rng.int(5, 30) * DAY_MS, withdrawal(signalId, rng.pick(['paymentArrangement', 'resolved', 'error'])));
        emit(h, story, corp, 'RentArrearsReported', t, arrears(h, rng.pick([1, 2, 3])), { signalId, arrivalMs: w.arrivalMs + rng.int(1, 20) * DAY_MS });
        if (rng.chance(0.5)) emit(h, story, rng.pick(care), 'CareSignalReported', t + rng.int(1, 10) * DAY_MS, { care: { domains: ['debt'] } });
        break;
      }
      case 'multi-problem': {
        const t = start(60);
        emit(h, story, corp, 'RentArrearsReported', t, arrears(h, rng.pick([1, 1.5, 2])), { contact: rng.chance(0.5) });
        emit(h, story, rng.pick([...health, ...care]), 'CareSignalReported', t + rng.int(3, 30) * DAY_MS, { care: { domains: rng.pick([['mentalHealth'], ['addiction', 'health'], ['youth']]), ...(rng.chance(0.3) ? { stagnation: true } : {}) } }, { minors: rng.chance(0.3) ? rng.int(1, 3) : undefined });
        if (rng.chance(0.6)) emit(h, story, rng.pick(police), 'NuisanceReported', t + rng.int(5, 45) * DAY_MS, { nuisance: { category: rng.pick(['noise', 'threat', 'drugs', 'hoarding']), severity: rng.pick(['low', 'medium']), verified: rng.chance(0.5) } });
        break;
      }
      case 'nuisance-high': {
        const t = start(30);
        emit(h, story, rng.pick(police), 'NuisanceReported', t, { nuisance: { category: rng.pick(['threat', 'drugs', 'noise']), severity: 'medium', reportCount: 2 } });
        emit(h, story, rng.pick(police), 'NuisanceReported', t + rng.int(5, 25) * DAY_MS, { nuisance: { category: rng.pick(['threat', 'drugs']), severity: 'high', reportCount: rng.int(3, 9), verified: true } });
        break;
      }
      case 'proceeding':
      case 'minors': {
        const t = start(120);
        emit(h, story, corp, 'RentArrearsReported', t, arrears(h, rng.pick([2, 3, 4])), { contact: true, ...(story === 'minors' ? { minors: rng.int(1, 4) } : {}) });
        const stages = rng.int(1, 4);
        let at = t + rng.int(20, 40) * DAY_MS;
        const sequence = ['summons', 'filed', 'verdict', 'scheduled'] as const;
        for (let s = 0; s < stages; s++) {
          const stage = sequence[s]!;
          const scheduledFor = stage === 'scheduled' ? day(nowMs + rng.int(10, 90) * DAY_MS) : undefined;
          emit(h, story, corp, 'EvictionProceedingUpdated', at + rng.int(0, 2) * DAY_MS, { proceeding: { stage, stageDate: day(at), ground: 'arrears', ...(scheduledFor ? { scheduledFor } : {}) } });
          at += rng.int(10, 25) * DAY_MS;
        }
        if (rng.chance(0.2)) emit(h, story, corp, 'EvictionProceedingUpdated', at, { proceeding: { stage: 'withdrawn', stageDate: day(at), ground: 'arrears' } });
        break;
      }
      case 'proceeding-ended': {
        const t = start(100);
        let at = t;
        for (const stage of ['summons', 'verdict', 'executed'] as const) {
          emit(h, story, corp, 'EvictionProceedingUpdated', at + DAY_MS, { proceeding: { stage, stageDate: day(at), ground: rng.pick(['arrears', 'nuisance', 'other']) } });
          at += rng.int(15, 30) * DAY_MS;
        }
        break;
      }
      case 'crisis': {
        const t = start(20);
        emit(h, story, rng.pick([...health, ...care]), 'CareSignalReported', t, { care: { domains: rng.pick([['domesticViolence'], ['safety', 'youth'], ['mentalHealth']]) }, crisis: true }, { contact: true });
        if (rng.chance(0.5)) emit(h, story, corp, 'RentArrearsReported', t + rng.int(1, 10) * DAY_MS, arrears(h, 1));
        break;
      }
      case 'old': {
        // Observed 7 to 10 months ago: stored, not live.
        const t = nowMs - rng.int(215, 300) * DAY_MS - rng.int(0, 12 * 60) * MINUTE_MS;
        emit(h, story, corp, 'RentArrearsReported', t, arrears(h, rng.pick([1, 2])));
        if (rng.chance(0.5)) emit(h, story, rng.pick(police), 'NuisanceReported', t + rng.int(1, 10) * DAY_MS, { nuisance: { category: 'noise', severity: 'high' } });
        break;
      }
      case 'ties': {
        // Equal dates: the higher signalId is current; on one stageDate the later stage is.
        const t = start(40);
        const months = rng.pick([1, 2]);
        // Two contacts on one observedAt: the one of the higher signalId is the latest.
        emit(h, story, corp, 'RentArrearsReported', t, arrears(h, months), { contact: h.contact });
        emit(h, story, corp, 'RentArrearsReported', t, arrears(h, months + 1), { arrivalMs: t + rng.int(1, 9) * DAY_MS, contact: { ...h.contact, phone: `06${String(rng.int(10_000_000, 99_999_999))}` } });
        if (rng.chance(0.5)) {
          const at = t + rng.int(5, 20) * DAY_MS;
          emit(h, story, corp, 'EvictionProceedingUpdated', at, { proceeding: { stage: 'summons', stageDate: day(at), ground: 'arrears' } });
          emit(h, story, corp, 'EvictionProceedingUpdated', at, { proceeding: { stage: 'filed', stageDate: day(at), ground: 'arrears' } });
        }
        break;
      }
    }
  };

  const resendRate = options.resendRate ?? 0.03;
  let written = 0;
  for (let firstOfBlock = 0; firstOfBlock < options.size; firstOfBlock += householdsPerBlock) {
    planned = [];
    const households = Math.min(householdsPerBlock, options.size - firstOfBlock);
    for (let i = 0; i < households; i++) planHousehold();

    // Partners resend some entries later (a retry, or "send everything of today again").
    const originals = planned.length;
    const resendOf = new Map<number, number>();
    for (let i = 0; i < originals; i++) {
      if (!rng.chance(resendRate)) continue;
      const original = planned[i]!;
      resendOf.set(planned.length, i);
      planned.push({ ...original, arrivalMs: Math.min(nowMs - MINUTE_MS, original.arrivalMs + rng.int(1, 48 * 60) * MINUTE_MS), detailAsString: !original.detailAsString });
    }
    tally.resends += resendOf.size;

    // Arrival order; ties keep the order of planning, so the feed is stable.
    const order = planned.map((_, i) => i).sort((a, b) => planned[a]!.arrivalMs - planned[b]!.arrivalMs || a - b);
    const positionOf = new Map(order.map((plannedIndex, position) => [plannedIndex, written + position]));
    for (const i of order) {
      const p = planned[i]!;
      const original = resendOf.get(i);
      yield {
        line: partnerEntryLine({ partnerId: p.partnerId, detailType: p.detailType, detail: p.detail, detailAsString: p.detailAsString, sentMs: p.arrivalMs }),
        household: p.household.key,
        partnerId: p.partnerId,
        signalId: p.detail.signalId as string,
        detailType: p.detailType,
        municipalityCode: p.household.code,
        arrivalMs: p.arrivalMs,
        story: p.story,
        ...(original !== undefined ? { resendOf: positionOf.get(original)! } : {}),
      };
      tally.entries++;
    }
    written += order.length;
  }
}
