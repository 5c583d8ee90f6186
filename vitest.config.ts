import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['db', 'policies', 'api', 'web', 'tests', 'bench'],
  },
});
