import { describe, expect, it } from 'vitest';
import { ERROR_MESSAGE_KEYS } from '$lib/errors/explain';
import { clashes, languageMismatches, messageKeys, readMessages as read } from '$lib/i18n/message-files';
import { MOD_FORM_ERROR_KEYS } from './errors';
import { MOD_NOTIFICATION_TEXT_KEYS } from './notifications';

const en = read('mod/en.json');
const fr = read('mod/fr.json');
const keys = messageKeys(en);

describe('the moderation messages', () => {
  it('have the same keys and inputs in both languages', () => {
    expect(languageMismatches(en, fr)).toEqual([]);
  });

  it('are translated (only a name placeholder reads the same)', () => {
    const same = keys.filter((key) => JSON.stringify(fr[key]) === JSON.stringify(en[key]));
    expect(same.sort()).toEqual(['mod_report_description_label', 'mod_target_person']);
  });

  it('are all prefixed mod_ and clash with no other message file', () => {
    for (const key of keys) expect(key).toMatch(/^mod_[a-z0-9_]+$/);
    expect(clashes('mod', en)).toEqual([]);
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
