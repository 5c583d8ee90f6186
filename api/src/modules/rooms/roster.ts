import { type Db, schema } from '@salon/db';
import { and, asc, eq, gt, inArray, max, ne, notInArray, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { after, encodeCursor, type Position } from '../../http/keyset';
import { isNewMember } from '../people/people.service';

const { rooms, roomParticipants, roomEvents, follows, users } = schema;

export type Band = 'stage' | 'followed' | 'audience';
/** The bands of listeners, paged; the stage is always whole. */
export type ListenerBand = Exclude<Band, 'stage'>;

/** Listeners per band in a snapshot, and the default page of `GET /v1/rooms/:id/audience`. */
export const BAND_PAGE = 48;
/** Raised hands a moderator's snapshot carries, oldest first (the queue's head; the count says the rest). */
export const HANDS_PAGE = 20;

export interface RosterEntry {
  userId: string;
  username: string;
  displayName: string;
  isNew: boolean;
  role: 'moderator' | 'speaker' | 'listener';
  /** stage: moderators and speakers; followed: listeners a speaker follows; audience: everyone else. */
  band: Band;
  joinedAt: string;
  stageSince: string | null;
  /** Seen only by moderators and by the person themselves. */
  handRaised: boolean;
  /** When the hand went up (the moderators' queue is oldest first); same visibility. */
  handRaisedAt: string | null;
  invitedToSpeak: boolean;
}

export interface RoomFacts {
  id: string;
  topic: string;
  mode: string;
  status: string;
  recording: boolean;
}

export interface RoomState {
  room: RoomFacts;
  roster: Map<string, RosterEntry>;
  lastEventId: number;
  /**
   * The stage; listeners of each band in the order the room lists them — arrival, then id, as the
   * audience pages are read — and raised hands, oldest first.
   */
  order: { stage: RosterEntry[]; followed: RosterEntry[]; audience: RosterEntry[]; hands: RosterEntry[] };
  /** Who the people on stage follow (the "followed" band is the listeners among them). */
  followed: Set<string>;
  /** Which timeline events this state has taken in (see refreshRoomState). */
  timeline: Timeline;
  /** When the room was last read whole. */
  loadedAt: number;
}

interface Timeline {
  /** Every event up to this id is taken to be in. */
  watermark: number;
  /** Events above the watermark already taken in, with when they were read. */
  seen: Map<number, number>;
}

/**
 * How long an event may take to become visible after one with a larger id did (ids are given when
 * a transaction writes, not when it commits): events are looked for again over this window, so a
 * change whose transaction committed late is not lost.
 */
const LATE_COMMIT_MS = 5_000;
/**
 * A room is read whole again about this often, to take in what leaves no event (an erased
 * account, a follow): the hub does it in a batch of its own, after the changes of the moment.
 */
export const RELOAD_EVERY_MS = 30_000;
/** More events than this since the last read: reading the room whole is cheaper. */
const MAX_EVENTS = 2_000;
/** Room-level events that change only the room's facts, which every refresh reads anyway. */
const FACT_EVENTS = new Set(['room.topic', 'room.mode']);

/** The order of the listener bands: arrival, then id (joinedAt is an ISO string: it sorts as text). */
export function byArrival(a: RosterEntry, b: RosterEntry) {
  return a.joinedAt < b.joinedAt ? -1 : a.joinedAt > b.joinedAt ? 1 : a.userId < b.userId ? -1 : 1;
}

function byHand(a: RosterEntry, b: RosterEntry) {
  const x = a.handRaisedAt ?? '';
  const y = b.handRaisedAt ?? '';
  return x < y ? -1 : x > y ? 1 : byArrival(a, b);
}

const participantColumns = {
  p: roomParticipants,
  u: { username: users.username, displayName: users.displayName, createdAt: users.createdAt },
};

function readFacts(db: Db, roomId: string) {
  return db
    .select({
      id: rooms.id,
      topic: rooms.topic,
      mode: rooms.mode,
      status: rooms.status,
      recording: rooms.recording,
    })
    .from(rooms)
    .where(eq(rooms.id, roomId));
}

async function readFollowed(db: Db, roomId: string, anyoneOnStage: boolean) {
  const followed = new Set<string>();
  if (anyoneOnStage) for (const row of await followedByStage(db, roomId)) followed.add(row.id);
  return followed;
}

const bandOf = (role: RosterEntry['role'], userId: string, followed: Set<string>): Band =>
  role !== 'listener' ? 'stage' : followed.has(userId) ? 'followed' : 'audience';

/** The orders of a roster (sorting what is nearly sorted already is close to linear). */
function orderOf(roster: Map<string, RosterEntry>): RoomState['order'] {
  const order: RoomState['order'] = { stage: [], followed: [], audience: [], hands: [] };
  for (const entry of roster.values()) {
    order[entry.band].push(entry);
    if (entry.band !== 'stage' && entry.handRaised) order.hands.push(entry);
  }
  order.followed.sort(byArrival);
  order.audience.sort(byArrival);
  order.hands.sort(byHand);
  return order;
}

/**
 * Reads the room whole, as the stream shows it: one query for the people, one for who the stage
 * follows. The last event id is read first, so the roster is at least as new as that id.
 */
export async function loadRoomState(db: Db, roomId: string, now: Date): Promise<RoomState | undefined> {
  const [last] = await db
    .select({ id: max(roomEvents.id) })
    .from(roomEvents)
    .where(eq(roomEvents.roomId, roomId));
  const [room] = await readFacts(db, roomId);
  if (!room) return undefined;
  const people = await db
    .select(participantColumns)
    .from(roomParticipants)
    .innerJoin(users, eq(users.id, roomParticipants.userId))
    .where(and(eq(roomParticipants.roomId, roomId), eq(roomParticipants.present, true)));
  const followed = await readFollowed(
    db,
    roomId,
    people.some(({ p }) => p.role !== 'listener'),
  );
  const roster = new Map<string, RosterEntry>();
  for (const { p, u } of people) roster.set(p.userId, toEntry(p, u, bandOf(p.role, p.userId, followed), now));
  const lastEventId = last?.id ?? 0;
  return {
    room,
    roster,
    lastEventId,
    order: orderOf(roster),
    followed,
    timeline: { watermark: lastEventId, seen: new Map() },
    loadedAt: now.getTime(),
  };
}

/**
 * The room after the events since `previous`: only the people those events are about are read
 * again (a batch of joins into a room of 5,000 reads the newcomers, not the 5,000), and who the
 * stage follows when the stage changed. Reads the room whole when an event could concern anyone
 * (the room opening or ending, a change with no one named) and after a flood of events. Events
 * are looked for again over LATE_COMMIT_MS, each taken in once.
 */
export async function refreshRoomState(
  db: Db,
  previous: RoomState,
  now: Date,
): Promise<RoomState | undefined> {
  const roomId = previous.room.id;
  const nowMs = now.getTime();
  const { watermark, seen } = previous.timeline;
  const events = await db
    .select({ id: roomEvents.id, type: roomEvents.type, subjectId: roomEvents.subjectId })
    .from(roomEvents)
    .where(and(eq(roomEvents.roomId, roomId), gt(roomEvents.id, watermark)))
    .orderBy(asc(roomEvents.id))
    .limit(MAX_EVENTS + 1);
  if (events.length > MAX_EVENTS) return loadRoomState(db, roomId, now);
  const fresh = events.filter((e) => !seen.has(e.id));
  if (fresh.some((e) => e.subjectId === null && !FACT_EVENTS.has(e.type)))
    return loadRoomState(db, roomId, now);
  const [room] = await readFacts(db, roomId);
  if (!room) return undefined;

  const subjects = [...new Set(fresh.flatMap((e) => (e.subjectId ? [e.subjectId] : [])))];
  const rows =
    subjects.length === 0
      ? []
      : await db
          .select(participantColumns)
          .from(roomParticipants)
          .innerJoin(users, eq(users.id, roomParticipants.userId))
          .where(and(eq(roomParticipants.roomId, roomId), inArray(roomParticipants.userId, subjects)));
  const present = new Map(rows.filter(({ p }) => p.present).map((row) => [row.p.userId, row]));
  const stageChanged = subjects.some(
    (id) =>
      (previous.roster.get(id)?.role ?? 'listener') !== 'listener' ||
      (present.get(id)?.p.role ?? 'listener') !== 'listener',
  );
  const followed = stageChanged ? await readFollowed(db, roomId, true) : previous.followed;

  const roster = new Map(previous.roster);
  for (const id of subjects) {
    const row = present.get(id);
    if (row) roster.set(id, toEntry(row.p, row.u, bandOf(row.p.role, id, followed), now));
    else roster.delete(id);
  }
  if (followed !== previous.followed) {
    for (const [id, entry] of roster) {
      const band = bandOf(entry.role, id, followed);
      if (band !== entry.band) roster.set(id, { ...entry, band });
    }
  }

  // The window moves past what was read longer ago than a late commit could take.
  const timeline: Timeline = { watermark, seen: new Map(seen) };
  for (const e of fresh) timeline.seen.set(e.id, nowMs);
  for (const [id, readAt] of timeline.seen) {
    if (nowMs - readAt <= LATE_COMMIT_MS) continue;
    timeline.seen.delete(id);
    timeline.watermark = Math.max(timeline.watermark, id);
  }
  const lastEventId = Math.max(previous.lastEventId, ...fresh.map((e) => e.id));
  return {
    room,
    roster,
    lastEventId,
    order: orderOf(roster),
    followed,
    timeline,
    loadedAt: previous.loadedAt,
  };
}

const stage = alias(roomParticipants, 'stage');

/** The people someone on the room's stage follows: the listeners among them make the "followed" band. */
function followedByStage(db: Db, roomId: string) {
  return db
    .selectDistinct({ id: follows.followeeId })
    .from(follows)
    .innerJoin(stage, eq(stage.userId, follows.followerId))
    .where(and(eq(stage.roomId, roomId), eq(stage.present, true), ne(stage.role, 'listener')));
}

function toEntry(
  p: typeof roomParticipants.$inferSelect,
  u: { username: string; displayName: string; createdAt: Date },
  band: Band,
  now: Date,
): RosterEntry {
  return {
    userId: p.userId,
    username: u.username,
    displayName: u.displayName,
    isNew: isNewMember(u, now),
    role: p.role,
    band,
    joinedAt: p.joinedAt.toISOString(),
    stageSince: p.stageSince?.toISOString() ?? null,
    handRaised: p.handRaisedAt !== null,
    handRaisedAt: p.handRaisedAt?.toISOString() ?? null,
    invitedToSpeak: p.invitedAt !== null,
  };
}

/** Hands and invitations are private between a person and the moderators. */
export function visibleTo(entry: RosterEntry, viewerId: string, viewerIsModerator: boolean): RosterEntry {
  if (viewerIsModerator || entry.userId === viewerId) return entry;
  if (!entry.handRaised && !entry.invitedToSpeak) return entry;
  return { ...entry, handRaised: false, handRaisedAt: null, invitedToSpeak: false };
}

/** Whether two entries look the same to a viewer who is (or is not) a moderator. */
export function sameEntry(a: RosterEntry, b: RosterEntry, asModerator: boolean) {
  return (
    a.role === b.role &&
    a.band === b.band &&
    a.displayName === b.displayName &&
    a.username === b.username &&
    a.isNew === b.isNew &&
    a.joinedAt === b.joinedAt &&
    a.stageSince === b.stageSince &&
    (!asModerator ||
      (a.handRaised === b.handRaised &&
        a.handRaisedAt === b.handRaisedAt &&
        a.invitedToSpeak === b.invitedToSpeak))
  );
}

/** Where a page of a listener band ends: the cursor to read on from (people keep arriving). */
export function cursorAfter(entry: Pick<RosterEntry, 'joinedAt' | 'userId'>) {
  return encodeCursor(new Date(entry.joinedAt), entry.userId);
}

/**
 * The arrival order of listeners, to the millisecond: the cursors carry JavaScript dates, so rows
 * written with a finer clock (SQL `now()`) are compared as the cursor sees them and none is skipped
 * or repeated at a page boundary.
 */
const arrival = sql`date_trunc('milliseconds', ${roomParticipants.joinedAt})`;

/**
 * One page of a listener band, read from the database in the stream's order: for `GET
 * /v1/rooms/:id/audience`. The viewer sees hands and invitations only as the stream shows them
 * (their own, or everyone's for a moderator of the room).
 */
export async function listenerPage(
  db: Db,
  input: {
    roomId: string;
    viewerId: string;
    band: ListenerBand;
    cursor?: Position | undefined;
    limit: number;
  },
  now: Date,
) {
  const { roomId, viewerId, band, cursor, limit } = input;
  const [viewer] = await db
    .select({ role: roomParticipants.role })
    .from(roomParticipants)
    .where(
      and(
        eq(roomParticipants.roomId, roomId),
        eq(roomParticipants.userId, viewerId),
        eq(roomParticipants.present, true),
      ),
    );
  const isModerator = viewer?.role === 'moderator';
  // Read once and hashed: a page costs one pass over the room's listeners, not a probe per follow.
  const stageFollows = followedByStage(db, roomId);
  const rows = await db
    .select({
      p: roomParticipants,
      u: { username: users.username, displayName: users.displayName, createdAt: users.createdAt },
    })
    .from(roomParticipants)
    .innerJoin(users, eq(users.id, roomParticipants.userId))
    .where(
      and(
        eq(roomParticipants.roomId, roomId),
        eq(roomParticipants.present, true),
        eq(roomParticipants.role, 'listener'),
        band === 'followed'
          ? inArray(roomParticipants.userId, stageFollows)
          : notInArray(roomParticipants.userId, stageFollows),
        after(arrival, roomParticipants.userId, cursor, 'asc'),
      ),
    )
    .orderBy(asc(arrival), asc(roomParticipants.userId))
    .limit(limit);
  const entries = rows.map(({ p, u }) => visibleTo(toEntry(p, u, band, now), viewerId, isModerator));
  const last = entries.at(-1);
  return {
    band,
    entries,
    /** Given even on the last page: the band grows at its end, and this is where to read on from. */
    nextCursor: last ? cursorAfter(last) : cursor ? encodeCursor(cursor.key, cursor.id) : null,
  };
}
