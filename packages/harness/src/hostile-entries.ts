/**
 * Malformed and hostile partner entries, as fast-check arbitraries: a valid entry (for the
 * default policy's partners and municipalities) with one to three mutations, each of which
 * on its own makes the entry break the contract or the partner registry, so every one must
 * be `rejected`. The entries are JSON *text*, so that they can carry what an object cannot:
 * duplicate keys (the last one counts, as in JSON.parse), `__proto__` as an own key,
 * numbers like 1e400 (Infinity once parsed) and nesting thousands deep.
 *
 * - `hostileEnvelope` renders an EventBridge event (`source`, `detail-type`, `detail`), for
 *   the pure intake (`takeIn`) after JSON.parse, as the ingest handler gets it;
 * - `hostileLine` renders a replay line (`Source`, `DetailType`, `Detail`), for the pipeline,
 *   including lines that are not JSON at all.
 *
 * And valid entries with a hostile aim: `planPartnerAttacks` has registered partners label a
 * generated feed's households with another municipality's code, or flood one (the chaos run
 * `hostile-partners`).
 */
import fc from 'fast-check';
import { amsterdamDate, formatAmsterdamIso } from '@vroegsignaal/calendar';
import {
  CARE_DOMAINS,
  NUISANCE_CATEGORIES,
  NUISANCE_SEVERITIES,
  PARTNER_DETAIL_TYPES,
  PROCEEDING_GROUNDS,
  PROCEEDING_STAGES,
  WITHDRAWAL_REASONS,
} from '@vroegsignaal/events';
import type { CompiledPolicy, Partner } from '@vroegsignaal/policy';
import type { GeneratedFeed } from './feed-generator.ts';
import { Rng } from './rng.ts';

// ---------------------------------------------------------------------------------------
// JSON with order, duplicate keys and raw tokens

export type JsonNode = null | boolean | number | string | JsonNode[] | JsonObject | RawToken;
export interface JsonObject {
  pairs: [string, JsonNode][];
}
/** Written as is: `1e400`, or nesting built as text. */
export interface RawToken {
  raw: string;
}

const isObject = (node: JsonNode): node is JsonObject => node !== null && typeof node === 'object' && !Array.isArray(node) && 'pairs' in node;

export function toNode(value: unknown): JsonNode {
  if (Array.isArray(value)) return value.map(toNode);
  if (value !== null && typeof value === 'object') return { pairs: Object.entries(value).map(([k, v]) => [k, toNode(v)]) };
  return value as JsonNode;
}

export function render(node: JsonNode): string {
  if (Array.isArray(node)) return `[${node.map(render).join(',')}]`;
  if (node !== null && typeof node === 'object') {
    if ('raw' in node) return node.raw;
    return `{${node.pairs.map(([k, v]) => `${JSON.stringify(k)}:${render(v)}`).join(',')}}`;
  }
  return JSON.stringify(node);
}

function objectAt(root: JsonNode, path: readonly string[]): JsonObject | undefined {
  let current: JsonNode = root;
  for (const key of path) {
    if (!isObject(current)) return undefined;
    const found: [string, JsonNode] | undefined = [...current.pairs].reverse().find(([k]) => k === key);
    if (!found) return undefined;
    current = found[1];
  }
  return isObject(current) ? current : undefined;
}

function valueAt(root: JsonNode, path: readonly string[]): JsonNode | undefined {
  const parent = objectAt(root, path.slice(0, -1));
  return parent ? [...parent.pairs].reverse().find(([k]) => k === path[path.length - 1])?.[1] : undefined;
}

/** Sets the last occurrence of the key, creating objects on the way. */
function setAt(root: JsonObject, path: readonly string[], value: JsonNode): void {
  let current = root;
  for (const key of path.slice(0, -1)) {
    let next = objectAt(current, [key]);
    if (!next) {
      next = { pairs: [] };
      const index = current.pairs.map(([k]) => k).lastIndexOf(key);
      if (index >= 0) current.pairs[index] = [key, next];
      else current.pairs.push([key, next]);
    }
    current = next;
  }
  const last = path[path.length - 1]!;
  const index = current.pairs.map(([k]) => k).lastIndexOf(last);
  if (index >= 0) current.pairs[index] = [last, value];
  else current.pairs.push([last, value]);
}

function deleteAt(root: JsonObject, path: readonly string[]): void {
  const parent = objectAt(root, path.slice(0, -1));
  if (parent) parent.pairs = parent.pairs.filter(([k]) => k !== path[path.length - 1]);
}

// ---------------------------------------------------------------------------------------
// Valid entries (default policy)

export const DETAIL_TYPES = PARTNER_DETAIL_TYPES;
type DetailType = (typeof DETAIL_TYPES)[number];

/** Corporations of the default policy, each with one municipality it reports in and its postcode areas. */
const CORPORATIONS: readonly { partner: string; code: string; areas: [number, number] }[] = [
  { partner: 'mitros', code: 'GM0344', areas: [3511, 3585] },
  { partner: 'portaal', code: 'GM0307', areas: [3811, 3829] },
  { partner: 'eigen-haard', code: 'GM0363', areas: [1011, 1098] },
  { partner: 'havensteder', code: 'GM0599', areas: [3011, 3089] },
  { partner: 'staedion', code: 'GM0518', areas: [2511, 2597] },
  { partner: 'woonpunt', code: 'GM0935', areas: [6211, 6229] },
  { partner: 'talis', code: 'GM0268', areas: [6511, 6546] },
  { partner: 'tiwos', code: 'GM0855', areas: [5011, 5049] },
];
const ANYWHERE = ['politie', 'ggd', 'leger-des-heils', 'mondriaan', 'jeugdzorg'];
/** Every enum value and field name of the contract: never "data" in a reason. */
export const CONTRACT_WORDS: readonly string[] = [
  ...DETAIL_TYPES,
  ...NUISANCE_CATEGORIES,
  ...NUISANCE_SEVERITIES,
  ...PROCEEDING_STAGES,
  ...PROCEEDING_GROUNDS,
  ...CARE_DOMAINS,
  ...WITHDRAWAL_REASONS,
  ...['true', 'false', 'null'],
];

