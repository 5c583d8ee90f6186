import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

// Everything the page loads comes from this origin: no CDN, no web font, no analytics.
// The LiveKit URL will join connect-src when rooms arrive (DESIGN.md §1, invariant 8).
/** @type {Array<'self'>} */
const self = ['self'];

// SvelteKit's route announcer is the only inline style attribute; allow exactly that one.
// csp.test.ts recomputes the hash from the installed SvelteKit, so an upgrade cannot silently break it.
export const ANNOUNCER_STYLE_HASH = 'sha256-S8qMpvofolR8Mpjy4kQvEm7m1q8clzU4dfDH0AmvZjo=';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  vitePlugin: {
    // Our components are runes-only; dependencies keep whatever mode they were written in.
    dynamicCompileOptions: ({ filename }) =>
      filename.split(/[/\\]/).includes('node_modules') ? undefined : { runes: true },
  },
  kit: {
    // `node web/build` serves the app; `web/build/handler.js` is the middleware the API server mounts.
    adapter: adapter({ out: 'build' }),
    csp: {
      mode: 'auto',
      directives: {
        'default-src': self,
        'script-src': self,
        'style-src': self,
        'style-src-attr': ['unsafe-hashes', ANNOUNCER_STYLE_HASH],
        'img-src': [...self, 'data:'],
        'font-src': self,
        'connect-src': self,
        'media-src': self,
        'object-src': ['none'],
        'base-uri': self,
        'form-action': self,
        'frame-ancestors': ['none'],
      },
    },
  },
};

export default config;
