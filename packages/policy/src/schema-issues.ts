/**
 * zod's issues put in an operator's words: `unknown key; did you mean arrearsThreshold?`,
 * `expected a whole number, got "six"`. One message per problem: a misspelt key is reported
 * once, not also as the missing key it was meant to be, and of a value that fits none of a
 * union's forms only the form it came nearest to is explained.
 */
import * as z from 'zod';
import { nearestName, type PolicyPath } from './problems.ts';

export interface SchemaProblem {
  path: PolicyPath;
  message: string;
  /**
   * The value the problem leaves unknown, when there is one: the value itself, or for a
   * misspelt key the key it was meant to be (so that its absence is not a second problem).
   */
  unknown?: PolicyPath;
}

type Issue = z.core.$ZodIssue;
type Schema = z.core.$ZodType;

export function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function valueAt(root: unknown, path: PolicyPath): unknown {
  let value = root;
  for (const segment of path) {
    if (Array.isArray(value) && typeof segment === 'number') value = value[segment];
    else if (isMapping(value)) value = value[segment];
    else return undefined;
  }
  return value;
}

function unwrap(schema: Schema): Schema {
  let current = schema;
  while (current instanceof z.ZodOptional || current instanceof z.ZodNullable || current instanceof z.ZodDefault || current instanceof z.ZodLazy) {
    current = current.unwrap();
  }
  return current;
}

function schemaAt(schema: Schema, path: PolicyPath): Schema | undefined {
  let current = unwrap(schema);
  for (const segment of path) {
    let next: Schema | undefined;
    if (current instanceof z.ZodObject) next = current.shape[segment];
    else if (current instanceof z.ZodArray) next = current.element;
    else if (current instanceof z.ZodRecord) next = current.valueType;
    if (next === undefined) return undefined;
    current = unwrap(next);
  }
  return current;
}

const KINDS: Record<string, string> = {
  number: 'a number',
  int: 'a whole number',
  string: 'text',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping of keys to values',
  record: 'a mapping of keys to values',
};

function describeValue(value: unknown): string {
  if (value === null) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  if (isMapping(value)) return 'a mapping of keys to values';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return String(value);
}

function oneOf(options: readonly string[]): string {
  return options.length === 1 ? options[0]! : `${options.slice(0, -1).join(', ')} or ${options.at(-1)}`;
}

function bound(issue: { origin: string; minimum?: unknown; maximum?: unknown; inclusive?: boolean }, value: unknown, atLeast: boolean): string {
  const limit = Number(atLeast ? issue.minimum : issue.maximum);
  const word = atLeast ? (issue.inclusive ? 'at least' : 'more than') : issue.inclusive ? 'at most' : 'less than';
  if (issue.origin === 'array') {
    if (atLeast && limit === 1) return 'the list is empty; expected at least one item';
    return `expected ${word} ${limit} item${limit === 1 ? '' : 's'}, got ${Array.isArray(value) ? value.length : describeValue(value)}`;
  }
  if (issue.origin === 'string') return atLeast && limit === 1 ? 'must not be empty' : `expected ${word} ${limit} characters`;
  return `expected a number ${word} ${limit}, got ${describeValue(value)}`;
}

function describeIssue(issue: Issue, value: unknown, path: PolicyPath): string {
  switch (issue.code) {
    case 'invalid_type': {
      const kind = KINDS[issue.expected] ?? issue.expected;
      if (value === undefined) return `missing; expected ${kind}`;
      if (value === null && path.length === 0) return `the file is empty; expected ${kind}`;
      return `expected ${kind}, got ${describeValue(value)}`;
    }
    case 'too_small':
      return bound(issue, value, true);
    case 'too_big':
      return bound(issue, value, false);
    case 'invalid_value': {
      const options = issue.values.map(String);
      const guess = typeof value === 'string' ? nearestName(value, options) : undefined;
      return `expected ${oneOf(options.map((option) => JSON.stringify(option)))}, got ${describeValue(value)}${guess ? `; did you mean "${guess}"?` : ''}`;
    }
    case 'invalid_key':
      return `${JSON.stringify(String(path.at(-1)))} is not a valid name here: ${issue.issues[0]?.message ?? 'expected another name'}`;
    // The schema's own messages for these say what was expected ("expected a team id like ...").
    case 'invalid_format':
    case 'custom':
      return `${issue.message}, got ${describeValue(value)}`;
    default:
      return issue.message;
  }
}

const pathKey = (path: PolicyPath) => JSON.stringify(path);

/**
 * The problems in `root` that `issues` (from parsing it with `schema`) stand for, with paths
 * from `prefix`, the path of `root` in its file.
 */
export function describeIssues(issues: readonly Issue[], schema: Schema, root: unknown, prefix: PolicyPath = []): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  const suggested = new Set<string>();
  for (const issue of issues) {
    if (issue.code !== 'unrecognized_keys') continue;
    const path = toPath(issue.path);
    const object = valueAt(root, path);
    const target = schemaAt(schema, path);
    const keys = target instanceof z.ZodObject ? Object.keys(target.shape) : [];
    const absent = keys.filter((key) => !(isMapping(object) && key in object));
    for (const key of issue.keys) {
      const guess = nearestName(key, absent) ?? nearestName(key, keys);
      if (guess !== undefined && absent.includes(guess)) suggested.add(pathKey([...path, guess]));
      const hint = guess !== undefined ? `did you mean ${guess}?` : keys.length > 0 ? `expected ${oneOf(keys)}` : 'remove it';
      problems.push({ path: [...prefix, ...path, key], message: `unknown key; ${hint}`, unknown: guess === undefined ? undefined : [...prefix, ...path, guess] });
    }
  }
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') continue;
    const path = toPath(issue.path);
    const value = valueAt(root, path);
    // A key missing because it was misspelt is already reported, as the misspelling.
    if (value === undefined && suggested.has(pathKey(path))) continue;
    const union = issue.code === 'invalid_union' ? schemaAt(schema, path) : undefined;
    if (issue.code === 'invalid_union' && union instanceof z.ZodUnion && issue.errors.length === union.options.length) {
      const nearest = nearestOption(issue.errors);
      problems.push(...describeIssues(issue.errors[nearest]!, union.options[nearest]!, value, [...prefix, ...path]));
      continue;
    }
    problems.push({ path: [...prefix, ...path], message: describeIssue(issue, value, path), unknown: [...prefix, ...path] });
  }
  return problems;
}

/** The union form a value came nearest to: fewest problems, then the ones found deepest in it. */
function nearestOption(errors: readonly (readonly Issue[])[]): number {
  const depth = (issues: readonly Issue[]) => Math.max(0, ...issues.map((issue) => issue.path.length));
  let best = 0;
  errors.forEach((issues, i) => {
    const current = errors[best]!;
    if (issues.length < current.length || (issues.length === current.length && depth(issues) > depth(current))) best = i;
  });
  return best;
}

function toPath(path: readonly PropertyKey[]): PolicyPath {
  return path.map((segment) => (typeof segment === 'number' ? segment : String(segment)));
}
