/**
 * `@vroegsignaal/tools`: the operator's tools, each a library function behind its `npm run`
 * command (cli/): the replay, the policy check and diff, and the dead-letter redrive.
 */
export * from './replay.ts';
export * from './policy-diff.ts';
export * from './redrive.ts';
export * from './score-histogram.ts';
export * from './summary.ts';
export * from './policy-check.ts';
export * from './engines.ts';
export * from './monitor-source.ts';
