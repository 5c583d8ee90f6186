import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { clubs } from './clubs';
import { users } from './users';

export const roomModes = ['open', 'social', 'closed', 'club'] as const;
export type RoomMode = (typeof roomModes)[number];
export const roomStatuses = ['scheduled', 'live', 'ended'] as const;
export const roomRoles = ['moderator', 'speaker', 'listener'] as const;
export type RoomRole = (typeof roomRoles)[number];

export const rooms = pgTable(
  'rooms',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    hostId: uuid('host_id').references(() => users.id, { onDelete: 'set null' }),
    topic: text('topic').notNull(),
    mode: text('mode', { enum: roomModes }).notNull(),
    /** Set for club rooms; a deleted club leaves its past rooms without a club (and closed to all). */
    clubId: uuid('club_id').references(() => clubs.id, { onDelete: 'set null' }),
    status: text('status', { enum: roomStatuses }).notNull(),
    scheduledFor: timestamp('scheduled_for', { withTimezone: true }),
    recurrence: text('recurrence', { enum: ['weekly'] }),
    /** Occurrences of one recurring show share a series id. */
    seriesId: uuid('series_id'),
    capacity: integer('capacity').notNull(),
    interests: text('interests').array().notNull().default(sql`'{}'::text[]`),
    /** Audio is recorded for moderation while this is on; people are told before joining. */
    recording: boolean('recording').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    /** When the last person left a live room; it ends after the empty-room timeout. */
    emptySince: timestamp('empty_since', { withTimezone: true }),
    /**
     * How many people are in the room now. Kept by the database (trigger room_presence_changed, in
     * db/migrations) on every change to room_participants; the trigger also refuses to let anyone
     * in beyond `capacity`, into a room that is not live, or after a removal.
     */
    presentCount: integer('present_count').notNull().default(0),
    /**
     * The room's size class: the count itself up to 31, then one class per ~9% of growth. The
     * hallway's size index uses it instead of the count, so a join rewrites the index only when
     * the room changes class (about 90 times on the way to 5,000) and otherwise updates the row
     * in place (a HOT update, no index touched).
     */
    sizeRank: smallint('size_rank').notNull().default(0),
  },
  (t) => [
    index('rooms_status_idx').on(t.status, t.scheduledFor),
    index('rooms_host_idx').on(t.hostId),
    // The hallway's candidate sets: open rooms by size, rooms of one's clubs, rooms by interest.
    index('rooms_live_open_size_idx')
      .on(t.sizeRank.desc())
      .where(sql`${t.status} = 'live' and ${t.mode} = 'open'`),
    index('rooms_live_club_idx').on(t.clubId).where(sql`${t.status} = 'live'`),
    index('rooms_live_interests_idx').using('gin', t.interests).where(sql`${t.status} = 'live'`),
  ],
);

/** One row per person per room: their role, whether they are in it now, hand and invitation. */
export const roomParticipants = pgTable(
  'room_participants',
  {
    roomId: uuid('room_id')
      .notNull()
      .references(() => rooms.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role', { enum: roomRoles }).notNull(),
    present: boolean('present').notNull(),
    joinedAt: timestamp('joined_at', { withTimezone: true }).notNull(),
    leftAt: timestamp('left_at', { withTimezone: true }),
    handRaisedAt: timestamp('hand_raised_at', { withTimezone: true }),
    /** A moderator invited this listener to speak; they are on stage only once they accept. */
    invitedAt: timestamp('invited_at', { withTimezone: true }),
    stageSince: timestamp('stage_since', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.roomId, t.userId] }),
    index('room_participants_user_idx').on(t.userId),
    // Who is on a stage right now: the hallway's "people you follow on stage".
    index('room_participants_on_stage_idx')
      .on(t.userId, t.roomId)
      .where(sql`${t.present} and ${t.role} <> 'listener'`),
  ],
);

/** Who may enter a closed room. */
export const roomInvites = pgTable(
  'room_invites',
  {
    roomId: uuid('room_id')
      .notNull()
      .references(() => rooms.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    invitedBy: uuid('invited_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.roomId, t.userId] }), index('room_invites_user_idx').on(t.userId)],
);

/** People removed from a room by a moderator: they cannot come back to it. */
export const roomRemovals = pgTable(
  'room_removals',
  {
    roomId: uuid('room_id')
      .notNull()
      .references(() => rooms.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    removedBy: uuid('removed_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.roomId, t.userId] })],
);

/**
 * Members who asked to be reminded of a scheduled room, ten minutes before it starts. A row goes
 * once the reminder is sent, when the room starts or ends, or when the member withdraws it.
 */
export const roomReminders = pgTable(
  'room_reminders',
  {
    roomId: uuid('room_id')
      .notNull()
      .references(() => rooms.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.roomId, t.userId] }), index('room_reminders_user_idx').on(t.userId)],
);

/**
 * The room's timeline: joins, stage changes, hands, mode and topic changes, removals, end.
 * It feeds the live stream (its id is the stream's event id) and the moderators' review.
 */
export const roomEvents = pgTable(
  'room_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    roomId: uuid('room_id')
      .notNull()
      .references(() => rooms.id, { onDelete: 'cascade' }),
    at: timestamp('at', { withTimezone: true }).notNull(),
    type: text('type').notNull(),
    actorId: uuid('actor_id'),
    subjectId: uuid('subject_id'),
    data: jsonb('data').notNull().default({}),
  },
  (t) => [index('room_events_room_idx').on(t.roomId, t.id)],
);

export const reactionEmojis = ['👏', '❤️', '😂', '🔥', '👍', '🙌'] as const;

export const roomReactions = pgTable(
  'room_reactions',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    roomId: uuid('room_id')
      .notNull()
      .references(() => rooms.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    emoji: text('emoji').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [index('room_reactions_room_idx').on(t.roomId, t.id)],
);

/** LiveKit webhook deliveries already handled (LiveKit retries; handling must be idempotent). */
export const livekitWebhookEvents = pgTable('livekit_webhook_events', {
  id: text('id').primaryKey(),
  event: text('event').notNull(),
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
});
