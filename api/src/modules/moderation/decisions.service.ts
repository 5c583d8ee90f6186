import { type Db, schema } from '@salon/db';
import { and, eq, inArray, ne } from 'drizzle-orm';
import type { AppDeps } from '../../http/app-env';
import { errors } from '../../http/errors';
import { appendAudit } from '../audit/audit.service';
import { revokeOtherSessions } from '../auth/sessions';
import { deliver } from '../notifications/notifications.service';
import { endRoom, participantOf, syncLiveKit } from '../rooms/rooms.service';
import { leaveEverywhere, removeFromRoom } from '../rooms/stage.service';
import { assertStaff } from '../staff/staff.service';
import { addBan } from './bans.service';
import { modErrors } from './moderation.errors';
import type { DecisionInput } from './moderation.schemas';
import { loadDecisions, presentDecision } from './present';
import { heldReport } from './queue.service';

const { decisions, reports, rooms, users } = schema;
type Deps = Pick<AppDeps, 'database' | 'clock' | 'crypto' | 'config' | 'livekit' | 'logger'>;

const DAY_MS = 86_400_000;
/** DSA art. 20: the internal complaint-handling system is open for at least six months. */
export const APPEAL_MONTHS = 6;
const NEEDS_SUBJECT = new Set(['warn', 'remove_from_room', 'suspend', 'ban']);
const NEEDS_ROOM = new Set(['remove_from_room', 'end_room']);

export function appealDeadline(decidedAt: Date) {
  const until = new Date(decidedAt);
  until.setUTCMonth(until.getUTCMonth() + APPEAL_MONTHS);
  return until;
}

/** What must happen outside the transaction once the decision is committed (LiveKit, room ends). */
type FollowUp = () => Promise<void>;

/**
 * A decision on a claimed, open report, with its statement of reasons (DSA art. 17), applied at
 * once: the person decided about and the reporter are told in the same transaction.
 */
export async function decide(deps: Deps, moderatorId: string, reportId: string, input: DecisionInput) {
  const db = deps.database.db;
  await assertStaff(db, moderatorId, 'moderator');
  const now = deps.clock.now();
  const followUps: FollowUp[] = [];

  const decisionId = await db.transaction(async (tx) => {
    const report = await heldReport(tx, moderatorId, reportId);
    const [room] = report.roomId ? await tx.select().from(rooms).where(eq(rooms.id, report.roomId)) : [];
    const subjectId =
      input.subjectId ?? report.subjectId ?? (input.action === 'end_room' ? (room?.hostId ?? null) : null);
    if (NEEDS_SUBJECT.has(input.action) && !subjectId) throw modErrors.subjectRequired();
    if (NEEDS_ROOM.has(input.action)) {
      if (!room) throw modErrors.roomRequired();
      if (room.status === 'ended') throw modErrors.roomEnded();
    }
    const subject = subjectId ? await subjectRow(tx, subjectId) : undefined;
    if (subjectId && !subject) throw modErrors.subjectRequired();
    if (subjectId === moderatorId) throw modErrors.conflict();
    // A moderator acts on the reported person, or on someone the evidence shows in the reported room.
    if (input.subjectId && input.subjectId !== report.subjectId) {
      const inRoom =
        room && (room.hostId === input.subjectId || (await participantOf(tx, room.id, input.subjectId)));
      if (!inRoom) throw modErrors.subjectUnrelated();
    }
    if ((input.action === 'suspend' || input.action === 'ban') && subject?.status === 'banned')
      throw modErrors.subjectBanned();
    if (input.action === 'suspend' && !input.durationDays) throw modErrors.durationRequired();
    const endsAt =
      input.action === 'suspend' && input.durationDays
        ? new Date(now.getTime() + input.durationDays * DAY_MS)
        : null;

    const [decision] = await tx
      .insert(decisions)
      .values({
        reportId: report.id,
        subjectId,
        roomId: report.roomId,
        moderatorId,
        action: input.action,
        facts: input.facts,
        ground: input.ground,
        groundDetail: input.groundDetail,
        scope: input.scope,
        endsAt,
        createdAt: now,
        appealUntil: appealDeadline(now),
      })
      .returning();
    if (!decision) throw errors.internal();
    await tx.update(reports).set({ status: 'decided', decidedAt: now }).where(eq(reports.id, report.id));

    switch (input.action) {
      case 'remove_from_room':
        if (room && subjectId) {
          // Salon's moderation, not a room moderator's: the timeline names the decision, not the staff member.
          const disconnect = await removeFromRoom(tx, deps, room, subjectId, now, {
            actorId: null,
            data: { by: 'salon_moderation', decisionId: decision.id },
          });
          followUps.push(() => syncLiveKit(deps, disconnect));
        }
        break;
      case 'end_room':
        if (room) followUps.push(async () => void (await endRoom(deps, room.id, null, 'moderator')));
        break;
      case 'suspend':
      case 'ban':
        if (subject) {
          followUps.push(...(await restrictAccount(tx, deps, subject, input.action, endsAt, now)));
          if (input.action === 'ban')
            await addBan(tx, deps.crypto, now, { userId: subject.id, decisionId: decision.id, moderatorId });
        }
        break;
      case 'warn':
      case 'dismiss':
        break;
    }

    await appendAudit(tx, deps.crypto, now, {
      action: 'decision.made',
      actorId: moderatorId,
      subjectId,
      data: { decisionId: decision.id, action: input.action, reportId: report.id },
    });
    // A dismissal restricts no one: the reported person is not told they were reported.
    if (subjectId && input.action !== 'dismiss') {
      await deliver(tx, now, [subjectId], {
        type: 'decision.made',
        roomId: report.roomId,
        data: { decisionId: decision.id, action: input.action },
        dedupeKey: `decision:${decision.id}`,
      });
    }
    if (report.reporterId) {
      await deliver(tx, now, [report.reporterId], {
        type: 'report.decided',
        data: { reportId: report.id, action: input.action },
        dedupeKey: `report-decided:${report.id}`,
      });
    }
    return decision.id;
  });

  for (const followUp of followUps) await followUp();
  const [row] = await loadDecisions(db, eq(decisions.id, decisionId), 1);
  if (!row) throw errors.internal();
  return { decision: presentDecision(row, now) };
}

