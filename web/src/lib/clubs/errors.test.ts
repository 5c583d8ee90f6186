import { describe, expect, it } from 'vitest';
import { failure } from '$lib/testing/api-failure';
import { explainClubFailure, localProblems, summarizeClubFailure } from './errors';

describe('explainClubFailure', () => {
  it.each([
    ['club.slug_taken', 'slug', 'club_error_slug_taken'],
    ['club.slug_reserved', 'slug', 'club_error_slug_reserved'],
    ['club.name_too_long', 'name', 'club_error_name_too_long'],
    ['club.rules_too_long', 'rules', 'club_error_rules_too_long'],
  ])('%s goes next to the %s field', (code, field, key) => {
    expect(explainClubFailure(failure(code))).toEqual({ fields: { [field]: { key } }, summary: null });
  });

  it('places validation details by path, with the message the API named', () => {
    const invalid = failure('request.invalid', {
      details: [
        { in: 'json', path: 'slug', message: 'club.slug_format' },
        { in: 'json', path: 'name', message: 'Too small' },
      ],
    });
    expect(explainClubFailure(invalid)).toEqual({
      fields: { slug: { key: 'club_error_slug_format' }, name: { key: 'club_error_name_too_short' } },
      summary: null,
    });
  });

  it('says the last admin cannot go, for the whole form', () => {
    expect(explainClubFailure(failure('club.last_admin', { status: 409 }))).toEqual({
      fields: {},
      summary: { key: 'club_error_last_admin' },
    });
  });

  it('reads “not in the club” as an unknown @username when inviting', () => {
    const notFound = failure('club.member_not_found', { status: 404 });
    expect(explainClubFailure(notFound, { inviting: true }).fields.username).toEqual({
      key: 'club_error_username_unknown',
    });
    expect(summarizeClubFailure(notFound)).toEqual({ key: 'club_error_member_not_found' });
  });

  it('falls back on the shared messages for everything else', () => {
    expect(summarizeClubFailure(failure('network.unreachable', { status: 0 }))).toEqual({
      key: 'error_network',
    });
    expect(summarizeClubFailure(failure('boom', { status: 500 }))).toEqual({
      key: 'error_internal',
      params: { id: 'req-1' },
    });
    expect(summarizeClubFailure(failure('csrf.origin_mismatch', { status: 403 }))).toEqual({
      key: 'error_csrf',
    });
  });
});

describe('localProblems', () => {
  it('has the same shape as the API’s', () => {
    expect(localProblems({ name: 'club_error_name_too_short' })).toEqual({
      fields: { name: { key: 'club_error_name_too_short' } },
      summary: null,
    });
  });
});