/** The contract's fields per object (`''` is the detail itself). */
export const CONTRACT_FIELDS: Record<string, readonly string[]> = {
  '': ['schemaVersion', 'signalId', 'observedAt', 'municipalityCode', 'address', 'household', 'contact', 'crisis', 'arrears', 'nuisance', 'proceeding', 'care', 'withdrawal'],
  address: ['postcode', 'houseNumber', 'houseLetter', 'houseNumberAddition'],
  household: ['minors', 'adults'],
  contact: ['name', 'phone', 'email'],
  arrears: ['amountCents', 'monthsInArrears', 'monthlyRentCents', 'reminderSentAt', 'paymentArrangement'],
  nuisance: ['category', 'severity', 'reportCount', 'verified'],
  proceeding: ['stage', 'stageDate', 'scheduledFor', 'ground'],
  care: ['domains', 'stagnation'],
  withdrawal: ['signalId', 'reason'],
};
export const CONTRACT_FIELD_NAMES: readonly string[] = [...new Set(Object.values(CONTRACT_FIELDS).flat())];

const TYPE_FIELD: Record<DetailType, string> = {
  RentArrearsReported: 'arrears',
  NuisanceReported: 'nuisance',
  EvictionProceedingUpdated: 'proceeding',
  CareSignalReported: 'care',
  SignalWithdrawn: 'withdrawal',
};

type FieldKind = 'string' | 'int+' | 'number+' | 'one' | 'enum' | 'domains' | 'object' | 'datetime' | 'date' | 'postcode' | 'code';
const COMMON_REQUIRED: readonly [string[], FieldKind][] = [
  [['schemaVersion'], 'one'],
  [['signalId'], 'string'],
  [['observedAt'], 'datetime'],
  [['municipalityCode'], 'code'],
  [['address'], 'object'],
  [['address', 'postcode'], 'postcode'],
  [['address', 'houseNumber'], 'int+'],
];
const TYPE_REQUIRED: Record<DetailType, readonly [string[], FieldKind][]> = {
  RentArrearsReported: [[['arrears'], 'object'], [['arrears', 'amountCents'], 'int+'], [['arrears', 'monthsInArrears'], 'number+']],
  NuisanceReported: [[['nuisance'], 'object'], [['nuisance', 'category'], 'enum'], [['nuisance', 'severity'], 'enum']],
  EvictionProceedingUpdated: [[['proceeding'], 'object'], [['proceeding', 'stage'], 'enum'], [['proceeding', 'stageDate'], 'date'], [['proceeding', 'ground'], 'enum']],
  CareSignalReported: [[['care'], 'object'], [['care', 'domains'], 'domains']],
  SignalWithdrawn: [[['withdrawal'], 'object'], [['withdrawal', 'signalId'], 'string'], [['withdrawal', 'reason'], 'enum']],
};

export interface EntryDraft {
  source: JsonNode;
  detailType: JsonNode;
  detail: JsonNode;
  /** The valid type the detail was built as. */
  type: DetailType;
  /** What was done to it, for a failing case's report. */
  mutations: string[];
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** An Amsterdam-style ISO date-time (fixed +01:00 or +02:00 offsets are both valid ISO). */
function isoAt(ms: number): string {
  const local = new Date(ms + 60 * 60_000);
  return `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}+01:00`;
}

function dateAt(ms: number): string {
  return isoAt(ms).slice(0, 10);
}

const LETTERS = 'ABCDEGHJKLMNPRSTVWXZ';

/** A valid entry for the default policy, judged at `nowMs`. */
export function validEntry(nowMs: number): fc.Arbitrary<EntryDraft> {
  const DAY = 86_400_000;
  return fc
    .record({
      type: fc.constantFrom(...DETAIL_TYPES),
      corporation: fc.constantFrom(...CORPORATIONS),
      other: fc.constantFrom(...ANYWHERE),
      fromCorporation: fc.boolean(),
      area: fc.nat(),
      letters: fc.tuple(fc.nat(LETTERS.length - 1), fc.nat(LETTERS.length - 1)),
      spaced: fc.boolean(),
      houseNumber: fc.integer({ min: 1, max: 99_999 }),
      houseLetter: fc.option(fc.constantFrom('a', 'B'), { nil: undefined }),
      ageMinutes: fc.integer({ min: 10, max: 390 * 24 * 60 }),
      signalId: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9/_-]{0,30}$/),
      months: fc.integer({ min: 1, max: 12 }),
      rent: fc.integer({ min: 300, max: 1500 }),
      minors: fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined }),
      contact: fc.boolean(),
      pick: fc.nat(),
    })
    .map((r) => {
      const source = r.type === 'RentArrearsReported' || r.type === 'EvictionProceedingUpdated' || r.type === 'SignalWithdrawn' || r.fromCorporation ? r.corporation.partner : r.other;
      const [lo, hi] = r.corporation.areas;
      const area = lo + (r.area % (hi - lo + 1));
      const postcode = `${area}${r.spaced ? ' ' : ''}${LETTERS[r.letters[0]]}${LETTERS[r.letters[1]]}`;
      const observedMs = nowMs - r.ageMinutes * 60_000;
      const detail: Record<string, unknown> = {
        schemaVersion: 1,
        signalId: r.signalId,
        observedAt: isoAt(observedMs),
        municipalityCode: r.corporation.code,
        address: { postcode, houseNumber: r.houseNumber, ...(r.houseLetter ? { houseLetter: r.houseLetter } : {}) },
        ...(r.minors !== undefined ? { household: { minors: r.minors } } : {}),
        ...(r.contact ? { contact: { name: 'Jan de Vries', phone: '0612345678', email: 'jan.devries@example.nl' } } : {}),
      };
      switch (r.type) {
        case 'RentArrearsReported':
          detail.arrears = { amountCents: r.months * r.rent * 100, monthsInArrears: r.months };
          break;
        case 'NuisanceReported':
          detail.nuisance = { category: ['noise', 'threat', 'drugs', 'hoarding'][r.pick % 4], severity: ['low', 'medium', 'high'][r.pick % 3] };
          break;
        case 'EvictionProceedingUpdated': {
          const stage = ['summons', 'filed', 'verdict', 'scheduled'][r.pick % 4]!;
          detail.proceeding = { stage, stageDate: dateAt(observedMs - DAY), ground: 'arrears', ...(stage === 'scheduled' ? { scheduledFor: dateAt(observedMs + 30 * DAY) } : {}) };
          break;
        }
        case 'CareSignalReported':
          detail.care = { domains: [['debt'], ['mentalHealth', 'youth'], ['addiction']][r.pick % 3] };
          break;
        case 'SignalWithdrawn':
          detail.withdrawal = { signalId: `${r.signalId}-w`.slice(0, 128), reason: 'resolved' };
          break;
      }
      return { source: `partner.${source}`, detailType: r.type, detail: toNode(detail), type: r.type, mutations: [] };
    });
}

