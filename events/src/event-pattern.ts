/**
 * EventBridge event-pattern matching ("content filtering"), for the local bus and the in-memory engine:
 *
 * Semantics follow the EventBridge user guide ("Content filtering in Amazon EventBridge event
 * patterns", "Arrays in event patterns", "Null values and empty strings") and the open-source
 * matcher EventBridge uses (aws/event-ruler):
 * - every field named in the pattern must match (AND); the values listed for a field are
 *   alternatives (OR);
 * - matchers apply to leaf values only; when the event value is an array, the field matches if
 *   any element matches; an array of objects matches a nested pattern if one element matches
 *   all of it;
 * - strings, numbers, booleans and null are distinct: `"300"` does not match `300`, but `300`
 *   matches `3.0e2`.
 *
 * Supported: exact values, `prefix` / `suffix` (also with `equals-ignore-case`),
 * `equals-ignore-case`, `wildcard`, `anything-but` (value, list, `prefix`, `suffix`,
 * `equals-ignore-case`, `wildcard`), `numeric`, `exists` and `$or`.
 * Not supported: `cidr`. A pattern that uses it is rejected, so that it cannot silently route
 * differently than it would on AWS.
 */

import type { EventPattern } from './patterns.ts';

export type { EventPattern };

/** Thrown for a pattern EventBridge would refuse (AWS answers PutRule with this code). */
export class InvalidEventPatternError extends Error {
  readonly code = 'InvalidEventPatternException';

  constructor(
    message: string,
    /** Where in the pattern the problem is, e.g. `detail.state[0]`. */
    readonly path: string,
  ) {
    super(`Event pattern is not valid at ${path || '(root)'}: ${message}`);
    this.name = 'InvalidEventPatternError';
  }
}

/** EventBridge's documented range for numeric matching. */
const NUMERIC_LIMIT = 5.0e9;
const LOWER_BOUND_OPERATORS = new Set(['>', '>=']);
const UPPER_BOUND_OPERATORS = new Set(['<', '<=']);
const OR_KEY = '$or';
const MATCHER_FORMS = 'must be a string, number, boolean, null or an operator object';
const ANYTHING_BUT_FORMS = '"anything-but" takes a string, a number, a list or an operator object';

/**
 * Throws an {@link InvalidEventPatternError} naming the first problem: an unknown operator
 * (a typo such as `prefx`), a malformed operand, an empty object or array, or `cidr`.
 */
export function validateEventPattern(pattern: unknown): asserts pattern is EventPattern {
  validateObjectPattern(pattern, '');
}

/** Whether `event` (an EventBridge envelope, or any JSON object) matches `pattern`. */
export function matchesEventPattern(pattern: EventPattern, event: Record<string, unknown>): boolean {
  return matchObject(pattern, event, '');
}

// ---------------------------------------------------------------------------------------------
// Validation

function validateObjectPattern(pattern: unknown, path: string): void {
  if (!isPlainObject(pattern)) throw new InvalidEventPatternError('must be a JSON object', path);
  const entries = Object.entries(pattern);
  if (entries.length === 0) throw new InvalidEventPatternError('empty objects are not allowed', path);
  for (const [key, value] of entries) {
    const fieldPath = joinPath(path, key);
    if (isOrClause(key, value)) {
      for (const [index, alternative] of value.entries()) validateObjectPattern(alternative, `${fieldPath}[${index}]`);
    } else if (Array.isArray(value)) {
      if (value.length === 0) throw new InvalidEventPatternError('empty arrays are not allowed', fieldPath);
      for (const [index, matcher] of value.entries()) validateMatcher(matcher, `${fieldPath}[${index}]`);
    } else if (isPlainObject(value)) {
      validateObjectPattern(value, fieldPath);
    } else {
      throw new InvalidEventPatternError('must be an object or an array of values to match', fieldPath);
    }
  }
}

