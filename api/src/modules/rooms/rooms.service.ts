import { type Db, enqueueJob, notify, schema } from '@salon/db';
import { and, asc, eq, inArray, isNull, type Placeholder, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { AppDeps } from '../../http/app-env';
import { AppError, errors } from '../../http/errors';
import { requireClubHost } from '../clubs/clubs.service';
import { enqueueRoomNews, openingNews } from '../notifications/fanout';
import { deliver } from '../notifications/notifications.service';
import { CreationKeyTaken, claimCreationKey, roomOpenedWith } from './creation-keys';
import { roomErrors } from './rooms.errors';
import type { createRoomBody } from './rooms.schemas';

const { rooms, roomParticipants, roomInvites, roomRemovals, roomEvents, roomReminders, follows, users } =
  schema;

export const ROOM_CHANNEL = 'room_changes';
export type Deps = Pick<AppDeps, 'database' | 'config' | 'clock' | 'livekit' | 'logger'>;
/** Opening a room also reads how long an Idempotency-Key holds (the data map). */
type OpeningDeps = Deps & Pick<AppDeps, 'dataMap'>;
export type Room = typeof rooms.$inferSelect;
export type Participant = typeof roomParticipants.$inferSelect;

/** Appends to the room's timeline and wakes every live stream of the room, once committed. */
export async function recordEvent(
  tx: Db,
  event: {
    roomId: string;
    at: Date;
    type: string;
    actorId?: string | null;
    subjectId?: string | null;
    data?: object;
  },
) {
  await tx.insert(roomEvents).values({
    roomId: event.roomId,
    at: event.at,
    type: event.type,
    actorId: event.actorId ?? null,
    subjectId: event.subjectId ?? null,
    data: event.data ?? {},
  });
  await notify(tx, ROOM_CHANNEL, JSON.stringify({ roomId: event.roomId }));
}

export async function loadRoom(db: Db, roomId: string, lock = false) {
  const query = db.select().from(rooms).where(eq(rooms.id, roomId));
  const [room] = lock ? await query.for('update') : await query;
  if (!room) throw roomErrors.notFound();
  return room;
}

export async function participantOf(db: Db, roomId: string, userId: string) {
  const [row] = await db
    .select()
    .from(roomParticipants)
    .where(and(eq(roomParticipants.roomId, roomId), eq(roomParticipants.userId, userId)));
  return row;
}

/**
 * Who may enter, as SQL on the `rooms` row in scope, so the join, a room's page and the hallway
 * apply one rule: the host always; otherwise by mode — open: any member; social: people the host
 * follows; closed: people invited to the room; club: the club's active members, and its followers
 * when the club opens its rooms to them. Removal (see `removedFrom`) overrides it.
 */
export function mayEnter(userId: string | Placeholder): SQL<boolean> {
  const { clubs, clubMembers, clubFollowers } = schema;
  return sql<boolean>`(${rooms.hostId} = ${userId}
    or ${rooms.mode} = 'open'
    or (${rooms.mode} = 'social' and exists (select 1 from ${follows}
          where ${follows.followerId} = ${rooms.hostId} and ${follows.followeeId} = ${userId}))
    or (${rooms.mode} = 'closed' and exists (select 1 from ${roomInvites}
          where ${roomInvites.roomId} = ${rooms.id} and ${roomInvites.userId} = ${userId}))
    or (${rooms.mode} = 'club' and (
          exists (select 1 from ${clubMembers} where ${clubMembers.clubId} = ${rooms.clubId}
                    and ${clubMembers.userId} = ${userId} and ${clubMembers.status} = 'active')
          or exists (select 1 from ${clubs} join ${clubFollowers} on ${clubFollowers.clubId} = ${clubs.id}
                    where ${clubs.id} = ${rooms.clubId} and ${clubs.roomVisibility} = 'followers'
                      and ${clubFollowers.userId} = ${userId}))))`;
}

/** Why the database refused to make someone present (the room_presence_changed trigger), if it did. */
export function presenceRefusal(error: unknown): 'full' | 'not_live' | 'removed' | undefined {
  // Drizzle wraps the driver's error; the SQLSTATE is on the cause.
  for (let e = error as { code?: unknown; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.code === 'SR001') return 'full';
    if (e.code === 'SR002') return 'not_live';
    if (e.code === 'SR003') return 'removed';
  }
  return undefined;
}

/** A moderator removed this member from the `rooms` row in scope: they cannot come back. */
export function removedFrom(userId: string | Placeholder): SQL<boolean> {
  return sql<boolean>`exists (select 1 from ${roomRemovals}
    where ${roomRemovals.roomId} = ${rooms.id} and ${roomRemovals.userId} = ${userId})`;
}

/** Who may enter (see `mayEnter`); removal by a moderator overrides everything. One query. */
export async function entryRight(
  db: Db,
  room: Room,
  userId: string,
): Promise<'ok' | 'removed' | 'not_allowed'> {
  const [row] = await db
    .select({ removed: removedFrom(userId), allowed: mayEnter(userId) })
    .from(rooms)
    .where(eq(rooms.id, room.id));
  if (row?.removed) return 'removed';
  return row?.allowed ? 'ok' : 'not_allowed';
}

/**
 * A room is visible to whoever may enter it and to whoever is or was in it, except to a member
 * removed from it: to them, as to anyone who may not see it, it answers as a room that does not
 * exist (`room.not_found`).
 */
export async function visibleRoom(db: Db, roomId: string, userId: string) {
  const room = await loadRoom(db, roomId);
  const right = await entryRight(db, room, userId);
  if (right === 'ok') return room;
  if (right === 'not_allowed' && (await participantOf(db, roomId, userId))) return room;
  throw roomErrors.notFound();
}

/**
 * A room someone took part in, removed or not: what they may report (DSA art. 16) even once the
 * room is closed to them. Anyone else gets `room.not_found`, as for a room that does not exist.
 */
export async function roomKnownTo(db: Db, roomId: string, userId: string) {
  const room = await loadRoom(db, roomId);
  if ((await entryRight(db, room, userId)) === 'ok' || (await participantOf(db, roomId, userId))) return room;
  throw roomErrors.notFound();
}

/**
 * Runs an action on a room for a member, so that its refusals tell nothing to someone who may not
 * see the room: whatever it refused (not live, ended, not present, not a moderator, not the host…)
 * is answered to them as for a room that does not exist. Only when it refuses is visibility
 * checked, so the action's own path (a join storm, reactions) pays nothing for it. A removal is
 * told as such to the member removed: they know the room.
 */
export async function hiddenFromOutsiders<T>(
  db: Db,
  roomId: string,
  userId: string,
  action: () => Promise<T>,
): Promise<T> {
  try {
    return await action();
  } catch (error) {
    const refusal = error instanceof AppError && error.status < 500;
    if (refusal && error.code !== 'room.removed' && error.code !== 'room.not_found') {
      await visibleRoom(db, roomId, userId);
    }
    throw error;
  }
}

/**
 * Opens (or schedules) a room once per Idempotency-Key: a retried request gets the room the first
 * one opened (`replayed`), whatever its body says, for 24 hours. Without a key, every request
 * opens a room. Of two simultaneous requests, the one whose transaction claims the key first
 * opens the room; the other's is rolled back and it answers with the winner's room.
 */
export async function openRoomOnce(
  deps: OpeningDeps,
  hostId: string,
  input: z.infer<typeof createRoomBody>,
  key: string | undefined,
): Promise<{ roomId: string; replayed: boolean }> {
  if (key === undefined) return { roomId: (await createRoom(deps, hostId, input)).id, replayed: false };
  const db = deps.database.db;
  const earlier = await roomOpenedWith(db, deps.dataMap, hostId, key, deps.clock.now());
  if (earlier) return { roomId: earlier, replayed: true };
  try {
    return { roomId: (await createRoom(deps, hostId, input, key)).id, replayed: false };
  } catch (error) {
    if (!(error instanceof CreationKeyTaken)) throw error;
    const winner = await roomOpenedWith(db, deps.dataMap, hostId, key, deps.clock.now());
    if (!winner) throw error;
    return { roomId: winner, replayed: true };
  }
}

export async function createRoom(
  deps: OpeningDeps,
  hostId: string,
  input: z.infer<typeof createRoomBody>,
  idempotencyKey?: string,
) {
  const now = deps.clock.now();
  const scheduledFor = input.scheduledFor ? new Date(input.scheduledFor) : null;
  if (scheduledFor && scheduledFor <= now) throw roomErrors.scheduleInPast();
  if (input.mode === 'club' && !input.clubId) throw roomErrors.clubUnavailable();
  if (input.clubId) {
    const [club] = await deps.database.db
      .select({ id: schema.clubs.id })
      .from(schema.clubs)
      .where(eq(schema.clubs.id, input.clubId));
    if (!club) throw roomErrors.clubUnavailable();
    await requireClubHost(deps.database.db, input.clubId, hostId);
  }
  return deps.database.db.transaction(async (tx) => {
    const [room] = await tx
      .insert(rooms)
      .values({
        hostId,
        topic: input.topic,
        mode: input.mode,
        clubId: input.clubId ?? null,
        status: scheduledFor ? 'scheduled' : 'live',
        scheduledFor,
        recurrence: input.recurrence ?? null,
        capacity: deps.config.rooms.capacity,
        interests: input.interests,
        createdAt: now,
        startedAt: scheduledFor ? null : now,
      })
      .returning();
    if (!room) throw errors.internal();
    if (idempotencyKey !== undefined)
      await claimCreationKey(tx, deps.dataMap, hostId, idempotencyKey, room.id, now);
    if (input.recurrence) await tx.update(rooms).set({ seriesId: room.id }).where(eq(rooms.id, room.id));
    if (input.invitees.length > 0) {
      const invited = await tx
        .select({ id: users.id })
        .from(users)
        .where(
          and(
            inArray(
              users.username,
              input.invitees.map((u) => u.toLowerCase()),
            ),
            eq(users.status, 'active'),
          ),
        );
      if (invited.length > 0) {
        await tx
          .insert(roomInvites)
          .values(invited.map((u) => ({ roomId: room.id, userId: u.id, invitedBy: hostId, createdAt: now })))
          .onConflictDoNothing();
        await deliver(
          tx,
          now,
          invited.map((u) => u.id),
          {
            type: 'room.invited',
            actorId: hostId,
            roomId: room.id,
            data: { topic: room.topic },
            dedupeKey: `room-invite:${room.id}`,
          },
        );
      }
    }
    const news = openingNews(room);
    if (news) await enqueueRoomNews(tx, now, news, room.id, hostId);
    await recordEvent(tx, {
      roomId: room.id,
      at: now,
      type: scheduledFor ? 'room.scheduled' : 'room.opened',
      actorId: hostId,
      data: { topic: room.topic, mode: room.mode },
    });
    return { ...room, seriesId: input.recurrence ? room.id : null };
  });
}

/**
 * Topic and mode can change while the room is live. People already inside stay when the mode
 * gets stricter (asking them to leave mid-conversation would be abrupt and reveal who was let in);
 * the new mode decides who may enter from then on. A moderator can still remove anyone.
 */
export async function updateRoom(
  deps: Deps,
  roomId: string,
  actorId: string,
  patch: { topic?: string | undefined; mode?: Room['mode'] | undefined },
) {
  const now = deps.clock.now();
  return deps.database.db.transaction(async (tx) => {
    const room = await loadRoom(tx, roomId, true);
    if (room.status === 'ended') throw roomErrors.ended();
    await requireModerator(tx, room, actorId);
    if (patch.mode === 'club' && !room.clubId) throw roomErrors.clubUnavailable();
    const [updated] = await tx
      .update(rooms)
      .set({ topic: patch.topic ?? room.topic, mode: patch.mode ?? room.mode })
      .where(eq(rooms.id, roomId))
      .returning();
    if (patch.topic !== undefined && patch.topic !== room.topic) {
      await recordEvent(tx, { roomId, at: now, type: 'room.topic', actorId, data: { topic: patch.topic } });
    }
    if (patch.mode !== undefined && patch.mode !== room.mode) {
      await recordEvent(tx, {
        roomId,
        at: now,
        type: 'room.mode',
        actorId,
        data: { from: room.mode, mode: patch.mode },
      });
    }
    return updated as Room;
  });
}

/** The host, or a moderator present in the live room; before a room starts only the host counts. */
export async function requireModerator(db: Db, room: Room, userId: string) {
  // The host keeps authority over their room, even from outside it (to end it, say).
  if (room.hostId === userId) return;
  if (room.status === 'scheduled') throw roomErrors.notHost();
  const me = await participantOf(db, room.id, userId);
  if (!me?.present || me.role !== 'moderator') throw roomErrors.notModerator();
}

/** The host opens a scheduled room; a weekly show schedules its next occurrence at once. */
export async function startRoom(deps: Deps, roomId: string, actorId: string) {
  const now = deps.clock.now();
  return deps.database.db.transaction(async (tx) => {
    const room = await loadRoom(tx, roomId, true);
    if (room.hostId !== actorId) throw roomErrors.notHost();
    if (room.status === 'ended') throw roomErrors.ended();
    if (room.status === 'live') return room;
    const [started] = await tx
      .update(rooms)
      .set({ status: 'live', startedAt: now })
      .where(eq(rooms.id, roomId))
      .returning();
    // A reminder exists only until its room starts (policies/data-map.yaml).
    await tx.delete(roomReminders).where(eq(roomReminders.roomId, roomId));
    await enqueueRoomNews(tx, now, room.clubId ? 'club.room_started' : 'room.opened', roomId, actorId);
    if (room.recurrence === 'weekly' && room.scheduledFor) {
      const next = new Date(room.scheduledFor.getTime() + 7 * 86_400_000);
      await tx.insert(rooms).values({
        hostId: room.hostId,
        topic: room.topic,
        mode: room.mode,
        clubId: room.clubId,
        status: 'scheduled',
        scheduledFor: next > now ? next : new Date(now.getTime() + 7 * 86_400_000),
        recurrence: 'weekly',
        seriesId: room.seriesId ?? room.id,
        capacity: room.capacity,
        interests: room.interests,
        createdAt: now,
      });
    }
    await recordEvent(tx, { roomId, at: now, type: 'room.opened', actorId });
    return started as Room;
  });
}

/** Ends a room for everyone: presence cleared, LiveKit room closed, streams told. */
export async function endRoom(
  deps: Deps,
  roomId: string,
  actorId: string | null,
  reason: 'moderator' | 'empty' | 'livekit' | 'host',
) {
  const now = deps.clock.now();
  const ended = await deps.database.db.transaction(async (tx) => {
    const room = await loadRoom(tx, roomId, true);
    if (room.status === 'ended') return false;
    if (actorId && reason === 'moderator') await requireModerator(tx, room, actorId);
    await tx
      .update(rooms)
      .set({ status: 'ended', endedAt: now, emptySince: null })
      .where(eq(rooms.id, roomId));
    await tx.delete(roomReminders).where(eq(roomReminders.roomId, roomId));
    await tx
      .update(roomParticipants)
      .set({ present: false, leftAt: now, handRaisedAt: null, invitedAt: null })
      .where(and(eq(roomParticipants.roomId, roomId), eq(roomParticipants.present, true)));
    await recordEvent(tx, { roomId, at: now, type: 'room.ended', actorId, data: { reason } });
    return true;
  });
  if (ended && reason !== 'livekit') await syncLiveKit(deps, () => deps.livekit.endRoom(roomId));
  return ended;
}

/**
 * A host's scheduled rooms that will not take place (their account is being deleted): ended
 * before they start. Live rooms are ended with endRoom, which also tells the people inside.
 */
export async function cancelScheduledRooms(tx: Db, hostId: string, now: Date) {
  await tx
    .update(rooms)
    .set({ status: 'ended', endedAt: now })
    .where(and(eq(rooms.hostId, hostId), eq(rooms.status, 'scheduled')));
}

/** An erased member's place in room timelines: the events stay, without saying who (data map). */
export async function forgetInTimelines(tx: Db, userId: string) {
  await tx.update(roomEvents).set({ actorId: null }).where(eq(roomEvents.actorId, userId));
  await tx.update(roomEvents).set({ subjectId: null }).where(eq(roomEvents.subjectId, userId));
}

/**
 * How many people are in the room now: the counter the database keeps in step with every change
 * of presence (see the room_presence_changed trigger in db/migrations).
 */
export async function presentCount(db: Db, roomId: string) {
  const [row] = await db.select({ n: rooms.presentCount }).from(rooms).where(eq(rooms.id, roomId));
  return row?.n ?? 0;
}

/** Let someone into a closed room (moderators). */
export async function inviteToRoom(deps: Deps, roomId: string, actorId: string, username: string) {
  const now = deps.clock.now();
  await deps.database.db.transaction(async (tx) => {
    const room = await loadRoom(tx, roomId);
    if (room.status === 'ended') throw roomErrors.ended();
    await requireModerator(tx, room, actorId);
    const [user] = await tx
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.username, username.toLowerCase()), eq(users.status, 'active')));
    if (!user) throw errors.invalidRequest([{ path: 'username', message: 'user.not_found' }]);
    await tx
      .insert(roomInvites)
      .values({ roomId, userId: user.id, invitedBy: actorId, createdAt: now })
      .onConflictDoNothing();
    await deliver(tx, now, [user.id], {
      type: 'room.invited',
      actorId,
      roomId,
      data: { topic: room.topic },
      dedupeKey: `room-invite:${roomId}`,
    });
    await recordEvent(tx, { roomId, at: now, type: 'room.invited', actorId, subjectId: user.id });
  });
}

