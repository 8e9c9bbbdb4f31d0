/**
 * Building blocks of the signal contract (docs/contract.md), and the one
 * place that turns zod issues into a reason an operator can read.
 *
 * The schemas here only validate. Normalising (postcode to `1234AB`, letters to upper
 * case) is the domain's job, so that what a partner sent is what gets validated.
 */
import * as z from 'zod';
import { PARTNER_ID_PATTERN, TEAM_ID_PATTERN } from './names.ts';

// ---------------------------------------------------------------------------------------
// Expectations: the wording a reason uses for a field

/**
 * The phrase that completes "expected ..." for a schema, e.g. `a Dutch postcode like
 * "1234 AB"`. Kept beside the schemas (not in zod's messages) because zod's own messages
 * may quote what was received, and a reason must never echo a partner's data.
 */
const expectations = z.registry<{ expected: string }>();

/** Registers the "expected ..." phrase for a schema and returns the same schema. */
export function expecting<T extends z.ZodType>(schema: T, expected: string): T {
  expectations.add(schema, { expected });
  return schema;
}

/**
 * The schema with its own description, keeping the phrase the schema registered: `.meta()`
 * returns a copy, which the registry does not know.
 */
export function described<T extends z.ZodType>(schema: T, description: string): T {
  const copy = schema.meta({ description });
  const registered = expectations.get(schema);
  return registered === undefined ? copy : expecting(copy, registered.expected);
}

/** One of a fixed list of strings, expected as `one of "a", "b"`. */
export function enumOf<const T extends readonly [string, ...string[]]>(values: T, description: string) {
  return expecting(z.enum(values).meta({ description }), `one of ${values.map((v) => `"${v}"`).join(', ')}`);
}

/** A boolean field, expected as `true or false`. */
export function flag(description: string) {
  return expecting(z.boolean().meta({ description }), 'true or false');
}

// ---------------------------------------------------------------------------------------
// Patterns

/**
 * Dutch postcode as a partner may send it: four digits, the first not 0, an optional
 * space, two letters, case-insensitive. ASCII classes on purpose: full-width digits and
 * other look-alikes are not a postcode.
 */
export const POSTCODE_PATTERN = /^[1-9][0-9]{3} ?[A-Za-z]{2}$/;
/** Postcode after normalising: no space, upper case. */
export const NORMALISED_POSTCODE_PATTERN = /^[1-9][0-9]{3}[A-Z]{2}$/;
/** CBS municipality code: `GM` and four digits. */
export const MUNICIPALITY_CODE_PATTERN = /^GM[0-9]{4}$/;
export const HOUSE_LETTER_PATTERN = /^[A-Za-z]$/;
export const HOUSE_NUMBER_ADDITION_PATTERN = /^[A-Za-z0-9]{1,4}$/;
/** Pseudonymous household reference: hex HMAC-SHA-256 of the normalised address. */
export const HOUSEHOLD_REF_PATTERN = /^[0-9a-f]{64}$/;

export const MIN_HOUSE_NUMBER = 1;
export const MAX_HOUSE_NUMBER = 99_999;
/** Length limits on need-to-know contact data; email per RFC 5321's path limit. */
export const MAX_CONTACT_NAME_LENGTH = 200;
export const MAX_CONTACT_PHONE_LENGTH = 40;
export const MAX_CONTACT_EMAIL_LENGTH = 254;
/** Ids a partner or the pipeline chooses (`signalId`, `alertId`). */
export const MAX_ID_LENGTH = 128;
/**
 * A partner's `signalId` (and `withdrawal.signalId`): 1..128 characters of
 * `A-Z a-z 0-9 . _ : / -`, starting with a letter or digit. The length is part of the
 * pattern, so the pattern alone tells whether an id is one the contract allows (and so may be
 * logged, even from an entry that is otherwise broken).
 */
export const SIGNAL_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$/;
/** Household sizes a partner may send (intake v1.1, "Values within reason"). */
export const MAX_HOUSEHOLD_MINORS = 30;
export const MAX_HOUSEHOLD_ADULTS = 30;

// ---------------------------------------------------------------------------------------
// Scalars

/** ISO-8601 date-time with an offset or `Z`, e.g. `2026-03-01T09:00:00+01:00`. */
export const isoDateTimeWithOffset = expecting(
  z.iso.datetime({ offset: true }).meta({
    description: 'ISO-8601 date-time with seconds and an offset or Z, e.g. 2026-03-01T09:00:00+01:00',
  }),
  'an ISO-8601 date-time with an offset, like "2026-03-01T09:00:00+01:00"',
);