function validateMatcher(matcher: unknown, path: string): void {
  if (isLiteral(matcher)) return;
  if (!isPlainObject(matcher)) throw new InvalidEventPatternError(MATCHER_FORMS, path);
  const [operator, operand, operatorPath] = operatorOf(matcher, path);
  switch (operator) {
    case 'prefix':
    case 'suffix':
      if (isPlainObject(operand)) {
        const [inner, innerOperand, innerPath] = operatorOf(operand, operatorPath);
        if (inner !== 'equals-ignore-case') {
          throw new InvalidEventPatternError(`unsupported operator "${inner}" inside "${operator}"`, operatorPath);
        }
        requireString(innerOperand, innerPath);
      } else {
        requireString(operand, operatorPath);
      }
      return;
    case 'equals-ignore-case':
      requireString(operand, operatorPath);
      return;
    case 'wildcard':
      wildcardToRegExp(requireString(operand, operatorPath), operatorPath);
      return;
    case 'anything-but':
      validateAnythingBut(operand, operatorPath);
      return;
    case 'numeric':
      parseNumericConditions(operand, operatorPath);
      return;
    case 'exists':
      if (typeof operand !== 'boolean') throw new InvalidEventPatternError('"exists" takes true or false', operatorPath);
      return;
    case 'cidr':
      throw new InvalidEventPatternError('"cidr" matching is not supported by the local bus', operatorPath);
    default:
      throw new InvalidEventPatternError(`unsupported operator "${operator}"`, path);
  }
}

function validateAnythingBut(operand: unknown, path: string): void {
  if (typeof operand === 'string' || typeof operand === 'number') return;
  if (Array.isArray(operand)) {
    const allStrings = operand.every((item) => typeof item === 'string');
    const allNumbers = operand.every((item) => typeof item === 'number');
    if (operand.length === 0 || !(allStrings || allNumbers)) {
      throw new InvalidEventPatternError('an "anything-but" list must hold only strings or only numbers', path);
    }
    return;
  }
  if (!isPlainObject(operand)) throw new InvalidEventPatternError(ANYTHING_BUT_FORMS, path);
  const [operator, inner, innerPath] = operatorOf(operand, path);
  switch (operator) {
    case 'prefix':
    case 'suffix':
      requireString(inner, innerPath);
      return;
    case 'equals-ignore-case':
      stringOrStringList(inner, innerPath);
      return;
    case 'wildcard':
      for (const wildcard of stringOrStringList(inner, innerPath)) wildcardToRegExp(wildcard, innerPath);
      return;
    default:
      throw new InvalidEventPatternError(`unsupported operator "${operator}" inside "anything-but"`, path);
  }
}

// ---------------------------------------------------------------------------------------------
// Matching

/**
 * `value` is the event node at the level of `pattern`. A missing node (or a leaf where the
 * pattern expects an object) still matches if every field the pattern names may be absent
 * (`exists: false`), as EventBridge matches on flattened leaf paths.
 */
function matchObject(pattern: EventPattern, value: unknown, path: string): boolean {
  if (Array.isArray(value)) {
    if (value.length === 0) return matchObject(pattern, undefined, path);
    return value.some((element) => matchObject(pattern, element, path));
  }
  const node = isPlainObject(value) ? value : undefined;
  for (const [key, subPattern] of Object.entries(pattern)) {
    const fieldPath = joinPath(path, key);
    if (isOrClause(key, subPattern)) {
      if (!subPattern.some((alternative) => matchObject(alternative, value, fieldPath))) return false;
      continue;
    }
    const child = node !== undefined && Object.hasOwn(node, key) ? node[key] : undefined;
    if (Array.isArray(subPattern)) {
      if (!matchField(subPattern, child, fieldPath)) return false;
    } else if (isPlainObject(subPattern)) {
      if (!matchObject(subPattern, child, fieldPath)) return false;
    } else {
      throw new InvalidEventPatternError('must be an object or an array of values to match', fieldPath);
    }
  }
  return true;
}

function matchField(matchers: readonly unknown[], value: unknown, path: string): boolean {
  if (Array.isArray(value)) {
    if (value.length === 0) return matchers.some((matcher) => matchValue(matcher, undefined, path));
    return value.some((element) => matchers.some((matcher) => matchValue(matcher, element, path)));
  }
  return matchers.some((matcher) => matchValue(matcher, value, path));
}

