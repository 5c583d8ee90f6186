import { index, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { rooms } from './rooms';
import { users } from './users';

/**
 * The Idempotency-Key of each room creation, for 24 hours: a retried request (a lost answer, a
 * double tap) gets the room the first one opened instead of opening a second. The primary key
 * makes the database, not a read-then-write, decide which of two simultaneous requests opens it.
 */
export const roomCreationKeys = pgTable(
  'room_creation_keys',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    roomId: uuid('room_id')
      .notNull()
      .references(() => rooms.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.key] }),
    index('room_creation_keys_created_idx').on(t.createdAt),
    index('room_creation_keys_room_idx').on(t.roomId),
  ],
);
