import { sql } from 'drizzle-orm';
import { boolean, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './users';

export const notificationTypes = [
  'room.opened',
  'room.on_stage',
  'club.room_scheduled',
  'club.room_started',
  'stage.invited',
  'room.invited',
  /** A scheduled room the member asked to be reminded of starts in ten minutes. */
  'room.reminder',
  'follow.new',
  'club.invited',
  'club.request',
  'export.ready',
  // Moderation (DSA art. 16, 17, 20): acknowledgement, outcome, decisions and appeals.
  'report.received',
  'report.decided',
  'decision.made',
  'appeal.decided',
] as const;
export type NotificationType = (typeof notificationTypes)[number];

/** In-app notifications. Kept 30 days (policies/). */
export const notifications = pgTable(
  'notifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    type: text('type', { enum: notificationTypes }).notNull(),
    actorId: uuid('actor_id').references(() => users.id, { onDelete: 'cascade' }),
    roomId: uuid('room_id'),
    clubId: uuid('club_id'),
    data: jsonb('data').notNull().default({}),
    /** Arrived during quiet hours or a pause: listed, but not announced live. */
    silent: boolean('silent').notNull().default(false),
    /** Makes fan-out idempotent and caps repeats (e.g. one per person per half-day for rooms). */
    dedupeKey: text('dedupe_key').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    readAt: timestamp('read_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('notifications_dedupe_idx').on(t.userId, t.dedupeKey),
    index('notifications_user_idx').on(t.userId, t.createdAt),
    index('notifications_unread_idx').on(t.userId).where(sql`${t.readAt} is null`),
  ],
);
