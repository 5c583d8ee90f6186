import type { ApiFailure } from '$lib/api';
import type { Duration } from '$lib/format/duration';

/**
 * A message to show, by its key in messages/{en,fr}.json, with its inputs. Kept apart from
 * the compiled messages so the mapping below is plain data that unit tests can check against
 * both message files; `translate()` in ./translate.ts turns it into text.
 */
export interface MessageRef {
  key: ErrorMessageKey;
  params?: Record<string, string | number | Duration>;
}

/** The form fields an API error can be about; components show the message next to the field. */
export type Field =
  | 'inviteCode'
  | 'phone'
  | 'code'
  | 'displayName'
  | 'username'
  | 'ageConfirmed'
  | 'bio'
  | 'interests'
  | 'name';

export interface Explanation {
  /** Messages that belong next to one field. */
  fields: Partial<Record<Field, MessageRef>>;
  /** A message for the form as a whole; null when the field messages say it all. */
  summary: MessageRef | null;
}

/** Every message key this module can produce (checked against the message files by tests). */
export const ERROR_MESSAGE_KEYS = [
  'error_network',
  'error_internal',
  'error_unknown',
  'error_request_invalid',
  'error_request_invalid_text',
  'error_rate_limited',
  'error_rate_limited_later',
  'error_csrf',
  'error_auth_required',
  'error_invite_invalid',
  'error_invite_quota',
  'error_invite_not_found',
  'error_phone_invalid',
  'error_phone_not_mobile',
  'error_phone_unsupported_country',
  'error_otp_cooldown',
  'error_otp_rate_limited',
  'error_sms_unavailable',
  'error_otp_code_format',
  'error_otp_wrong_code',
  'error_otp_locked',
  'error_otp_expired',
  'error_ticket_invalid',
  'error_username_format',
  'error_username_reserved',
  'error_username_taken',
  'error_display_name_too_short',
  'error_display_name_too_long',
  'error_display_name_format',
  'error_age_required',
  'error_account_exists',
  'error_account_unavailable',
  'error_passkey_not_verified',
  'error_passkey_ceremony_expired',
  'error_passkey_unknown',
  'error_passkey_last',
  'error_passkey_not_found',
  'error_passkey_name_invalid',
  'error_recovery_no_account',
  'error_bio_too_long',
  'error_interests_invalid',
  'error_session_not_found',
  'error_user_not_found',
  'error_follow_self',
  'error_search_rate_limited',
  // Moderation (messages/mod/*.json): reports, decisions, appeals, the staff console.
  'mod_error_law_required',
  'mod_error_target_required',
  'mod_error_target_not_found',
  'mod_error_report_self',
  'mod_error_report_rate_limited',
  'mod_error_report_not_found',
  'mod_error_at_outside_room',
  'mod_error_appeal_exists',
  'mod_error_appeal_window_closed',
  'mod_error_appeal_not_found',
  'mod_error_appeal_same_moderator',
  'mod_error_appeal_decided',
  'mod_error_decision_not_found',
  'mod_error_forbidden',
  'mod_error_already_claimed',
  'mod_error_not_claimed',
  'mod_error_report_closed',
  'mod_error_recording_shredded',
  'mod_error_recording_not_found',
  'mod_error_playback_expired',
  'mod_error_staff_user_not_found',
  'mod_error_staff_last_admin',
  'mod_error_staff_not_staff',
  'mod_error_signup_refused',
  'mod_error_account_suspended',
  'mod_error_account_banned',
  'mod_error_conflict_of_interest',
  'mod_error_recording_not_ready',
  'mod_error_subject_required',
  'mod_error_subject_unrelated',
  'mod_error_room_required',
  'mod_error_room_ended',
  'mod_error_duration_required',
  'mod_error_subject_banned',
  'mod_error_at_requires_room',
  'error_list_moved',
] as const;

export type ErrorMessageKey = (typeof ERROR_MESSAGE_KEYS)[number];

/** The detail the API gives a page cursor that is not one of its own (api/src/http/keyset.ts). */
const BAD_CURSOR = 'cursor.invalid';

const ref = (key: ErrorMessageKey, params?: MessageRef['params']): MessageRef =>
  params ? { key, params } : { key };

