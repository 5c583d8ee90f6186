import { type Db, notify, preparedFor, schema } from '@salon/db';
import type { RoomRole } from '@salon/db/schema';
import { and, asc, eq, ne, sql } from 'drizzle-orm';
import { errors } from '../../http/errors';
import { enforce } from '../../ratelimit/rate-limit';
import { enqueueRoomNews } from '../notifications/fanout';
import { deliver } from '../notifications/notifications.service';
import { roomErrors } from './rooms.errors';
import type { StageAction } from './rooms.schemas';
import {
  type Deps,
  loadRoom,
  mayEnter,
  participantOf,
  presenceRefusal,
  presentCount,
  ROOM_CHANNEL,
  type Room,
  recordEvent,
  removedFrom,
  requireModerator,
  scheduleEmptyCheck,
  syncLiveKit,
} from './rooms.service';

const { rooms, roomParticipants, roomRemovals, roomReactions, roomEvents, users } = schema;

/**
 * Enters a live room and returns a short-lived LiveKit token minted from the database: the
 * identity is the member's id (never chosen by the client), the permissions those of their role.
 *
 * A join takes no room-wide lock. 5,000 people arriving at once used to queue on the room's row,
 * each holding it `FOR UPDATE` for a transaction of eight round trips (71 joins/s). Now a join is
 * one prepared statement (see `joinStatement`), and the limits stay exact because the database
 * enforces them where the count lives: the room_presence_changed trigger bumps
 * `rooms.present_count` only while the room is live and below capacity, and refuses a removed
 * member, under the room row's lock — held from the end of that one statement to its commit, not
 * across round trips from here. Capacity shards with advisory locks were the alternative: the
 * same exactness for more rows, a retry loop, and still one lock per shard.
 */
export async function joinRoom(deps: Deps, roomId: string, userId: string, retried = false) {
  const at = deps.clock.now().toISOString();
  const [row] = await joinStatement(deps.database.db)
    .execute({ roomId, userId, at })
    .catch(async (error: unknown) => {
      const refusal = presenceRefusal(error);
      if (refusal === 'full') throw roomErrors.full((await loadRoom(deps.database.db, roomId)).capacity);
      if (refusal === 'not_live') throw roomErrors.ended();
      if (refusal === 'removed') throw roomErrors.removed();
      throw error;
    });
  if (!row) throw roomErrors.notFound();
  if (row.status === 'ended') throw roomErrors.ended();
  if (row.status !== 'live') throw roomErrors.notLive();
  if (row.removed) throw roomErrors.removed();
  // Someone who was let in keeps coming back even if the mode got stricter meanwhile.
  if (!row.allowed && !row.role) throw roomErrors.notAllowed();
  if (row.entered) wakeStreamsSoon(deps, roomId);
  const role = row.entered ?? (row.present ? row.role : null);
  // A concurrent join or leave of the same member changed their row meanwhile: once more.
  if (!role) {
    if (retried) throw roomErrors.notPresent();
    return joinRoom(deps, roomId, userId, true);
  }
  return {
    livekitUrl: deps.livekit.url,
    token: deps.livekit.url ? await deps.livekit.token({ roomId, userId, name: row.name ?? '', role }) : null,
    role,
  };
}

/** How long the joins of one room share one wake-up of its streams (they batch every 250 ms). */
const JOIN_WAKE_MS = 20;
const pendingWakes = new WeakMap<Db, Set<string>>();

/**
 * Wakes the room's streams on every API instance shortly after a join, once for all the joins of
 * that moment: a NOTIFY per join made every instance's listener and PostgreSQL's notification
 * queue do a join's worth of work for each of 5,000 arrivals (a quarter of a join's CPU, measured),
 * for streams that read the room at most every 250 ms anyway. Sent after the join committed, like
 * the NOTIFY of a transaction; a crash in between only delays the join's appearance in the streams
 * to the room's next change, since every batch reads the room afresh.
 */
