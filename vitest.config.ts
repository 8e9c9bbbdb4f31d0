import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The handlers' logs and the stand-ins' diagnostics go to .data/test-logs/, not the terminal.
    setupFiles: ['test/support/test-logs.ts'],
    environment: 'node',
    // Two workers on two cores, not vitest's default of one fewer than the cores: most of the
    // slow files wait on child processes, browsers and local servers rather than compute.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: {
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      CDK_DISABLE_CLI_TELEMETRY: 'true',
      CDK_VALIDATION: 'false',
    },
  },
});