// ---------------------------------------------------------------------------------------
// Mutations: each one on its own makes the entry invalid

type Mutation = (draft: EntryDraft) => void;

const LOOKALIKE_DIGITS = [
  (d: number) => String.fromCharCode(0xff10 + d), // full-width １
  (d: number) => String.fromCharCode(0x0660 + d), // Arabic-Indic ١
  (d: number) => String.fromCharCode(0x06f0 + d), // Extended Arabic-Indic ۱
  (d: number) => String.fromCharCode(0x0966 + d), // Devanagari १
  (d: number) => String.fromCodePoint(0x1d7ce + d), // mathematical bold 𝟏
  (d: number) => ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'][d]!, // superscript
];
const LOOKALIKE_LETTERS: Record<string, string[]> = {
  A: ['Ａ', 'А', 'Α'], B: ['Ｂ', 'В', 'Β'], C: ['Ｃ', 'С'], E: ['Ｅ', 'Е', 'Ε'], H: ['Ｈ', 'Н', 'Η'], K: ['Ｋ', 'К', 'Κ'], M: ['Ｍ', 'М', 'Μ'],
  N: ['Ｎ', 'Ν'], P: ['Ｐ', 'Р', 'Ρ'], T: ['Ｔ', 'Т', 'Τ'], X: ['Ｘ', 'Х', 'Χ'], Z: ['Ｚ', 'Ζ'], G: ['Ｇ', 'Ԍ'], D: ['Ｄ', 'Ꭰ'], S: ['Ｓ', 'Ѕ'],
  a: ['ａ', 'а'], c: ['ｃ', 'с'], e: ['ｅ', 'е'], o: ['ｏ', 'о', 'ο'], p: ['ｐ', 'р'], s: ['ｓ', 'ѕ'], i: ['ｉ', 'і'], d: ['ｄ', 'ԁ'], r: ['ｒ', 'г'], n: ['ｎ', 'п'],
};
const INVISIBLES = ['\u200b', '\u200d', '\ufeff', '\u00a0', '\u3000', '\u0301', '\u0000', '\u202e'];

/** Replaces at least one character of a valid value with a look-alike, or slips in an invisible one. */
function lookalike(value: string, pick: number, invisibleAt: number | null): string {
  const chars = [...value];
  if (invisibleAt !== null) {
    const at = invisibleAt % (chars.length + 1);
    return [...chars.slice(0, at), INVISIBLES[pick % INVISIBLES.length]!, ...chars.slice(at)].join('');
  }
  const positions = chars.map((c, i) => (/[0-9]/.test(c) || LOOKALIKE_LETTERS[c] ? i : -1)).filter((i) => i >= 0);
  if (positions.length === 0) return `${value}${INVISIBLES[0]}`;
  const count = 1 + (pick % positions.length);
  const out = [...chars];
  for (let k = 0; k < count; k++) {
    const i = positions[(pick + k * 7) % positions.length]!;
    const c = out[i]!;
    // Two rounds may pick one position: a character already replaced stays as it is.
    if (!/[0-9]/.test(c) && !LOOKALIKE_LETTERS[c]) continue;
    out[i] = /[0-9]/.test(c) ? LOOKALIKE_DIGITS[(pick + k) % LOOKALIKE_DIGITS.length]!(Number(c)) : LOOKALIKE_LETTERS[c]![(pick + k) % LOOKALIKE_LETTERS[c]!.length]!;
  }
  return out.join('');
}

const BAD_DATETIMES = (nowMs: number): string[] => [
  '+099999-01-01T00:00:00Z',
  '99999-01-01T00:00:00+01:00',
  '-000001-01-01T00:00:00Z',
  '2026-02-30T10:00:00+01:00',
  '2025-02-29T10:00:00+01:00',
  '2026-13-01T10:00:00+01:00',
  '2026-11-10T24:00:00+01:00',
  '2026-11-10T09:60:00+01:00',
  '2026-11-10T23:59:60Z',
  '2026-11-10T09:00:00',
  '2026-11-10T09:00Z',
  '2026-11-10',
  '2026-11-10T09:00:00+25:00',
  '2026-11-10T09:00:00+0100',
  '2026-11-10 09:00:00+01:00',
  ' 2026-11-10T09:00:00+01:00',
  '2026-11-10T09:00:00+01:00\n',
  '10/11/2026 09:00',
  '0000-00-00T00:00:00Z',
  '',
  'now',
  '1970-01-01T00:00:00Z',
  '2099-12-31T23:59:59+01:00',
  new Date(nowMs + 6 * 60_000).toISOString(),
  new Date(nowMs - 401 * 86_400_000).toISOString(),
  new Date(nowMs + 366 * 86_400_000).toISOString(),
];
const BAD_DATES = ['2026-02-30', '2025-02-29', '99999-01-01', '+099999-01-01', '-000001-01-01', '2026-1-1', '2026-11-10T00:00:00Z', '20261110', '', '2026-00-10', '2026-11-00', '2026-11-32', '10-11-2026'];

