import { describe, expect, it } from 'vitest';
import { inputsOf, type Messages, readMessages as read } from '$lib/i18n/message-files';
import { failure } from '$lib/testing/api-failure';
import { ERROR_MESSAGE_KEYS, explainFailure, summarizeFailure } from './explain';

// The moderation error messages (mod_error_*) live with the rest of moderation's texts.
const catalogue = (locale: string): Messages => ({
  ...read(`${locale}.json`),
  ...read(`mod/${locale}.json`),
});
const en = catalogue('en');
const fr = catalogue('fr');

describe('the error messages', () => {
  it.each(ERROR_MESSAGE_KEYS)('%s exists in English and French, with the same inputs', (key) => {
    expect(en[key], `en.json: ${key}`).toBeDefined();
    expect(fr[key], `fr.json: ${key}`).toBeDefined();
    expect(inputsOf(fr[key])).toEqual(inputsOf(en[key]));
  });

  it('never repeat the API’s English text or codes in French', () => {
    for (const key of ERROR_MESSAGE_KEYS) {
      expect(JSON.stringify(fr[key])).not.toMatch(/\b[a-z]+\.[a-z_]+\b/);
      expect(fr[key]).not.toEqual(en[key]);
    }
  });
});

describe('every message file', () => {
  it('has the same keys in both languages', () => {
    expect(Object.keys(fr).sort()).toEqual(Object.keys(en).sort());
  });

  it('uses the same inputs in both languages', () => {
    for (const key of Object.keys(en)) {
      expect(inputsOf(fr[key]), key).toEqual(inputsOf(en[key]));
    }
  });

  it('never has “@{”, which the compiled JSDoc mistakes for a tag', () => {
    expect(JSON.stringify(en)).not.toContain('@{');
    expect(JSON.stringify(fr)).not.toContain('@{');
  });
});

