import { type Db, notify, schema } from '@salon/db';
import { and, asc, eq, ne } from 'drizzle-orm';
import { errors } from '../../http/errors';
import { enforce } from '../../ratelimit/rate-limit';
import { enqueueRoomNews } from '../notifications/fanout';
import { deliver } from '../notifications/notifications.service';
import { roomErrors } from './rooms.errors';
import type { StageAction } from './rooms.schemas';
import {
  type Deps,
  entryRight,
  loadRoom,
  participantOf,
  presentCount,
  ROOM_CHANNEL,
  type Room,
  recordEvent,
  requireModerator,
  scheduleEmptyCheck,
  syncLiveKit,
} from './rooms.service';

const { rooms, roomParticipants, roomRemovals, roomReactions, users } = schema;

/**
 * Enters a live room and returns a short-lived LiveKit token minted from the database: the
 * identity is the member's id (never chosen by the client), the permissions those of their role.
 */
export async function joinRoom(deps: Deps, roomId: string, userId: string) {
  const now = deps.clock.now();
  const participant = await deps.database.db.transaction(async (tx) => {
    const room = await loadRoom(tx, roomId, true);
    if (room.status === 'ended') throw roomErrors.ended();
    if (room.status !== 'live') throw roomErrors.notLive();
    const existing = await participantOf(tx, roomId, userId);
    const right = await entryRight(tx, room, userId);
    if (right === 'removed') throw roomErrors.removed();
    // Someone who was let in keeps coming back even if the mode got stricter meanwhile.
    if (right === 'not_allowed' && !existing) throw roomErrors.notAllowed();
    if (existing?.present) return existing;
    if ((await presentCount(tx, roomId)) >= room.capacity) throw roomErrors.full(room.capacity);
    const role = room.hostId === userId ? 'moderator' : 'listener';
    const [row] = await tx
      .insert(roomParticipants)
      .values({
        roomId,
        userId,
        role,
        present: true,
        joinedAt: now,
        stageSince: role === 'moderator' ? now : null,
      })
      .onConflictDoUpdate({
        target: [roomParticipants.roomId, roomParticipants.userId],
        set: {
          role,
          present: true,
          joinedAt: now,
          leftAt: null,
          handRaisedAt: null,
          invitedAt: null,
          stageSince: role === 'moderator' ? now : null,
        },
      })
      .returning();
    await tx.update(rooms).set({ emptySince: null }).where(eq(rooms.id, roomId));
    await recordEvent(tx, { roomId, at: now, type: 'participant.joined', subjectId: userId, data: { role } });
    return row;
  });
  if (!participant) throw errors.internal();
  const [user] = await deps.database.db
    .select({ name: users.displayName })
    .from(users)
    .where(eq(users.id, userId));
  return {
    livekitUrl: deps.livekit.url,
    token: deps.livekit.url
      ? await deps.livekit.token({ roomId, userId, name: user?.name ?? '', role: participant.role })
      : null,
    role: participant.role,
  };
}

/** Leaves quietly (nobody is told by name). Hands moderation over if the last moderator leaves. */
export async function leaveRoom(deps: Deps, roomId: string, userId: string, via: 'api' | 'livekit' = 'api') {
  const now = deps.clock.now();
  await deps.database.db.transaction(async (tx) => {
    const room = await loadRoom(tx, roomId, true);
    const me = await participantOf(tx, roomId, userId);
    if (!me?.present || room.status === 'ended') return;
    await tx
      .update(roomParticipants)
      .set({ present: false, leftAt: now, handRaisedAt: null, invitedAt: null })
      .where(and(eq(roomParticipants.roomId, roomId), eq(roomParticipants.userId, userId)));
    await recordEvent(tx, { roomId, at: now, type: 'participant.left', subjectId: userId, data: { via } });
    if (me.role === 'moderator') await handOverModeration(tx, room, now);
    if ((await presentCount(tx, roomId)) === 0) await scheduleEmptyCheck(tx, deps, roomId, now);
  });
  if (via === 'api')
    await syncLiveKit(deps, () => deps.livekit.removeParticipant(roomId, userId, { revokeTokens: false }));
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
        await update({
          present: false,
          leftAt: now,
          role: 'listener',
          handRaisedAt: null,
          invitedAt: null,
          stageSince: null,
        });
        await tx
          .insert(roomRemovals)
          .values({ roomId, userId: targetId, removedBy: actorId, createdAt: now })
          .onConflictDoNothing();
        await event('participant.removed');
        if (target.role === 'moderator') await handOverModeration(tx, room, now);
        return () => livekit.removeParticipant(roomId, targetId, { revokeTokens: true });
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
  await db.transaction(async (tx) => {
    await tx
      .update(roomParticipants)
      .set({ present: true, leftAt: null })
      .where(
        and(
          eq(roomParticipants.roomId, roomId),
          eq(roomParticipants.userId, userId),
          ne(roomParticipants.present, true),
        ),
      );
    await tx.update(rooms).set({ emptySince: null }).where(eq(rooms.id, roomId));
    await recordEvent(tx, {
      roomId,
      at: deps.clock.now(),
      type: 'participant.joined',
      subjectId: userId,
      data: { via: 'livekit' },
    });
  });
}
