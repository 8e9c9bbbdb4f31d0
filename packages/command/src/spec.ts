/** What a command is, as its --help tells it: name, purpose, usage, options, arguments, examples. */
import { EXIT } from './errors.ts';

export interface OptionSpec {
  type: 'string' | 'boolean';
  /** One letter, used as `-x`. */
  short?: string;
  /** The placeholder for a string option's value in --help, e.g. `FILE`. */
  value?: string;
  /** Whether the option may be given more than once (its values then come as a list). */
  multiple?: boolean;
  description: string;
}

export interface PositionalSpec {
  /** As in the usage line, e.g. `FILE`. */
  name: string;
  description: string;
  optional?: boolean;
}

export interface CommandSpec<Options extends Record<string, OptionSpec> = Record<string, OptionSpec>> {
  /** The command as the user types it before its arguments, e.g. `npm run replay --`. */
  name: string;
  /** One line: what the command does. */
  purpose: string;
  /** What follows the name, one line per form, e.g. `FILE [--engine stand-ins|memory]`. */
  usage: readonly [string, ...string[]];
  /** Whole command lines to copy, the first the most common. */
  examples: readonly [string, ...string[]];
  options: Options;
  positionals?: readonly PositionalSpec[];
  /** Lines after the options: what it writes, what it needs running, how long it takes. */
  notes?: readonly string[];
}

/** --help and -h: every command has them, so a spec does not list them. */
export const HELP_OPTION = { type: 'boolean', short: 'h', description: 'show this help and exit' } as const satisfies OptionSpec;

function table(rows: readonly (readonly [string, string])[]): string[] {
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`);
}

function optionLabel(name: string, option: OptionSpec): string {
  const long = `--${name}${option.type === 'string' ? ` ${option.value ?? 'VALUE'}` : ''}`;
  return option.short ? `-${option.short}, ${long}` : long;
}

/** `npm run replay` for `npm run replay --`: the command without its argument separator. */
export function commandLabel(spec: CommandSpec): string {
  return spec.name.replace(/\s+--$/, '');
}

/** The text --help prints: usage, purpose, arguments, options, notes, examples and exit codes. */
export function formatHelp(spec: CommandSpec): string {
  const options = { ...spec.options, help: HELP_OPTION };
  const lines = [
    ...spec.usage.map((usage, i) => `${i === 0 ? 'Usage:' : '      '} ${usage === '' ? commandLabel(spec) : `${spec.name} ${usage}`}`),
    '',
    spec.purpose,
  ];
  if (spec.positionals?.length) lines.push('', 'Arguments:', ...table(spec.positionals.map((p) => [p.optional ? `[${p.name}]` : p.name, p.description])));
  lines.push('', 'Options:', ...table(Object.entries(options).map(([name, option]) => [optionLabel(name, option), option.description])));
  if (spec.notes?.length) lines.push('', ...spec.notes);
  lines.push('', spec.examples.length > 1 ? 'Examples:' : 'Example:', ...spec.examples.map((example) => `  ${example}`));
  lines.push('', `Exit codes: ${EXIT.ok} done, ${EXIT.failed} failed, ${EXIT.usage} wrong usage (an option, an argument or an input file).`);
  return `${lines.join('\n')}\n`;
}
