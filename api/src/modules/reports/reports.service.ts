import { schema } from '@salon/db';
import { and, desc, eq } from 'drizzle-orm';
import type { AppDeps } from '../../http/app-env';
import { AppError, errors } from '../../http/errors';
import { enforce } from '../../ratelimit/rate-limit';
import { deliver } from '../notifications/notifications.service';
import { roomKnownTo } from '../rooms/rooms.service';
import type { CreateReport } from './reports.schemas';

const { reports, rooms, users, decisions, appeals } = schema;
type Deps = Pick<AppDeps, 'database' | 'clock'>;

/** Per reporter: enough for someone witnessing a bad evening, not enough to flood the queue. */
export const REPORTS_PER_HOUR = 10;

export const reportErrors = {
  targetRequired: () =>
    new AppError(400, 'report.target_required', 'Say which room or which person the report is about.'),
  lawRequired: () =>
    new AppError(400, 'report.law_required', 'For illegal content, say which law you believe is broken.'),
  self: () => new AppError(400, 'report.self', 'You cannot report yourself.'),
  atRequiresRoom: () =>
    new AppError(400, 'report.at_requires_room', 'A moment can only be given for a report about a room.'),
  atOutsideRoom: () =>
    new AppError(400, 'report.at_outside_room', 'This moment is not within the life of the room.'),
  targetNotFound: () =>
    new AppError(
      404,
      'report.target_not_found',
      'This room or this person does not exist or is not visible to you.',
    ),
};

/**
 * A notice (DSA art. 16). The target must be something the reporter can see (a room they may
 * enter or were in, even if removed from it since; an active member), so reports cannot be used
 * to probe what exists. The reporter is acknowledged at once, in the same transaction.
 */
export async function createReport(deps: Deps, reporterId: string, input: CreateReport) {
  const db = deps.database.db;
  const now = deps.clock.now();
  if (!input.roomId && !input.userId) throw reportErrors.targetRequired();
  if (input.category === 'illegal' && !input.law) throw reportErrors.lawRequired();
  if (input.userId === reporterId) throw reportErrors.self();
  if (input.at && !input.roomId) throw reportErrors.atRequiresRoom();
  // Counted before any lookup, so the limit also caps probing for rooms and people.
  await enforce(db, {
    key: `reports:${reporterId}`,
    windowSeconds: 3600,
    now,
    limit: REPORTS_PER_HOUR,
    code: 'report.rate_limited',
  });

  let at: Date | null = null;
  if (input.roomId) {
    const room = await roomKnownTo(db, input.roomId, reporterId).catch((error: unknown) => {
      if (error instanceof AppError && error.status === 404) throw reportErrors.targetNotFound();
      throw error;
    });
    if (input.at) {
      at = new Date(input.at);
      const end = room.endedAt ?? now;
      if (!room.startedAt || at < room.startedAt || at > end) throw reportErrors.atOutsideRoom();
    }
  }
  if (input.userId) {
    const [subject] = await db
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.id, input.userId), eq(users.status, 'active')));
    if (!subject) throw reportErrors.targetNotFound();
  }

  return db.transaction(async (tx) => {
    const [report] = await tx
      .insert(reports)
      .values({
        reporterId,
        roomId: input.roomId ?? null,
        subjectId: input.userId ?? null,
        category: input.category,
        law: input.category === 'illegal' ? (input.law ?? null) : null,
        description: input.description,
        at,
        status: 'open',
        createdAt: now,
      })
      .returning({ id: reports.id, status: reports.status, createdAt: reports.createdAt });
    if (!report) throw errors.internal();
    await deliver(tx, now, [reporterId], {
      type: 'report.received',
      data: { reportId: report.id },
      dedupeKey: `report-received:${report.id}`,
    });
    return { report: { id: report.id, status: report.status, createdAt: report.createdAt.toISOString() } };
  });
}

/** The reports a member made, newest first, with the outcome once decided. */
export async function myReports(deps: Deps, reporterId: string) {
  const rows = await deps.database.db
    .select({
      report: reports,
      room: { id: rooms.id, topic: rooms.topic },
      user: { username: users.username, displayName: users.displayName },
      decision: { action: decisions.action, createdAt: decisions.createdAt, id: decisions.id },
      appealStatus: appeals.status,
    })
    .from(reports)
    .leftJoin(rooms, eq(rooms.id, reports.roomId))
    .leftJoin(users, eq(users.id, reports.subjectId))
    .leftJoin(decisions, eq(decisions.reportId, reports.id))
    .leftJoin(appeals, eq(appeals.decisionId, decisions.id))
    .where(eq(reports.reporterId, reporterId))
    .orderBy(desc(reports.createdAt), desc(reports.id))
    .limit(200);
  return {
    reports: rows.map(({ report, room, user, decision, appealStatus }) => ({
      id: report.id,
      category: report.category,
      createdAt: report.createdAt.toISOString(),
      status: report.status,
      target: { room, user },
      outcome: decision
        ? {
            action: decision.action,
            decidedAt: decision.createdAt.toISOString(),
            /** The person decided about appealed and another moderator reversed the decision. */
            reversedOnAppeal: appealStatus === 'reversed',
          }
        : null,
    })),
  };
}