function wakeStreamsSoon(deps: Deps, roomId: string) {
  const db = deps.database.db;
  let pending = pendingWakes.get(db);
  if (!pending) {
    pending = new Set();
    pendingWakes.set(db, pending);
  }
  if (pending.has(roomId)) return;
  pending.add(roomId);
  setTimeout(() => {
    pending.delete(roomId);
    notify(db, ROOM_CHANNEL, JSON.stringify({ roomId })).catch((error: unknown) =>
      deps.logger.warn({ err: error, roomId }, 'room streams not woken after a join'),
    );
  }, JOIN_WAKE_MS);
}

/**
 * A join in one round trip: what it needs to know (the room, the member's presence, removal,
 * right of entry, display name) and, when the member may enter and is not in yet, the write —
 * presence (a returning member's hand and invitation are cleared) and the timeline event (the
 * room's streams are woken just after, see `wakeStreamsSoon`). Nothing is written when a
 * concurrent join of the same member got there first.
 *
 * It commits without waiting for the disk (synchronous_commit off, for this transaction only):
 * the room's row is held from the end of the statement to the end of its commit, and waiting for
 * an fsync there (about 1 ms) would cap a room at one join per fsync. The price is bounded and chosen: a crash of the database server can forget the joins of
 * its last few hundred milliseconds (never half of one: presence, count and event are one
 * transaction), and those members join again when their client reconnects. Leaves, stage changes,
 * removals and every other write stay synchronous.
 */
const joinStatement = preparedFor((db) => {
  const roomId = sql.placeholder('roomId');
  const userId = sql.placeholder('userId');
  const at = sql.placeholder('at');
  const facts = db.$with('facts').as(
    db
      .select({
        id: rooms.id,
        status: rooms.status,
        hostId: rooms.hostId,
        present: roomParticipants.present,
        role: roomParticipants.role,
        removed: removedFrom(userId).as('removed'),
        allowed: mayEnter(userId).as('allowed'),
        name: sql<
          string | null
        >`(select ${users.displayName} from ${users} where ${users.id} = ${userId})`.as('name'),
      })
      .from(rooms)
      .leftJoin(
        roomParticipants,
        and(eq(roomParticipants.roomId, rooms.id), eq(roomParticipants.userId, userId)),
      )
      .where(eq(rooms.id, roomId)),
  );
  const entered = db.$with('entered', { role: sql<RoomRole>`entered_role`.as('entered_role') }).as(sql`
    insert into ${roomParticipants} (room_id, user_id, role, present, joined_at, stage_since)
    select ${facts.id}, ${userId}::uuid,
           case when ${facts.hostId} = ${userId}::uuid then 'moderator' else 'listener' end, true,
           ${at}::timestamptz, case when ${facts.hostId} = ${userId}::uuid then ${at}::timestamptz end
    from ${facts}
    where ${facts.status} = 'live' and not ${facts.removed} and (${facts.allowed} or ${facts.role} is not null)
      and ${facts.present} is not true
    on conflict (room_id, user_id) do update
      set role = excluded.role, present = true, joined_at = excluded.joined_at, left_at = null,
          hand_raised_at = null, invited_at = null, stage_since = excluded.stage_since
      where ${roomParticipants}.present = false
    returning role as entered_role`);
  const event = db.$with('event', { roomId: sql<string>`room_id`.as('room_id') }).as(sql`
    insert into ${roomEvents} (room_id, at, type, subject_id, data)
    select ${roomId}::uuid, ${at}::timestamptz, 'participant.joined', ${userId}::uuid,
           jsonb_build_object('role', ${entered.role})
    from ${entered}
    returning room_id`);
  return db
    .with(facts, entered, event)
    .select({
      status: facts.status,
      present: facts.present,
      role: facts.role,
      removed: facts.removed,
      allowed: facts.allowed,
      name: facts.name,
      entered: entered.role,
      events: sql<number>`(select count(*) from ${event})`,
      commit: sql<string>`set_config('synchronous_commit', 'off', true)`,
    })
    .from(facts)
    .leftJoin(entered, sql`true`)
    .prepare('room_join');
});

