/**
 * `@vroegsignaal/command`: the conventions every `npm run` command follows. A command is a
 * spec (its name as typed, purpose, usage, example, options, positionals) and a function;
 * `runCommand` gives it --help, did-you-mean on unknown options, plain error messages and the
 * exit codes 0 (done), 1 (failed) and 64 (usage).
 */
export * from './errors.ts';
export * from './did-you-mean.ts';
export * from './spec.ts';
export * from './parse.ts';
export * from './inputs.ts';
export * from './run.ts';
