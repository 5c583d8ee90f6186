import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import config, { ANNOUNCER_STYLE_HASH } from '../svelte.config.js';

describe('content security policy', () => {
  it('allows the inline style of the installed SvelteKit route announcer, and only that', () => {
    const kitDir = dirname(createRequire(import.meta.url).resolve('@sveltejs/kit/package.json'));
    const rootTemplate = readFileSync(join(kitDir, 'src/core/sync/write_root.js'), 'utf8');
    const style = /id="svelte-announcer"[^>]*style="([^"]+)"/.exec(rootTemplate)?.[1];
    expect(style).toBeDefined();
    const hash = `sha256-${createHash('sha256')
      .update(style ?? '')
      .digest('base64')}`;
    expect(ANNOUNCER_STYLE_HASH).toBe(hash);
    expect(config.kit?.csp?.directives?.['style-src-attr']).toEqual(['unsafe-hashes', hash]);
  });

  it('fetches nothing from another origin', () => {
    const directives = config.kit?.csp?.directives ?? {};
    for (const [name, sources] of Object.entries(directives)) {
      for (const source of sources as string[]) {
        expect(source, name).toMatch(/^(self|none|data:|unsafe-hashes|sha256-.+)$/);
      }
    }
  });
});
