import { schema } from '@salon/db';
import { and, asc, desc, eq, lte } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { AppDeps } from '../../http/app-env';
import { errors } from '../../http/errors';
import { appendAudit } from '../audit/audit.service';
import { deliver } from '../notifications/notifications.service';
import { liftRemoval } from '../rooms/stage.service';
import { assertStaff } from '../staff/staff.service';
import { liftBan } from './bans.service';
import { modErrors } from './moderation.errors';
import { presentDecision } from './present';

const { appeals, decisions, reports, rooms, users } = schema;
type Deps = Pick<AppDeps, 'database' | 'clock' | 'crypto'>;

function presentAppeal(a: typeof appeals.$inferSelect) {
  return {
    id: a.id,
    status: a.status,
    text: a.text,
    outcome: a.outcome,
    createdAt: a.createdAt.toISOString(),
    decidedAt: a.decidedAt?.toISOString() ?? null,
  };
}

/** DSA art. 20: the person decided about contests the decision, within six months, once. */
export async function appealDecision(deps: Deps, userId: string, decisionId: string, text: string) {
  const now = deps.clock.now();
  const appeal = await deps.database.db.transaction(async (tx) => {
    // The lock on the decision makes two simultaneous appeals one.
    const [decision] = await tx
      .select()
      .from(decisions)
      .where(and(eq(decisions.id, decisionId), eq(decisions.subjectId, userId)))
      .for('update');
    if (!decision || decision.action === 'dismiss') throw modErrors.decisionNotFound();
    const [existing] = await tx
      .select({ id: appeals.id })
      .from(appeals)
      .where(eq(appeals.decisionId, decisionId));
    if (existing) throw modErrors.appealExists();
    if (now > decision.appealUntil) throw modErrors.appealWindowClosed();
    const [created] = await tx
      .insert(appeals)
      .values({ decisionId, appellantId: userId, text, status: 'open', createdAt: now })
      .returning();
    if (!created) throw errors.internal();
    await appendAudit(tx, deps.crypto, now, {
      action: 'appeal.made',
      actorId: userId,
      subjectId: userId,
      data: { decisionId, appealId: created.id },
    });
    return created;
  });
  return { appeal: presentAppeal(appeal) };
}

const moderator = alias(users, 'moderator');
const subject = alias(users, 'subject');

/** The appeals queue: oldest first while open; the caller cannot decide on their own decisions. */
export async function listAppeals(deps: Deps, staffId: string, status: 'open' | 'upheld' | 'reversed') {
  const db = deps.database.db;
  await assertStaff(db, staffId, 'moderator');
  const now = deps.clock.now();
  const rows = await db
    .select({
      appeal: appeals,
      decision: decisions,
      room: { id: rooms.id, topic: rooms.topic },
      moderator: { username: moderator.username },
      subject: { username: subject.username, displayName: subject.displayName },
    })
    .from(appeals)
    .innerJoin(decisions, eq(decisions.id, appeals.decisionId))
    .leftJoin(rooms, eq(rooms.id, decisions.roomId))
    .leftJoin(moderator, eq(moderator.id, decisions.moderatorId))
    .leftJoin(subject, eq(subject.id, decisions.subjectId))
    .where(eq(appeals.status, status))
    .orderBy(status === 'open' ? asc(appeals.createdAt) : desc(appeals.decidedAt))
    .limit(100);
  return {
    appeals: rows.map((row) => ({
      ...presentAppeal(row.appeal),
      decision: {
        ...presentDecision({ decision: row.decision, room: row.room, appeal: row.appeal }, now),
        moderator: row.moderator,
        subject: row.subject,
        reportId: row.decision.reportId,
      },
      canDecide: row.appeal.status === 'open' && row.decision.moderatorId !== staffId,
    })),
  };
}

/**
 * Another moderator decides the appeal. A reversal undoes what can be undone: a suspension or a
 * ban is lifted, a removal from a room no longer bars the way back. Both sides are told: the
 * appellant, and the person whose report led to the decision.
 */
export async function decideAppeal(
  deps: Deps,
  staffId: string,
  appealId: string,
  input: { outcome: 'upheld' | 'reversed'; reasons: string },
) {
  const db = deps.database.db;
  await assertStaff(db, staffId, 'moderator');
  const now = deps.clock.now();
  const decided = await db.transaction(async (tx) => {
    const [row] = await tx
      .select({ appeal: appeals, decision: decisions })
      .from(appeals)
      .innerJoin(decisions, eq(decisions.id, appeals.decisionId))
      .where(eq(appeals.id, appealId))
      .for('update', { of: appeals });
    if (!row) throw modErrors.appealNotFound();
    const { appeal, decision } = row;
    if (appeal.status !== 'open') throw modErrors.appealClosed();
    if (decision.moderatorId === staffId) throw modErrors.sameModerator();
    const [updated] = await tx
      .update(appeals)
      .set({ status: input.outcome, decidedBy: staffId, outcome: input.reasons, decidedAt: now })
      .where(eq(appeals.id, appealId))
      .returning();
    if (!updated) throw errors.internal();

    if (input.outcome === 'reversed') {
      if (decision.action === 'ban') {
        await liftBan(tx, deps.crypto, now, {
          decisionId: decision.id,
          subjectId: decision.subjectId,
          moderatorId: staffId,
        });
      }
      if (decision.action === 'suspend' && decision.subjectId) {
        await tx
          .update(users)
          .set({ status: 'active', suspendedUntil: null })
          .where(
            and(
              eq(users.id, decision.subjectId),
              eq(users.status, 'suspended'),
              // A later, longer suspension is another decision's and stands.
              decision.endsAt ? lte(users.suspendedUntil, decision.endsAt) : undefined,
            ),
          );
      }
      if (decision.action === 'remove_from_room' && decision.subjectId && decision.roomId) {
        await liftRemoval(tx, decision.roomId, decision.subjectId);
      }
    }
    await appendAudit(tx, deps.crypto, now, {
      action: 'appeal.decided',
      actorId: staffId,
      subjectId: decision.subjectId,
      data: { appealId, decisionId: decision.id, outcome: input.outcome },
    });
    if (appeal.appellantId) {
      await deliver(tx, now, [appeal.appellantId], {
        type: 'appeal.decided',
        data: { decisionId: decision.id, outcome: input.outcome },
        dedupeKey: `appeal-decided:${appeal.id}`,
      });
    }
    const [report] = decision.reportId
      ? await tx
          .select({ reporterId: reports.reporterId })
          .from(reports)
          .where(eq(reports.id, decision.reportId))
      : [];
    if (report?.reporterId && decision.reportId) {
      await deliver(tx, now, [report.reporterId], {
        type: 'appeal.decided',
        data: { decisionId: decision.id, outcome: input.outcome, reportId: decision.reportId },
        dedupeKey: `appeal-decided:${appeal.id}:reporter`,
      });
    }
    return updated;
  });
  return { appeal: presentAppeal(decided) };
}
