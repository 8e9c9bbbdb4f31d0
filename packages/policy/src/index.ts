export * from './schema.ts';
export * from './load.ts';
export * from './problems.ts';
export * from './compiled.ts';
export { expandAreas, districtTeamId } from './cross-check.ts';
export * from './json-schema.ts';
export * from './version.ts';
export * from './roles.ts';
