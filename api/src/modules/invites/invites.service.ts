import { type Db, schema } from '@salon/db';
import { and, desc, eq, gt, isNotNull, isNull, ne, or, sql } from 'drizzle-orm';
import type { AppDeps } from '../../http/app-env';
import { AppError, errors } from '../../http/errors';

const { invites, users } = schema;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** How long the link printed at start-up stays valid; each start while nobody has joined renews it. */
export const FIRST_MEMBER_INVITE_HOURS = 24;
/** Taken by whoever looks after the first-member invite, so that two starting processes share one. */
const FIRST_MEMBER_LOCK = 4244;
/** Crockford's base32 without look-alikes (no I, L, O, U): easy to read aloud or type. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export const invitesErrors = {
  invalid: () =>
    new AppError(
      400,
      'invite.invalid',
      'This invite is not valid: it may have been used, revoked or have expired.',
    ),
  quota: (perMember: number) =>
    new AppError(409, 'invite.quota', `Each member can have ${perMember} invites at a time.`, [
      { perMember },
    ]),
  notFound: () => new AppError(404, 'invite.not_found', 'No such invite.'),
};

type Deps = Pick<AppDeps, 'database' | 'config' | 'crypto' | 'clock'>;

export function inviteCode(crypto: Deps['crypto']) {
  const bytes = crypto.randomBytes(10);
  const chars = Array.from(bytes, (b) => ALPHABET[b % 32]).join('');
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

export function inviteLink(config: Deps['config'], code: string) {
  return new URL(`/join/${code}`, config.publicUrl).toString();
}

function status(row: typeof invites.$inferSelect, now: Date) {
  if (row.usedAt) return 'used' as const;
  if (row.revokedAt) return 'revoked' as const;
  if (row.expiresAt <= now) return 'expired' as const;
  return 'active' as const;
}

function present(deps: Deps, row: typeof invites.$inferSelect, now: Date) {
  return {
    id: row.id,
    code: row.code,
    link: inviteLink(deps.config, row.code),
    status: status(row, now),
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    usedAt: row.usedAt?.toISOString() ?? null,
  };
}

async function insertInvite(db: Db, deps: Deps, inviterId: string | null, now: Date) {
  const [row] = await db
    .insert(invites)
    .values({
      code: inviteCode(deps.crypto),
      inviterId,
      createdAt: now,
      expiresAt: new Date(now.getTime() + deps.config.invites.ttlDays * DAY_MS),
    })
    .returning();
  if (!row) throw errors.internal();
  return row;
}

export async function listInvites(deps: Deps, userId: string) {
  const now = deps.clock.now();
  const rows = await deps.database.db
    .select()
    .from(invites)
    .where(eq(invites.inviterId, userId))
    .orderBy(desc(invites.createdAt));
  return {
    perMember: deps.config.invites.perMember,
    invites: rows.map((row) => present(deps, row, now)),
  };
}

/**
 * A member holds at most `perMember` invites that are pending or used; a revoked or expired
 * unused invite gives its place back.
 */
export async function createInvite(deps: Deps, userId: string) {
  const now = deps.clock.now();
  return deps.database.db.transaction(async (tx) => {
    // Locks the member's row so two parallel requests cannot both pass the quota check.
    await tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).for('update');
    const counted = await tx
      .select({ id: invites.id })
      .from(invites)
      .where(
        and(
          eq(invites.inviterId, userId),
          or(isNotNull(invites.usedAt), and(isNull(invites.revokedAt), gt(invites.expiresAt, now))),
        ),
      );
    if (counted.length >= deps.config.invites.perMember)
      throw invitesErrors.quota(deps.config.invites.perMember);
    return present(deps, await insertInvite(tx, deps, userId, now), now);
  });
}