/** A value of the wrong type or out of range for a field of this kind. */
function wrongValue(kind: FieldKind, pick: number, nowMs: number): JsonNode {
  const anyWrongType: JsonNode[] = [null, true, false, [], { pairs: [] }, [1, 2], { pairs: [['value', 1]] }];
  const choose = (options: JsonNode[]) => options[pick % options.length]!;
  switch (kind) {
    case 'string':
      return choose([12345, 0, -1, 1.5, ...anyWrongType, '', 'x'.repeat(129)]);
    case 'int+':
      return choose(['1000', '12', '0x10', 0, -1, 1.5, -0.5, { raw: '1e400' }, { raw: '-1e400' }, { raw: '1e-400' }, 100_000_000_000_000_000_000, ...anyWrongType]);
    case 'number+':
      return choose(['2', '1.5', 0, -1, { raw: '1e400' }, { raw: '-0' }, ...anyWrongType]);
    case 'one':
      return choose(['1', 2, 0, -1, 1.5, { raw: '1e400' }, ...anyWrongType]);
    case 'enum':
      return choose(['', 'NOISE', 'High', 'Summons', 'resolved ', ' debt', 'riot', 'unknown', 'hígh', 'nоise', 0, ...anyWrongType]);
    case 'domains':
      return choose([[], ['debt', 'debt'], ['debts'], ['Debt'], 'debt', ['mentalHealth', null], [['debt']], { pairs: [['0', 'debt']] }, null, 7]);
    case 'object':
      return choose(['', 'object', 0, null, true, [], [{ pairs: [] }], { pairs: [] }]);
    case 'datetime':
      return choose([...BAD_DATETIMES(nowMs), nowMs, ...anyWrongType]);
    case 'date':
      return choose([...BAD_DATES, 20261110, ...anyWrongType]);
    case 'postcode':
      return choose(['1234', '1234 A', '0123 AB', '1234  AB', '1234-AB', '1234ABC', 'AB 1234', '12345AB', '', '１２３４ＡＢ', '١٢٣٤ AB', '1234\u00a0AB', '1234\u200bAB', 12345, ...anyWrongType]);
    case 'code':
      return choose(['GM344', 'gm0344', 'GM03440', 'GM 0344', 'GM０３４４', '0344', '', 344, ...anyWrongType]);
  }
}

function requiredFields(type: DetailType): readonly [string[], FieldKind][] {
  return [...COMMON_REQUIRED, ...TYPE_REQUIRED[type]];
}

const POLLUTION_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__', '__lookupGetter__', 'isAdmin', 'then'];
const POLLUTION_VALUES: JsonNode[] = [
  { pairs: [['polluted', true]] },
  { pairs: [['prototype', { pairs: [['polluted', true]] }]] },
  { pairs: [['__proto__', { pairs: [['polluted', true]] }]] },
  { pairs: [['constructor', { pairs: [['prototype', { pairs: [['polluted', true]] }]] }]] },
  'polluted',
  null,
];
const KEY_VARIANTS = ['Address', 'signalID', 'observed_at', 'address ', ' signalId', 'signalId\u0000', 'ｓｉｇｎａｌＩｄ', '𝓪𝓭𝓭𝓻𝓮𝓼𝓼', '', '$where', '../../etc/passwd', '<script>alert(1)</script>', "'; DROP TABLE households; --"];

/** Strings a partner's system might send where it should not: data, markup, control characters. */
const junkString = fc.oneof(
  fc.string({ minLength: 1, maxLength: 40 }),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }),
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a hostile value that must stay inert text, not a template
  fc.constantFrom('Jan de Vries', 'Kerkstraat 12', '0612345678', 'jan@example.nl', '3512 JE', '{{7*7}}', '${process.exit(1)}', '\u202egnp.exe', '🏠🔥'),
);

