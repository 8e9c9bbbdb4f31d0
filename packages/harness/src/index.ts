/**
 * `@vroegsignaal/harness`: what proves the pipeline right, fast and hard to fool. Seeded feeds
 * of any size and the shipped sample feed (one RNG), the chaos runs (duplicates, shuffles,
 * faults, dead letters, hostile entries and partners), injected SDK faults, and the benchmark
 * (its team-workspace measurement too, which a test holds to its targets).
 */
export * from './rng.ts';
export * from './feed-generator.ts';
export * from './sample-feed.ts';
export * from './chaos.ts';
export * from './faults.ts';
export * from './hostile-entries.ts';
export * from './bench/workspace.ts';
