import { formatDuration } from '$lib/format/duration';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import type { ErrorMessageKey, MessageRef } from './explain';

type Render = (inputs: Record<string, string | number>) => string;

/**
 * The compiled messages explain.ts can name, listed one by one: the type check fails if one is
 * missing, and the bundler keeps only these instead of the whole catalogue.
 */
const COMPILED = {
  error_network: m.error_network,
  error_internal: m.error_internal,
  error_unknown: m.error_unknown,
  error_request_invalid: m.error_request_invalid,
  error_request_invalid_text: m.error_request_invalid_text,
  error_rate_limited: m.error_rate_limited,
  error_rate_limited_later: m.error_rate_limited_later,
  error_csrf: m.error_csrf,
  error_auth_required: m.error_auth_required,
  error_invite_invalid: m.error_invite_invalid,
  error_invite_quota: m.error_invite_quota,
  error_invite_not_found: m.error_invite_not_found,
  error_phone_invalid: m.error_phone_invalid,
  error_phone_not_mobile: m.error_phone_not_mobile,
  error_phone_unsupported_country: m.error_phone_unsupported_country,
  error_otp_cooldown: m.error_otp_cooldown,
  error_otp_rate_limited: m.error_otp_rate_limited,
  error_sms_unavailable: m.error_sms_unavailable,
  error_otp_code_format: m.error_otp_code_format,
  error_otp_wrong_code: m.error_otp_wrong_code,
  error_otp_locked: m.error_otp_locked,
  error_otp_expired: m.error_otp_expired,
  error_ticket_invalid: m.error_ticket_invalid,
  error_username_format: m.error_username_format,
  error_username_reserved: m.error_username_reserved,
  error_username_taken: m.error_username_taken,
  error_display_name_too_short: m.error_display_name_too_short,
  error_display_name_too_long: m.error_display_name_too_long,
  error_display_name_format: m.error_display_name_format,
  error_age_required: m.error_age_required,
  error_account_exists: m.error_account_exists,
  error_account_unavailable: m.error_account_unavailable,
  error_passkey_not_verified: m.error_passkey_not_verified,
  error_passkey_ceremony_expired: m.error_passkey_ceremony_expired,
  error_passkey_unknown: m.error_passkey_unknown,
  error_passkey_last: m.error_passkey_last,
  error_passkey_not_found: m.error_passkey_not_found,
  error_passkey_name_invalid: m.error_passkey_name_invalid,
  error_recovery_no_account: m.error_recovery_no_account,
  error_bio_too_long: m.error_bio_too_long,
  error_interests_invalid: m.error_interests_invalid,
  error_session_not_found: m.error_session_not_found,
  error_user_not_found: m.error_user_not_found,
  error_follow_self: m.error_follow_self,
  error_search_rate_limited: m.error_search_rate_limited,
  mod_error_law_required: m.mod_error_law_required,
  mod_error_target_required: m.mod_error_target_required,
  mod_error_target_not_found: m.mod_error_target_not_found,
  mod_error_report_self: m.mod_error_report_self,
  mod_error_report_rate_limited: m.mod_error_report_rate_limited,
  mod_error_report_not_found: m.mod_error_report_not_found,
  mod_error_at_outside_room: m.mod_error_at_outside_room,
  mod_error_appeal_exists: m.mod_error_appeal_exists,
  mod_error_appeal_window_closed: m.mod_error_appeal_window_closed,
  mod_error_appeal_not_found: m.mod_error_appeal_not_found,
  mod_error_appeal_same_moderator: m.mod_error_appeal_same_moderator,
  mod_error_appeal_decided: m.mod_error_appeal_decided,
  mod_error_decision_not_found: m.mod_error_decision_not_found,
  mod_error_forbidden: m.mod_error_forbidden,
  mod_error_already_claimed: m.mod_error_already_claimed,
  mod_error_not_claimed: m.mod_error_not_claimed,
  mod_error_report_closed: m.mod_error_report_closed,
  mod_error_recording_shredded: m.mod_error_recording_shredded,
  mod_error_recording_not_found: m.mod_error_recording_not_found,
  mod_error_playback_expired: m.mod_error_playback_expired,
  mod_error_staff_user_not_found: m.mod_error_staff_user_not_found,
  mod_error_staff_last_admin: m.mod_error_staff_last_admin,
  mod_error_staff_not_staff: m.mod_error_staff_not_staff,
  mod_error_signup_refused: m.mod_error_signup_refused,
  mod_error_account_suspended: m.mod_error_account_suspended,
  mod_error_account_banned: m.mod_error_account_banned,
  mod_error_conflict_of_interest: m.mod_error_conflict_of_interest,
  mod_error_recording_not_ready: m.mod_error_recording_not_ready,
  mod_error_subject_required: m.mod_error_subject_required,
  mod_error_subject_unrelated: m.mod_error_subject_unrelated,
  mod_error_room_required: m.mod_error_room_required,
  mod_error_room_ended: m.mod_error_room_ended,
  mod_error_duration_required: m.mod_error_duration_required,
  mod_error_subject_banned: m.mod_error_subject_banned,
  mod_error_at_requires_room: m.mod_error_at_requires_room,
  error_list_moved: m.error_list_moved,
} satisfies Record<ErrorMessageKey, unknown>;

// Each message declares its own inputs; explain.ts pairs every key with the ones it needs.
const MESSAGES = COMPILED as unknown as Record<ErrorMessageKey, Render>;

/** The text of a message reference, in the page's language. */
export function translate(message: MessageRef): string {
  const locale = getLocale();
  const inputs: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(message.params ?? {})) {
    inputs[name] = typeof value === 'object' ? formatDuration(value.seconds, locale) : value;
  }
  return MESSAGES[message.key](inputs);
}
