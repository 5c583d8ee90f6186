import type { RoomErrorKey } from './errors';
import { TOPIC_MAX } from './types';

/** The topic as the API will store it: NFC, runs of white space collapsed, trimmed. */
export function normaliseTopic(topic: string): string {
  return topic.normalize('NFC').replace(/\s+/g, ' ').trim();
}

export function checkTopic(topic: string): RoomErrorKey | null {
  const length = normaliseTopic(topic).length;
  if (length === 0) return 'room_error_topic_empty';
  if (length > TOPIC_MAX) return 'room_error_topic_too_long';
  return null;
}

/**
 * A `datetime-local` value (the reader's wall clock, no zone) as an ISO instant, checked to be in
 * the future. `new Date('2026-11-21T12:00')` reads it in the browser's own time zone.
 */
export function checkSchedule(value: string, now: Date): { iso: string } | { problem: RoomErrorKey } {
  if (!value.trim()) return { problem: 'room_error_schedule_missing' };
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value)) {
    return { problem: 'room_error_schedule_invalid' };
  }
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return { problem: 'room_error_schedule_invalid' };
  if (date.getTime() <= now.getTime()) return { problem: 'room_error_schedule_in_past' };
  return { iso: date.toISOString() };
}

/** A date as a `datetime-local` value in the browser's time zone, to the minute. */
export function localDateTimeValue(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

const USERNAME = /^[a-z0-9_]{3,30}$/;
export const INVITEES_MAX = 50;

export type InviteeCheck = { usernames: string[] } | { problem: RoomErrorKey };

/**
 * The @usernames typed for a closed room: separated by spaces, commas or new lines, with or
 * without their @, in any case; duplicates dropped. At least one is needed.
 */
export function parseInvitees(text: string): InviteeCheck {
  const names = text
    .split(/[\s,;]+/)
    .map((word) => word.replace(/^@+/, '').toLowerCase())
    .filter(Boolean);
  if (names.length === 0) return { problem: 'room_error_invitees_missing' };
  if (names.some((name) => !USERNAME.test(name))) return { problem: 'room_error_invitees_format' };
  const usernames = [...new Set(names)];
  if (usernames.length > INVITEES_MAX) return { problem: 'room_error_invitees_format' };
  return { usernames };
}

/** One @username typed to let someone into a closed room, or null when it cannot be one. */
export function parseUsername(text: string): string | null {
  const name = text.trim().replace(/^@+/, '').toLowerCase();
  return USERNAME.test(name) ? name : null;
}
