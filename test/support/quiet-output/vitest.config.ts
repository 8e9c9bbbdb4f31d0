// The suite's setup file, on the one fixture only: what a test file's output looks like in a terminal.
import { defineConfig } from 'vitest/config';

export default defineConfig({ test: { include: ['test/support/quiet-output/*.fixture.ts'], setupFiles: ['test/support/test-logs.ts'] } });
