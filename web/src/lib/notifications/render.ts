import { formatDate } from '$lib/format/date';
import { modNotificationText } from '$lib/moderation/notification-text';
import { isModNotificationKey } from '$lib/moderation/notifications';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import type { NotificationTextKey, NotificationView } from './describe';

type Inputs = { name: string; topic: string; club: string; when: string };

/** The compiled messages, one by one: the type check fails if one is missing. */
const TEXTS = {
  notif_text_room_opened: m.notif_text_room_opened,
  notif_text_room_on_stage: m.notif_text_room_on_stage,
  notif_text_club_room_scheduled: m.notif_text_club_room_scheduled,
  notif_text_club_room_started: m.notif_text_club_room_started,
  notif_text_stage_invited: m.notif_text_stage_invited,
  notif_text_room_invited: m.notif_text_room_invited,
  notif_text_room_reminder: m.notif_text_room_reminder,
  notif_text_follow_new: m.notif_text_follow_new,
  notif_text_club_invited: m.notif_text_club_invited,
  notif_text_club_request: m.notif_text_club_request,
  notif_text_unknown: m.notif_text_unknown,
} satisfies Record<NotificationTextKey, unknown>;

// Each message declares only the inputs it uses; every one of them is among these.
const RENDER = TEXTS as unknown as Record<NotificationTextKey, (inputs: Inputs) => string>;

/**
 * The sentence of a notification in the page's language. `timeZone` is the reader's own unless
 * given (server rendering passes 'UTC', as LocalTime does).
 */
export function notificationText(view: NotificationView, timeZone?: string): string {
  if (isModNotificationKey(view.key)) return modNotificationText(view.key, view.outcome ?? null);
  const locale = getLocale();
  return RENDER[view.key]({
    name: view.actor ?? m.notif_someone(),
    topic: view.topic ?? m.notif_a_room(),
    club: view.club ?? m.notif_a_club(),
    when: view.when ? formatDate(view.when, 'dateTime', locale, timeZone) : m.notif_when_soon(),
  });
}

/** A short word on the room's state, shown next to room notifications. */
export function roomStatusLabel(status: NotificationView['roomStatus']): string | null {
  if (status === 'live') return m.notif_room_live();
  if (status === 'scheduled') return m.notif_room_scheduled();
  if (status === 'ended') return m.notif_room_ended();
  return null;
}
