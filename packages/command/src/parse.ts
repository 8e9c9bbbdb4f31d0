/**
 * The arguments of a command, parsed with node:util parseArgs against its spec. parseArgs' own
 * strict mode would reject the same calls, but says so as `TypeError [ERR_PARSE_ARGS_UNKNOWN_OPTION]`
 * with no suggestion; this reads its tokens instead and says what was expected.
 */
import { parseArgs } from 'node:util';
import { didYouMean } from './did-you-mean.ts';
import { UsageError } from './errors.ts';
import { type CommandSpec, HELP_OPTION, type OptionSpec } from './spec.ts';

type OptionValue<Option extends OptionSpec> = Option['type'] extends 'boolean'
  ? Option extends { multiple: true } ? boolean[] : boolean
  : Option extends { multiple: true } ? string[] : string;

export type OptionValues<Options extends Record<string, OptionSpec>> = { [Name in keyof Options]?: OptionValue<Options[Name]> };

export type ParsedCommand<Options extends Record<string, OptionSpec>> =
  | { help: true }
  | { help: false; values: OptionValues<Options>; positionals: string[] };

/** A spec with its option names and types kept literal, so the parsed values are typed by it. */
export function defineCommand<const Options extends Record<string, OptionSpec>>(spec: CommandSpec<Options>): CommandSpec<Options> {
  return spec;
}

function unknownOption(rawName: string, known: readonly string[]): UsageError {
  const suggestion = rawName.startsWith('--') ? didYouMean(rawName.slice(2), known) : undefined;
  return new UsageError(`unknown option ${rawName}${suggestion ? `; did you mean --${suggestion}?` : ''}`);
}

function checkPositionals(spec: CommandSpec, positionals: readonly string[]): void {
  const expected = spec.positionals ?? [];
  const missing = expected.filter((p) => !p.optional)[positionals.length];
  if (missing) throw new UsageError(`expected ${missing.name} (${missing.description}), but got ${positionals.length === 0 ? 'no argument' : `only ${positionals.map((p) => `"${p}"`).join(' ')}`}`);
  if (positionals.length <= expected.length) return;
  const extra = positionals.slice(expected.length).map((p) => `"${p}"`).join(' ');
  throw new UsageError(
    expected.length === 0
      ? `takes no arguments, only options, but got ${extra}`
      : `expected only ${expected.map((p) => p.name).join(' ')}, but also got ${extra}`,
  );
}

/** Parses argv against the spec; a wrong call throws a UsageError saying what was expected. */
export function parseCommand<Options extends Record<string, OptionSpec>>(spec: CommandSpec<Options>, argv: readonly string[]): ParsedCommand<Options> {
  const options: Record<string, OptionSpec> = { ...spec.options, help: HELP_OPTION };
  const { values, positionals, tokens } = parseArgs({
    args: [...argv],
    // parseArgs refuses the spec's own fields (and `short: undefined`), so only its keys go in.
    options: Object.fromEntries(Object.entries(options).map(([name, { type, short, multiple }]) => [name, { type, ...(short && { short }), ...(multiple && { multiple }) }])),
    allowPositionals: true,
    strict: false,
    tokens: true,
  });
  if (tokens.some((token) => token.kind === 'option' && token.name === 'help')) return { help: true };
  const seen = new Set<string>();
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const option = options[token.name];
    if (option === undefined) throw unknownOption(token.rawName, Object.keys(options));
    if (option.type === 'boolean' && token.inlineValue) throw new UsageError(`${token.rawName} takes no value, but got "${token.value}"`);
    if (option.type === 'string') {
      const usage = `${token.rawName} ${option.value ?? 'VALUE'}`;
      if (token.value === undefined) throw new UsageError(`${token.rawName} needs a value: ${usage}`);
      if (!token.inlineValue && token.value.startsWith('-')) {
        throw new UsageError(`${token.rawName} needs a value (${usage}), but is followed by "${token.value}"; write ${token.rawName}=${token.value} if that is the value`);
      }
    }
    if (seen.has(token.name) && !option.multiple) throw new UsageError(`--${token.name} was given more than once; give it once`);
    seen.add(token.name);
  }
  checkPositionals(spec, positionals);
  return { help: false, values: values as OptionValues<Options>, positionals };
}

/** A whole-number option's value, at least `min`; undefined when it was not given. */
export function integerOption(value: string | undefined, option: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (value.trim() === '' || !Number.isInteger(number) || number < min) throw new UsageError(`--${option} must be a whole number of at least ${min}, not "${value}"`);
  return number;
}