/** Leaves quietly (nobody is told by name). Hands moderation over if the last moderator leaves. */
export async function leaveRoom(deps: Deps, roomId: string, userId: string, via: 'api' | 'livekit' = 'api') {
  const now = deps.clock.now();
  await deps.database.db.transaction(async (tx) => {
    const me = await participantOf(tx, roomId, userId);
    if (!me?.present) return;
    // Only a moderator's leave needs the room to itself (it may hand moderation over); anyone
    // else's leaves the room's row to the presence counter, so joins do not wait behind it.
    const room = await loadRoom(tx, roomId, me.role === 'moderator');
    if (room.status === 'ended') return;
    const left = await tx
      .update(roomParticipants)
      .set({ present: false, leftAt: now, handRaisedAt: null, invitedAt: null })
      .where(
        and(
          eq(roomParticipants.roomId, roomId),
          eq(roomParticipants.userId, userId),
          eq(roomParticipants.present, true),
        ),
      )
      .returning({ userId: roomParticipants.userId });
    if (left.length === 0) return; // left meanwhile, or the room ended
    await recordEvent(tx, { roomId, at: now, type: 'participant.left', subjectId: userId, data: { via } });
    if (me.role === 'moderator') await handOverModeration(tx, room, now);
    if ((await presentCount(tx, roomId)) === 0) await scheduleEmptyCheck(tx, deps, roomId, now);
  });
  if (via === 'api')
    await syncLiveKit(deps, () => deps.livekit.removeParticipant(roomId, userId, { revokeTokens: false }));
}

/**
 * Out of the room and off its stage, hand and invitation dropped: what a removal, a suspension, a
 * ban or an account's deletion does to someone's place in a room (a leave keeps the role the
 * member had, see leaveRoom).
 */
async function takeOut(tx: Db, roomId: string, userId: string, now: Date) {
  await tx
    .update(roomParticipants)
    .set({
      present: false,
      leftAt: now,
      role: 'listener',
      handRaisedAt: null,
      invitedAt: null,
      stageSince: null,
    })
    .where(and(eq(roomParticipants.roomId, roomId), eq(roomParticipants.userId, userId)));
}

/**
 * Takes someone out of a room for good, on a room moderator's decision (`actorId`) or on Salon's
 * (no actor; `data` says which decision, without naming the staff member): off the stage and out
 * of the room if present, and never back in. Returns the LiveKit call to make once committed; it
 * revokes their tokens so they cannot reconnect with the one they hold.
 */
export async function removeFromRoom(
  tx: Db,
  deps: Pick<Deps, 'livekit'>,
  room: Room,
  userId: string,
  now: Date,
  by: { actorId: string | null; data?: object },
): Promise<() => Promise<void>> {
  const participant = await participantOf(tx, room.id, userId);
  if (participant?.present) await takeOut(tx, room.id, userId, now);
  await tx
    .insert(roomRemovals)
    .values({ roomId: room.id, userId, removedBy: by.actorId, createdAt: now })
    .onConflictDoNothing();
  await recordEvent(tx, {
    roomId: room.id,
    at: now,
    type: 'participant.removed',
    actorId: by.actorId,
    subjectId: userId,
    ...(by.data ? { data: by.data } : {}),
  });
  if (participant?.present && participant.role === 'moderator') await handOverModeration(tx, room, now);
  return () => deps.livekit.removeParticipant(room.id, userId, { revokeTokens: true });
}

/** A removal reversed (an appeal upheld for the member): they may enter the room again. */
export async function liftRemoval(tx: Db, roomId: string, userId: string) {
  await tx.delete(roomRemovals).where(and(eq(roomRemovals.roomId, roomId), eq(roomRemovals.userId, userId)));
}

