import { type Db, schema } from '@salon/db';
import { and, asc, eq, inArray, isNotNull, min, or, sql } from 'drizzle-orm';
import { type Deps, entryRight, type Room, visibleRoom } from './rooms.service';
import { scheduleErrors } from './schedule.errors';
import type { RoomSummaryResponse } from './summary.schemas';

const { rooms, roomEvents, users, follows, clubs, clubFollowers } = schema;

export const MAX_SUMMARY_SPEAKERS = 50;

/**
 * After a room: how long it lasted, who spoke, its club and the next occurrence of its weekly show,
 * with what the viewer follows, so they can follow the people they just heard. Visible to whoever
 * could see the room; only for a room that has ended.
 */
export async function endedRoomSummary(deps: Pick<Deps, 'database'>, roomId: string, viewerId: string) {
  const db = deps.database.db;
  const room = await visibleRoom(db, roomId, viewerId);
  if (room.status !== 'ended' || !room.endedAt) throw scheduleErrors.notEnded();
  const speakers = await stageSpeakers(db, room);
  const followed = new Set(
    speakers.length === 0
      ? []
      : (
          await db
            .select({ id: follows.followeeId })
            .from(follows)
            .where(
              and(
                eq(follows.followerId, viewerId),
                inArray(
                  follows.followeeId,
                  speakers.map((s) => s.userId),
                ),
              ),
            )
        ).map((r) => r.id),
  );
  const summary: RoomSummaryResponse = {
    startedAt: room.startedAt?.toISOString() ?? null,
    endedAt: room.endedAt.toISOString(),
    durationSeconds: room.startedAt
      ? Math.max(0, Math.floor((room.endedAt.getTime() - room.startedAt.getTime()) / 1000))
      : 0,
    speakers: speakers.map((s) => ({ ...s, followedByMe: followed.has(s.userId) })),
    club: await clubOf(db, room, viewerId),
    next: await nextOccurrence(db, room, viewerId),
  };
  return summary;
}

/**
 * The host and everyone who went on stage, read from the room's timeline (the participant rows only
 * say where people are now): accepting an invitation to speak (`stage.joined`) and entering as a
 * moderator (`participant.joined` with that role, which is how the host comes in). Ordered by when
 * each first went on stage; accounts no longer active are left out.
 */
async function stageSpeakers(db: Db, room: Room) {
  const first = min(roomEvents.id);
  const onStage = await db
    .select({ userId: users.id, username: users.username, displayName: users.displayName, first })
    .from(roomEvents)
    .innerJoin(users, eq(users.id, roomEvents.subjectId))
    .where(
      and(
        eq(roomEvents.roomId, room.id),
        isNotNull(roomEvents.subjectId),
        eq(users.status, 'active'),
        or(
          eq(roomEvents.type, 'stage.joined'),
          and(eq(roomEvents.type, 'participant.joined'), sql`${roomEvents.data}->>'role' = 'moderator'`),
        ),
      ),
    )
    .groupBy(users.id, users.username, users.displayName)
    .orderBy(asc(first))
    .limit(MAX_SUMMARY_SPEAKERS);
  const people = onStage.map(({ userId, username, displayName }) => ({ userId, username, displayName }));
  if (room.hostId && !people.some((p) => p.userId === room.hostId)) {
    // A host who never came in still hosted the room: named first.
    const [host] = await db
      .select({ userId: users.id, username: users.username, displayName: users.displayName })
      .from(users)
      .where(and(eq(users.id, room.hostId), eq(users.status, 'active')));
    if (host) people.unshift(host);
  }
  return people.slice(0, MAX_SUMMARY_SPEAKERS);
}

async function clubOf(db: Db, room: Room, viewerId: string) {
  if (!room.clubId) return null;
  const [club] = await db
    .select({ slug: clubs.slug, name: clubs.name, follower: clubFollowers.userId })
    .from(clubs)
    .leftJoin(clubFollowers, and(eq(clubFollowers.clubId, clubs.id), eq(clubFollowers.userId, viewerId)))
    .where(eq(clubs.id, room.clubId));
  return club ? { slug: club.slug, name: club.name, followedByMe: club.follower !== null } : null;
}

/** The next scheduled occurrence of the same weekly show (see startRoom), if the viewer may enter it. */
async function nextOccurrence(db: Db, room: Room, viewerId: string) {
  if (!room.seriesId) return null;
  const [next] = await db
    .select()
    .from(rooms)
    .where(
      and(eq(rooms.seriesId, room.seriesId), eq(rooms.status, 'scheduled'), isNotNull(rooms.scheduledFor)),
    )
    .orderBy(asc(rooms.scheduledFor))
    .limit(1);
  if (!next?.scheduledFor || (await entryRight(db, next, viewerId)) !== 'ok') return null;
  return { id: next.id, topic: next.topic, scheduledFor: next.scheduledFor.toISOString() };
}
