import { bigint, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './users';

export const exportStatuses = ['pending', 'ready', 'failed'] as const;

/**
 * Data exports (GDPR art. 15 and 20). The archive is encrypted at rest with its own key, wrapped by
 * the key-encryption key from the secrets; deleting the row destroys the key (and the file goes too).
 */
export const dataExports = pgTable(
  'data_exports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    status: text('status', { enum: exportStatuses }).notNull(),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull(),
    readyAt: timestamp('ready_at', { withTimezone: true }),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    /** File name under DATA_DIR/exports. */
    file: text('file'),
    sizeBytes: bigint('size_bytes', { mode: 'number' }),
    wrappedKey: text('wrapped_key'),
    keyId: text('key_id'),
  },
  (t) => [index('data_exports_user_idx').on(t.userId, t.requestedAt)],
);
