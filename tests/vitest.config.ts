import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'tests',
    include: ['**/*.test.ts'],
    exclude: ['e2e/**', 'node_modules/**'],
    globalSetup: ['../db/src/testing/global-setup.ts'],
  },
});
