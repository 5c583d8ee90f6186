import { schema } from '@salon/db';
import { and, eq, not, type SQL, sql } from 'drizzle-orm';
import { type Deps, mayEnter, preparedFor, type Room, removedFrom } from './rooms.service';

const { rooms, roomParticipants, roomInvites, follows, users, clubs, clubMembers, clubFollowers } = schema;

export const HALLWAY_PAGE = 20;
const UPCOMING_DAYS = 7;

// Constants are written into the SQL rather than bound, so the planner can prove the partial
// indexes' predicates (rooms_live_*, room_participants_on_stage_idx) from any plan it caches.
const live = sql`${rooms.status} = 'live'`;
const onAStage = sql`${roomParticipants.present} and ${roomParticipants.role} <> 'listener'`;
// The order of rooms_live_open_size_idx, and the last keys of the hallway's ranking.
const bySize = sql`${rooms.presentCount} desc nulls last, ${rooms.startedAt} desc nulls last, ${rooms.id} desc nulls last`;

/**
 * Live rooms the member may enter, ranked by how many people they follow are on stage, then rooms
 * of their clubs, then shared interests, then size; and upcoming rooms of the next week in time
 * order. A social or closed room never appears to someone who may not join it.
 *
 * No request scans every live room. The rooms that can rank above plain size are few and each is
 * reached through an index from the member: rooms where someone they follow is on stage, rooms of
 * their clubs, rooms sharing an interest, social rooms of hosts who follow them, closed rooms they
 * are invited to, rooms they host. Every other room they may enter is an open room ranked by size
 * alone, so only the first `offset + page` open rooms by size (rooms_live_open_size_idx) can reach
 * the page. The union of these candidates is ranked with the full rule.
 */
export async function hallway(deps: Deps, userId: string, offset: number) {
  const db = deps.database.db;
  const until = new Date(deps.clock.now().getTime() + UPCOMING_DAYS * 86_400_000).toISOString();
  const [liveRows, upcoming] = await Promise.all([
    liveQuery(db).execute({ userId, offset, openLimit: offset + HALLWAY_PAGE + 1 }),
    offset === 0 ? upcomingQuery(db).execute({ userId, until }) : Promise.resolve([]),
  ]);
  // Every card is a room the member may enter, so its club may be named to them.
  const card = (r: {
    room: {
      id: string;
      topic: string;
      mode: Room['mode'];
      status: Room['status'];
      interests: string[];
      scheduledFor: Date | null;
      recurrence: Room['recurrence'];
    };
    host: { username: string; displayName: string } | null;
    club: { slug: string; name: string } | null;
  }) => ({
    id: r.room.id,
    topic: r.room.topic,
    mode: r.room.mode,
    status: r.room.status,
    interests: r.room.interests,
    scheduledFor: r.room.scheduledFor?.toISOString() ?? null,
    recurrence: r.room.recurrence,
    host: r.host,
    club: r.club,
  });
  return {
    live: liveRows.slice(0, HALLWAY_PAGE).map((r) => ({
      ...card(r),
      participantCount: r.room.presentCount,
      followedOnStage: r.followedOnStage,
      fromMyClubs: r.clubMatch,
      sharedInterests: r.sharedInterests,
    })),
    upcoming: upcoming.map((r) => ({ ...card(r), hostFollowed: r.hostFollowed })),
    nextCursor: liveRows.length > HALLWAY_PAGE ? String(offset + HALLWAY_PAGE) : null,
  };
}

// Both queries are prepared once per database handle: planning the live one costs more than
// running it.
const userId = sql.placeholder('userId');
const host = { username: users.username, displayName: users.displayName };
const club = { slug: clubs.slug, name: clubs.name };
const room = {
  id: rooms.id,
  topic: rooms.topic,
  mode: rooms.mode,
  status: rooms.status,
  interests: rooms.interests,
  scheduledFor: rooms.scheduledFor,
  recurrence: rooms.recurrence,
  presentCount: rooms.presentCount,
};
const visible = (where: SQL) => and(where, mayEnter(userId), not(removedFrom(userId)));