describe('explainFailure', () => {
  it.each([
    ['phone.invalid', 'phone', 'error_phone_invalid'],
    ['phone.not_mobile', 'phone', 'error_phone_not_mobile'],
    ['phone.unsupported_country', 'phone', 'error_phone_unsupported_country'],
    ['otp.locked', 'code', 'error_otp_locked'],
    ['otp.expired', 'code', 'error_otp_expired'],
    ['username.taken', 'username', 'error_username_taken'],
    ['invite.invalid', 'inviteCode', 'error_invite_invalid'],
  ] as const)('puts %s next to the %s field', (code, field, key) => {
    expect(explainFailure(failure(code))).toEqual({ fields: { [field]: { key } }, summary: null });
  });

  it('says how many tries are left after a wrong code', () => {
    const wrong = failure('otp.wrong_code', { details: [{ remainingAttempts: 3 }] });
    expect(explainFailure(wrong)).toEqual({
      fields: { code: { key: 'error_otp_wrong_code', params: { remaining: 3 } } },
      summary: null,
    });
  });

  it('says how long to wait before another code, from the 429 details', () => {
    const cooldown = failure('otp.cooldown', {
      status: 429,
      details: [{ retryAfterSeconds: 28 }],
      retryAfterSeconds: 28,
    });
    expect(explainFailure(cooldown).summary).toEqual({
      key: 'error_otp_cooldown',
      params: { time: { seconds: 28 } },
    });
    expect(
      explainFailure(failure('otp.rate_limited', { status: 429, retryAfterSeconds: 3600 })).summary,
    ).toEqual({ key: 'error_otp_rate_limited', params: { time: { seconds: 3600 } } });
  });

  it('falls back to “try later” when a 429 does not say how long', () => {
    expect(explainFailure(failure('otp.cooldown', { status: 429 })).summary).toEqual({
      key: 'error_rate_limited_later',
    });
  });

  it('covers every other rate limit the API has, by status or by code', () => {
    for (const code of [
      'signup.rate_limited',
      'login.rate_limited',
      'invite.rate_limited',
      'otp_verify.rate_limited',
    ]) {
      expect(explainFailure(failure(code, { status: 429, retryAfterSeconds: 60 })).summary).toEqual({
        key: 'error_rate_limited',
        params: { time: { seconds: 60 } },
      });
    }
    expect(
      explainFailure(failure('search.rate_limited', { status: 429, retryAfterSeconds: 5 })).summary?.key,
    ).toBe('error_search_rate_limited');
  });

  it('puts each sign-up validation problem next to its field, in the API’s words mapped to ours', () => {
    const invalid = failure('request.invalid', {
      details: [
        { in: 'json', path: 'username', message: 'username.reserved' },
        { in: 'json', path: 'displayName', message: 'displayName.format' },
        { in: 'json', path: 'ageConfirmed', message: 'signup.age_required' },
      ],
    });
    expect(explainFailure(invalid)).toEqual({
      fields: {
        username: { key: 'error_username_reserved' },
        displayName: { key: 'error_display_name_format' },
        ageConfirmed: { key: 'error_age_required' },
      },
      summary: null,
    });
  });

  it('maps the other name problems and the bio length', () => {
    const detail = (path: string, message: string) =>
      failure('request.invalid', { details: [{ in: 'json', path, message }] });
    expect(explainFailure(detail('displayName', 'displayName.too_short')).fields.displayName?.key).toBe(
      'error_display_name_too_short',
    );
    expect(explainFailure(detail('displayName', 'displayName.too_long')).fields.displayName?.key).toBe(
      'error_display_name_too_long',
    );
    expect(explainFailure(detail('username', 'username.format')).fields.username?.key).toBe(
      'error_username_format',
    );
    expect(explainFailure(detail('bio', 'bio.too_long')).fields.bio?.key).toBe('error_bio_too_long');
    expect(explainFailure(detail('code', 'otp.code_format')).fields.code?.key).toBe('error_otp_code_format');
  });

  it('uses a field’s own message when the API’s is a generic validator text', () => {
    const generic = failure('request.invalid', {
      details: [{ in: 'json', path: 'phone', message: 'Too small: expected string to have >=3 characters' }],
    });
    expect(explainFailure(generic)).toEqual({
      fields: { phone: { key: 'error_phone_invalid' } },
      summary: null,
    });
  });

  it('says that a list moved on when its page link is not valid any more', () => {
    const stale = failure('request.invalid', {
      details: [{ in: 'query', path: 'cursor', message: 'cursor.invalid' }],
    });
    expect(explainFailure(stale)).toEqual({ fields: {}, summary: { key: 'error_list_moved' } });
  });

  it('says when the text holds characters that cannot be stored (NUL, broken Unicode)', () => {
    const invalidText = failure('request.invalid_text', {
      details: [{ in: 'json', path: 'bio', message: 'text.invalid_characters' }],
    });
    expect(explainFailure(invalidText).summary).toEqual({ key: 'error_request_invalid_text' });
  });

  it('keeps a summary when a problem concerns no field the form has', () => {
    const unplaced = failure('request.invalid', {
      details: [{ in: 'json', path: 'ticket', message: 'Too small' }],
    });
    expect(explainFailure(unplaced)).toEqual({ fields: {}, summary: { key: 'error_request_invalid' } });
  });

  it('says the invite quota with the number from the details', () => {
    expect(
      explainFailure(failure('invite.quota', { status: 409, details: [{ perMember: 2 }] })).summary,
    ).toEqual({ key: 'error_invite_quota', params: { perMember: 2 } });
  });

  it.each([
    ['account.exists', 'error_account_exists'],
    ['ticket.invalid', 'error_ticket_invalid'],
    ['passkey.not_verified', 'error_passkey_not_verified'],
    ['passkey.ceremony_expired', 'error_passkey_ceremony_expired'],
    ['passkey.unknown', 'error_passkey_unknown'],
    ['passkey.last', 'error_passkey_last'],
    ['account.unavailable', 'error_account_unavailable'],
    ['recovery.no_account', 'error_recovery_no_account'],
    ['follow.self', 'error_follow_self'],
    ['auth.required', 'error_auth_required'],
    ['csrf.origin_mismatch', 'error_csrf'],
    ['sms.unavailable', 'error_sms_unavailable'],
    ['network.unreachable', 'error_network'],
  ] as const)('explains %s for the whole form', (code, key) => {
    expect(explainFailure(failure(code))).toEqual({ fields: {}, summary: { key } });
  });

  it('gives a server error its reference, and nothing of the API’s text', () => {
    expect(explainFailure(failure('internal', { status: 500, requestId: 'abc-123' })).summary).toEqual({
      key: 'error_internal',
      params: { id: 'abc-123' },
    });
  });

  it('has a translated answer even for a code it has never heard of', () => {
    expect(explainFailure(failure('rooms.something_new', { status: 409 })).summary).toEqual({
      key: 'error_unknown',
    });
  });
});

describe('summarizeFailure', () => {
  it('gives one message, the field one when that is all there is', () => {
    expect(summarizeFailure(failure('passkey.last', { status: 409 }))).toEqual({ key: 'error_passkey_last' });
    expect(summarizeFailure(failure('username.taken', { status: 409 }))).toEqual({
      key: 'error_username_taken',
    });
  });
});
