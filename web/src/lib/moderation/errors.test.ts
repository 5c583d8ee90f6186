import { describe, expect, it } from 'vitest';
import { failure } from '$lib/testing/api-failure';
import { explainModFailure, summarizeModFailure } from './errors';

const REPORT_FIELDS = ['category', 'law', 'description', 'at'] as const;

describe('explainModFailure', () => {
  it('puts “which law” next to its field', () => {
    expect(explainModFailure(failure('report.law_required'), REPORT_FIELDS)).toEqual({
      fields: { law: { key: 'mod_error_law_required' } },
      summary: null,
    });
  });

  it('places the API’s length codes with the limits of the field', () => {
    const invalid = failure('request.invalid', {
      details: [
        { in: 'json', path: 'description', message: 'description.too_short' },
        { in: 'json', path: 'law', message: 'law.too_long' },
      ],
    });
    expect(explainModFailure(invalid, REPORT_FIELDS)).toEqual({
      fields: {
        description: { key: 'mod_error_too_short', params: { min: 10 } },
        law: { key: 'mod_error_too_long', params: { max: 200 } },
      },
      summary: null,
    });
  });

  it('keeps a summary for problems about fields the form does not have', () => {
    const invalid = failure('request.invalid', {
      details: [
        { in: 'json', path: 'facts', message: 'facts.too_short' },
        { in: 'json', path: 'roomId', message: 'Invalid UUID' },
      ],
    });
    expect(explainModFailure(invalid, ['facts'])).toEqual({
      fields: { facts: { key: 'mod_error_too_short', params: { min: 10 } } },
      summary: { key: 'error_request_invalid' },
    });
  });

  it('places a missing suspension length and an unrelated person in the decision form', () => {
    expect(explainModFailure(failure('decision.duration_required'), ['durationDays']).fields).toEqual({
      durationDays: { key: 'mod_error_duration_required' },
    });
    expect(explainModFailure(failure('decision.subject_unrelated'), ['subjectId']).fields).toEqual({
      subjectId: { key: 'mod_error_subject_unrelated' },
    });
  });

  it.each([
    ['mod.already_claimed', 409, 'mod_error_already_claimed'],
    ['mod.not_claimed', 403, 'mod_error_not_claimed'],
    ['mod.report_closed', 409, 'mod_error_report_closed'],
    ['mod.conflict_of_interest', 403, 'mod_error_conflict_of_interest'],
    ['recording.shredded', 410, 'mod_error_recording_shredded'],
    ['recording.not_ready', 409, 'mod_error_recording_not_ready'],
    ['appeal.exists', 409, 'mod_error_appeal_exists'],
    ['appeal.window_closed', 410, 'mod_error_appeal_window_closed'],
    ['appeal.same_moderator', 403, 'mod_error_appeal_same_moderator'],
    ['decision.not_found', 404, 'mod_error_decision_not_found'],
    ['report.target_not_found', 404, 'mod_error_target_not_found'],
    ['report.self', 400, 'mod_error_report_self'],
    ['account.suspended', 403, 'mod_error_account_suspended'],
    ['account.banned', 403, 'mod_error_account_banned'],
    ['mod.forbidden', 403, 'mod_error_forbidden'],
  ] as const)('says %s in our words', (code, status, key) => {
    expect(summarizeModFailure(failure(code, { status }))).toEqual({ key });
  });

  it('says how long to wait after too many reports', () => {
    expect(
      summarizeModFailure(failure('report.rate_limited', { status: 429, retryAfterSeconds: 1200 })),
    ).toEqual({ key: 'mod_error_report_rate_limited', params: { time: { seconds: 1200 } } });
  });

  it('falls back on the shared messages for the rest', () => {
    expect(summarizeModFailure(failure('network.unreachable', { status: 0 }))).toEqual({
      key: 'error_network',
    });
    expect(summarizeModFailure(failure('boom', { status: 500 }))).toEqual({
      key: 'error_internal',
      params: { id: 'req-1' },
    });
  });
});