/** One matcher against one event value; objects are not leaves, so they count as absent. */
function matchValue(matcher: unknown, value: unknown, path: string): boolean {
  const present = value !== undefined && !isPlainObject(value);
  if (isLiteral(matcher)) return present && matcher === value;
  if (!isPlainObject(matcher)) throw new InvalidEventPatternError(MATCHER_FORMS, path);
  const [operator, operand, operatorPath] = operatorOf(matcher, path);
  switch (operator) {
    case 'prefix':
      return typeof value === 'string' && affixMatches(operand, value, 'prefix', operatorPath);
    case 'suffix':
      return typeof value === 'string' && affixMatches(operand, value, 'suffix', operatorPath);
    case 'equals-ignore-case':
      return typeof value === 'string' && equalsIgnoreCase(requireString(operand, operatorPath), value);
    case 'wildcard':
      return typeof value === 'string' && wildcardToRegExp(requireString(operand, operatorPath), operatorPath).test(value);
    case 'anything-but':
      // Only a value that is there can be "anything but" something: a missing field never matches.
      return present && !anythingButExcludes(operand, value, operatorPath);
    case 'numeric':
      return typeof value === 'number' && numericMatches(parseNumericConditions(operand, operatorPath), value);
    case 'exists':
      return operand === present;
    case 'cidr':
      throw new InvalidEventPatternError('"cidr" matching is not supported by the local bus', operatorPath);
    default:
      throw new InvalidEventPatternError(`unsupported operator "${operator}"`, path);
  }
}

function affixMatches(operand: unknown, value: string, kind: 'prefix' | 'suffix', path: string): boolean {
  let affix: string;
  let ignoreCase = false;
  if (isPlainObject(operand)) {
    affix = requireString(operand['equals-ignore-case'], `${path}.equals-ignore-case`);
    ignoreCase = true;
  } else {
    affix = requireString(operand, path);
  }
  const subject = ignoreCase ? value.toLowerCase() : value;
  const wanted = ignoreCase ? affix.toLowerCase() : affix;
  return kind === 'prefix' ? subject.startsWith(wanted) : subject.endsWith(wanted);
}

function anythingButExcludes(operand: unknown, value: unknown, path: string): boolean {
  if (typeof operand === 'string' || typeof operand === 'number') return operand === value;
  if (Array.isArray(operand)) return operand.includes(value);
  if (!isPlainObject(operand)) throw new InvalidEventPatternError(ANYTHING_BUT_FORMS, path);
  // The string forms exclude strings only: a number or boolean is "anything but" any prefix.
  if (typeof value !== 'string') return false;
  const [operator, inner, innerPath] = operatorOf(operand, path);
  switch (operator) {
    case 'prefix':
      return value.startsWith(requireString(inner, innerPath));
    case 'suffix':
      return value.endsWith(requireString(inner, innerPath));
    case 'equals-ignore-case':
      return stringOrStringList(inner, innerPath).some((excluded) => equalsIgnoreCase(excluded, value));
    case 'wildcard':
      return stringOrStringList(inner, innerPath).some((excluded) => wildcardToRegExp(excluded, innerPath).test(value));
    default:
      throw new InvalidEventPatternError(`unsupported operator "${operator}" inside "anything-but"`, path);
  }
}

interface NumericCondition {
  readonly operator: '<' | '<=' | '=' | '>' | '>=';
  readonly operand: number;
}

/**
 * `[">", 0, "<=", 5]`: one condition, or a lower and an upper bound; `=` stands alone.
 * Operands are limited to ±5.0e9, as on EventBridge.
 */
