import { enqueueJob, schema } from '@salon/db';
import { and, eq } from 'drizzle-orm';
import { deliver } from '../notifications/notifications.service';
import { roomErrors } from './rooms.errors';
import { type Deps, entryRight, loadRoom, participantOf, visibleRoom } from './rooms.service';
import { scheduleErrors } from './schedule.errors';

const { rooms, roomReminders } = schema;

/** How long before a scheduled room its reminder is sent. */
export const REMINDER_LEAD_MS = 10 * 60_000;
export const REMINDER_JOB = 'rooms.remind';

export interface ReminderJob {
  roomId: string;
  /** The time the reminder was asked for: a room moved since then is not announced for it. */
  scheduledFor: string;
}

/**
 * Asks for an in-app reminder of a scheduled room the member may enter. Idempotent. One job per
 * room and start time sends every reminder of the room at once; asking again changes nothing.
 * Once the reminder time has passed there is nothing left to remind of: refused, so that no row
 * is left waiting for a job that has already run.
 */
export async function setReminder(deps: Pick<Deps, 'database' | 'clock'>, roomId: string, userId: string) {
  const now = deps.clock.now();
  await deps.database.db.transaction(async (tx) => {
    // Locked: the reminder job and the room's start take the same lock, so a reminder is never
    // added after its job has sent the room's reminders and deleted them.
    const room = await loadRoom(tx, roomId, true);
    const right = await entryRight(tx, room, userId);
    if (right !== 'ok') {
      if (!(await participantOf(tx, roomId, userId))) throw roomErrors.notFound();
      throw right === 'removed' ? roomErrors.removed() : roomErrors.notAllowed();
    }
    if (room.status !== 'scheduled' || !room.scheduledFor) throw scheduleErrors.notScheduled();
    const remindAt = new Date(room.scheduledFor.getTime() - REMINDER_LEAD_MS);
    if (remindAt <= now) throw scheduleErrors.reminderTooLate();
    await tx.insert(roomReminders).values({ roomId, userId, createdAt: now }).onConflictDoNothing();
    const scheduledFor = room.scheduledFor.toISOString();
    const payload: ReminderJob = { roomId, scheduledFor };
    await enqueueJob(
      tx,
      now,
      REMINDER_JOB,
      { ...payload },
      {
        runAt: remindAt,
        dedupeKey: `room-reminder:${roomId}:${scheduledFor}`,
      },
    );
  });
}

/** Withdraws a reminder. Idempotent, and open whatever the room's state: consent is withdrawn at any time. */
export async function clearReminder(deps: Pick<Deps, 'database'>, roomId: string, userId: string) {
  const db = deps.database.db;
  await visibleRoom(db, roomId, userId);
  await db
    .delete(roomReminders)
    .where(and(eq(roomReminders.roomId, roomId), eq(roomReminders.userId, userId)));
}

/**
 * Job handler: "<topic> starts in 10 minutes" to everyone who asked and may still enter the room,
 * through deliver() (their settings, quiet hours and the daily cap on room news apply), then the
 * reminders go. Does nothing for a room that started, ended, went or moved since the job was queued.
 * Idempotent: the rows are gone after a run, and the notification's dedupe key holds a repeat.
 */
export async function sendReminders(deps: Pick<Deps, 'database' | 'clock'>, job: ReminderJob) {
  const now = deps.clock.now();
  return deps.database.db.transaction(async (tx) => {
    const [room] = await tx.select().from(rooms).where(eq(rooms.id, job.roomId)).for('update');
    if (room?.status !== 'scheduled' || room.scheduledFor?.toISOString() !== job.scheduledFor) return 0;
    const asked = await tx
      .select({ userId: roomReminders.userId })
      .from(roomReminders)
      .where(eq(roomReminders.roomId, room.id));
    const admitted: string[] = [];
    for (const { userId } of asked) {
      // The host may have unfollowed them, or they left the club, since they asked.
      if (room.mode === 'open' || (await entryRight(tx, room, userId)) === 'ok') admitted.push(userId);
    }
    const delivered = await deliver(tx, now, admitted, {
      type: 'room.reminder',
      roomId: room.id,
      clubId: room.clubId,
      data: { topic: room.topic, scheduledFor: job.scheduledFor },
      dedupeKey: `room-reminder:${room.id}:${job.scheduledFor}`,
    });
    await tx.delete(roomReminders).where(eq(roomReminders.roomId, room.id));
    return delivered;
  });
}
