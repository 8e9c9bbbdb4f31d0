#!/usr/bin/env node
// Runs the TypeScript source through tsx, as every other tool in this repo does: no build step.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { register } = await import('tsx/esm/api');
register();
await import('../src/team/main.ts');
