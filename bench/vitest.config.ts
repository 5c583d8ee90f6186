import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'bench',
    include: ['bench.test.ts'],
    globalSetup: ['../db/src/testing/global-setup.ts'],
  },
});
