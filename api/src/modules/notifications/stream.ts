import type { Clock, Database } from '@salon/db';
import type { Logger } from '../../logger';
import {
  FIRST_ID,
  NOTIFICATIONS_CHANNEL,
  newSince,
  type StreamKey,
  unreadCount,
} from './notifications.service';

/**
 * How far behind its cursor a stream looks again. A notification's created_at is taken when its
 * transaction starts, so one may commit after a newer one was already streamed; within this
 * window it is still found (and sent once: `seen` remembers what was).
 */
const LATE_COMMIT_MS = 15_000;

interface Subscriber {
  send(event: 'notification' | 'unread', data: string): void;
  /** The newest (created_at, id) this stream has seen; it only moves forward. */
  cursor: StreamKey;
  /** Ids seen (sent, or already there when the stream opened) within LATE_COMMIT_MS of the cursor. */
  seen: Map<string, number>;
}

const later = (a: StreamKey, b: StreamKey) =>
  a.createdAt.getTime() > b.createdAt.getTime() ||
  (a.createdAt.getTime() === b.createdAt.getTime() && a.id > b.id);

/**
 * Live notifications for the members connected to this API instance: one LISTEN per instance;
 * a NOTIFY names the members concerned, and only their streams look for something new, page by
 * page from their own cursor.
 */
export function createNotificationHub(deps: { database: Database; clock: Clock; logger: Logger }) {
  const byUser = new Map<string, Set<Subscriber>>();
  /** One catch-up at a time per member; NOTIFYs arriving meanwhile ask for one more. */
  const running = new Map<string, { again: boolean; done: Promise<void> }>();
  let listening: Promise<() => Promise<void>> | undefined;

  /** Everything after the cursor (and late commits just before it), oldest first, each once. */
  async function catchUp(userId: string, sub: Subscriber, announce: boolean) {
    let page: StreamKey = {
      createdAt: new Date(sub.cursor.createdAt.getTime() - LATE_COMMIT_MS),
      id: FIRST_ID,
    };
    for (;;) {
      const rows = await newSince(deps.database.db, userId, page);
      for (const { key, item } of rows) {
        if (!sub.seen.has(key.id)) {
          sub.seen.set(key.id, key.createdAt.getTime());
          if (announce) sub.send('notification', JSON.stringify(item));
        }
        if (later(key, sub.cursor)) sub.cursor = key;
      }
      const last = rows.at(-1);
      if (!last || rows.length === 0) break;
      page = last.key;
    }
    const horizon = sub.cursor.createdAt.getTime() - LATE_COMMIT_MS;
    for (const [id, at] of sub.seen) if (at < horizon) sub.seen.delete(id);
  }

  async function push(userId: string) {
    const subs = byUser.get(userId);
    if (!subs) return;
    for (const sub of subs) await catchUp(userId, sub, true);
    const unread = JSON.stringify({ count: await unreadCount(deps.database.db, userId) });
    for (const sub of subs) sub.send('unread', unread);
  }

  function schedule(userId: string): Promise<void> {
    const current = running.get(userId);
    if (current) {
      current.again = true;
      return current.done;
    }
    const state = { again: false, done: Promise.resolve() };
    state.done = (async () => {
      try {
        do {
          state.again = false;
          await push(userId);
        } while (state.again);
      } finally {
        running.delete(userId);
      }
    })();
    running.set(userId, state);
    return state.done;
  }

  function onNotify(payload: string) {
    let userIds: unknown;
    try {
      userIds = JSON.parse(payload).userIds;
    } catch {
      return;
    }
    if (!Array.isArray(userIds)) return;
    for (const id of userIds) {
      if (typeof id === 'string' && byUser.has(id)) {
        schedule(id).catch((error) => deps.logger.error({ err: error }, 'notification push failed'));
      }
    }
  }

  return {
    async subscribe(userId: string, send: Subscriber['send']) {
      listening ??= deps.database.listen(NOTIFICATIONS_CHANNEL, onNotify);
      await listening;
      // What is already there when the stream opens is not replayed: it is in the list the page
      // loaded. Anything committed from now on is new, even with an earlier timestamp.
      const sub: Subscriber = {
        send,
        cursor: { createdAt: deps.clock.now(), id: FIRST_ID },
        seen: new Map(),
      };
      await catchUp(userId, sub, false);
      const subs = byUser.get(userId) ?? new Set();
      subs.add(sub);
      byUser.set(userId, subs);
      // Once more now that NOTIFYs reach it (something may have committed in between), which
      // also sends the unread count.
      await schedule(userId);
      return () => {
        subs.delete(sub);
        if (subs.size === 0) byUser.delete(userId);
      };
    },
    /** Re-sends the unread count, e.g. after the member read some on another device. */
    refresh: (userId: string) => schedule(userId),
  };
}

export type NotificationHub = ReturnType<typeof createNotificationHub>;