/** Calendar date `YYYY-MM-DD` (a real date: no 30 February). */
export const isoDate = expecting(
  z.iso.date().meta({ description: 'Calendar date YYYY-MM-DD, e.g. 2026-03-01' }),
  'a date like "2026-03-01"',
);

export const schemaVersionSchema = expecting(
  z.literal(1).meta({ description: 'Contract version; always 1 for this contract' }),
  'the number 1',
);

/** An id of 1..128 characters of any kind (`alertId`, which the pipeline chooses). */
export function idSchema(description: string): z.ZodString {
  return expecting(
    z.string().min(1).max(MAX_ID_LENGTH).meta({ description }),
    `a string of 1 to ${MAX_ID_LENGTH} characters`,
  );
}

/** A partner's signal id (`signalId`, `withdrawal.signalId`): see `SIGNAL_ID_PATTERN`. */
export function signalIdSchema(description: string): z.ZodString {
  return expecting(
    z
      .string()
      .min(1)
      .max(MAX_ID_LENGTH)
      .regex(SIGNAL_ID_PATTERN)
      .meta({
        description: `${description}. 1 to ${MAX_ID_LENGTH} characters of A-Z a-z 0-9 . _ : / -, starting with a letter or digit`,
      }),
    `1 to ${MAX_ID_LENGTH} letters, digits, ".", "_", ":", "/" or "-", starting with a letter or digit`,
  );
}

export const postcodeSchema = expecting(
  z.string().regex(POSTCODE_PATTERN).meta({
    description:
      'Dutch postcode: four digits (the first not 0), an optional space, two letters; case-insensitive',
    examples: ['1234 AB', '1234AB'],
  }),
  'a Dutch postcode like "1234 AB"',
);

export const municipalityCodeSchema = expecting(
  z.string().regex(MUNICIPALITY_CODE_PATTERN).meta({
    description: 'CBS municipality code: GM and four digits',
    examples: ['GM0344'],
  }),
  'a CBS municipality code like "GM0344"',
);

export const houseNumberSchema = expecting(
  z.int().min(MIN_HOUSE_NUMBER).max(MAX_HOUSE_NUMBER).meta({ description: 'House number' }),
  `an integer from ${MIN_HOUSE_NUMBER} to ${MAX_HOUSE_NUMBER}`,
);

export const partnerIdSchema = expecting(
  z.string().regex(PARTNER_ID_PATTERN).meta({
    description: 'Partner id, as in the source partner.<partnerId>',
  }),
  'a partner id like "mitros"',
);

export const teamIdSchema = expecting(
  z.string().regex(TEAM_ID_PATTERN).meta({ description: 'Team id from the policy config' }),
  'a team id like "denhaag-sociaal-casemanagement"',
);

export const householdRefSchema = expecting(
  z.string().regex(HOUSEHOLD_REF_PATTERN).meta({
    description: 'Pseudonymous household reference: 64 lower-case hex characters',
  }),
  'a household reference of 64 lower-case hex characters',
);

// ---------------------------------------------------------------------------------------
// Objects. All strict: the contract is versioned, so a field it does not name is an error.

/** The address as a partner sends it (section 1). */
export const addressSchema = expecting(
  z
    .strictObject({
      postcode: postcodeSchema,
      houseNumber: houseNumberSchema,
      houseLetter: expecting(
        z.string().regex(HOUSE_LETTER_PATTERN).meta({
          description: 'House letter: one letter, case-insensitive',
        }),
        'a single letter',
      ).optional(),
      houseNumberAddition: expecting(
        z.string().regex(HOUSE_NUMBER_ADDITION_PATTERN).meta({
          description: 'House number addition: 1 to 4 letters or digits, case-insensitive',
        }),
        '1 to 4 letters or digits',
      ).optional(),
    })
    .meta({ description: 'The dwelling: postcode, house number, letter and addition' }),
  'an object with postcode and houseNumber',
);
export type Address = z.infer<typeof addressSchema>;

export const householdSchema = expecting(
  z
    .strictObject({
      minors: expecting(
        z.int().min(0).max(MAX_HOUSEHOLD_MINORS).meta({ description: 'Number of children under 18' }),
        `an integer from 0 to ${MAX_HOUSEHOLD_MINORS}`,
      ).optional(),
      adults: expecting(
        z.int().min(1).max(MAX_HOUSEHOLD_ADULTS).meta({ description: 'Number of adults' }),
        `an integer from 1 to ${MAX_HOUSEHOLD_ADULTS}`,
      ).optional(),
    })
    .meta({ description: 'Who lives there, when the partner knows' }),
  'an object with minors and/or adults',
);
export type Household = z.infer<typeof householdSchema>;

