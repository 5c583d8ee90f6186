import { type Db, schema } from '@salon/db';
import { and, eq, inArray, max } from 'drizzle-orm';
import { isNewMember } from '../people/people.service';

const { rooms, roomParticipants, roomEvents, follows, users } = schema;

export type Band = 'stage' | 'followed' | 'audience';

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

export interface RoomState {
  room: { id: string; topic: string; mode: string; status: string; recording: boolean };
  roster: Map<string, RosterEntry>;
  lastEventId: number;
}

/** Reads the room as the stream shows it: one query for people, one for who the stage follows. */
export async function loadRoomState(db: Db, roomId: string, now: Date): Promise<RoomState | undefined> {
  const [room] = await db
    .select({
      id: rooms.id,
      topic: rooms.topic,
      mode: rooms.mode,
      status: rooms.status,
      recording: rooms.recording,
    })
    .from(rooms)
    .where(eq(rooms.id, roomId));
  if (!room) return undefined;
  const people = await db
    .select({
      p: roomParticipants,
      u: { username: users.username, displayName: users.displayName, createdAt: users.createdAt },
    })
    .from(roomParticipants)
    .innerJoin(users, eq(users.id, roomParticipants.userId))
    .where(and(eq(roomParticipants.roomId, roomId), eq(roomParticipants.present, true)));
  const stageIds = people.filter(({ p }) => p.role !== 'listener').map(({ p }) => p.userId);
  const followed = new Set<string>();
  if (stageIds.length > 0) {
    const rows = await db
      .selectDistinct({ id: follows.followeeId })
      .from(follows)
      .innerJoin(
        roomParticipants,
        and(
          eq(roomParticipants.userId, follows.followeeId),
          eq(roomParticipants.roomId, roomId),
          eq(roomParticipants.present, true),
        ),
      )
      .where(and(inArray(follows.followerId, stageIds), eq(roomParticipants.role, 'listener')));
    for (const row of rows) followed.add(row.id);
  }
  const [last] = await db
    .select({ id: max(roomEvents.id) })
    .from(roomEvents)
    .where(eq(roomEvents.roomId, roomId));
  const roster = new Map<string, RosterEntry>();
  for (const { p, u } of people) {
    roster.set(p.userId, {
      userId: p.userId,
      username: u.username,
      displayName: u.displayName,
      isNew: isNewMember(u, now),
      role: p.role,
      band: p.role !== 'listener' ? 'stage' : followed.has(p.userId) ? 'followed' : 'audience',
      joinedAt: p.joinedAt.toISOString(),
      stageSince: p.stageSince?.toISOString() ?? null,
      handRaised: p.handRaisedAt !== null,
      handRaisedAt: p.handRaisedAt?.toISOString() ?? null,
      invitedToSpeak: p.invitedAt !== null,
    });
  }
  return { room, roster, lastEventId: last?.id ?? 0 };
}

/** What changed between two rosters: entries to add or replace, and people who left. */
export function diffRoster(before: Map<string, RosterEntry>, after: Map<string, RosterEntry>) {
  const upserts: RosterEntry[] = [];
  const removals: string[] = [];
  for (const [id, entry] of after) {
    const old = before.get(id);
    if (!old || JSON.stringify(old) !== JSON.stringify(entry)) upserts.push(entry);
  }
  for (const id of before.keys()) if (!after.has(id)) removals.push(id);
  return { upserts, removals };
}

/** Hands and invitations are private between a person and the moderators. */
export function visibleTo(entry: RosterEntry, viewerId: string, viewerIsModerator: boolean): RosterEntry {
  if (viewerIsModerator || entry.userId === viewerId) return entry;
  return { ...entry, handRaised: false, handRaisedAt: null, invitedToSpeak: false };
}
