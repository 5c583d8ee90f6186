import { translate } from '$lib/errors/translate';
import { m } from '$lib/paraglide/messages';
import type { RoomErrorKey, RoomMessage } from './errors';
import type { Reaction, RoomMode, RoomRole } from './types';

type Render = (inputs: Record<string, string | number>) => string;

/** The compiled room error messages, one by one, so the type check fails if one is missing. */
const COMPILED = {
  room_error_not_found: m.room_error_not_found,
  room_error_not_allowed: m.room_error_not_allowed,
  room_error_removed: m.room_error_removed,
  room_error_full: m.room_error_full,
  room_error_ended: m.room_error_ended,
  room_error_not_live: m.room_error_not_live,
  room_error_not_moderator: m.room_error_not_moderator,
  room_error_not_host: m.room_error_not_host,
  room_error_not_present: m.room_error_not_present,
  room_error_host_protected: m.room_error_host_protected,
  room_error_stage_not_invited: m.room_error_stage_not_invited,
  room_error_stage_not_on_stage: m.room_error_stage_not_on_stage,
  room_error_stage_already_on_stage: m.room_error_stage_already_on_stage,
  room_error_stage_other: m.room_error_stage_other,
  room_error_reaction_rate_limited: m.room_error_reaction_rate_limited,
  room_error_reaction_rate_limited_later: m.room_error_reaction_rate_limited_later,
  room_error_nothing_to_change: m.room_error_nothing_to_change,
  room_error_topic_empty: m.room_error_topic_empty,
  room_error_topic_too_long: m.room_error_topic_too_long,
  room_error_schedule_missing: m.room_error_schedule_missing,
  room_error_schedule_in_past: m.room_error_schedule_in_past,
  room_error_schedule_invalid: m.room_error_schedule_invalid,
  room_error_club_missing: m.room_error_club_missing,
  room_error_club_not_found: m.room_error_club_not_found,
  room_error_club_not_host: m.room_error_club_not_host,
  room_error_invitees_missing: m.room_error_invitees_missing,
  room_error_invitees_unknown: m.room_error_invitees_unknown,
  room_error_invitees_format: m.room_error_invitees_format,
  room_error_invitee_unknown: m.room_error_invitee_unknown,
  room_error_interests_too_many: m.room_error_interests_too_many,
  room_error_reminder_too_late: m.room_error_reminder_too_late,
  room_error_not_scheduled: m.room_error_not_scheduled,
} satisfies Record<RoomErrorKey, unknown>;

// Each message declares its own inputs; errors.ts pairs every key with the ones it needs.
const MESSAGES = COMPILED as unknown as Record<RoomErrorKey, Render>;

/** The text of a room message, in the page's language. */
export function roomText(message: RoomMessage): string {
  if ('shared' in message) return translate(message.shared);
  return MESSAGES[message.key](message.params ?? {});
}

export function modeLabel(mode: RoomMode): string {
  return {
    open: m.room_mode_open,
    social: m.room_mode_social,
    closed: m.room_mode_closed,
    club: m.room_mode_club,
  }[mode]();
}

/** Who may come in, said to the person choosing the mode (their follows, their invitations). */
export function modeHint(mode: RoomMode): string {
  return {
    open: m.room_mode_open_hint,
    social: m.room_mode_social_hint,
    closed: m.room_mode_closed_hint,
    club: m.room_mode_club_hint,
  }[mode]();
}

/** Who may come in, said to anyone looking at the room. */
export function modeAbout(mode: RoomMode): string {
  return {
    open: m.room_mode_open_about,
    social: m.room_mode_social_about,
    closed: m.room_mode_closed_about,
    club: m.room_mode_club_about,
  }[mode]();
}

export function roleLabel(role: RoomRole, isHost = false): string {
  if (isHost) return m.room_role_host();
  return { moderator: m.room_role_moderator, speaker: m.room_role_speaker, listener: m.room_role_listener }[
    role
  ]();
}

/** The words for a reaction, for its button's accessible name. */
export function reactionName(emoji: Reaction): string {
  return {
    '👏': m.room_reaction_applause,
    '❤️': m.room_reaction_love,
    '😂': m.room_reaction_laughter,
    '🔥': m.room_reaction_fire,
    '👍': m.room_reaction_thumbs_up,
    '🙌': m.room_reaction_celebration,
  }[emoji]();
}