/**
 * LiveKit follows the database, never the other way round: a failed call is logged and the
 * change stands (the person's next token carries the right permissions).
 */
export async function syncLiveKit(deps: Pick<Deps, 'logger'>, run: () => Promise<void>) {
  try {
    await run();
  } catch (error) {
    deps.logger.warn({ err: error }, 'livekit out of sync; the database state stands');
  }
}

/** Schedules the end of a room that has just become empty (see the rooms.end_if_empty job). */
export async function scheduleEmptyCheck(tx: Db, deps: Deps, roomId: string, now: Date) {
  await tx
    .update(rooms)
    .set({ emptySince: now })
    .where(and(eq(rooms.id, roomId), isNull(rooms.emptySince)));
  const runAt = new Date(now.getTime() + deps.config.rooms.emptyTimeoutMinutes * 60_000);
  await enqueueJob(
    tx,
    now,
    'rooms.end_if_empty',
    { roomId },
    { runAt, dedupeKey: `room-empty:${roomId}:${now.toISOString()}` },
  );
}

/** Job handler: ends the room if it is still empty after the timeout. Idempotent. */
export async function endIfEmpty(deps: Deps, roomId: string) {
  const room = await loadRoom(deps.database.db, roomId).catch(() => undefined);
  if (room?.status !== 'live' || !room.emptySince) return false;
  const cutoff = deps.clock.now().getTime() - deps.config.rooms.emptyTimeoutMinutes * 60_000;
  if (room.emptySince.getTime() > cutoff) return false;
  if ((await presentCount(deps.database.db, roomId)) > 0) return false;
  return endRoom(deps, roomId, null, 'empty');
}

