import { index, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './users';

export const clubJoinPolicies = ['open', 'approval', 'invite'] as const;
export const clubRoomVisibilities = ['members', 'followers'] as const;
export const clubRoles = ['admin', 'leader', 'member'] as const;
export type ClubRole = (typeof clubRoles)[number];
export const clubMemberStatuses = ['active', 'pending', 'invited'] as const;

export const clubs = pgTable(
  'clubs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Lower-case a–z, 0–9 and -, used in the club's link. */
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    /** Name folded without accents, for prefix search. */
    searchName: text('search_name').notNull(),
    description: text('description').notNull().default(''),
    rules: text('rules').notNull().default(''),
    joinPolicy: text('join_policy', { enum: clubJoinPolicies }).notNull(),
    /** Who may enter the club's rooms: members only, or followers too. */
    roomVisibility: text('room_visibility', { enum: clubRoomVisibilities }).notNull(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('clubs_slug_idx').on(t.slug), index('clubs_search_name_idx').on(t.searchName)],
);

/** Membership, requests to join (pending) and invitations (invited). */
export const clubMembers = pgTable(
  'club_members',
  {
    clubId: uuid('club_id')
      .notNull()
      .references(() => clubs.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role', { enum: clubRoles }).notNull(),
    status: text('status', { enum: clubMemberStatuses }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.clubId, t.userId] }), index('club_members_user_idx').on(t.userId)],
);

export const clubFollowers = pgTable(
  'club_followers',
  {
    clubId: uuid('club_id')
      .notNull()
      .references(() => clubs.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.clubId, t.userId] }), index('club_followers_user_idx').on(t.userId)],
);
