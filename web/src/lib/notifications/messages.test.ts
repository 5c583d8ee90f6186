import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CLUB_ERROR_KEYS } from '$lib/clubs/errors';
import { NOTIFICATION_TEXT_KEYS } from './describe';
import { SETTINGS_ERROR_KEYS } from './settings-form';

type Messages = Record<string, unknown>;
const read = (path: string): Messages =>
  JSON.parse(readFileSync(new URL(`../../../messages/${path}`, import.meta.url), 'utf8'));
const en = read('clubs/en.json');
const fr = read('clubs/fr.json');
const keys = Object.keys(en).filter((key) => key !== '$schema');

/** The `{inputs}` a message uses, whether it is a plain string or has plural variants. */
function inputsOf(message: unknown): string[] {
  const text = JSON.stringify(message);
  const names = new Set<string>();
  for (const [, name] of text.matchAll(/\{(\w+)\}/g)) if (name) names.add(name);
  for (const [, name] of text.matchAll(/input (\w+)/g)) if (name) names.add(name);
  return [...names].sort();
}

describe('the clubs and notifications messages', () => {
  it('have the same keys in both languages', () => {
    expect(Object.keys(fr).sort()).toEqual(Object.keys(en).sort());
  });

  it('use the same inputs in both languages, and are translated', () => {
    for (const key of keys) {
      expect(inputsOf(fr[key]), key).toEqual(inputsOf(en[key]));
    }
    const same = keys.filter((key) => JSON.stringify(fr[key]) === JSON.stringify(en[key]));
    // Words that are the same in both languages.
    expect(same.sort()).toEqual(
      [
        'club_list_heading',
        'club_list_title',
        'club_nav_clubs',
        'club_nav_menu',
        'club_profile_heading',
        'club_role_admin',
        'club_search_count',
        'club_search_heading',
        'clubs_title',
        'notif_bell_none',
        'notif_page_heading',
        'notif_page_title',
        'notif_panel_heading',
        'notif_settings_heading',
        'notif_settings_level_paused',
        'notif_settings_muted_club_tag',
      ].sort(),
    );
  });

  it('are prefixed, and do not clash with another message file', () => {
    const others = [read('en.json'), read('rooms/en.json')].flatMap(Object.keys);
    for (const key of keys) {
      expect(key, key).toMatch(/^(club_|notif_|clubs_title$)/);
      expect(others, key).not.toContain(key);
    }
  });

  it('never have “@{”, which the compiled JSDoc mistakes for a tag', () => {
    expect(JSON.stringify(en)).not.toContain('@{');
    expect(JSON.stringify(fr)).not.toContain('@{');
  });

  it('include every key the code names', () => {
    for (const key of [...CLUB_ERROR_KEYS, ...NOTIFICATION_TEXT_KEYS, ...SETTINGS_ERROR_KEYS]) {
      expect(en[key], `en: ${key}`).toBeDefined();
      expect(fr[key], `fr: ${key}`).toBeDefined();
    }
  });

  it('never show the API’s codes in French', () => {
    for (const key of keys) expect(JSON.stringify(fr[key]), key).not.toMatch(/\b[a-z]+\.[a-z_]+\b/);
  });
});
