import { type Db, schema } from '@salon/db';
import { appealStatuses, decisionActions, decisionGrounds } from '@salon/db/schema';
import { desc, eq, type SQL } from 'drizzle-orm';
import { z } from 'zod';

const { decisions, appeals, rooms } = schema;

export type DecisionRow = typeof decisions.$inferSelect;
type AppealRow = typeof appeals.$inferSelect;

/** Decisions with their room and appeal, newest first. */
export async function loadDecisions(db: Db, where: SQL | undefined, limit = 200) {
  return db
    .select({ decision: decisions, room: { id: rooms.id, topic: rooms.topic }, appeal: appeals })
    .from(decisions)
    .leftJoin(rooms, eq(rooms.id, decisions.roomId))
    .leftJoin(appeals, eq(appeals.decisionId, decisions.id))
    .where(where)
    .orderBy(desc(decisions.createdAt), desc(decisions.id))
    .limit(limit);
}

/**
 * The statement of reasons as the person sees it (DSA art. 17): facts, ground, scope, duration,
 * that no automated means decided it (`automated: false`), and whether an appeal is still open.
 */
export function presentDecision(
  row: { decision: DecisionRow; room: { id: string; topic: string } | null; appeal: AppealRow | null },
  now: Date,
) {
  const { decision: d, room, appeal } = row;
  return {
    id: d.id,
    action: d.action,
    facts: d.facts,
    ground: d.ground,
    groundDetail: d.groundDetail,
    scope: d.scope,
    endsAt: d.endsAt?.toISOString() ?? null,
    createdAt: d.createdAt.toISOString(),
    appealUntil: d.appealUntil.toISOString(),
    automated: false as const,
    room,
    appeal: appeal
      ? {
          id: appeal.id,
          status: appeal.status,
          text: appeal.text,
          outcome: appeal.outcome,
          createdAt: appeal.createdAt.toISOString(),
          decidedAt: appeal.decidedAt?.toISOString() ?? null,
        }
      : null,
    canAppeal: d.action !== 'dismiss' && !appeal && d.subjectId !== null && now <= d.appealUntil,
  };
}
export type Decision = ReturnType<typeof presentDecision>;

/** An appeal as its author and the moderators see it. */
export const appealView = z.object({
  id: z.uuid(),
  status: z.enum(appealStatuses),
  text: z.string(),
  /** The deciding moderator's reasons, once decided. */
  outcome: z.string().nullable(),
  createdAt: z.iso.datetime(),
  decidedAt: z.iso.datetime().nullable(),
});

/** `presentDecision()`: a decision and its statement of reasons (DSA art. 17). */
export const decisionView = z.object({
  id: z.uuid(),
  action: z.enum(decisionActions),
  facts: z.string(),
  ground: z.enum(decisionGrounds),
  groundDetail: z.string(),
  scope: z.string(),
  /** The end of a suspension. */
  endsAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
  appealUntil: z.iso.datetime(),
  /** Decided by a person, never by automated means. */
  automated: z.literal(false),
  room: z.object({ id: z.uuid(), topic: z.string() }).nullable(),
  appeal: appealView.nullable(),
  canAppeal: z.boolean(),
});
