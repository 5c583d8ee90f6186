import { type Clock, type Database, schema } from '@salon/db';
import { and, eq, inArray } from 'drizzle-orm';
import type { Logger } from '../../logger';
import { ROOM_CHANNEL } from './rooms.service';
import { diffRoster, loadRoomState, type RoomState, visibleTo } from './roster';

export interface StreamMessage {
  /** `removed`: a moderator removed this viewer from the room; the stream ends with it. */
  event: 'snapshot' | 'roster' | 'room' | 'reactions' | 'ended' | 'removed';
  /** The room timeline id this message brings the client up to (SSE `id:`, for Last-Event-ID). */
  id?: string;
  /** JSON, serialised once per batch and shared by every stream that gets the same content. */
  data: string;
}

interface Subscriber {
  userId: string;
  isModerator: boolean;
  send(message: StreamMessage): void;
  close(): void;
}

interface LiveRoom {
  subscribers: Set<Subscriber>;
  state: RoomState | undefined;
  dirty: boolean;
  reactions: Map<string, number>;
}

/**
 * Fans room changes out to the streams of this API instance. Every instance LISTENs on one
 * Postgres channel; a change anywhere marks the room dirty here, and every `batchMs` the room
 * is read once and only the differences are sent, so a room of 5,000 costs one query per batch
 * per instance rather than one per listener.
 */
export function createRoomHub(deps: { database: Database; clock: Clock; logger: Logger }, batchMs = 250) {
  const live = new Map<string, LiveRoom>();
  let listening: Promise<() => Promise<void>> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let flushing = Promise.resolve();

  function onNotify(payload: string) {
    let message: { roomId?: string; reaction?: string };
    try {
      message = JSON.parse(payload);
    } catch {
      return;
    }
    const room = message.roomId ? live.get(message.roomId) : undefined;
    if (!room) return;
    if (message.reaction)
      room.reactions.set(message.reaction, (room.reactions.get(message.reaction) ?? 0) + 1);
    else room.dirty = true;
    timer ??= setTimeout(() => {
      timer = undefined;
      flushing = flushing
        .then(flush)
        .catch((error) => deps.logger.error({ err: error }, 'room stream flush failed'));
    }, batchMs);
  }

  function snapshot(state: RoomState, sub: Subscriber): StreamMessage {
    const roster = [...state.roster.values()].map((e) => visibleTo(e, sub.userId, sub.isModerator));
    return {
      event: 'snapshot',
      id: String(state.lastEventId),
      data: JSON.stringify({ room: state.room, roster, you: state.roster.get(sub.userId) ?? null }),
    };
  }

  /** Which of the room's viewers were removed from it: their streams end (the room is closed to them). */
  async function removedViewers(roomId: string, room: LiveRoom) {
    const viewers = [...new Set([...room.subscribers].map((sub) => sub.userId))];
    if (viewers.length === 0) return new Set<string>();
    const { roomRemovals } = schema;
    const rows = await deps.database.db
      .select({ userId: roomRemovals.userId })
      .from(roomRemovals)
      .where(and(eq(roomRemovals.roomId, roomId), inArray(roomRemovals.userId, viewers)));
    return new Set(rows.map((r) => r.userId));
  }

  async function flush() {
    for (const [roomId, room] of live) {
      if (room.reactions.size > 0) {
        const data = JSON.stringify({ counts: Object.fromEntries(room.reactions) });
        room.reactions.clear();
        for (const sub of room.subscribers) sub.send({ event: 'reactions', data });
      }
      if (!room.dirty || !room.state) continue;
      room.dirty = false;
      const before = room.state;
      const after = await loadRoomState(deps.database.db, roomId, deps.clock.now());
      if (!after) continue;
      room.state = after;
      const removed = await removedViewers(roomId, room);
      const { upserts, removals } = diffRoster(before.roster, after.roster);
      const roomChanged = JSON.stringify(before.room) !== JSON.stringify(after.room);
      const id = String(after.lastEventId);
      const roomData = JSON.stringify(after.room);
      const hasDiff = upserts.length > 0 || removals.length > 0;
      // What a moderator sees, and what everyone else sees: each serialised once for the whole room.
      const forModerators = JSON.stringify({ upserts, removals });
      const forEveryone = JSON.stringify({ upserts: upserts.map((e) => visibleTo(e, '', false)), removals });
      const changed = new Set(upserts.map((e) => e.userId));
      for (const sub of room.subscribers) {
        if (removed.has(sub.userId)) {
          sub.send({ event: 'removed', id, data: '{}' });
          sub.close();
          continue;
        }
        const isModerator = after.roster.get(sub.userId)?.role === 'moderator';
        if (isModerator !== sub.isModerator) {
          // Becoming (or ceasing to be) a moderator changes what one may see: start afresh.
          sub.isModerator = isModerator;
          sub.send(snapshot(after, sub));
        } else {
          if (roomChanged) sub.send({ event: 'room', id, data: roomData });
          if (hasDiff) {
            const data =
              isModerator || !changed.has(sub.userId)
                ? isModerator
                  ? forModerators
                  : forEveryone
                : // Their own hand and invitation are theirs to see.
                  JSON.stringify({ upserts: upserts.map((e) => visibleTo(e, sub.userId, false)), removals });
            sub.send({ event: 'roster', id, data });
          }
        }
        if (after.room.status === 'ended') {
          sub.send({ event: 'ended', id, data: '{}' });
          sub.close();
        }
      }
    }
  }

  return {
    /**
     * Starts a stream for one viewer. With the `lastEventId` they last saw and nothing missed
     * since, the stream resumes without a snapshot; otherwise it starts with one.
     */
    async subscribe(
      roomId: string,
      userId: string,
      send: (message: StreamMessage) => void,
      close: () => void,
      lastEventId?: string,
    ) {
      listening ??= deps.database.listen(ROOM_CHANNEL, onNotify);
      await listening;
      let room = live.get(roomId);
      if (!room) {
        room = { subscribers: new Set(), state: undefined, dirty: false, reactions: new Map() };
        live.set(roomId, room);
      }
      await flushing;
      // A fresh read for the newcomer: the cached state may predate their own arrival (its
      // NOTIFY not heard yet). Later diffs are computed from the cache, so at worst they repeat
      // an entry the newcomer already has.
      const state = await loadRoomState(deps.database.db, roomId, deps.clock.now());
      room.state ??= state;
      const sub: Subscriber = {
        userId,
        isModerator: state?.roster.get(userId)?.role === 'moderator',
        send,
        close,
      };
      room.subscribers.add(sub);
      if (state && lastEventId !== String(state.lastEventId)) send(snapshot(state, sub));
      if (state?.room.status === 'ended') {
        send({ event: 'ended', id: String(state.lastEventId), data: '{}' });
        close();
      }
      return () => {
        const current = live.get(roomId);
        current?.subscribers.delete(sub);
        if (current && current.subscribers.size === 0) live.delete(roomId);
      };
    },
    async close() {
      if (timer) clearTimeout(timer);
      const unlisten = await listening;
      await unlisten?.();
    },
  };
}

export type RoomHub = ReturnType<typeof createRoomHub>;
