import { preparedFor, schema } from '@salon/db';
import { and, eq, not, type SQL, sql } from 'drizzle-orm';
import { BAD_CURSOR, encodeCursor, keysetCursor } from '../../http/keyset';
import { type Deps, mayEnter, type Room, removedFrom } from './rooms.service';

const { rooms, roomParticipants, roomInvites, follows, users, clubs, clubMembers, clubFollowers } = schema;

export const HALLWAY_PAGE = 20;
const UPCOMING_DAYS = 7;
const MAX_OFFSET = 10_000;

/**
 * The hallway's cursor, opaque like every other: how far down the ranking the next page starts
 * (and the id of the last room shown, so it has the one cursor format; the offset alone is read).
 *
 * An offset rather than a key on purpose. A keyset needs an order that holds still between two
 * pages, and this one does not: a live room's rank moves with every join and leave (its size), and
 * with every person followed who steps on or off its stage. A key taken from the last room of a
 * page would then skip the rooms that climbed past it and repeat the ones that fell below, exactly
 * as an offset does — while costing, for each candidate set below, a comparison on the whole
 * ranking instead of a plain limit. The web app drops a room it already shows.
 */
export const hallwayCursor = keysetCursor('number').refine(
  (position) => Number.isInteger(position.key) && position.key >= 0 && position.key <= MAX_OFFSET,
  { message: BAD_CURSOR },
);

// Constants are written into the SQL rather than bound, so the planner can prove the partial
// indexes' predicates (rooms_live_*, room_participants_on_stage_idx) from any plan it caches.
const live = sql`${rooms.status} = 'live'`;
const onAStage = sql`${roomParticipants.present} and ${roomParticipants.role} <> 'listener'`;
// The last keys of the hallway's ranking.
const bySize = sql`${rooms.presentCount} desc nulls last, ${rooms.startedAt} desc nulls last, ${rooms.id} desc nulls last`;

/**
 * Live rooms the member may enter, ranked by how many people they follow are on stage, then rooms
 * of their clubs, then shared interests, then size; and upcoming rooms of the next week in time
 * order. A social or closed room never appears to someone who may not join it.
 *
 * No request reads every live room. Each room the member may enter is in at least one of these
 * sets, each reached through an index from the member: rooms where someone they follow is on
 * stage, rooms of their clubs, rooms sharing an interest, social rooms of hosts who follow them,
 * closed rooms they are invited to, rooms they host, open rooms by size (rooms_live_open_size_idx).
 * Each set contributes only its first `offset + page + 1` rooms in an order that agrees with the
 * hallway's for the rooms it is there for — so the union holds the page, exactly — and only that
 * union is ranked with the full rule.
 */
export async function hallway(deps: Deps, userId: string, offset: number) {
  const db = deps.database.db;
  const until = new Date(deps.clock.now().getTime() + UPCOMING_DAYS * 86_400_000).toISOString();
  const [liveRows, upcoming] = await Promise.all([
    liveQuery(db).execute({ userId, offset, k: offset + HALLWAY_PAGE + 1 }),
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
    nextCursor: nextPage(offset, liveRows),
  };
}

function nextPage(offset: number, rows: { room: { id: string } }[]) {
  const last = rows[HALLWAY_PAGE - 1];
  if (rows.length <= HALLWAY_PAGE || !last || offset + HALLWAY_PAGE > MAX_OFFSET) return null;
  return encodeCursor(offset + HALLWAY_PAGE, last.room.id);
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
  const k = sql.placeholder('k');
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
  const followedOnStage = sql<number>`coalesce((select ${onStage.n} from ${onStage}
    where ${onStage.roomId} = ${rooms.id}), 0)`;
  const clubMatch = sql<boolean>`coalesce(${rooms.clubId} in ${myClubs}, false)`;
  // Distinct: a room's interests are a list. Qualified by hand: inside this subquery a bare
  // "interests" would be the member's own column.
  const sharedInterests = sql<number>`(select count(distinct i)::int from unnest("rooms"."interests") as i
    where i = any(${myInterests}::text[]))`;
  const enterable = sql`${live} and ${mayEnter(userId)} and not ${removedFrom(userId)}`;
  const open = sql`${live} and ${rooms.mode} = 'open' and not ${removedFrom(userId)}`;
  const smallestOpenRank = sql`coalesce((select ${rooms.sizeRank} from ${rooms} where ${open}
    order by ${rooms.sizeRank} desc nulls last offset ${k} - 1 limit 1), 0)`;
  const candidates = sql`(
    (select ${rooms.id} from ${onStage} join ${rooms} on ${rooms.id} = ${onStage.roomId} where ${enterable}
      order by ${onStage.n} desc, ${clubMatch} desc, ${sharedInterests} desc, ${bySize} limit ${k})
    union all (select ${rooms.id} from ${rooms} where ${rooms.clubId} in ${myClubs} and ${enterable}
      order by ${sharedInterests} desc, ${bySize} limit ${k})
    union all (select ${rooms.id} from ${rooms} where ${rooms.interests} && ${myInterests} and ${enterable}
      order by ${sharedInterests} desc, ${bySize} limit ${k})
    union all (select ${rooms.id} from ${rooms} join ${follows} on ${follows.followerId} = ${rooms.hostId}
      where ${follows.followeeId} = ${userId} and ${rooms.mode} = 'social' and ${live} and not ${removedFrom(userId)}
      order by ${bySize} limit ${k})
    union all (select ${rooms.id} from ${roomInvites} join ${rooms} on ${rooms.id} = ${roomInvites.roomId}
      where ${roomInvites.userId} = ${userId} and ${rooms.mode} = 'closed' and ${live} and not ${removedFrom(userId)}
      order by ${bySize} limit ${k})
    union all select ${rooms.id} from ${rooms} where ${rooms.hostId} = ${userId} and ${enterable}
    union all select ${rooms.id} from ${rooms} where ${open} and ${rooms.sizeRank} >= ${smallestOpenRank})`;
  return (
    db
      .with(onStage)
      .select({ room, followedOnStage, clubMatch, sharedInterests, host, club })
      .from(rooms)
      .leftJoin(users, eq(users.id, rooms.hostId))
      .leftJoin(clubs, eq(clubs.id, rooms.clubId))
      // An array, so the rooms are fetched by their key whatever the plan thinks of the union's size.
      .where(sql`${rooms.id} = any(array${candidates})`)
      .orderBy(sql`${followedOnStage} desc, ${clubMatch} desc, ${sharedInterests} desc, ${bySize}`)
      .limit(HALLWAY_PAGE + 1)
      .offset(sql.placeholder('offset'))
      .prepare('hallway_live')
  );
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
