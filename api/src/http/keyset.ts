import { and, type Column, eq, gt, lt, or, SQL, sql } from 'drizzle-orm';
import { z } from 'zod';

/**
 * The one pagination scheme of the API: keyset pages in a stable order of (key, id), the row id
 * breaking ties, so rows that share a key (two notifications of the same millisecond) are neither
 * skipped nor repeated. A cursor is the opaque base64url of the last row's key and id; clients
 * pass back `nextCursor` as it came and never build one.
 *
 *   const query = z.strictObject({ cursor: keysetCursor('date').optional() });
 *   const rows = await db.select()…where(and(…, after(t.createdAt, t.id, cursor, 'desc')))
 *     .orderBy(desc(t.createdAt), desc(t.id)).limit(size + 1);
 *   return page(rows, size, (r) => [r.createdAt, r.id]);
 */
export type KeyKind = 'date' | 'text' | 'number';
type KeyOf<K extends KeyKind> = K extends 'date' ? Date : K extends 'text' ? string : number;
export interface Position<K extends KeyKind = KeyKind> {
  key: KeyOf<K>;
  id: string;
}

/** The message of a `request.invalid` detail for a cursor that is not one of ours. */
export const BAD_CURSOR = 'cursor.invalid';
const MAX_CURSOR = 512;
const ID = /^[0-9A-Za-z_-]{1,64}$/;

export function encodeCursor(key: Date | string | number, id: string): string {
  const k = key instanceof Date ? key.toISOString() : key;
  return Buffer.from(JSON.stringify([k, id])).toString('base64url');
}

function decode<K extends KeyKind>(kind: K, cursor: string): Position<K> | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) return undefined;
  const [k, id] = parsed as [unknown, unknown];
  if (typeof id !== 'string' || !ID.test(id)) return undefined;
  if (kind === 'date') {
    const at = typeof k === 'string' ? new Date(k) : undefined;
    return at && !Number.isNaN(at.getTime()) ? { key: at as KeyOf<K>, id } : undefined;
  }
  if (kind === 'number') return Number.isFinite(k) ? { key: k as KeyOf<K>, id } : undefined;
  return typeof k === 'string' && k.length <= MAX_CURSOR ? { key: k as KeyOf<K>, id } : undefined;
}

/** A query parameter holding a cursor of this key kind: parsed into a Position, or `request.invalid`. */
export function keysetCursor<K extends KeyKind>(kind: K) {
  return z
    .string()
    .max(MAX_CURSOR)
    .transform((value, ctx) => {
      const position = decode(kind, value);
      if (!position) {
        ctx.addIssue({ code: 'custom', message: BAD_CURSOR });
        return z.NEVER;
      }
      return position;
    });
}

/** The rows strictly after `position` in the order (key, id) taken `direction`; no condition without one. */
export function after(
  key: Column | SQL,
  id: Column,
  position: Position | undefined,
  direction: 'asc' | 'desc',
): SQL | undefined {
  if (!position) return undefined;
  const beyond = direction === 'asc' ? gt : lt;
  // Two calls rather than one on the union: Drizzle types a column and an expression apart. A
  // column maps its own values; an expression (date_trunc of a column, say) cannot, so a date is
  // bound as a timestamp there.
  const at = position.key instanceof Date ? sql`${position.key.toISOString()}::timestamptz` : position.key;
  const past = key instanceof SQL ? beyond(key, at) : beyond(key, position.key);
  const tied = key instanceof SQL ? eq(key, at) : eq(key, position.key);
  return or(past, and(tied, beyond(id, position.id)));
}

/** A page from `size + 1` fetched rows: the first `size`, and the cursor of the last when more follow. */
export function page<T>(
  rows: T[],
  size: number,
  positionOf: (row: T) => readonly [Date | string | number, string],
): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, size);
  const last = items.at(-1);
  if (rows.length <= size || last === undefined) return { items, nextCursor: null };
  const [key, id] = positionOf(last);
  return { items, nextCursor: encodeCursor(key, id) };
}
