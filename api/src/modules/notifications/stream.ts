import type { Clock, Database } from '@salon/db';
import type { Logger } from '../../logger';
import { NOTIFICATIONS_CHANNEL, newSince, unreadCount } from './notifications.service';

interface Subscriber {
  send(event: 'notification' | 'unread', data: string): void;
  since: Date;
  /** Ids already sent (or already there when the stream opened), so nothing is sent twice. */
  sent: Set<string>;
}

/**
 * Live notifications for the members connected to this API instance: one LISTEN per instance;
 * a NOTIFY names the members concerned, and only their streams look for something new.
 */
export function createNotificationHub(deps: { database: Database; clock: Clock; logger: Logger }) {
  const byUser = new Map<string, Set<Subscriber>>();
  let listening: Promise<() => Promise<void>> | undefined;

  async function push(userId: string) {
    const subs = byUser.get(userId);
    if (!subs) return;
    for (const sub of subs) {
      for (const item of await newSince(deps.database.db, userId, sub.since)) {
        if (sub.sent.has(item.id)) continue;
        sub.sent.add(item.id);
        sub.send('notification', JSON.stringify(item));
      }
    }
    const unread = JSON.stringify({ count: await unreadCount(deps.database.db, userId) });
    for (const sub of subs) sub.send('unread', unread);
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
        push(id).catch((error) => deps.logger.error({ err: error }, 'notification push failed'));
      }
    }
  }

  return {
    async subscribe(userId: string, send: Subscriber['send']) {
      listening ??= deps.database.listen(NOTIFICATIONS_CHANNEL, onNotify);
      await listening;
      const since = deps.clock.now();
      const already = await newSince(deps.database.db, userId, since);
      const sub: Subscriber = { send, since, sent: new Set(already.map((n) => n.id)) };
      const subs = byUser.get(userId) ?? new Set();
      subs.add(sub);
      byUser.set(userId, subs);
      send('unread', JSON.stringify({ count: await unreadCount(deps.database.db, userId) }));
      return () => {
        subs.delete(sub);
        if (subs.size === 0) byUser.delete(userId);
      };
    },
    /** Re-sends the unread count, e.g. after the member read some on another device. */
    refresh: (userId: string) => push(userId),
  };
}

export type NotificationHub = ReturnType<typeof createNotificationHub>;