function parseNumericConditions(operand: unknown, path: string): NumericCondition[] {
  if (!Array.isArray(operand) || (operand.length !== 2 && operand.length !== 4)) {
    throw new InvalidEventPatternError('"numeric" takes [operator, number] or a range of two such pairs', path);
  }
  const conditions: NumericCondition[] = [];
  for (let index = 0; index < operand.length; index += 2) {
    const operator: unknown = operand[index];
    const bound: unknown = operand[index + 1];
    if (operator !== '<' && operator !== '<=' && operator !== '=' && operator !== '>' && operator !== '>=') {
      throw new InvalidEventPatternError(`unsupported numeric operator ${JSON.stringify(operator)}`, path);
    }
    if (typeof bound !== 'number' || !Number.isFinite(bound) || Math.abs(bound) > NUMERIC_LIMIT) {
      throw new InvalidEventPatternError(`numeric operand must be a number between -5e9 and 5e9`, path);
    }
    conditions.push({ operator, operand: bound });
  }
  const [first, second] = conditions;
  if (second !== undefined && first !== undefined) {
    const lower = [first, second].find((condition) => LOWER_BOUND_OPERATORS.has(condition.operator));
    const upper = [first, second].find((condition) => UPPER_BOUND_OPERATORS.has(condition.operator));
    if (lower === undefined || upper === undefined) {
      throw new InvalidEventPatternError('a numeric range needs one lower bound (>, >=) and one upper bound (<, <=)', path);
    }
    if (lower.operand >= upper.operand) {
      throw new InvalidEventPatternError('the lower bound of a numeric range must be below its upper bound', path);
    }
  }
  return conditions;
}

function numericMatches(conditions: readonly NumericCondition[], value: number): boolean {
  return conditions.every(({ operator, operand }) => {
    switch (operator) {
      case '<':
        return value < operand;
      case '<=':
        return value <= operand;
      case '=':
        return value === operand;
      case '>':
        return value > operand;
      case '>=':
        return value >= operand;
      default: {
        const unknownOperator: never = operator;
        throw new Error(`unknown numeric operator ${String(unknownOperator)}`);
      }
    }
  });
}

const wildcardCache = new Map<string, RegExp>();

/**
 * `*` matches any run of characters (also none, also `/`); `\*` is a literal asterisk and `\\` a
 * literal backslash. EventBridge rejects consecutive wildcards and other escapes.
 */
function wildcardToRegExp(wildcard: string, path: string): RegExp {
  const cached = wildcardCache.get(wildcard);
  if (cached !== undefined) return cached;
  let source = '';
  for (let index = 0; index < wildcard.length; index += 1) {
    const char = wildcard.charAt(index);
    if (char === '\\') {
      const escaped = wildcard.charAt(index + 1);
      if (escaped !== '*' && escaped !== '\\') {
        throw new InvalidEventPatternError('in a wildcard, "\\" may only escape "*" or "\\"', path);
      }
      source += escapeRegExp(escaped);
      index += 1;
    } else if (char === '*') {
      if (wildcard.charAt(index + 1) === '*') {
        throw new InvalidEventPatternError('consecutive wildcard characters are not allowed', path);
      }
      source += '.*';
    } else {
      source += escapeRegExp(char);
    }
  }
  const regExp = new RegExp(`^${source}$`, 's');
  wildcardCache.set(wildcard, regExp);
  return regExp;
}

// ---------------------------------------------------------------------------------------------
// Helpers

/** `$or` holds a list of alternative patterns; a `$or` with plain values is an ordinary field. */
function isOrClause(key: string, value: unknown): value is EventPattern[] {
  return key === OR_KEY && Array.isArray(value) && value.length > 0 && value.every(isPlainObject);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isLiteral(value: unknown): value is string | number | boolean | null {
  return value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** The one operator of an operator object (`{"prefix": "a"}`), its operand, and the operand's path. */
function operatorOf(operatorObject: Record<string, unknown>, path: string): [operator: string, operand: unknown, operandPath: string] {
  const entries = Object.entries(operatorObject);
  const [entry] = entries;
  if (entry === undefined || entries.length !== 1) {
    throw new InvalidEventPatternError('an operator object must have exactly one operator', path);
  }
  const [operator, operand] = entry;
  return [operator, operand, `${path}.${operator}`];
}

function requireString(value: unknown, path: string): string {
  if (typeof value !== 'string') throw new InvalidEventPatternError('must be a string', path);
  return value;
}

function stringOrStringList(value: unknown, path: string): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === 'string')) return value;
  throw new InvalidEventPatternError('must be a string or a non-empty list of strings', path);
}

function equalsIgnoreCase(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function joinPath(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}
