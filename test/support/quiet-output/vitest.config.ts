// The suite's own settings, on the one fixture file only: what its output looks like in a terminal.
import { defineConfig } from 'vitest/config';
import suite from '../../../vitest.config.ts';

export default defineConfig({ test: { ...suite.test, include: ['test/support/quiet-output/*.fixture.ts'] } });