async function subjectRow(tx: Db, userId: string) {
  const [user] = await tx
    .select({ id: users.id, status: users.status, suspendedUntil: users.suspendedUntil })
    .from(users)
    .where(eq(users.id, userId));
  return user;
}

/**
 * Suspension and ban: signed out everywhere, out of every live room, their own live rooms ended
 * (a ban also ends the scheduled ones). An account already on its way to erasure keeps that
 * status, so the eraser still runs; the ban of its number stands regardless.
 */
async function restrictAccount(
  tx: Db,
  deps: Deps,
  subject: { id: string; status: string; suspendedUntil: Date | null },
  action: 'suspend' | 'ban',
  endsAt: Date | null,
  now: Date,
): Promise<FollowUp[]> {
  if (subject.status !== 'deactivated') {
    const until =
      action === 'suspend' && subject.status === 'suspended' && subject.suspendedUntil && endsAt
        ? new Date(Math.max(subject.suspendedUntil.getTime(), endsAt.getTime()))
        : endsAt;
    await tx
      .update(users)
      .set(
        action === 'ban'
          ? { status: 'banned', suspendedUntil: null }
          : { status: 'suspended', suspendedUntil: until },
      )
      .where(eq(users.id, subject.id));
  }
  await revokeOtherSessions(tx, subject.id);
  const hosted = await tx
    .select({ id: rooms.id })
    .from(rooms)
    .where(
      and(
        eq(rooms.hostId, subject.id),
        action === 'ban' ? inArray(rooms.status, ['live', 'scheduled']) : eq(rooms.status, 'live'),
      ),
    );
  // Rooms they host are ended instead (below), which takes everyone out.
  const left = await leaveEverywhere(
    tx,
    deps,
    subject.id,
    now,
    'salon_moderation',
    new Set(hosted.map((r) => r.id)),
  );
  return [...left, ...hosted.map((r) => async () => void (await endRoom(deps, r.id, null, 'moderator')))];
}

/** Decisions about the signed-in member (their statement of reasons), newest first. */
export async function myDecisions(deps: Pick<AppDeps, 'database' | 'clock'>, userId: string) {
  const now = deps.clock.now();
  const rows = await loadDecisions(
    deps.database.db,
    and(eq(decisions.subjectId, userId), ne(decisions.action, 'dismiss')),
  );
  return { decisions: rows.map((row) => presentDecision(row, now)) };
}
