import { describe, expect, it } from 'vitest';
import {
  clashes,
  messageKeys as keys,
  languageMismatches,
  readMessages as read,
} from '$lib/i18n/message-files';
import { failure } from '$lib/testing/api-failure';
import { explainPrivacyFailure, PRIVACY_ERROR_KEYS } from './errors';

const en = read('privacy/en.json');
const fr = read('privacy/fr.json');

describe('the privacy messages', () => {
  it('have the same keys and inputs in English and French', () => {
    expect(languageMismatches(en, fr)).toEqual([]);
  });

  it('are all prefixed privacy_ and collide with no other area’s messages', () => {
    for (const key of keys(en)) expect(key).toMatch(/^privacy_/);
    expect(clashes('privacy', en)).toEqual([]);
  });

  it('include every error key, and never contain “@{”', () => {
    for (const key of PRIVACY_ERROR_KEYS) expect(keys(en)).toContain(key);
    expect(JSON.stringify(en)).not.toContain('@{');
    expect(JSON.stringify(fr)).not.toContain('@{');
  });
});

describe('privacy errors', () => {
  it('names the moment a new export is possible from the API’s wait', () => {
    const now = new Date('2026-11-21T12:00:00Z');
    expect(
      explainPrivacyFailure(failure('export.too_soon', { status: 429, retryAfterSeconds: 3600 }), now),
    ).toEqual({ key: 'privacy_error_export_too_soon', params: { at: '2026-11-21T13:00:00.000Z' } });
    expect(explainPrivacyFailure(failure('export.too_soon', { status: 429 }), now)).toEqual({
      key: 'privacy_error_export_too_soon_later',
    });
  });

  it('maps deletion and export codes to their messages, and the rest to the shared ones', () => {
    expect(explainPrivacyFailure(failure('deletion.wrong_passkey', { status: 403 }))).toEqual({
      key: 'privacy_error_wrong_passkey',
    });
    expect(explainPrivacyFailure(failure('export.not_found', { status: 404 }))).toEqual({
      key: 'privacy_error_export_gone',
    });
    expect(explainPrivacyFailure(failure('passkey.not_verified'))).toEqual({
      shared: { key: 'error_passkey_not_verified' },
    });
    expect(explainPrivacyFailure(failure('boom', { status: 500 }))).toEqual({
      shared: { key: 'error_internal', params: { id: 'req-1' } },
    });
  });
});
