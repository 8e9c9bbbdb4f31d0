/** Runs a command by the house conventions: --help, usage errors with a pointer to it, plain failures, exit codes. */
import { describeError, EXIT, UsageError } from './errors.ts';
import { commandLabel, formatHelp, type CommandSpec, type OptionSpec } from './spec.ts';
import { parseCommand, type OptionValues } from './parse.ts';

export interface CommandIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

export const PROCESS_IO: CommandIo = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
};

export interface CommandArgs<Options extends Record<string, OptionSpec>> {
  values: OptionValues<Options>;
  positionals: string[];
}

/**
 * Parses argv, prints --help to stdout (exit 0), or runs the command. A UsageError, from the
 * parse or the command, exits 64 with a pointer to --help; anything else thrown exits 1 with
 * describeError's sentence. The command may return an exit code (a check that found problems).
 */
export async function runCommand<Options extends Record<string, OptionSpec>>(
  spec: CommandSpec<Options>,
  argv: readonly string[],
  // biome-ignore lint/suspicious/noConfusingVoidType: a command that returns no exit code is `async () => {...}`, typed Promise<void>
  run: (args: CommandArgs<Options>) => Promise<number | void> | number | void,
  io: CommandIo = PROCESS_IO,
): Promise<number> {
  try {
    const parsed = parseCommand(spec, argv);
    if (parsed.help) {
      io.stdout(formatHelp(spec));
      return EXIT.ok;
    }
    return (await run(parsed)) ?? EXIT.ok;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`${commandLabel(spec)}: ${error.message}\nSee ${spec.name} --help for the usage and an example.\n`);
      return EXIT.usage;
    }
    io.stderr(`${commandLabel(spec)}: ${describeError(error)}\n`);
    return EXIT.failed;
  }
}
