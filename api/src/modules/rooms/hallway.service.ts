import { schema } from '@salon/db';
import { and, desc, eq, inArray, lte, sql } from 'drizzle-orm';
import type { Deps } from './rooms.service';

const {
  rooms,
  roomParticipants,
  roomInvites,
  roomRemovals,
  follows,
  users,
  clubs,
  clubMembers,
  clubFollowers,
} = schema;

export const HALLWAY_PAGE = 20;
const UPCOMING_DAYS = 7;

/**
 * Live rooms the member may enter, ranked by how many people they follow are on stage, then rooms
 * of their clubs, then shared interests, then size; and upcoming rooms of the next week in time order. A social or
 * closed room never appears to someone who may not join it.
 */
export async function hallway(deps: Deps, userId: string, offset: number) {
  const db = deps.database.db;
  const now = deps.clock.now();

  const mayEnter = sql`(
    ${rooms.hostId} = ${userId}
    or ${rooms.mode} = 'open'
    or (${rooms.mode} = 'social' and exists (select 1 from ${follows} where ${follows.followerId} = ${rooms.hostId} and ${follows.followeeId} = ${userId}))
    or (${rooms.mode} = 'closed' and exists (select 1 from ${roomInvites} where ${roomInvites.roomId} = ${rooms.id} and ${roomInvites.userId} = ${userId}))
    or (${rooms.mode} = 'club' and (
      exists (select 1 from ${clubMembers} where ${clubMembers.clubId} = ${rooms.clubId} and ${clubMembers.userId} = ${userId} and ${clubMembers.status} = 'active')
      or exists (select 1 from ${clubs} c join ${clubFollowers} f on f.club_id = c.id
        where c.id = ${rooms.clubId} and c.room_visibility = 'followers' and f.user_id = ${userId})
    ))
  ) and not exists (select 1 from ${roomRemovals} where ${roomRemovals.roomId} = ${rooms.id} and ${roomRemovals.userId} = ${userId})`;
  const followedOnStage = sql<number>`(select count(*) from ${roomParticipants}
    join ${follows} on ${follows.followeeId} = ${roomParticipants.userId} and ${follows.followerId} = ${userId}
    where ${roomParticipants.roomId} = ${rooms.id} and ${roomParticipants.present} and ${roomParticipants.role} <> 'listener')::int`;
  // Qualified by hand: inside this subquery a bare "interests" would be the member's own column.
  const sharedInterests = sql<number>`(select cardinality(array(select unnest("rooms"."interests") intersect select unnest(me.interests)))
    from ${users} me where me.id = ${userId})::int`;
  // Rooms of clubs the member belongs to or follows come before rooms of strangers.
  const clubMatch = sql<number>`(case when ${rooms.clubId} is not null and (
      exists (select 1 from ${clubMembers} where ${clubMembers.clubId} = ${rooms.clubId} and ${clubMembers.userId} = ${userId} and ${clubMembers.status} = 'active')
      or exists (select 1 from ${clubFollowers} where ${clubFollowers.clubId} = ${rooms.clubId} and ${clubFollowers.userId} = ${userId})
    ) then 1 else 0 end)::int`;
  const size = sql<number>`(select count(*) from ${roomParticipants} where ${roomParticipants.roomId} = ${rooms.id} and ${roomParticipants.present})::int`;

  const liveRows = await db
    .select({ room: rooms, followedOnStage, clubMatch, sharedInterests, size })
    .from(rooms)
    .where(and(eq(rooms.status, 'live'), mayEnter))
    .orderBy(desc(followedOnStage), desc(clubMatch), desc(sharedInterests), desc(size), desc(rooms.startedAt))
    .limit(HALLWAY_PAGE + 1)
    .offset(offset);
  const hostFollowed = sql<boolean>`exists (select 1 from ${follows} where ${follows.followerId} = ${userId} and ${follows.followeeId} = ${rooms.hostId})`;
  const upcoming =
    offset === 0
      ? await db
          .select({ room: rooms, hostFollowed, sharedInterests })
          .from(rooms)
          .where(
            and(
              eq(rooms.status, 'scheduled'),
              lte(rooms.scheduledFor, new Date(now.getTime() + UPCOMING_DAYS * 86_400_000)),
              mayEnter,
            ),
          )
          .orderBy(rooms.scheduledFor)
          .limit(HALLWAY_PAGE)
      : [];

  const hostIds = [
    ...new Set([...liveRows, ...upcoming].flatMap((r) => (r.room.hostId ? [r.room.hostId] : []))),
  ];
  const hostRows =
    hostIds.length > 0
      ? await db
          .select({ id: users.id, username: users.username, displayName: users.displayName })
          .from(users)
          .where(inArray(users.id, hostIds))
      : [];
  const hosts = new Map(hostRows.map((h) => [h.id, { username: h.username, displayName: h.displayName }]));
  // Every card is a room the member may enter, so its club may be named to them.
  const clubIds = [
    ...new Set([...liveRows, ...upcoming].flatMap((r) => (r.room.clubId ? [r.room.clubId] : []))),
  ];
  const clubRows =
    clubIds.length > 0
      ? await db
          .select({ id: clubs.id, slug: clubs.slug, name: clubs.name })
          .from(clubs)
          .where(inArray(clubs.id, clubIds))
      : [];
  const clubsById = new Map(clubRows.map((c) => [c.id, { slug: c.slug, name: c.name }]));
  const card = (room: typeof rooms.$inferSelect) => ({
    id: room.id,
    topic: room.topic,
    mode: room.mode,
    status: room.status,
    interests: room.interests,
    scheduledFor: room.scheduledFor?.toISOString() ?? null,
    recurrence: room.recurrence,
    host: (room.hostId && hosts.get(room.hostId)) ?? null,
    club: (room.clubId && clubsById.get(room.clubId)) ?? null,
  });
  return {
    live: liveRows.slice(0, HALLWAY_PAGE).map((r) => ({
      ...card(r.room),
      participantCount: r.size,
      followedOnStage: r.followedOnStage,
      fromMyClubs: r.clubMatch === 1,
      sharedInterests: r.sharedInterests,
    })),
    upcoming: upcoming.map((r) => ({ ...card(r.room), hostFollowed: r.hostFollowed })),
    nextCursor: liveRows.length > HALLWAY_PAGE ? String(offset + HALLWAY_PAGE) : null,
  };
}