function mutations(nowMs: number): fc.Arbitrary<Mutation> {
  const pick = fc.nat({ max: 1_000_000 });
  const field = (d: EntryDraft, n: number) => requiredFields(d.type)[n % requiredFields(d.type).length]!;
  const objectPaths = (d: EntryDraft): string[][] => [[], ['address'], [TYPE_FIELD[d.type]], ...(objectAt(d.detail, ['contact']) ? [['contact']] : []), ...(objectAt(d.detail, ['household']) ? [['household']] : [])];
  const root = (d: EntryDraft) => d.detail as JsonObject;
  const named = (name: string, m: Mutation): Mutation => (d) => {
    if (!isObject(d.detail)) return;
    m(d);
    d.mutations.push(name);
  };

  return fc.oneof(
    // Wrong type or out of range for a required field.
    fc.tuple(pick, pick).map(([n, v]): Mutation => named('wrong-type', (d) => {
      const [path, kind] = field(d, n);
      setAt(root(d), path, wrongValue(kind, v, nowMs));
    })),
    // A required field missing.
    pick.map((n): Mutation => named('missing', (d) => deleteAt(root(d), field(d, n)[0]))),
    // An extra field, at the top or inside: odd names, prototype pollution, anything.
    fc.tuple(pick, fc.oneof(fc.constantFrom(...POLLUTION_KEYS, ...KEY_VARIANTS), fc.string({ minLength: 0, maxLength: 30 }), fc.nat({ max: 3 }).map((k) => 'k'.repeat([65, 1000, 70_000, 200_000][k]!))), fc.oneof(fc.constantFrom(...POLLUTION_VALUES), fc.jsonValue({ maxDepth: 2 }).map(toNode)))
      .map(([n, key, value]): Mutation => named('extra-field', (d) => {
        const paths = objectPaths(d);
        const path = paths[n % paths.length]!;
        const allowed = CONTRACT_FIELDS[path.length === 0 ? '' : path[0]!] ?? [];
        objectAt(d.detail, path)?.pairs.push([allowed.includes(key) ? `${key}X` : key, value]);
      })),
    // Huge strings where short ones belong.
    fc.tuple(pick, fc.constantFrom(255, 1_000, 70_000, 1_048_576), fc.constantFrom('x', 'é', '🏠', '\u0000')).map(([n, length, unit]): Mutation => named('huge-string', (d) => {
      const paths: string[][] = [['signalId'], ['observedAt'], ['municipalityCode'], ['address', 'postcode'], ['contact', 'name'], ['contact', 'email'], ['contact', 'phone'], ...(d.type === 'SignalWithdrawn' ? [['withdrawal', 'signalId']] : [])];
      // `length` characters (code points), whatever the unit: an emoji is one character to the contract.
      setAt(root(d), paths[n % paths.length]!, unit.repeat(unit.length > 1 ? Math.min(length, 70_000) : length));
    })),
    // Look-alike characters and invisible ones in the fields with a pattern.
    fc.tuple(pick, pick, fc.option(fc.nat({ max: 12 }), { nil: null })).map(([n, v, invisible]): Mutation => named('look-alike', (d) => {
      const paths: string[][] = [['address', 'postcode'], ['municipalityCode'], ['address', 'houseLetter'], ['address', 'houseNumberAddition'], ['observedAt']];
      const path = paths[n % paths.length]!;
      const current = valueAt(d.detail, path);
      const base = typeof current === 'string' ? current : path[1] === 'houseLetter' ? 'A' : path[1] === 'houseNumberAddition' ? 'bis' : '3512 AB';
      // An invisible character inside a valid houseNumberAddition of 1-3 characters keeps it
      // alphanumeric-looking but never matches; a look-alike replaces an ASCII one.
      setAt(root(d), path, lookalike(base, v, invisible));
    })),
    // Enum values that are almost right.
    fc.tuple(pick, pick).map(([n, v]): Mutation => named('bad-enum', (d) => {
      const enums = requiredFields(d.type).filter(([, kind]) => kind === 'enum' || kind === 'domains');
      if (enums.length === 0) {
        setAt(root(d), ['crisis'], ['yes', 'true', 1, 0, 'TRUE', null][v % 6]!);
        return;
      }
      const [path, kind] = enums[n % enums.length]!;
      setAt(root(d), path, wrongValue(kind, v, nowMs));
    })),
    // Dates out of range or not dates at all.
    fc.tuple(pick, pick).map(([n, v]): Mutation => named('bad-date', (d) => {
      const paths: [string[], 'datetime' | 'date'][] = [[['observedAt'], 'datetime']];
      if (d.type === 'EvictionProceedingUpdated') paths.push([['proceeding', 'stageDate'], 'date'], [['proceeding', 'scheduledFor'], 'date']);
      if (d.type === 'RentArrearsReported') paths.push([['arrears', 'reminderSentAt'], 'date']);
      const [path, kind] = paths[n % paths.length]!;
      const options = kind === 'datetime' ? BAD_DATETIMES(nowMs) : BAD_DATES;
      setAt(root(d), path, options[v % options.length]!);
    })),
    // Numbers as strings.
    pick.map((n): Mutation => named('number-as-string', (d) => {
      const numeric = requiredFields(d.type).filter(([, kind]) => kind === 'int+' || kind === 'number+' || kind === 'one');
      const [path] = numeric[n % numeric.length]!;
      const current = valueAt(d.detail, path);
      setAt(root(d), path, typeof current === 'number' ? String(current) : '1');
    })),
    // Optional fields with wrong values.
    fc.tuple(pick, pick).map(([n, v]): Mutation => named('bad-optional', (d) => {
      const options: [string[], JsonNode[]][] = [
        [['household', 'minors'], [-1, 1.5, '2', null, { raw: '1e400' }]],
        [['household', 'adults'], [0, -1, 'two', 2.5]],
        [['contact'], ['Jan de Vries', ['Jan'], 12, null]],
        [['contact', 'name'], ['', 12, null, ['Jan']]],
        [['crisis'], ['true', 1, 'yes', null]],
        [['address', 'houseLetter'], ['AB', '1', '', 'é']],
        [['address', 'houseNumberAddition'], ['', 'abcde', 'a-b', '1/2', 12]],
      ];
      const [path, values] = options[n % options.length]!;
      setAt(root(d), path, values[v % values.length]!);
    })),
    // A required date missing on a scheduled eviction; a set of domains that is not a set.
    pick.map((n): Mutation => named('rule', (d) => {
      if (d.type === 'EvictionProceedingUpdated') {
        setAt(root(d), ['proceeding', 'stage'], 'scheduled');
        deleteAt(root(d), ['proceeding', 'scheduledFor']);
      } else if (d.type === 'CareSignalReported') {
        setAt(root(d), ['care', 'domains'], n % 2 === 0 ? [] : ['debt', 'youth', 'debt']);
      } else {
        setAt(root(d), ['signalId'], n % 2 === 0 ? '' : 'y'.repeat(129));
      }
    })),
    // The source: not a partner, not a registered one, or not a string.
    fc.tuple(pick, junkString).map(([n, junk]): Mutation => (d) => {
      const options: JsonNode[] = [
        'partner.', 'partner.A', 'partner.MITROS', 'partner.mitros ', ' partner.mitros', 'PARTNER.mitros', 'partners.mitros', 'partner.mitrоs', 'partner.mi_tros',
        `partner.${'a'.repeat(41)}`, 'partner.unregistered-corp', 'partner.woonbron', 'mitros', 'vroegsignaal', 'aws.events', '', 42, null, true, [], { pairs: [['id', 'mitros']] },
        `partner.${junk}`,
      ];
      const value = options[n % options.length]!;
      // `partner.` + junk that happens to be a registered id is not hostile: make it unregistrable.
      d.source = typeof value === 'string' && value.startsWith('partner.') && /^partner\.[a-z0-9][a-z0-9-]{1,39}$/.test(value) && value !== 'partner.unregistered-corp' && value !== 'partner.woonbron' && !value.endsWith(' ') ? `partner.zz-${value.slice(8, 30)}` : value;
      d.mutations.push('source');
    }),
    // The detail type: unknown, almost right, the wrong one for the detail, or not a string.
    fc.tuple(pick).map(([n]): Mutation => (d) => {
      const wrongType = DETAIL_TYPES.filter((t) => t !== d.type);
      const options: JsonNode[] = ['RentArrearsUpdated', 'rentarrearsreported', 'RentArrearsReported ', 'RentArrearsReportеd', 'SignalOutcome', 'DeliveryDue', 'AlertPickedUp', '', 1, null, ['RentArrearsReported'], wrongType[n % wrongType.length]!];
      d.detailType = options[n % options.length]!;
      d.mutations.push('detail-type');
    }),
    // A partner outside its municipalities, or a municipality no corporation has.
    fc.tuple(pick).map(([n]): Mutation => named('municipality', (d) => {
      const corp = CORPORATIONS[n % CORPORATIONS.length]!;
      const elsewhere = CORPORATIONS.filter((c) => c.code !== corp.code);
      d.source = `partner.${corp.partner === 'portaal' ? 'omnia' : corp.partner}`;
      setAt(root(d), ['municipalityCode'], n % 3 === 0 ? 'GM0014' : n % 3 === 1 ? 'GM9999' : elsewhere[n % elsewhere.length]!.code);
    })),
    // Oversized: past 64 KiB, with many fields or one big one; and nesting thousands deep.
    fc.tuple(pick, fc.constantFrom(200, 2_000, 9_000, 20_000)).map(([n, depth]): Mutation => named('oversized', (d) => {
      const kind = n % 3;
      if (kind === 0) root(d).pairs.push(['notes', 'n'.repeat(66_000)]);
      else if (kind === 1) for (let i = 0; i < 400; i++) root(d).pairs.push([`field${i}`, 'v'.repeat(200)]);
      else root(d).pairs.push(['nested', { raw: `${'['.repeat(depth)}${']'.repeat(depth)}` }]);
    })),
    // The detail is not an object at all.
    fc.tuple(pick, junkString).map(([n, junk]): Mutation => (d) => {
      const options: JsonNode[] = [[], [d.detail], 'detail', junk, 0, null, true, { raw: '1e400' }];
      d.detail = options[n % options.length]!;
      d.mutations.push('not-an-object');
    }),
  );
}

