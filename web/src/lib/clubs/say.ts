import type { MessageRef } from '$lib/errors/explain';
import { translate } from '$lib/errors/translate';
import { m } from '$lib/paraglide/messages';
import type { ClubErrorKey, ClubMessage } from './errors';

/** The compiled club error messages, one by one: the type check fails if one is missing. */
const CLUB_ERRORS = {
  club_error_not_found: m.club_error_not_found,
  club_error_slug_taken: m.club_error_slug_taken,
  club_error_slug_format: m.club_error_slug_format,
  club_error_slug_reserved: m.club_error_slug_reserved,
  club_error_slug_empty: m.club_error_slug_empty,
  club_error_name_too_short: m.club_error_name_too_short,
  club_error_name_too_long: m.club_error_name_too_long,
  club_error_description_too_long: m.club_error_description_too_long,
  club_error_rules_too_long: m.club_error_rules_too_long,
  club_error_not_admin: m.club_error_not_admin,
  club_error_not_host: m.club_error_not_host,
  club_error_invite_only: m.club_error_invite_only,
  club_error_last_admin: m.club_error_last_admin,
  club_error_member_not_found: m.club_error_member_not_found,
  club_error_username_unknown: m.club_error_username_unknown,
  club_error_username_format: m.club_error_username_format,
  club_error_confirm_mismatch: m.club_error_confirm_mismatch,
} satisfies Record<ClubErrorKey, () => string>;

function isClubKey(key: string): key is ClubErrorKey {
  return Object.hasOwn(CLUB_ERRORS, key);
}

/** The text of a club message or of a shared error message, in the page's language. */
export function say(message: ClubMessage): string {
  return isClubKey(message.key) ? CLUB_ERRORS[message.key]() : translate(message as MessageRef);
}