export async function revokeInvite(deps: Deps, userId: string, inviteId: string) {
  const [row] = await deps.database.db
    .update(invites)
    .set({ revokedAt: deps.clock.now() })
    .where(
      and(
        eq(invites.id, inviteId),
        eq(invites.inviterId, userId),
        isNull(invites.usedAt),
        isNull(invites.revokedAt),
      ),
    )
    .returning();
  if (!row) throw invitesErrors.notFound();
  return present(deps, row, deps.clock.now());
}

/** Operator bootstrap (`salon invites mint N`): invites with no inviter. */
export async function mintInvites(deps: Deps, count: number) {
  const now = deps.clock.now();
  const minted = [];
  for (let i = 0; i < count; i++)
    minted.push(present(deps, await insertInvite(deps.database.db, deps, null, now), now));
  return minted;
}

/**
 * The invite the server's start-up prints while Salon has no member yet: whoever joins with it
 * becomes admin (see grantFirstAdmin). One at a time, single use like any invite, valid
 * FIRST_MEMBER_INVITE_HOURS from now: each start renews the same code, so every process of a
 * deployment and every restart print a link that works. Once someone is a member it is revoked
 * and null is returned: nothing is printed any more.
 */
export async function firstMemberInvite(deps: Deps) {
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + FIRST_MEMBER_INVITE_HOURS * HOUR_MS);
  return deps.database.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${sql.raw(String(FIRST_MEMBER_LOCK))})`);
    const pending = and(eq(invites.firstMember, true), isNull(invites.usedAt), isNull(invites.revokedAt));
    const [member] = await tx.select({ id: users.id }).from(users).limit(1);
    if (member) {
      await tx.update(invites).set({ revokedAt: now }).where(pending);
      return null;
    }
    const [current] = await tx
      .select({ id: invites.id })
      .from(invites)
      .where(and(pending, gt(invites.expiresAt, now)))
      .orderBy(desc(invites.createdAt))
      .limit(1);
    if (current) {
      await tx
        .update(invites)
        .set({ revokedAt: now })
        .where(and(pending, ne(invites.id, current.id)));
      const [renewed] = await tx
        .update(invites)
        .set({ expiresAt })
        .where(eq(invites.id, current.id))
        .returning();
      if (!renewed) throw errors.internal();
      return present(deps, renewed, now);
    }
    const [minted] = await tx
      .insert(invites)
      .values({
        code: inviteCode(deps.crypto),
        inviterId: null,
        createdAt: now,
        expiresAt,
        firstMember: true,
      })
      .returning();
    if (!minted) throw errors.internal();
    return present(deps, minted, now);
  });
}

/**
 * Spends an invite on the account it brought, in the transaction that creates the account: an
 * invite serves once, and not after it was revoked or expired. Undefined when it no longer can.
 */
export async function useInvite(tx: Db, inviteId: string, userId: string, now: Date) {
  const [used] = await tx
    .update(invites)
    .set({ usedAt: now, usedBy: userId })
    .where(
      and(
        eq(invites.id, inviteId),
        isNull(invites.usedAt),
        isNull(invites.revokedAt),
        gt(invites.expiresAt, now),
      ),
    )
    .returning({ id: invites.id, firstMember: invites.firstMember });
  return used;
}

/**
 * A usable invite by its code, with who sent it (shown on the join page) and whether it is the
 * first-member link of a Salon that still has no member (its holder will be admin).
 */
export async function findUsableInvite(deps: Deps, code: string) {
  const now = deps.clock.now();
  const [row] = await deps.database.db
    .select({ invite: invites, inviter: { displayName: users.displayName, username: users.username } })
    .from(invites)
    .leftJoin(users, eq(users.id, invites.inviterId))
    .where(
      and(
        eq(invites.code, code.trim().toUpperCase()),
        isNull(invites.usedAt),
        isNull(invites.revokedAt),
        gt(invites.expiresAt, now),
      ),
    );
  if (!row) throw invitesErrors.invalid();
  const [member] = row.invite.firstMember
    ? await deps.database.db.select({ id: users.id }).from(users).limit(1)
    : [];
  return { ...row, firstMember: row.invite.firstMember && !member };
}