/** Duplicate keys: an earlier, valid copy of a key whose last occurrence (the one that counts) is left as it is. */
function withDuplicateKeys(draft: EntryDraft, valid: EntryDraft, pick: number): void {
  if (!isObject(draft.detail) || !isObject(valid.detail)) return;
  const paths: string[][] = [['signalId'], ['address'], ['observedAt'], ['address', 'postcode'], [TYPE_FIELD[draft.type]], ['municipalityCode']];
  const path = paths[pick % paths.length]!;
  const parent = objectAt(draft.detail, path.slice(0, -1));
  const validValue = valueAt(valid.detail, path);
  const key = path[path.length - 1]!;
  // Only before an occurrence that stays last: a lone valid copy would undo a `missing`.
  if (!parent || validValue === undefined || !parent.pairs.some(([k]) => k === key)) return;
  parent.pairs.unshift([key, validValue]);
  draft.mutations.push('duplicate-keys');
}

function cloneDraft(d: EntryDraft): EntryDraft {
  return { ...d, detail: structuredClone(d.detail), source: structuredClone(d.source), detailType: structuredClone(d.detailType), mutations: [...d.mutations] };
}

/** A valid entry with one to three mutations, some with duplicate keys. */
export function hostileDraft(nowMs: number): fc.Arbitrary<EntryDraft> {
  return fc
    .tuple(validEntry(nowMs), fc.array(mutations(nowMs), { minLength: 1, maxLength: 3 }), fc.option(fc.nat(), { nil: null }))
    .map(([valid, muts, duplicate]) => {
      const draft = cloneDraft(valid);
      for (const mutate of muts) mutate(draft);
      if (draft.mutations.length === 0) {
        // Every mutation above skipped (the detail stopped being an object first): break the source too.
        draft.source = 'partner.';
        draft.mutations.push('source');
      }
      if (duplicate !== null) withDuplicateKeys(draft, valid, duplicate);
      return draft;
    });
}

export interface HostileEnvelope {
  /** The EventBridge event as JSON text (what the ingest handler parses). */
  text: string;
  draft: EntryDraft;
}

/** As the ingest handler gets it: `{id, source, detail-type, account, detail}` JSON text. */
export function hostileEnvelope(nowMs: number): fc.Arbitrary<HostileEnvelope> {
  return hostileDraft(nowMs).map((draft) => ({
    draft,
    text: `{"version":"0","id":"hostile","source":${render(draft.source)},"detail-type":${render(draft.detailType)},"account":"000000000000","time":"2026-11-15T08:00:00Z","region":"eu-west-1","resources":[],"detail":${render(draft.detail)}}`,
  }));
}

/** As a replay line: a PutEvents entry (Detail as an object or a string), or a line that is not one. */
export function hostileLine(nowMs: number): fc.Arbitrary<string> {
  const entryLines = fc.tuple(hostileDraft(nowMs), fc.boolean()).map(([draft, asString]) => {
    const detail = asString ? JSON.stringify(render(draft.detail)) : render(draft.detail);
    return `{"Source":${render(draft.source)},"DetailType":${render(draft.detailType)},"Detail":${detail}}`;
  });
  const brokenLines = fc.oneof(
    validEntry(nowMs).map((d) => {
      const line = `{"Source":${render(d.source)},"DetailType":${render(d.detailType)},"Detail":${render(d.detail)}}`;
      return line.slice(0, Math.floor(line.length / 2)); // cut off halfway
    }),
    fc.constantFrom(
      'not json',
      '{',
      '[]',
      '[{"Source":"partner.mitros"}]',
      'null',
      '42',
      '"a string"',
      '{}',
      "{'Source':'partner.mitros'}",
      '{"Source":"partner.mitros","DetailType":"RentArrearsReported","Detail":{"signalId":NaN}}',
      '{"Source":"partner.mitros","DetailType":"RentArrearsReported","Detail":{"amount":Infinity}}',
      '{"Source":"partner.mitros","DetailType":"RentArrearsReported","Detail":{},}',
      '\ufeff{"Source":"partner.mitros","DetailType":"RentArrearsReported","Detail":{}}',
      '{"Source":"partner.mitros","DetailType":"RentArrearsReported"}',
      '{"Source":"partner.mitros","DetailType":"RentArrearsReported","Detail":"not json"}',
      '{"Source":"partner.mitros","DetailType":"RentArrearsReported","Detail":"[1,2]"}',
      '{"Source":"partner.mitros","DetailType":"RentArrearsReported","Detail":{},"Account":"12345"}',
      '{"Source":"partner.mitros","DetailType":"RentArrearsReported","Detail":{},"Account":123456789012}',
      '{"__proto__":{"polluted":true},"Source":"partner.mitros","DetailType":"RentArrearsReported","Detail":{"__proto__":{"polluted":true}}}',
    ),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 200 }).filter((s) => s.trim() !== '' && !s.includes('\n') && !s.includes('\r')).map((s) => `\u0001${s}`),
  );
  return fc.oneof({ weight: 5, arbitrary: entryLines }, { weight: 1, arbitrary: brokenLines });
}