/**
 * Takes a member out of every live room they are in, on Salon's side (a suspension, a ban, the
 * deletion of their account): each room's timeline says so (`via`), moderation is handed over
 * where they moderated, and a room left empty is scheduled to end. Rooms in `except` are left
 * alone (their end follows). Returns the LiveKit calls to make once committed: their tokens stop
 * working, so they cannot reconnect with the one they hold.
 */
export async function leaveEverywhere(
  tx: Db,
  deps: Deps,
  userId: string,
  now: Date,
  via: 'salon_moderation' | 'account_deleted',
  except: ReadonlySet<string> = new Set(),
): Promise<(() => Promise<void>)[]> {
  const present = await tx
    .select({ roomId: roomParticipants.roomId })
    .from(roomParticipants)
    .innerJoin(rooms, eq(rooms.id, roomParticipants.roomId))
    .where(
      and(eq(roomParticipants.userId, userId), eq(roomParticipants.present, true), eq(rooms.status, 'live')),
    );
  const left: string[] = [];
  for (const { roomId } of present) {
    if (except.has(roomId)) continue;
    const room = await loadRoom(tx, roomId, true);
    const me = await participantOf(tx, roomId, userId);
    if (!me?.present) continue;
    await takeOut(tx, roomId, userId, now);
    await recordEvent(tx, { roomId, at: now, type: 'participant.left', subjectId: userId, data: { via } });
    if (me.role === 'moderator') await handOverModeration(tx, room, now);
    if ((await presentCount(tx, roomId)) === 0) await scheduleEmptyCheck(tx, deps, roomId, now);
    left.push(roomId);
  }
  return left.map(
    (roomId) => () =>
      syncLiveKit(deps, () => deps.livekit.removeParticipant(roomId, userId, { revokeTokens: true })),
  );
}

/**
 * When no moderator is left on stage, the longest-serving speaker becomes one, so a room is
 * never without someone who can act on it.
 */
export async function handOverModeration(tx: Db, room: Room, now: Date, except?: string) {
  const moderators = await tx
    .select({ userId: roomParticipants.userId })
    .from(roomParticipants)
    .where(
      and(
        eq(roomParticipants.roomId, room.id),
        eq(roomParticipants.present, true),
        eq(roomParticipants.role, 'moderator'),
      ),
    );
  if (moderators.length > 0) return;
  const [next] = await tx
    .select({ userId: roomParticipants.userId })
    .from(roomParticipants)
    .where(
      and(
        eq(roomParticipants.roomId, room.id),
        eq(roomParticipants.present, true),
        eq(roomParticipants.role, 'speaker'),
        except ? ne(roomParticipants.userId, except) : undefined,
      ),
    )
    .orderBy(asc(roomParticipants.stageSince))
    .limit(1);
  if (!next) return;
  await tx
    .update(roomParticipants)
    .set({ role: 'moderator' })
    .where(and(eq(roomParticipants.roomId, room.id), eq(roomParticipants.userId, next.userId)));
  await recordEvent(tx, { roomId: room.id, at: now, type: 'moderator.handover', subjectId: next.userId });
}

async function presentParticipant(tx: Db, roomId: string, userId: string) {
  const me = await participantOf(tx, roomId, userId);
  if (!me?.present) throw roomErrors.notPresent();
  return me;
}

export async function setHand(deps: Deps, roomId: string, userId: string, raised: boolean) {
  const now = deps.clock.now();
  await deps.database.db.transaction(async (tx) => {
    const room = await loadRoom(tx, roomId);
    if (room.status !== 'live') throw roomErrors.notLive();
    const me = await presentParticipant(tx, roomId, userId);
    if (me.role !== 'listener') throw roomErrors.stage('already_on_stage');
    if (raised === (me.handRaisedAt !== null)) return;
    await tx
      .update(roomParticipants)
      .set({ handRaisedAt: raised ? now : null })
      .where(and(eq(roomParticipants.roomId, roomId), eq(roomParticipants.userId, userId)));
    await recordEvent(tx, {
      roomId,
      at: now,
      type: raised ? 'hand.raised' : 'hand.lowered',
      subjectId: userId,
    });
  });
}

