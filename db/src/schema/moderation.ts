import { bigint, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { rooms } from './rooms';
import { users } from './users';

export const staffRoles = ['moderator', 'admin'] as const;
export type StaffRole = (typeof staffRoles)[number];

/** Salon's own trust-and-safety staff (not room moderators). Granted by the CLI or an admin, audited. */
export const staff = pgTable('staff', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  role: text('role', { enum: staffRoles }).notNull(),
  /** Null when granted from the command line by the operator. */
  grantedBy: uuid('granted_by').references(() => users.id, { onDelete: 'set null' }),
  grantedAt: timestamp('granted_at', { withTimezone: true }).notNull(),
});

export const recordingStatuses = ['recording', 'complete', 'failed', 'shredded'] as const;

/**
 * One encrypted recording per speaker track (DESIGN §1.4). The file holds Ogg Opus sealed with
 * secretstream under its own key; only the wrapped key is stored, and destroying it at
 * `expires_at` makes the file (and every backup of it) unreadable.
 */
export const recordings = pgTable(
  'recordings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    roomId: uuid('room_id')
      .notNull()
      .references(() => rooms.id, { onDelete: 'cascade' }),
    speakerId: uuid('speaker_id').references(() => users.id, { onDelete: 'set null' }),
    trackSid: text('track_sid').notNull(),
    status: text('status', { enum: recordingStatuses }).notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    /** Bytes of the sealed file. */
    sizeBytes: bigint('size_bytes', { mode: 'number' }).notNull().default(0),
    /** BLAKE2b-256 of the plaintext Ogg stream, checked on playback. */
    contentHash: text('content_hash'),
    /** The recording's stream key wrapped by the key-encryption key; null once shredded. */
    wrappedKey: text('wrapped_key'),
    kekId: text('kek_id').notNull(),
    /** File name under DATA_DIR/recordings/. */
    file: text('file').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    shreddedAt: timestamp('shredded_at', { withTimezone: true }),
  },
  (t) => [
    index('recordings_room_idx').on(t.roomId, t.startedAt),
    index('recordings_expires_idx').on(t.expiresAt),
  ],
);

export const reportCategories = [
  'illegal',
  'harassment',
  'hate',
  'violence',
  'sexual',
  'spam_scam',
  'impersonation',
  'other',
] as const;
export type ReportCategory = (typeof reportCategories)[number];
export const reportStatuses = ['open', 'decided'] as const;

/** A notice (DSA art. 16) about a room or a person, from a member. */
export const reports = pgTable(
  'reports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    reporterId: uuid('reporter_id').references(() => users.id, { onDelete: 'set null' }),
    roomId: uuid('room_id').references(() => rooms.id, { onDelete: 'set null' }),
    /** The person reported (for a room report: optional, e.g. a speaker). */
    subjectId: uuid('subject_id').references(() => users.id, { onDelete: 'set null' }),
    category: text('category', { enum: reportCategories }).notNull(),
    /** For illegal content: which law the reporter believes is broken. */
    law: text('law'),
    description: text('description').notNull(),
    /** The moment in the room the report is about. */
    at: timestamp('at', { withTimezone: true }),
    status: text('status', { enum: reportStatuses }).notNull().default('open'),
    claimedBy: uuid('claimed_by').references(() => users.id, { onDelete: 'set null' }),
    claimedAt: timestamp('claimed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
  },
  (t) => [
    index('reports_status_idx').on(t.status, t.createdAt),
    index('reports_room_idx').on(t.roomId),
    index('reports_reporter_idx').on(t.reporterId),
  ],
);

export const decisionActions = ['dismiss', 'warn', 'remove_from_room', 'end_room', 'suspend', 'ban'] as const;
export type DecisionAction = (typeof decisionActions)[number];
export const decisionGrounds = ['law', 'terms'] as const;

/** A moderation decision and its statement of reasons (DSA art. 17). */
export const decisions = pgTable(
  'decisions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    reportId: uuid('report_id').references(() => reports.id, { onDelete: 'set null' }),
    /** The person the decision is about (null for a dismissal without a person). */
    subjectId: uuid('subject_id').references(() => users.id, { onDelete: 'set null' }),
    roomId: uuid('room_id').references(() => rooms.id, { onDelete: 'set null' }),
    moderatorId: uuid('moderator_id').references(() => users.id, { onDelete: 'set null' }),
    action: text('action', { enum: decisionActions }).notNull(),
    /** Statement of reasons: the facts and circumstances relied on. */
    facts: text('facts').notNull(),
    ground: text('ground', { enum: decisionGrounds }).notNull(),
    /** The law or the clause of the terms relied on. */
    groundDetail: text('ground_detail').notNull(),
    /** Scope of the measure (e.g. this room, the whole account). */
    scope: text('scope').notNull(),
    /** For a suspension: when it ends. */
    endsAt: timestamp('ends_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    /** Appeals are open until then (six months, DSA art. 20). */
    appealUntil: timestamp('appeal_until', { withTimezone: true }).notNull(),
  },
  (t) => [index('decisions_subject_idx').on(t.subjectId), index('decisions_report_idx').on(t.reportId)],
);

export const appealStatuses = ['open', 'upheld', 'reversed'] as const;

/** An appeal against a decision (DSA art. 20), decided by a different moderator. */
export const appeals = pgTable(
  'appeals',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    decisionId: uuid('decision_id')
      .notNull()
      .references(() => decisions.id, { onDelete: 'cascade' }),
    appellantId: uuid('appellant_id').references(() => users.id, { onDelete: 'set null' }),
    text: text('text').notNull(),
    status: text('status', { enum: appealStatuses }).notNull().default('open'),
    decidedBy: uuid('decided_by').references(() => users.id, { onDelete: 'set null' }),
    outcome: text('outcome'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
  },
  (t) => [index('appeals_decision_idx').on(t.decisionId), index('appeals_status_idx').on(t.status)],
);

/**
 * Banned phone numbers, by keyed hash only: deleting the account cannot be used to come back.
 * Kept on purpose after erasure (see policies/data-map.yaml).
 */
export const bans = pgTable('bans', {
  phoneHash: text('phone_hash').primaryKey(),
  phoneKeyVersion: integer('phone_key_version').notNull(),
  decisionId: uuid('decision_id').references(() => decisions.id, { onDelete: 'set null' }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
});