/** Hostile lines for the chaos run: seeded, a fixed count, none of them huge (they go through the local bus). */
export function sampleHostileLines(nowMs: number, count: number, seed: number): string[] {
  return fc.sample(hostileLine(nowMs).filter((line) => line.length < 300_000 && !/\[{3000}/.test(line)), { numRuns: count, seed });
}

// ---------------------------------------------------------------------------------------
// Hostile partners: valid entries from registered partners, aimed at a household they must
// not steer (the chaos run `hostile-partners`)

/** Every attack entry carries a contact with this name and its own number: a rejected entry's must never reach a team. */
export const ATTACK_MARKER_PREFIX = 'Kaper';

export type AttackRule = 'postcode-area' | 'municipality';

export interface PartnerAttack {
  /**
   * `divert`: a signal for the household's address labelled with another policy municipality's
   * code, to steer it (and the attacker's contact) to that municipality's team; must be
   * rejected by `expectedRule`. `flood`: one of many correctly labelled low signals from one
   * partner, to crowd the household out; taken until the partner's share is full, then
   * rejected (`partner-quota`).
   */
  kind: 'divert' | 'flood';
  /** The replay line (a PutEvents entry). */
  line: string;
  /** The household's key, as `FeedEntry.household`. */
  household: string;
  partnerId: string;
  signalId: string;
  /** The code the entry is labelled with. */
  municipalityCode: string;
  expectedRule?: AttackRule;
  /** The contact name it carries. */
  marker: string;
  /** For a flood: the index in `feed.entries` it must come after (the flooder's last entry about the household). */
  after?: number;
}

export interface Flood {
  household: string;
  partnerId: string;
  entries: number;
  /** The index in `feed.entries` of the flooder's last entry about the household. */
  after: number;
  /** Entries of other partners about the household after that one: genuine signals that follow the flood. */
  followedBy: number;
}

export interface PartnerAttackPlan {
  attacks: PartnerAttack[];
  floods: Flood[];
  /** Households with at least one divert attempt. */
  divertedHouseholds: number;
}

export interface PartnerAttackOptions {
  seed: number;
  /** Whether the partner's signal is live in the household's end state when the feed is delivered once. */
  isLive: (household: string, partnerId: string, signalId: string) => boolean;
  /** Share of households that get one or two divert attempts (default 0.1), at least `minDiverted` (default 3) of them. */
  divertShare?: number;
  minDiverted?: number;
  /** Share of households flooded (default 0.01), at least `minFloods` (default 2) when there are candidates. */
  floodShare?: number;
  minFloods?: number;
  /** Entries per flood (default 60 to 80: more than a partner's share of 50). */
  floodSize?: readonly [number, number];
}

const ATTACK_DAY_MS = 24 * 60 * 60 * 1000;

function detailOf(line: string): Record<string, unknown> {
  const { Detail } = JSON.parse(line) as { Detail: unknown };
  return (typeof Detail === 'string' ? JSON.parse(Detail) : Detail) as Record<string, unknown>;
}

/**
 * Attacks by registered partners on a generated feed, seeded. Divert attempts, for a share of
 * households: a corporation registered elsewhere, or a partner registered everywhere (police,
 * GGD, care), sends its most alarming signal (a summons with minors, a verified threat, a
 * crisis) for the household's own address, labelled with another policy municipality's code:
 * in turn one the corporation is registered for, any (a partner registered everywhere), and
 * one the corporation is not registered for. Intake must refuse each: `municipality` when the
 * attacker is not registered for the label, else `postcode-area`.
 *
 * Floods, for a few households: a partner that already reports on the household sends 60-80
 * low signals with fresh signalIds after its own last entry about it; other partners' entries
 * about the household may follow. A flood copies the kind and life domain of one of the
 * flooder's own signals that stays live, and adds no crisis, minors, stagnation, arrears or
 * proceeding: from the flood on, the household has the same partners, domains and levels as
 * without it, so every alert the feed raises without the flood must still be raised, and no
 * other. (A flood by a partner new to the household legitimately changes the assessment, a
 * second partner makes a case, so it could not be held to the feed delivered once; and a
 * flood before the flooder's own later signals would refuse those by design: a partner can
 * only crowd out itself.)
 */
export function planPartnerAttacks(feed: GeneratedFeed, policy: CompiledPolicy, options: PartnerAttackOptions): PartnerAttackPlan {
  const rng = new Rng(options.seed);
  const partners = policy.policy.partners;
  const codes = policy.policy.municipalities.map((m) => m.code);
  const registeredFor = (p: Partner, code: string) => p.municipalities === 'all' || p.municipalities.includes(code);
  const everywhere = partners.filter((p) => p.municipalities === 'all');
  const corporations = partners.filter((p) => p.kind === 'corporation' && p.municipalities !== 'all' && p.municipalities.some((c) => codes.includes(c)));

  const byHousehold = new Map<string, number[]>();
  for (const [i, e] of feed.entries.entries()) byHousehold.set(e.household, [...(byHousehold.get(e.household) ?? []), i]);

  const attacks: PartnerAttack[] = [];
  let n = 0;
  const tag = feed.seed % 10_000;
  const marker = () => `${ATTACK_MARKER_PREFIX} ${String(++n).padStart(6, '0')}`;
  const line = (partnerId: string, detailType: string, detail: Record<string, unknown>) => JSON.stringify({ Source: `partner.${partnerId}`, DetailType: detailType, Detail: detail });
  const daysAgo = (minDays: number, maxDays: number) => feed.nowMs - rng.int(minDays, maxDays) * ATTACK_DAY_MS - rng.int(1, 600) * 60_000;
  const observedAt = (minDays: number, maxDays: number) => formatAmsterdamIso(new Date(daysAgo(minDays, maxDays)));

  // Divert attempts.
  let divertedHouseholds = 0;
  let divertTurn = 0;
  const divertCount = Math.min(byHousehold.size, Math.max(options.minDiverted ?? 3, Math.round(byHousehold.size * (options.divertShare ?? 0.1))));
  const targets = new Set(rng.shuffle([...byHousehold.keys()]).slice(0, divertCount));
  for (const [household, ids] of byHousehold) {
    if (!targets.has(household)) continue;
    const first = feed.entries[ids[0]!]!;
    const code = first.municipalityCode;
    const address = detailOf(first.line).address;
    const attempts = rng.int(1, 2);
    let made = 0;
    for (let a = 0; a < attempts; a++) {
      // In turn: a corporation registered elsewhere labelling the household with one of its own
      // municipalities; a partner registered everywhere; a corporation labelling it with one it
      // is not registered for.
      const turn = divertTurn++ % 3;
      const foreign = corporations.filter((p) => (p.municipalities as string[]).some((c) => c !== code && codes.includes(c)));
      const attacker = turn !== 1 && foreign.length > 0 ? rng.pick(foreign) : rng.pick(everywhere);
      if (!attacker) continue;
      const own = attacker.municipalities === 'all' ? codes.filter((c) => c !== code) : attacker.municipalities.filter((c) => c !== code && codes.includes(c));
      const elsewhere = codes.filter((c) => c !== code && !own.includes(c));
      const label = turn === 2 && elsewhere.length > 0 ? rng.pick(elsewhere) : rng.pick(own);
      if (!label) continue;
      const signalId = `ATK-${tag}-${String(n + 1).padStart(6, '0')}`;
      const observedMs = daysAgo(1, 20);
      const base = { schemaVersion: 1, signalId, observedAt: formatAmsterdamIso(new Date(observedMs)), municipalityCode: label, address, contact: { name: marker() } };
      const [detailType, body] =
        attacker.kind === 'corporation'
          ? (['EvictionProceedingUpdated', { household: { minors: 2, adults: 1 }, proceeding: { stage: 'summons', stageDate: amsterdamDate(new Date(observedMs - rng.int(0, 10) * ATTACK_DAY_MS)), ground: 'arrears' } }] as const)
          : attacker.kind === 'police'
            ? (['NuisanceReported', { nuisance: { category: 'threat', severity: 'high', reportCount: 5, verified: true } }] as const)
            : (['CareSignalReported', { care: { domains: ['domesticViolence'] }, crisis: true }] as const);
      attacks.push({
        kind: 'divert',
        line: line(attacker.id, detailType, { ...base, ...body }),
        household,
        partnerId: attacker.id,
        signalId,
        municipalityCode: label,
        expectedRule: registeredFor(attacker, label) ? 'postcode-area' : 'municipality',
        marker: base.contact.name,
      });
      made++;
    }
    if (made > 0) divertedHouseholds++;
  }

  // Floods: candidates are a partner's live nuisance or care signal, the flood after its last entry.
  interface Candidate {
    household: string;
    partnerId: string;
    template: Record<string, unknown>;
    after: number;
    followedBy: number;
  }
  const candidates: Candidate[] = [];
  for (const [household, ids] of byHousehold) {
    const options_: Candidate[] = [];
    for (const partnerId of new Set(ids.map((i) => feed.entries[i]!.partnerId))) {
      const own = ids.filter((i) => feed.entries[i]!.partnerId === partnerId);
      const after = own[own.length - 1]!;
      const template = own
        .map((i) => feed.entries[i]!)
        .find((e) => (e.detailType === 'NuisanceReported' || e.detailType === 'CareSignalReported') && options.isLive(household, partnerId, e.signalId));
      if (!template) continue;
      options_.push({ household, partnerId, template: detailOf(template.line), after, followedBy: ids.filter((i) => i > after && feed.entries[i]!.partnerId !== partnerId).length });
    }
    if (options_.length > 0) candidates.push(rng.pick(options_));
  }
  // Those that genuine entries follow first: the flood must not keep them out.
  const ordered = [...rng.shuffle(candidates.filter((c) => c.followedBy > 0)), ...rng.shuffle(candidates.filter((c) => c.followedBy === 0))];
  const floodCount = Math.min(ordered.length, Math.max(options.minFloods ?? 2, Math.round(byHousehold.size * (options.floodShare ?? 0.01))));
  const floods: Flood[] = [];
  const [fewest, most] = options.floodSize ?? [60, 80];
  for (const c of ordered.slice(0, floodCount)) {
    const entries = rng.int(fewest, most);
    const template = c.template;
    for (let k = 0; k < entries; k++) {
      const signalId = `FLD-${tag}-${String(n + 1).padStart(6, '0')}`;
      const base = { schemaVersion: 1, signalId, observedAt: observedAt(1, 150), municipalityCode: template.municipalityCode, address: template.address, contact: { name: marker() } };
      const [detailType, body] = template.nuisance
        ? (['NuisanceReported', { nuisance: { category: (template.nuisance as { category: string }).category, severity: 'low', reportCount: rng.int(1, 3) } }] as const)
        : (['CareSignalReported', { care: { domains: (template.care as { domains: string[] }).domains } }] as const);
      attacks.push({ kind: 'flood', line: line(c.partnerId, detailType, { ...base, ...body }), household: c.household, partnerId: c.partnerId, signalId, municipalityCode: template.municipalityCode as string, marker: base.contact.name, after: c.after });
    }
    floods.push({ household: c.household, partnerId: c.partnerId, entries, after: c.after, followedBy: c.followedBy });
  }
  return { attacks, floods, divertedHouseholds };
}