const liveQuery = preparedFor((db) => {
  const myInterests = sql`(select ${users.interests} from ${users} where ${users.id} = ${userId})`;
  const myClubs = sql`(select ${clubMembers.clubId} from ${clubMembers}
      where ${clubMembers.userId} = ${userId} and ${clubMembers.status} = 'active'
    union select ${clubFollowers.clubId} from ${clubFollowers} where ${clubFollowers.userId} = ${userId})`;
  const onStage = db.$with('followed_on_stage').as(
    db
      .select({ roomId: roomParticipants.roomId, n: sql<number>`count(*)::int`.as('n') })
      .from(follows)
      .innerJoin(roomParticipants, and(eq(roomParticipants.userId, follows.followeeId), onAStage))
      .where(eq(follows.followerId, userId))
      .groupBy(roomParticipants.roomId),
  );
  const candidates = sql`(
    select ${onStage.roomId} from ${onStage}
    union all select ${rooms.id} from ${rooms} where ${live} and ${rooms.clubId} in ${myClubs}
    union all select ${rooms.id} from ${rooms} where ${live} and ${rooms.interests} && ${myInterests}
    union all select ${rooms.id} from ${rooms} join ${follows} on ${follows.followerId} = ${rooms.hostId}
      where ${live} and ${rooms.mode} = 'social' and ${follows.followeeId} = ${userId}
    union all select ${roomInvites.roomId} from ${roomInvites} where ${roomInvites.userId} = ${userId}
    union all select ${rooms.id} from ${rooms} where ${live} and ${rooms.hostId} = ${userId}
    union all (select ${rooms.id} from ${rooms} where ${live} and ${rooms.mode} = 'open'
      and not ${removedFrom(userId)}
      order by ${bySize}
      limit ${sql.placeholder('openLimit')}))`;
  const followedOnStage = sql<number>`coalesce(${onStage.n}, 0)`;
  const clubMatch = sql<boolean>`coalesce(${rooms.clubId} in ${myClubs}, false)`;
  // Qualified by hand: inside this subquery a bare "interests" would be the member's own column.
  const sharedInterests = sql<number>`cardinality(array(
    select unnest("rooms"."interests") intersect select unnest(${myInterests})))`;
  return db
    .with(onStage)
    .select({ room, followedOnStage, clubMatch, sharedInterests, host, club })
    .from(rooms)
    .leftJoin(onStage, eq(onStage.roomId, rooms.id))
    .leftJoin(users, eq(users.id, rooms.hostId))
    .leftJoin(clubs, eq(clubs.id, rooms.clubId))
    .where(visible(sql`${live} and ${rooms.id} in ${candidates}`))
    .orderBy(sql`${followedOnStage} desc, ${clubMatch} desc, ${sharedInterests} desc, ${bySize}`)
    .limit(HALLWAY_PAGE + 1)
    .offset(sql.placeholder('offset'))
    .prepare('hallway_live');
});

const upcomingQuery = preparedFor((db) =>
  db
    .select({
      room,
      hostFollowed: sql<boolean>`exists (select 1 from ${follows}
        where ${follows.followerId} = ${userId} and ${follows.followeeId} = ${rooms.hostId})`,
      host,
      club,
    })
    .from(rooms)
    .leftJoin(users, eq(users.id, rooms.hostId))
    .leftJoin(clubs, eq(clubs.id, rooms.clubId))
    .where(
      visible(
        sql`${rooms.status} = 'scheduled' and ${rooms.scheduledFor} <= ${sql.placeholder('until')}::timestamptz`,
      ),
    )
    .orderBy(rooms.scheduledFor)
    .limit(HALLWAY_PAGE)
    .prepare('hallway_upcoming'),
);
