import type { Db } from '@salon/db';
import { schema } from '@salon/db';
import { and, eq, sql } from 'drizzle-orm';

import type { RateLimitCode } from '../http/error-codes';
import { errors } from '../http/errors';

const { rateLimits } = schema;

export interface Window {
  key: string;
  windowSeconds: number;
  now: Date;
}

function windowStart({ windowSeconds, now }: Window) {
  const ms = windowSeconds * 1000;
  return new Date(Math.floor(now.getTime() / ms) * ms);
}

/** Seconds until the current window ends and its count starts again from zero. */
export function secondsLeft(window: Window) {
  const end = windowStart(window).getTime() + window.windowSeconds * 1000;
  return Math.ceil((end - window.now.getTime()) / 1000);
}

/**
 * Makes a check-then-count sequence atomic: callers passing the same key inside a transaction
 * wait for each other until its end (a transaction-scoped advisory lock), so requests arriving
 * together are counted one after the other. On PGlite every transaction is exclusive already.
 */
export async function serialize(tx: Db, key: string) {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`);
}

/**
 * Counts one more event in the current fixed window and returns the new count: one upsert, so
 * parallel calls each see their own count. `lossy`: the count's commit does not wait for the disk
 * (a crash may forget the last few hundred milliseconds of counts), for limits where that is
 * harmless and the request is frequent; it applies to the whole transaction, so a lossy count is
 * made on its own, never inside another transaction.
 */
export async function hit(
  db: Db,
  window: Window & { lossy?: boolean },
): Promise<{ count: number; retryAfterSeconds: number }> {
  const start = windowStart(window);
  const end = new Date(start.getTime() + window.windowSeconds * 1000);
  const [row] = await db
    .insert(rateLimits)
    .values({ key: window.key, windowStart: start, count: 1, lastAt: window.now, expiresAt: end })
    .onConflictDoUpdate({
      target: [rateLimits.key, rateLimits.windowStart],
      set: { count: sql`${rateLimits.count} + 1`, lastAt: window.now },
    })
    .returning({
      count: rateLimits.count,
      ...(window.lossy ? { commit: sql<string>`set_config('synchronous_commit', 'off', true)` } : {}),
    });
  return {
    count: row?.count ?? 1,
    retryAfterSeconds: Math.ceil((end.getTime() - window.now.getTime()) / 1000),
  };
}

/** The current window's count and last event, without counting anything. */
export async function peek(db: Db, window: Window): Promise<{ count: number; lastAt: Date | undefined }> {
  const [row] = await db
    .select({ count: rateLimits.count, lastAt: rateLimits.lastAt })
    .from(rateLimits)
    .where(and(eq(rateLimits.key, window.key), eq(rateLimits.windowStart, windowStart(window))));
  return { count: row?.count ?? 0, lastAt: row?.lastAt };
}

/** Counts one event and refuses it with a 429 (`code`) once the window holds more than `limit`. */
export async function enforce(
  db: Db,
  window: Window & { limit: number; code: RateLimitCode; lossy?: boolean },
) {
  const { count, retryAfterSeconds } = await hit(db, window);
  if (count > window.limit) throw errors.rateLimited(window.code, retryAfterSeconds);
}
