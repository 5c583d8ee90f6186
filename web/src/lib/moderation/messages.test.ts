import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_MESSAGE_KEYS } from '$lib/errors/explain';
import { MOD_FORM_ERROR_KEYS } from './errors';
import { MOD_NOTIFICATION_TEXT_KEYS } from './notifications';

type Messages = Record<string, unknown>;
const messagesDir = new URL('../../../messages/', import.meta.url);
const read = (path: string): Messages => JSON.parse(readFileSync(new URL(path, messagesDir), 'utf8'));
const en = read('mod/en.json');
const fr = read('mod/fr.json');
const keys = Object.keys(en).filter((key) => key !== '$schema');

/** The `{inputs}` a message uses, whether it is a plain string or has plural variants. */
function inputsOf(message: unknown): string[] {
  const text = JSON.stringify(message);
  const names = new Set<string>();
  for (const [, name] of text.matchAll(/\{(\w+)\}/g)) if (name) names.add(name);
  for (const [, name] of text.matchAll(/input (\w+)/g)) if (name) names.add(name);
  return [...names].sort();
}

describe('the moderation messages', () => {
  it('have the same keys and inputs in both languages', () => {
    expect(Object.keys(fr).sort()).toEqual(Object.keys(en).sort());
    for (const key of keys) expect(inputsOf(fr[key]), key).toEqual(inputsOf(en[key]));
  });

  it('are translated (only a name placeholder reads the same)', () => {
    const same = keys.filter((key) => JSON.stringify(fr[key]) === JSON.stringify(en[key]));
    expect(same.sort()).toEqual(['mod_report_description_label', 'mod_target_person']);
  });

  it('are all prefixed mod_ and clash with no other message file', () => {
    const others = [
      'en.json',
      ...readdirSync(messagesDir, { withFileTypes: true })
        .filter((entry) => entry.isDirectory() && entry.name !== 'mod')
        .map((entry) => `${entry.name}/en.json`),
    ].flatMap((file) => Object.keys(read(file)));
    for (const key of keys) {
      expect(key).toMatch(/^mod_[a-z0-9_]+$/);
      expect(others, key).not.toContain(key);
    }
  });

  it('include every key the code names', () => {
    const named = [
      ...MOD_FORM_ERROR_KEYS,
      ...MOD_NOTIFICATION_TEXT_KEYS,
      ...ERROR_MESSAGE_KEYS.filter((key) => key.startsWith('mod_')),
    ];
    for (const key of named) {
      expect(en[key], `en: ${key}`).toBeDefined();
      expect(fr[key], `fr: ${key}`).toBeDefined();
    }
  });

  it('never show the API’s codes, nor “@” (which the compiled JSDoc misreads)', () => {
    for (const key of keys) {
      expect(JSON.stringify(fr[key]), key).not.toMatch(/\b[a-z]+\.[a-z_]+\b/);
      expect(JSON.stringify(en[key]), key).not.toContain('@');
      expect(JSON.stringify(fr[key]), key).not.toContain('@');
    }
  });
});
