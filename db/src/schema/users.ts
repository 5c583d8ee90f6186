import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

export const userStatus = ['active', 'deactivated', 'suspended', 'banned'] as const;
export type UserStatus = (typeof userStatus)[number];
export const locales = ['fr', 'en'] as const;

/**
 * A member. Deliberately small (DESIGN §1.3): no email, birth date, gender, location, avatar,
 * IP history or device fingerprint. The phone number exists only as a keyed hash.
 */
export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Lower-case a–z, 0–9 and _; the canonical form is the only form. */
    username: text('username').notNull(),
    displayName: text('display_name').notNull(),
    /** Display name and username folded to lower case without accents, for prefix search. */
    searchName: text('search_name').notNull(),
    bio: text('bio').notNull().default(''),
    interests: text('interests').array().notNull().default(sql`'{}'::text[]`),
    locale: text('locale', { enum: locales }).notNull().default('fr'),
    phoneHash: text('phone_hash').notNull(),
    phoneKeyVersion: integer('phone_key_version').notNull(),
    /** Random WebAuthn user handle: what authenticators store, so it carries no personal data. */
    webauthnUserId: text('webauthn_user_id').notNull(),
    /** Only the moment of the 18+ statement is kept, never a birth date. */
    adultAttestedAt: timestamp('adult_attested_at', { withTimezone: true }).notNull(),
    status: text('status', { enum: userStatus }).notNull().default('active'),
    /** For a suspended account: when the suspension ends (a moderation decision). */
    suspendedUntil: timestamp('suspended_until', { withTimezone: true }),
    notificationSettings: jsonb('notification_settings').notNull().default({}),
    invitedBy: uuid('invited_by').references((): AnyPgColumn => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('users_username_idx').on(t.username),
    uniqueIndex('users_phone_hash_idx').on(t.phoneHash),
    uniqueIndex('users_webauthn_user_id_idx').on(t.webauthnUserId),
    index('users_search_name_idx').on(sql`${t.searchName} text_pattern_ops`),
    // Search matches the start of any word ("% martin%"), which a b-tree cannot: trigrams can,
    // so a rare name is found without reading every member.
    index('users_search_name_trgm_idx').using('gin', sql`${t.searchName} gin_trgm_ops`),
  ],
);

export const follows = pgTable(
  'follows',
  {
    followerId: uuid('follower_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    followeeId: uuid('followee_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.followerId, t.followeeId] }),
    index('follows_followee_idx').on(t.followeeId),
  ],
);
