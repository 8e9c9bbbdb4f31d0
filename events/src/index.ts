/** `@vroegsignaal/events`: the signal contract v1 as zod schemas, names and rule patterns. */
export * from './names.ts';
export * from './patterns.ts';
export * from './common.ts';
export * from './partner-signals.ts';
export * from './team-reports.ts';
export * from './team-messages.ts';
export * from './outcomes.ts';
export * from './pipeline-events.ts';
export * from './json-schema.ts';
export * from './ddas.ts';
export * from './put-events.ts';
export * from './event-pattern.ts';
export * from './samples.ts';
