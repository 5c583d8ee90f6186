import { clubAdminPath, clubPath } from '$lib/clubs/slug';
import { describeModNotification, type ModNotificationTextKey } from '$lib/moderation/notifications';
import type { DecisionAction } from '$lib/moderation/types';
import { profilePath } from '$lib/session';
import type { Notification } from './types';

/** The message that says what happened, by its key in messages/clubs/*.json. */
export const NOTIFICATION_TEXT_KEYS = [
  'notif_text_room_opened',
  'notif_text_room_on_stage',
  'notif_text_club_room_scheduled',
  'notif_text_club_room_started',
  'notif_text_stage_invited',
  'notif_text_room_invited',
  'notif_text_room_reminder',
  'notif_text_follow_new',
  'notif_text_club_invited',
  'notif_text_club_request',
  'notif_text_unknown',
] as const;

export type NotificationTextKey = (typeof NOTIFICATION_TEXT_KEYS)[number];

/**
 * What a notification says and where it leads, as plain data (render.ts turns it into text).
 * Names are null when the API no longer has them (an account or a club that was deleted): the
 * text then says "someone", "a room" or "a club" instead.
 */
export interface NotificationView {
  /** Moderation notifications use messages/mod/*.json (see $lib/moderation/notifications). */
  key: NotificationTextKey | ModNotificationTextKey;
  /** Moderation only: the decision's outcome the notification names. */
  outcome?: DecisionAction | null;
  actor: string | null;
  topic: string | null;
  club: string | null;
  /** When a scheduled room starts (ISO), for `club.room_scheduled`. */
  when: string | null;
  /** The page it concerns: the room, the profile or the club; null when there is none any more. */
  href: string | null;
  /** The room's state, when it is about a room the API still knows. */
  roomStatus: 'scheduled' | 'live' | 'ended' | null;
}

const ROOM_KEYS: Record<string, NotificationTextKey> = {
  'room.opened': 'notif_text_room_opened',
  'room.on_stage': 'notif_text_room_on_stage',
  'club.room_scheduled': 'notif_text_club_room_scheduled',
  'club.room_started': 'notif_text_club_room_started',
  'stage.invited': 'notif_text_stage_invited',
  'room.invited': 'notif_text_room_invited',
  'room.reminder': 'notif_text_room_reminder',
};

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

function roomStatusOf(status: string | undefined): NotificationView['roomStatus'] {
  return status === 'scheduled' || status === 'live' || status === 'ended' ? status : null;
}

/** The room's page. */
export function roomPath(id: string): string {
  return `/rooms/${encodeURIComponent(id)}`;
}

export function describeNotification(n: Notification): NotificationView {
  const data = (n.data ?? {}) as Record<string, unknown>;
  const view: NotificationView = {
    key: 'notif_text_unknown',
    actor: text(n.actor?.displayName),
    // The room's current topic, or the one it had when the notification was made.
    topic: text(n.room?.topic) ?? text(data.topic),
    club: text(n.club?.name),
    when: null,
    href: null,
    roomStatus: roomStatusOf(n.room?.status),
  };
  const mod = describeModNotification(n.type, data);
  if (mod) return { ...view, key: mod.key, href: mod.href, outcome: mod.action };
  const roomKey = ROOM_KEYS[n.type];
  if (roomKey) {
    view.key = roomKey;
    if (n.type === 'club.room_scheduled') view.when = text(data.scheduledFor);
    view.href = n.room
      ? roomPath(n.room.id)
      : n.club
        ? clubPath(n.club.slug)
        : n.actor
          ? profilePath(n.actor.username)
          : null;
    return view;
  }
  switch (n.type) {
    case 'follow.new':
      view.key = 'notif_text_follow_new';
      view.href = n.actor ? profilePath(n.actor.username) : null;
      break;
    case 'club.invited':
      view.key = 'notif_text_club_invited';
      view.href = n.club ? clubPath(n.club.slug) : null;
      break;
    case 'club.request':
      // Admins answer requests on the club's administration page.
      view.key = 'notif_text_club_request';
      view.href = n.club ? `${clubAdminPath(n.club.slug)}#requests` : null;
      break;
  }
  return view;
}