/** API codes with one fixed message, and the field they concern (if any). */
const SIMPLE: Record<string, { key: ErrorMessageKey; field?: Field }> = {
  'csrf.origin_mismatch': { key: 'error_csrf' },
  'auth.required': { key: 'error_auth_required' },
  'invite.invalid': { key: 'error_invite_invalid', field: 'inviteCode' },
  'invite.not_found': { key: 'error_invite_not_found' },
  'phone.invalid': { key: 'error_phone_invalid', field: 'phone' },
  'phone.not_mobile': { key: 'error_phone_not_mobile', field: 'phone' },
  'phone.unsupported_country': { key: 'error_phone_unsupported_country', field: 'phone' },
  'sms.unavailable': { key: 'error_sms_unavailable' },
  'otp.code_format': { key: 'error_otp_code_format', field: 'code' },
  'otp.locked': { key: 'error_otp_locked', field: 'code' },
  'otp.expired': { key: 'error_otp_expired', field: 'code' },
  'ticket.invalid': { key: 'error_ticket_invalid' },
  'username.format': { key: 'error_username_format', field: 'username' },
  'username.reserved': { key: 'error_username_reserved', field: 'username' },
  'username.taken': { key: 'error_username_taken', field: 'username' },
  'displayName.too_short': { key: 'error_display_name_too_short', field: 'displayName' },
  'displayName.too_long': { key: 'error_display_name_too_long', field: 'displayName' },
  'displayName.format': { key: 'error_display_name_format', field: 'displayName' },
  'signup.age_required': { key: 'error_age_required', field: 'ageConfirmed' },
  'account.exists': { key: 'error_account_exists' },
  'account.unavailable': { key: 'error_account_unavailable' },
  'passkey.not_verified': { key: 'error_passkey_not_verified' },
  'passkey.ceremony_expired': { key: 'error_passkey_ceremony_expired' },
  'passkey.unknown': { key: 'error_passkey_unknown' },
  'passkey.last': { key: 'error_passkey_last' },
  'passkey.not_found': { key: 'error_passkey_not_found' },
  'recovery.no_account': { key: 'error_recovery_no_account' },
  'bio.too_long': { key: 'error_bio_too_long', field: 'bio' },
  'session.not_found': { key: 'error_session_not_found' },
  'user.not_found': { key: 'error_user_not_found' },
  'follow.self': { key: 'error_follow_self' },
  'network.unreachable': { key: 'error_network' },
  'proxy.api_unreachable': { key: 'error_network' },
  'request.malformed': { key: 'error_request_invalid' },
  'request.unsupported_media_type': { key: 'error_request_invalid' },
  'request.invalid_text': { key: 'error_request_invalid_text' },
  'request.too_large': { key: 'error_request_invalid' },
  'request.rejected': { key: 'error_request_invalid' },
  'route.not_found': { key: 'error_request_invalid' },
  'report.law_required': { key: 'mod_error_law_required' },
  'report.target_required': { key: 'mod_error_target_required' },
  'report.target_not_found': { key: 'mod_error_target_not_found' },
  'report.self': { key: 'mod_error_report_self' },
  'report.not_found': { key: 'mod_error_report_not_found' },
  'report.at_outside_room': { key: 'mod_error_at_outside_room' },
  'appeal.exists': { key: 'mod_error_appeal_exists' },
  'appeal.window_closed': { key: 'mod_error_appeal_window_closed' },
  'appeal.not_found': { key: 'mod_error_appeal_not_found' },
  'appeal.same_moderator': { key: 'mod_error_appeal_same_moderator' },
  'appeal.closed': { key: 'mod_error_appeal_decided' },
  'decision.not_found': { key: 'mod_error_decision_not_found' },
  'mod.forbidden': { key: 'mod_error_forbidden' },
  'mod.already_claimed': { key: 'mod_error_already_claimed' },
  'mod.not_claimed': { key: 'mod_error_not_claimed' },
  'mod.report_closed': { key: 'mod_error_report_closed' },
  'recording.shredded': { key: 'mod_error_recording_shredded' },
  'recording.not_found': { key: 'mod_error_recording_not_found' },
  'playback.invalid': { key: 'mod_error_playback_expired' },
  'staff.user_not_found': { key: 'mod_error_staff_user_not_found' },
  'staff.last_admin': { key: 'mod_error_staff_last_admin' },
  'staff.not_staff': { key: 'mod_error_staff_not_staff' },
  'signup.refused': { key: 'mod_error_signup_refused' },
  'account.suspended': { key: 'mod_error_account_suspended' },
  'account.banned': { key: 'mod_error_account_banned' },
  'mod.conflict_of_interest': { key: 'mod_error_conflict_of_interest' },
  'recording.not_ready': { key: 'mod_error_recording_not_ready' },
  'decision.subject_required': { key: 'mod_error_subject_required' },
  'decision.subject_unrelated': { key: 'mod_error_subject_unrelated' },
  'decision.room_required': { key: 'mod_error_room_required' },
  'decision.room_ended': { key: 'mod_error_room_ended' },
  'decision.duration_required': { key: 'mod_error_duration_required' },
  'decision.subject_banned': { key: 'mod_error_subject_banned' },
  'report.at_requires_room': { key: 'mod_error_at_requires_room' },
};