function contactField(max: number, description: string) {
  return expecting(
    z.string().min(1).max(max).meta({ description }),
    `a string of 1 to ${max} characters`,
  ).optional();
}

/** Need-to-know data: only ever delivered to the team that gets the alert, never logged. */
export const contactSchema = expecting(
  z
    .strictObject({
      name: contactField(MAX_CONTACT_NAME_LENGTH, 'Name of the contact person'),
      phone: contactField(MAX_CONTACT_PHONE_LENGTH, 'Phone number'),
      // Loose on purpose: a partner's register holds what it holds; the team reads it.
      email: contactField(MAX_CONTACT_EMAIL_LENGTH, 'Email address'),
    })
    .meta({
      description:
        'Need-to-know contact data: only ever delivered to the team that gets the alert, never logged',
    }),
  'an object with name, phone and/or email',
);
export type Contact = z.infer<typeof contactSchema>;

// ---------------------------------------------------------------------------------------
// Reasons: zod issues to one sentence, without the offending values

/** A reason is one sentence; past this it ends with "and N more problems". */
export const MAX_REASON_LENGTH = 500;

export type ParseResult<T> = { ok: true; value: T } | { ok: false; reason: string };

/**
 * Parses `input` and, on failure, describes every problem by field path and expectation.
 * `rootLabel` names the whole input in the reason (e.g. `detail`).
 */
export function parseWithReason<S extends z.ZodType>(
  schema: S,
  input: unknown,
  rootLabel = 'detail',
): ParseResult<z.output<S>> {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, reason: formatIssues(schema, input, result.error.issues, rootLabel) };
}

/**
 * Turns zod issues into one readable sentence, e.g.
 * `address.postcode: expected a Dutch postcode like "1234 AB"; arrears.amountCents: expected an integer greater than 0 and at most 100000000`.
 *
 * Privacy rule: the sentence is built from issue paths, issue codes and our own wording
 * only. zod's messages, and fields like `received`, may carry what a partner sent (an
 * address, a name, a phone number), so they are never used. A field the contract does not
 * know is named by its parent's path (`arrears: an unknown field`), never by its own name,
 * which is the partner's free text. The input is only looked at to tell a missing field
 * from a wrong one.
 */
export function formatIssues(
  schema: z.ZodType,
  input: unknown,
  issues: readonly z.core.$ZodIssue[],
  rootLabel = 'detail',
): string {
  const parts: string[] = [];
  for (const issue of issues) {
    for (const part of describeIssue(schema, input, issue, rootLabel)) {
      if (!parts.includes(part)) parts.push(part);
    }
  }
  if (parts.length === 0) parts.push(`${rootLabel}: invalid`);
  return joinCapped(parts);
}

function joinCapped(parts: readonly string[]): string {
  const all = parts.join('; ');
  if (all.length <= MAX_REASON_LENGTH) return all;
  let kept = '';
  let count = 0;
  for (const part of parts) {
    const rest = parts.length - count - 1;
    const suffix = rest > 0 ? `; and ${rest} more problem${rest === 1 ? '' : 's'}` : '';
    const next = count === 0 ? part : `${kept}; ${part}`;
    if (next.length + suffix.length > MAX_REASON_LENGTH) break;
    kept = next;
    count += 1;
  }
  if (count === 0) {
    // Cannot happen with the paths and wording of this package; cut hard rather than overflow.
    return `${parts[0]!.slice(0, MAX_REASON_LENGTH - 40)}…; and ${parts.length - 1} more problems`;
  }
  const rest = parts.length - count;
  return `${kept}; and ${rest} more problem${rest === 1 ? '' : 's'}`;
}

function describeIssue(
  root: z.ZodType,
  input: unknown,
  issue: z.core.$ZodIssue,
  rootLabel: string,
): string[] {
  const path = issue.path;
  const where = formatPath(path, rootLabel);
  switch (issue.code) {
    case 'unrecognized_keys':
      // A field the contract does not know is named by its parent's path, never by its own
      // name: that name is the partner's free text (it may be a person's name, a BSN, ...).
      // One issue per object, so several unknown fields in one parent are one part.
      return [`${where}: an unknown field`];
    case 'custom': {
      const problem = issue.params?.problem;
      if (typeof problem === 'string') return [`${where}: ${problem}`];
      break;
    }
    case 'invalid_union':
      if ('options' in issue && issue.discriminator !== undefined && issue.options !== undefined) {
        return [`${where}: expected one of ${issue.options.map(quote).join(', ')}`];
      }
      break;
    default:
      break;
  }
  const expected = expectationAt(root, path) ?? fallbackExpectation(issue);
  const missing = path.length > 0 && valueAt(input, path) === undefined;
  return [missing ? `${where}: required, expected ${expected}` : `${where}: expected ${expected}`];
}