type LiveKitFollowUp = (() => Promise<void>) | undefined;

/**
 * One stage change: a transaction on the *target's* row, a timeline event (which wakes the
 * streams), then the LiveKit call with the target's full permission set.
 * Moderators act on others; anyone may step down or answer an invitation about themselves.
 */
export async function stageAction(
  deps: Deps,
  roomId: string,
  actorId: string,
  targetId: string,
  action: StageAction,
) {
  const now = deps.clock.now();
  const { livekit } = deps;
  const followUp: LiveKitFollowUp = await deps.database.db.transaction(async (tx) => {
    const room = await loadRoom(tx, roomId, true);
    if (room.status !== 'live') throw room.status === 'ended' ? roomErrors.ended() : roomErrors.notLive();
    const self = actorId === targetId;
    const selfService = self && (action === 'accept' || action === 'decline' || action === 'audience');
    if (!selfService) await requireModerator(tx, room, actorId);
    const target = await presentParticipant(tx, roomId, targetId);
    if (!self && targetId === room.hostId && action !== 'invite' && action !== 'mute') {
      throw errors.forbidden('room.host_protected', 'The host cannot be moved or removed by others.');
    }
    const update = (set: Partial<typeof roomParticipants.$inferInsert>) =>
      tx
        .update(roomParticipants)
        .set(set)
        .where(and(eq(roomParticipants.roomId, roomId), eq(roomParticipants.userId, targetId)));
    const event = (type: string) => recordEvent(tx, { roomId, at: now, type, actorId, subjectId: targetId });

    switch (action) {
      case 'invite':
        if (target.role !== 'listener') throw roomErrors.stage('already_on_stage');
        await update({ invitedAt: now });
        await event('stage.invited');
        await deliver(tx, now, [targetId], {
          type: 'stage.invited',
          actorId,
          roomId,
          data: { topic: room.topic },
          dedupeKey: `stage:${roomId}:${now.toISOString()}`,
        });
        return undefined;
      case 'accept':
        // The microphone is allowed only once a moderator invited AND the listener accepted.
        if (!target.invitedAt) throw roomErrors.stage('not_invited');
        await update({ role: 'speaker', invitedAt: null, handRaisedAt: null, stageSince: now });
        await event('stage.joined');
        await enqueueRoomNews(tx, now, 'room.on_stage', roomId, targetId);
        return () => livekit.setRole(roomId, targetId, 'speaker');
      case 'lower':
        // A moderator puts a raised hand down (the queue stays short and honest).
        if (target.role !== 'listener' || !target.handRaisedAt) throw roomErrors.stage('no_hand');
        await update({ handRaisedAt: null });
        await event('hand.lowered');
        return undefined;
      case 'decline':
        if (!target.invitedAt) throw roomErrors.stage('not_invited');
        await update({ invitedAt: null });
        await event('stage.declined');
        return undefined;
      case 'audience':
        if (target.role === 'listener') throw roomErrors.stage('not_on_stage');
        await update({ role: 'listener', stageSince: null });
        await event('stage.left');
        if (target.role === 'moderator') await handOverModeration(tx, room, now);
        return () => livekit.setRole(roomId, targetId, 'listener');
      case 'mute':
        if (target.role === 'listener') throw roomErrors.stage('not_on_stage');
        await event('stage.muted');
        return () => livekit.muteMicrophone(roomId, targetId);
      case 'remove':
        if (self) throw roomErrors.stage('self');
        return removeFromRoom(tx, deps, room, targetId, now, { actorId });
      case 'moderator':
        if (target.role !== 'speaker')
          throw roomErrors.stage(target.role === 'moderator' ? 'already_moderator' : 'not_on_stage');
        await update({ role: 'moderator' });
        await event('moderator.added');
        return () => livekit.setRole(roomId, targetId, 'moderator');
      case 'speaker':
        if (target.role !== 'moderator') throw roomErrors.stage('not_moderator');
        if (!self && targetId === room.hostId) throw roomErrors.stage('host');
        await update({ role: 'speaker' });
        await event('moderator.removed');
        await handOverModeration(tx, room, now, targetId);
        return () => livekit.setRole(roomId, targetId, 'speaker');
    }
  });
  if (followUp) await syncLiveKit(deps, followUp);
}

