import type { ApiFailure } from '$lib/api';
import { type MessageRef, summarizeFailure } from '$lib/errors/explain';

/**
 * Room errors as messages of messages/rooms/{en,fr}.json. Like $lib/errors/explain.ts this is
 * plain data (checked against both files by errors.test.ts); ./messages.ts renders it. Codes
 * that are not about rooms fall through to the shared explanation.
 */
export const ROOM_ERROR_KEYS = [
  'room_error_not_found',
  'room_error_not_allowed',
  'room_error_removed',
  'room_error_full',
  'room_error_ended',
  'room_error_not_live',
  'room_error_not_moderator',
  'room_error_not_host',
  'room_error_not_present',
  'room_error_host_protected',
  'room_error_stage_not_invited',
  'room_error_stage_not_on_stage',
  'room_error_stage_already_on_stage',
  'room_error_stage_other',
  'room_error_reaction_rate_limited',
  'room_error_reaction_rate_limited_later',
  'room_error_nothing_to_change',
  'room_error_reminder_too_late',
  'room_error_not_scheduled',
  'room_error_topic_empty',
  'room_error_topic_too_long',
  'room_error_schedule_missing',
  'room_error_schedule_in_past',
  'room_error_schedule_invalid',
  'room_error_club_missing',
  'room_error_club_not_found',
  'room_error_club_not_host',
  'room_error_invitees_missing',
  'room_error_invitees_unknown',
  'room_error_invitees_format',
  'room_error_invitee_unknown',
  'room_error_interests_too_many',
] as const;

export type RoomErrorKey = (typeof ROOM_ERROR_KEYS)[number];

/** A room message, or one of the shared error messages for everything else. */
export type RoomMessage =
  | { key: RoomErrorKey; params?: Record<string, string | number> }
  | { shared: MessageRef };

/** Fields of the room forms an error can point at. */
export type RoomField = 'topic' | 'mode' | 'club' | 'schedule' | 'interests' | 'invitees' | 'username';

export interface RoomExplanation {
  fields: Partial<Record<RoomField, RoomMessage>>;
  summary: RoomMessage | null;
}

const SIMPLE: Record<string, { key: RoomErrorKey; field?: RoomField }> = {
  'room.not_found': { key: 'room_error_not_found' },
  'room.not_allowed': { key: 'room_error_not_allowed' },
  'room.removed': { key: 'room_error_removed' },
  'room.ended': { key: 'room_error_ended' },
  'room.not_live': { key: 'room_error_not_live' },
  'room.not_moderator': { key: 'room_error_not_moderator' },
  'room.not_host': { key: 'room_error_not_host' },
  'room.not_present': { key: 'room_error_not_present' },
  'room.host_protected': { key: 'room_error_host_protected' },
  'request.nothing_to_change': { key: 'room_error_nothing_to_change' },
  'room.reminder_too_late': { key: 'room_error_reminder_too_late' },
  'room.not_scheduled': { key: 'room_error_not_scheduled' },
  'room.schedule_in_past': { key: 'room_error_schedule_in_past', field: 'schedule' },
  'stage.not_invited': { key: 'room_error_stage_not_invited' },
  'stage.not_on_stage': { key: 'room_error_stage_not_on_stage' },
  'stage.already_on_stage': { key: 'room_error_stage_already_on_stage' },
  'club.not_found': { key: 'room_error_club_not_found', field: 'club' },
  'club.not_host': { key: 'room_error_club_not_host', field: 'club' },
  'topic.empty': { key: 'room_error_topic_empty', field: 'topic' },
  'topic.too_long': { key: 'room_error_topic_too_long', field: 'topic' },
  'user.not_found': { key: 'room_error_invitee_unknown', field: 'username' },
};

/** Body paths as the API names them → form fields, and what a problem there means by default. */
const FIELDS: Record<string, { field: RoomField; fallback: RoomErrorKey | null }> = {
  topic: { field: 'topic', fallback: 'room_error_topic_empty' },
  mode: { field: 'mode', fallback: null },
  clubId: { field: 'club', fallback: 'room_error_club_not_found' },
  scheduledFor: { field: 'schedule', fallback: 'room_error_schedule_invalid' },
  recurrence: { field: 'schedule', fallback: 'room_error_schedule_invalid' },
  interests: { field: 'interests', fallback: 'room_error_interests_too_many' },
  invitees: { field: 'invitees', fallback: 'room_error_invitees_format' },
  username: { field: 'username', fallback: 'room_error_invitee_unknown' },
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const ref = (key: RoomErrorKey, params?: Record<string, string | number>): RoomMessage =>
  params ? { key, params } : { key };

const shared = (failure: ApiFailure): RoomMessage => ({ shared: summarizeFailure(failure) });

function explainValidation(failure: ApiFailure): RoomExplanation {
  const fields: RoomExplanation['fields'] = {};
  let unplaced: RoomMessage | null = null;
  for (const detail of failure.details) {
    if (!isRecord(detail)) continue;
    const message = typeof detail.message === 'string' ? detail.message : '';
    const known = SIMPLE[message];
    const path = typeof detail.path === 'string' ? (detail.path.split('.')[0] ?? '') : '';
    const target = FIELDS[path];
    if (!target) {
      unplaced ??= known ? ref(known.key) : null;
      continue;
    }
    if (fields[target.field]) continue;
    const key = known?.key ?? target.fallback;
    if (key) fields[target.field] = ref(key);
    else unplaced ??= shared(failure);
  }
  const placed = Object.keys(fields).length > 0;
  if (unplaced) return { fields, summary: unplaced };
  return { fields, summary: placed ? null : shared(failure) };
}

/** Turns an API failure from a room call into messages: next to a field, or for the whole. */
export function explainRoomFailure(failure: ApiFailure): RoomExplanation {
  if (failure.code === 'request.invalid') return explainValidation(failure);
  if (failure.code === 'room.full') {
    const first = failure.details[0];
    const capacity = isRecord(first) && typeof first.capacity === 'number' ? first.capacity : 0;
    return { fields: {}, summary: ref('room_error_full', { capacity }) };
  }
  if (failure.code === 'reaction.rate_limited') {
    const seconds = failure.retryAfterSeconds;
    return {
      fields: {},
      summary:
        seconds === null
          ? ref('room_error_reaction_rate_limited_later')
          : ref('room_error_reaction_rate_limited', { seconds: Math.max(1, seconds) }),
    };
  }
  const simple = SIMPLE[failure.code];
  if (simple) {
    return simple.field
      ? { fields: { [simple.field]: ref(simple.key) }, summary: null }
      : { fields: {}, summary: ref(simple.key) };
  }
  if (failure.code.startsWith('stage.')) return { fields: {}, summary: ref('room_error_stage_other') };
  return { fields: {}, summary: shared(failure) };
}

/** One message for the whole failure (a button, a menu action). */
export function summarizeRoomFailure(failure: ApiFailure): RoomMessage {
  const { fields, summary } = explainRoomFailure(failure);
  return summary ?? Object.values(fields)[0] ?? shared(failure);
}
