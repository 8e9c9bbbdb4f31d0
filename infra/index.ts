/**
 * `@vroegsignaal/infra`: the CDK app as a library, for the tests and the benchmark (cdk.json
 * runs bin/app.ts). The constructs mirror the code's split: one per concern.
 */
export { buildApp, type BuildAppOptions, type BuiltApp } from './build-app.ts';
export { STAGE_MAX_CONCURRENCY } from './stacks/pipeline-stack.ts';
export { TeamsStack } from './stacks/teams-stack.ts';
export { WORKSPACE_TABLE_ACCESS, WorkspaceStack } from './stacks/workspace-stack.ts';
export { FederationError, WorkspaceIdentity, type MunicipalIdentityProvider } from './constructs/workspace-identity.ts';
export { WorkspaceSite } from './constructs/workspace-site.ts';
export { PipelineFunction } from './constructs/pipeline-function.ts';
export { HouseholdKey } from './constructs/household-key.ts';
export { FUNCTION_BUNDLING } from './constructs/pipeline-function.ts';
export { APPCONFIG_VALIDATOR_MAX_CHARS } from './constructs/policy-config.ts';
export { MIN_REASON_LENGTH } from './lib/acknowledge.ts';
export { KEY_PREFIXES } from './lib/key-prefixes.ts';
export { TEAM_PRINCIPAL_TAG } from './lib/names.ts';
export * from './lib/partner-shards.ts';
export * from './lib/stack-plan.ts';
