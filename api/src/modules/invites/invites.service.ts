import { type Db, schema } from '@salon/db';
import { and, desc, eq, gt, isNotNull, isNull, or } from 'drizzle-orm';
import type { AppDeps } from '../../http/app-env';
import { AppError, errors } from '../../http/errors';

const { invites, users } = schema;
const DAY_MS = 86_400_000;
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

/** A usable invite by its code, with who sent it (shown on the join page). */
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
  return row;
}
