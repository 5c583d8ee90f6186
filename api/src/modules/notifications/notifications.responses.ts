import { notificationTypes, roomStatuses } from '@salon/db/schema';
import { z } from 'zod';

/** `present()` in notifications.service.ts: one notification, with who and what it is about. */
export const notificationView = z.object({
  id: z.uuid(),
  type: z.enum(notificationTypes),
  createdAt: z.iso.datetime(),
  read: z.boolean(),
  actor: z.object({ username: z.string(), displayName: z.string() }).nullable(),
  room: z.object({ id: z.uuid(), topic: z.string(), status: z.enum(roomStatuses) }).nullable(),
  club: z.object({ slug: z.string(), name: z.string() }).nullable(),
  /** What this type of notification says of its own (e.g. a decision's action). */
  data: z.record(z.string(), z.unknown()),
});

export const notificationsPage = z.object({
  notifications: z.array(notificationView),
  unread: z.number().int().min(0),
  /** Pass as `cursor` for older ones; null on the last page. */
  nextCursor: z.string().nullable(),
});

export const unreadCount = z.object({ unread: z.number().int().min(0) });

/** `mutedNames()`: whom the settings mute, by name; accounts gone or hidden are left out. */
export const mutesResponse = z.object({
  people: z.array(z.object({ id: z.uuid(), username: z.string(), displayName: z.string() })),
  clubs: z.array(z.object({ id: z.uuid(), slug: z.string(), name: z.string() })),
});