/** Wording from the issue's own code, for schemas that registered no phrase. */
function fallbackExpectation(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return article(issue.expected === 'int' ? 'integer' : issue.expected);
    case 'invalid_value':
      return issue.values.length === 1
        ? quote(issue.values[0])
        : `one of ${issue.values.map(quote).join(', ')}`;
    case 'too_small':
      return `${issue.origin === 'string' || issue.origin === 'array' ? 'a length of' : 'a value'} ${
        issue.inclusive ? 'at least' : 'greater than'
      } ${String(issue.minimum)}`;
    case 'too_big':
      return `${issue.origin === 'string' || issue.origin === 'array' ? 'a length of' : 'a value'} ${
        issue.inclusive ? 'at most' : 'less than'
      } ${String(issue.maximum)}`;
    case 'invalid_format':
      return issue.format === 'regex' ? 'a value in the documented format' : `a valid ${issue.format}`;
    default:
      return 'a valid value';
  }
}

function article(noun: string): string {
  return /^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`;
}

function quote(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : String(value);
}

/**
 * Field names as a path: `address.postcode`, `care.domains[1]`. A key is shown only when
 * it looks like a field name; anything else (it came from the input) becomes `[?]`.
 */
function formatPath(path: readonly PropertyKey[], rootLabel: string): string {
  if (path.length === 0) return rootLabel;
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (isShowableKey(key)) {
      out += out === '' ? key : `.${key}`;
    } else out += '[?]';
  }
  return out;
}

function isShowableKey(key: PropertyKey): key is string {
  return typeof key === 'string' && /^[A-Za-z_$][A-Za-z0-9_$-]{0,63}$/.test(key);
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current = input;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    if (!Object.hasOwn(current, key)) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

type AnySchema = z.core.$ZodType;

/** The registered phrase for the schema at `path`, looking through optional, nullable etc. */
function expectationAt(root: AnySchema, path: readonly PropertyKey[]): string | undefined {
  const schema = schemaAt(root, path);
  return schema === undefined ? undefined : expectationOf(schema);
}

function expectationOf(schema: AnySchema): string | undefined {
  const own = expectations.get(schema as z.ZodType)?.expected;
  if (own !== undefined) return own;
  const def = schema._zod.def as unknown as Record<string, unknown> & { type: string };
  switch (def.type) {
    case 'nullable': {
      const inner = expectationOf(def.innerType as AnySchema);
      return inner === undefined ? undefined : `${inner} or null`;
    }
    case 'optional':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'nonoptional':
    case 'catch':
      return expectationOf(def.innerType as AnySchema);
    case 'enum':
      return `one of ${Object.values(def.entries as Record<string, unknown>).map(quote).join(', ')}`;
    case 'literal': {
      const values = def.values as unknown[];
      return values.length === 1 ? quote(values[0]) : `one of ${values.map(quote).join(', ')}`;
    }
    case 'boolean':
      return 'true or false';
    case 'object':
    case 'record':
      return 'an object';
    default:
      return undefined;
  }
}

function unwrap(schema: AnySchema): AnySchema {
  let current = schema;
  for (;;) {
    const def = current._zod.def as unknown as Record<string, unknown> & { type: string };
    if (
      def.type === 'optional' ||
      def.type === 'nullable' ||
      def.type === 'default' ||
      def.type === 'prefault' ||
      def.type === 'readonly' ||
      def.type === 'nonoptional' ||
      def.type === 'catch'
    ) {
      current = def.innerType as AnySchema;
    } else if (def.type === 'pipe') {
      current = def.in as AnySchema;
    } else {
      return current;
    }
  }
}

function schemaAt(root: AnySchema, path: readonly PropertyKey[]): AnySchema | undefined {
  if (path.length === 0) return root;
  const [key, ...rest] = path;
  const schema = unwrap(root);
  const def = schema._zod.def as unknown as Record<string, unknown> & { type: string };
  switch (def.type) {
    case 'object': {
      const shape = def.shape as Record<string, AnySchema>;
      if (typeof key !== 'string' || !Object.hasOwn(shape, key)) return undefined;
      return schemaAt(shape[key]!, rest);
    }
    case 'array':
      return typeof key === 'number' ? schemaAt(def.element as AnySchema, rest) : undefined;
    case 'record':
      return schemaAt(def.valueType as AnySchema, rest);
    case 'union':
      for (const option of def.options as AnySchema[]) {
        const found = schemaAt(option, path);
        if (found !== undefined) return found;
      }
      return undefined;
    default:
      return undefined;
  }
}
