import { createTestDatabase, type TestDatabase } from '@salon/db/testing';
import { asc, desc, sql } from 'drizzle-orm';
import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { after, encodeCursor, keysetCursor, type Position, page } from './keyset';

const items = pgTable('keyset_items', {
  id: text('id').primaryKey(),
  at: timestamp('at', { withTimezone: true }).notNull(),
});

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
  await database.db.execute(sql`create table keyset_items (id text primary key, at timestamptz not null)`);
  // 25 rows on 5 timestamps: every page boundary falls inside a group of equal keys.
  const rows = Array.from({ length: 25 }, (_, i) => ({
    id: `row-${String(i).padStart(2, '0')}`,
    at: new Date(Date.UTC(2026, 11, 1, 12, Math.floor(i / 5))),
  }));
  await database.db.insert(items).values(rows);
});
afterAll(async () => {
  await database.drop();
});

async function walk(direction: 'asc' | 'desc', size: number) {
  const order = direction === 'asc' ? asc : desc;
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const position: Position | undefined = cursor ? keysetCursor('date').parse(cursor) : undefined;
    const rows: (typeof items.$inferSelect)[] = await database.db
      .select()
      .from(items)
      .where(after(items.at, items.id, position, direction))
      .orderBy(order(items.at), order(items.id))
      .limit(size + 1);
    const result: { items: (typeof items.$inferSelect)[]; nextCursor: string | null } = page(
      rows,
      size,
      (r) => [r.at, r.id],
    );
    seen.push(...result.items.map((r) => r.id));
    cursor = result.nextCursor;
  } while (cursor);
  return seen;
}

describe('keyset pages', () => {
  it('walk every row once, in order, whichever way and whatever the page size, ties included', async () => {
    const all = Array.from({ length: 25 }, (_, i) => `row-${String(i).padStart(2, '0')}`);
    for (const size of [1, 3, 7, 25, 40]) {
      expect(await walk('asc', size)).toEqual(all);
      expect(await walk('desc', size)).toEqual([...all].reverse());
    }
  });

  it('refuse a cursor that is not one of ours', () => {
    for (const bad of ['', 'x', encodeCursor('not a date', 'a'), Buffer.from('[1]').toString('base64url')]) {
      expect(keysetCursor('date').safeParse(bad).success, bad).toBe(false);
    }
    expect(keysetCursor('text').safeParse(encodeCursor('abc', 'id/../x')).success).toBe(false);
    expect(keysetCursor('number').parse(encodeCursor(42, 'u1'))).toEqual({ key: 42, id: 'u1' });
  });
});