export async function roomSummary(deps: Deps, room: Room, viewerId: string) {
  const db = deps.database.db;
  const me = await participantOf(db, room.id, viewerId);
  const [reminder] = await db
    .select({ at: roomReminders.createdAt })
    .from(roomReminders)
    .where(and(eq(roomReminders.roomId, room.id), eq(roomReminders.userId, viewerId)));
  const [host] = room.hostId
    ? await db
        .select({ username: users.username, displayName: users.displayName })
        .from(users)
        .where(eq(users.id, room.hostId))
    : [];
  const stage = await db
    .select({ username: users.username, displayName: users.displayName, role: roomParticipants.role })
    .from(roomParticipants)
    .innerJoin(users, eq(users.id, roomParticipants.userId))
    .where(
      and(
        eq(roomParticipants.roomId, room.id),
        eq(roomParticipants.present, true),
        inArray(roomParticipants.role, ['moderator', 'speaker']),
      ),
    )
    .orderBy(asc(roomParticipants.stageSince))
    .limit(8);
  const [club] = room.clubId
    ? await db
        .select({ slug: schema.clubs.slug, name: schema.clubs.name })
        .from(schema.clubs)
        .where(eq(schema.clubs.id, room.clubId))
    : [];
  return {
    id: room.id,
    topic: room.topic,
    mode: room.mode,
    status: room.status,
    club: club ?? null,
    scheduledFor: room.scheduledFor?.toISOString() ?? null,
    recurrence: room.recurrence,
    startedAt: room.startedAt?.toISOString() ?? null,
    endedAt: room.endedAt?.toISOString() ?? null,
    capacity: room.capacity,
    interests: room.interests,
    recording: room.recording,
    host: host ?? null,
    isHost: room.hostId === viewerId,
    stage,
    participantCount: room.presentCount,
    /** The viewer asked to be reminded of this scheduled room (always false once it has started). */
    reminder: reminder !== undefined,
    audio: { available: deps.livekit.url !== null },
    me: me
      ? {
          role: me.role,
          present: me.present,
          handRaised: me.handRaisedAt !== null,
          invitedToSpeak: me.invitedAt !== null,
        }
      : null,
  };
}