/** What a validation problem on a field means when the API's message is not one we know. */
const FIELD_FALLBACK: Record<Field, ErrorMessageKey> = {
  inviteCode: 'error_invite_invalid',
  phone: 'error_phone_invalid',
  code: 'error_otp_code_format',
  displayName: 'error_display_name_format',
  username: 'error_username_format',
  ageConfirmed: 'error_age_required',
  bio: 'error_bio_too_long',
  interests: 'error_interests_invalid',
  name: 'error_passkey_name_invalid',
};

/** Request body paths as the API names them → our fields. */
const FIELD_BY_PATH: Record<string, Field> = {
  inviteCode: 'inviteCode',
  phone: 'phone',
  country: 'phone',
  code: 'code',
  displayName: 'displayName',
  username: 'username',
  ageConfirmed: 'ageConfirmed',
  bio: 'bio',
  interests: 'interests',
  name: 'name',
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function numberDetail(failure: ApiFailure, name: string): number | null {
  const first = failure.details[0];
  return isRecord(first) && typeof first[name] === 'number' ? first[name] : null;
}

function wait(failure: ApiFailure): Duration | null {
  return failure.retryAfterSeconds === null ? null : { seconds: failure.retryAfterSeconds };
}

function rateLimited(failure: ApiFailure, key: ErrorMessageKey): MessageRef {
  const time = wait(failure);
  return time ? ref(key, { time }) : ref('error_rate_limited_later');
}

/** `request.invalid`: one message per field from `details: [{ in, path, message }]`. */
function explainValidation(failure: ApiFailure): Explanation {
  // A page link of a list that is no longer valid (cursors are the API's, passed back as they came).
  if (failure.details.some((detail) => isRecord(detail) && detail.message === BAD_CURSOR)) {
    return { fields: {}, summary: ref('error_list_moved') };
  }
  const fields: Explanation['fields'] = {};
  let unplaced = false;
  for (const detail of failure.details) {
    if (!isRecord(detail)) continue;
    const path = typeof detail.path === 'string' ? detail.path.split('.')[0] : '';
    const field = path ? FIELD_BY_PATH[path] : undefined;
    if (!field) {
      unplaced = true;
      continue;
    }
    if (fields[field]) continue;
    const known = typeof detail.message === 'string' ? SIMPLE[detail.message] : undefined;
    fields[field] = ref(known?.key ?? FIELD_FALLBACK[field]);
  }
  const placed = Object.keys(fields).length > 0;
  return { fields, summary: placed && !unplaced ? null : ref('error_request_invalid') };
}

/**
 * Turns any API failure into translated-message references: next to a field when the error is
 * about one, otherwise for the form as a whole. Never exposes the raw code or the API's English.
 */
export function explainFailure(failure: ApiFailure): Explanation {
  const { code } = failure;
  if (code === 'request.invalid') return explainValidation(failure);

  const field = (message: MessageRef, name: Field): Explanation => ({
    fields: { [name]: message },
    summary: null,
  });

  switch (code) {
    case 'otp.wrong_code': {
      const remaining = numberDetail(failure, 'remainingAttempts');
      return field(
        remaining === null ? ref('error_otp_locked') : ref('error_otp_wrong_code', { remaining }),
        'code',
      );
    }
    case 'otp.cooldown':
      return { fields: {}, summary: rateLimited(failure, 'error_otp_cooldown') };
    case 'otp.rate_limited':
      return { fields: {}, summary: rateLimited(failure, 'error_otp_rate_limited') };
    case 'search.rate_limited':
      return { fields: {}, summary: rateLimited(failure, 'error_search_rate_limited') };
    case 'report.rate_limited':
      return { fields: {}, summary: rateLimited(failure, 'mod_error_report_rate_limited') };
    case 'invite.quota': {
      const perMember = numberDetail(failure, 'perMember');
      return { fields: {}, summary: ref('error_invite_quota', { perMember: perMember ?? 0 }) };
    }
  }

  const simple = SIMPLE[code];
  if (simple) {
    const message = ref(simple.key);
    return simple.field ? field(message, simple.field) : { fields: {}, summary: message };
  }
  if (failure.status === 429 || code.endsWith('.rate_limited')) {
    return { fields: {}, summary: rateLimited(failure, 'error_rate_limited') };
  }
  if (failure.status >= 500) {
    return { fields: {}, summary: ref('error_internal', { id: failure.requestId ?? '—' }) };
  }
  return { fields: {}, summary: ref('error_unknown') };
}

/** One message for the whole failure, for places with no field to point at (a button, a list row). */
export function summarizeFailure(failure: ApiFailure): MessageRef {
  const { fields, summary } = explainFailure(failure);
  return summary ?? Object.values(fields)[0] ?? ref('error_unknown');
}
