import { type Db, enqueueJob, schema } from '@salon/db';
import { and, eq } from 'drizzle-orm';
import type { AppDeps } from '../../http/app-env';
import { clubAudience, deliver, roomAudience, roomNewsKey } from './notifications.service';

const { rooms, roomParticipants } = schema;

export type RoomNews = 'room.opened' | 'room.on_stage' | 'club.room_started' | 'club.room_scheduled';

/**
 * Room news reaches many people (all of a speaker's followers), so it is fanned out by a job
 * rather than in the request that opened the room. Enqueued in that request's transaction.
 */
export async function enqueueRoomNews(tx: Db, now: Date, event: RoomNews, roomId: string, actorId: string) {
  await enqueueJob(
    tx,
    now,
    'notifications.fanout',
    { event, roomId, actorId },
    {
      dedupeKey: `fanout:${event}:${roomId}:${actorId}:${now.getTime()}`,
    },
  );
}

/** Job handler. Idempotent: the notifications' dedupe keys make a second run a no-op. */
export async function fanOutRoomNews(
  deps: Pick<AppDeps, 'database' | 'clock'>,
  payload: { event: RoomNews; roomId: string; actorId: string },
) {
  const db = deps.database.db;
  const now = deps.clock.now();
  const [room] = await db.select().from(rooms).where(eq(rooms.id, payload.roomId));
  if (!room || room.status === 'ended') return 0;
  const data = { topic: room.topic };
  if (payload.event === 'club.room_started' || payload.event === 'club.room_scheduled') {
    if (!room.clubId) return 0;
    const present = await db
      .select({ id: roomParticipants.userId })
      .from(roomParticipants)
      .where(and(eq(roomParticipants.roomId, room.id), eq(roomParticipants.present, true)));
    const inRoom = new Set(present.map((p) => p.id));
    const audience = (await clubAudience(db, room.clubId)).filter((id) => !inRoom.has(id));
    return db.transaction((tx) =>
      deliver(tx, now, audience, {
        type: payload.event,
        actorId: payload.actorId,
        roomId: room.id,
        clubId: room.clubId,
        data: { ...data, scheduledFor: room.scheduledFor?.toISOString() ?? null },
        dedupeKey: `${roomNewsKey(`club:${room.clubId}`, now)}:${payload.event}`,
      }),
    );
  }
  const audience = await roomAudience(db, room.id, payload.actorId);
  return db.transaction((tx) =>
    deliver(tx, now, audience, {
      type: payload.event,
      actorId: payload.actorId,
      roomId: room.id,
      data,
      dedupeKey: roomNewsKey(payload.actorId, now),
    }),
  );
}

/** The news a room's opening makes: a club's followers hear of club rooms, followers of others. */
export function openingNews(room: { clubId: string | null; status: string }): RoomNews | null {
  if (room.clubId) return room.status === 'scheduled' ? 'club.room_scheduled' : 'club.room_started';
  return room.status === 'live' ? 'room.opened' : null;
}
