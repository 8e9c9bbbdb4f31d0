/**
 * `@vroegsignaal/cli`: the partner and team command-line tools, as library functions (the bins
 * in bin/ are thin wrappers over `runPartnerCli` and `runTeamCli`).
 */
export * from './csv.ts';
export * from './encoding.ts';
export * from './values.ts';
export * from './errors.ts';
export * from './aws.ts';
export * from './put-events.ts';
export * from './progress.ts';
export { resolveNow, type CliIo } from './cli.ts';
export * from './partner/mapping.ts';
export * from './partner/prepare.ts';
export * from './partner/push.ts';
export * from './partner/outcomes.ts';
export { runPartnerCli, summarise, PARTNER_HELP, type PushSummary } from './partner/cli.ts';
export * from './team/inbox.ts';
export * from './team/queue.ts';
export * from './team/report.ts';
export * from './team/format.ts';
export { runTeamCli, TEAM_HELP, type TeamCliContext } from './team/cli.ts';
