import { fileURLToPath } from 'node:url';
import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';
import { paraglideOptions } from './i18n.config.js';

// SvelteKit (and the Paraglide paths) resolve from the working directory, but the root
// `vitest run` loads every workspace from the repository root. Unit tests exercise plain
// modules, so under Vitest the framework plugins are left out and only `$lib` is kept.
const unitTests = process.env.VITEST !== undefined;

export default defineConfig({
  plugins: unitTests ? [] : [sveltekit(), paraglideVitePlugin(paraglideOptions)],
  resolve: unitTests ? { alias: { $lib: fileURLToPath(new URL('./src/lib', import.meta.url)) } } : {},
  test: {
    name: 'web',
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
