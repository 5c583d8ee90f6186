import { type Db, schema } from '@salon/db';
import { and, desc, eq, gt, isNull } from 'drizzle-orm';
import type { Crypto } from '../../crypto';
import { appendAudit } from '../audit/audit.service';

const { bans, users, decisions, appeals } = schema;

/**
 * Bans the account's phone hash (kept after the account is erased, see policies/data-map.yaml);
 * sign-up refuses a banned number (auth/accounts.service.ts).
 */
export async function addBan(
  tx: Db,
  crypto: Crypto,
  now: Date,
  input: { userId: string; decisionId: string; moderatorId: string },
) {
  const [user] = await tx
    .select({ phoneHash: users.phoneHash, phoneKeyVersion: users.phoneKeyVersion })
    .from(users)
    .where(eq(users.id, input.userId));
  if (!user) return;
  await tx
    .insert(bans)
    .values({
      phoneHash: user.phoneHash,
      phoneKeyVersion: user.phoneKeyVersion,
      decisionId: input.decisionId,
      createdAt: now,
    })
    .onConflictDoUpdate({ target: bans.phoneHash, set: { decisionId: input.decisionId, createdAt: now } });
  await appendAudit(tx, crypto, now, {
    action: 'ban.added',
    actorId: input.moderatorId,
    subjectId: input.userId,
    data: { decisionId: input.decisionId },
  });
}

/** Lifts the ban a decision put in place (its appeal was upheld for the member, i.e. reversed). */
export async function liftBan(
  tx: Db,
  crypto: Crypto,
  now: Date,
  input: { decisionId: string; subjectId: string | null; moderatorId: string },
) {
  const lifted = await tx
    .delete(bans)
    .where(eq(bans.decisionId, input.decisionId))
    .returning({ phoneHash: bans.phoneHash });
  if (input.subjectId) {
    // Only a banned account comes back; one being deleted meanwhile stays on its way out.
    await tx
      .update(users)
      .set({ status: 'active', suspendedUntil: null })
      .where(and(eq(users.id, input.subjectId), eq(users.status, 'banned')));
  }
  if (lifted.length > 0 || input.subjectId) {
    await appendAudit(tx, crypto, now, {
      action: 'ban.lifted',
      actorId: input.moderatorId,
      subjectId: input.subjectId,
      data: { decisionId: input.decisionId },
    });
  }
}

/**
 * The restriction decisions still impose on an account: a ban of its number, or the longest
 * suspension not yet over and not reversed on appeal. For whoever must restore an account's
 * status (e.g. when a member cancels the deletion of a suspended or banned account).
 */
export async function restrictionInForce(
  db: Db,
  userId: string,
  now: Date,
): Promise<{ status: 'banned' } | { status: 'suspended'; suspendedUntil: Date } | null> {
  const [banned] = await db
    .select({ at: bans.createdAt })
    .from(bans)
    .innerJoin(users, eq(users.phoneHash, bans.phoneHash))
    .where(eq(users.id, userId));
  if (banned) return { status: 'banned' };
  const [suspension] = await db
    .select({ endsAt: decisions.endsAt })
    .from(decisions)
    .leftJoin(appeals, and(eq(appeals.decisionId, decisions.id), eq(appeals.status, 'reversed')))
    .where(
      and(
        eq(decisions.subjectId, userId),
        eq(decisions.action, 'suspend'),
        gt(decisions.endsAt, now),
        isNull(appeals.id),
      ),
    )
    .orderBy(desc(decisions.endsAt))
    .limit(1);
  return suspension?.endsAt ? { status: 'suspended', suspendedUntil: suspension.endsAt } : null;
}