/** An audience reaction: rate-limited, kept with the room's timeline retention, shown briefly. */
export async function react(deps: Deps, roomId: string, userId: string, emoji: string) {
  const db = deps.database.db;
  const now = deps.clock.now();
  const room = await loadRoom(db, roomId);
  if (room.status !== 'live') throw roomErrors.notLive();
  await presentParticipant(db, roomId, userId);
  await enforce(db, {
    key: `reaction:${roomId}:${userId}`,
    windowSeconds: 10,
    now,
    limit: 5,
    code: 'reaction.rate_limited',
  });
  await db.transaction(async (tx) => {
    await tx.insert(roomReactions).values({ roomId, userId, emoji, at: now });
    await notify(tx, ROOM_CHANNEL, JSON.stringify({ roomId, reaction: emoji }));
  });
}

/**
 * LiveKit webhooks keep presence honest when a client vanishes without calling leave, and keep
 * out whoever may no longer be in the room. The open-source livekit-server ignores
 * `revokeTokenTs`, so a token minted before a removal, a ban or the end of the room still
 * connects until it expires: LiveKit's `participant_joined` is checked against the database,
 * and such a participant is disconnected at once.
 */
export async function markPresence(deps: Deps, roomId: string, userId: string, present: boolean) {
  if (!present) return leaveRoom(deps, roomId, userId, 'livekit');
  const db = deps.database.db;
  const room = await loadRoom(db, roomId).catch(() => undefined);
  const me = room && (await participantOf(db, roomId, userId));
  const [removed] = await db
    .select({ at: roomRemovals.createdAt })
    .from(roomRemovals)
    .where(and(eq(roomRemovals.roomId, roomId), eq(roomRemovals.userId, userId)));
  const [account] = await db.select({ status: users.status }).from(users).where(eq(users.id, userId));
  if (room?.status !== 'live' || !me || removed || account?.status !== 'active') {
    deps.logger.info({ roomId, userId }, 'livekit: disconnecting a participant the room no longer admits');
    await syncLiveKit(deps, () => deps.livekit.removeParticipant(roomId, userId, { revokeTokens: true }));
    return;
  }
  if (me.present) return;
  const admitted = await db
    .transaction(async (tx) => {
      // The presence counter clears empty_since, and refuses a full room like a join does.
      const back = await tx
        .update(roomParticipants)
        .set({ present: true, leftAt: null })
        .where(
          and(
            eq(roomParticipants.roomId, roomId),
            eq(roomParticipants.userId, userId),
            ne(roomParticipants.present, true),
          ),
        )
        .returning({ userId: roomParticipants.userId });
      // Back meanwhile through /join, which told the timeline itself.
      if (back.length === 0) return true;
      await recordEvent(tx, {
        roomId,
        at: deps.clock.now(),
        type: 'participant.joined',
        subjectId: userId,
        data: { via: 'livekit' },
      });
      return true;
    })
    .catch((error: unknown) => {
      if (presenceRefusal(error)) return false;
      throw error;
    });
  if (!admitted) {
    deps.logger.info({ roomId, userId }, 'livekit: disconnecting a participant the room has no place for');
    await syncLiveKit(deps, () => deps.livekit.removeParticipant(roomId, userId, { revokeTokens: true }));
  }
}
