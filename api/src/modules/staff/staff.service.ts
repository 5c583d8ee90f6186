import { type Db, schema } from '@salon/db';
import type { StaffRole } from '@salon/db/schema';
import { asc, eq, ne, sql } from 'drizzle-orm';
import type { AppDeps } from '../../http/app-env';
import { AppError } from '../../http/errors';
import { appendAudit } from '../audit/audit.service';

const { staff, users } = schema;

/** Grants and revocations take it, so two admins cannot remove each other at once and leave none. */
const STAFF_LOCK = 4243;

export const staffErrors = {
  userNotFound: () =>
    new AppError(404, 'staff.user_not_found', 'There is no active member with this @username.'),
  notStaff: () => new AppError(404, 'staff.not_staff', 'This member has no staff role.'),
  lastAdmin: () =>
    new AppError(
      409,
      'staff.last_admin',
      'This is the last admin. Make someone else admin first, or ask the operator (npm run salon -- staff).',
    ),
};

/** Salon's own staff role of a member (not a room moderator role), or null. */
export async function staffRole(db: Db, userId: string): Promise<StaffRole | null> {
  const [row] = await db.select({ role: staff.role }).from(staff).where(eq(staff.userId, userId)).limit(1);
  return row?.role ?? null;
}

/** Admins can do everything moderators can. Throws 403 `mod.forbidden` otherwise. */
export async function assertStaff(db: Db, userId: string, minimum: StaffRole): Promise<StaffRole> {
  const role = await staffRole(db, userId);
  if (!role || (minimum === 'admin' && role !== 'admin'))
    throw new AppError(403, 'mod.forbidden', 'This is for Salon’s moderation team.');
  return role;
}

type Deps = Pick<AppDeps, 'database' | 'crypto' | 'clock'>;

export interface StaffMember {
  userId: string;
  username: string;
  displayName: string;
  role: StaffRole;
  grantedAt: string;
}

/** The whole team, admins first. For admins and the operator only: it names people. */
export async function listStaff(deps: Pick<Deps, 'database'>): Promise<StaffMember[]> {
  const rows = await deps.database.db
    .select({
      userId: staff.userId,
      username: users.username,
      displayName: users.displayName,
      role: staff.role,
      grantedAt: staff.grantedAt,
    })
    .from(staff)
    .innerJoin(users, eq(users.id, staff.userId))
    .orderBy(asc(staff.role), asc(users.username));
  return rows.map((r) => ({ ...r, grantedAt: r.grantedAt.toISOString() }));
}

/**
 * Makes a member moderator or admin (or changes their role), in one transaction with the
 * `staff.granted` audit entry. `grantedBy` is the admin doing it, or null for the operator's CLI.
 * Only active members can be staff. An admin cannot step the last admin down to moderator.
 */
export async function grantStaff(
  deps: Deps,
  input: { username: string; role: StaffRole; grantedBy: string | null },
): Promise<StaffMember & { changed: boolean }> {
  const now = deps.clock.now();
  return deps.database.db.transaction(async (tx: Db) => {
    await lockStaff(tx);
    if (input.grantedBy) await assertStaff(tx, input.grantedBy, 'admin');
    const [user] = await tx
      .select({
        id: users.id,
        username: users.username,
        displayName: users.displayName,
        status: users.status,
      })
      .from(users)
      .where(eq(users.username, normalise(input.username)))
      .limit(1);
    if (user?.status !== 'active') throw staffErrors.userNotFound();
    const current = await staffRole(tx, user.id);
    if (current === input.role) {
      const [row] = await tx.select().from(staff).where(eq(staff.userId, user.id));
      return member(user, input.role, row?.grantedAt ?? now, false);
    }
    if (current === 'admin' && input.grantedBy) await assertNotLastAdmin(tx);
    await recordGrant(tx, deps, now, { userId: user.id, role: input.role, grantedBy: input.grantedBy });
    return member(user, input.role, now, true);
  });
}

/**
 * The first member of an empty Salon, who joined with the link the server prints at start-up,
 * becomes its admin. Runs inside the sign-up's transaction, under the staff lock, and grants only
 * while nobody else is a member and nobody is staff: the link cannot make a later member admin.
 * Returns whether the role was granted.
 */
export async function grantFirstAdmin(
  tx: Db,
  deps: Pick<Deps, 'crypto'>,
  userId: string,
  now: Date,
): Promise<boolean> {
  await lockStaff(tx);
  const [otherMember] = await tx.select({ id: users.id }).from(users).where(ne(users.id, userId)).limit(1);
  const [anyStaff] = await tx.select({ userId: staff.userId }).from(staff).limit(1);
  if (otherMember || anyStaff) return false;
  await recordGrant(tx, deps, now, { userId, role: 'admin', grantedBy: null, firstMember: true });
  return true;
}

/**
 * Every grant, whoever makes it: the role and its `staff.granted` audit entry, in the caller's
 * transaction, which holds the staff lock.
 */
async function recordGrant(
  tx: Db,
  deps: Pick<Deps, 'crypto'>,
  now: Date,
  grant: { userId: string; role: StaffRole; grantedBy: string | null; firstMember?: true },
) {
  await tx
    .insert(staff)
    .values({ userId: grant.userId, role: grant.role, grantedBy: grant.grantedBy, grantedAt: now })
    .onConflictDoUpdate({
      target: staff.userId,
      set: { role: grant.role, grantedBy: grant.grantedBy, grantedAt: now },
    });
  await appendAudit(tx, deps.crypto, now, {
    action: 'staff.granted',
    actorId: grant.grantedBy,
    subjectId: grant.userId,
    data: grant.firstMember ? { role: grant.role, firstMember: true } : { role: grant.role },
  });
}

function lockStaff(tx: Db) {
  return tx.execute(sql`select pg_advisory_xact_lock(${sql.raw(String(STAFF_LOCK))})`);
}

/**
 * Withdraws a member's staff role, in one transaction with the `staff.revoked` audit entry.
 * `revokedBy` is the admin doing it (who cannot remove the last admin), or null for the CLI.
 */
export async function revokeStaff(
  deps: Deps,
  input: { username: string; revokedBy: string | null },
): Promise<{ userId: string; username: string; role: StaffRole }> {
  const now = deps.clock.now();
  return deps.database.db.transaction(async (tx: Db) => {
    await lockStaff(tx);
    if (input.revokedBy) await assertStaff(tx, input.revokedBy, 'admin');
    const [user] = await tx
      .select({ id: users.id, username: users.username })
      .from(users)
      .where(eq(users.username, normalise(input.username)))
      .limit(1);
    if (!user) throw staffErrors.userNotFound();
    const role = await staffRole(tx, user.id);
    if (!role) throw staffErrors.notStaff();
    if (role === 'admin' && input.revokedBy) await assertNotLastAdmin(tx);
    await tx.delete(staff).where(eq(staff.userId, user.id));
    await appendAudit(tx, deps.crypto, now, {
      action: 'staff.revoked',
      actorId: input.revokedBy,
      subjectId: user.id,
      data: { role },
    });
    return { userId: user.id, username: user.username, role };
  });
}

async function assertNotLastAdmin(tx: Db) {
  const [row] = await tx.select({ n: sql<number>`count(*)::int` }).from(staff).where(eq(staff.role, 'admin'));
  if ((row?.n ?? 0) <= 1) throw staffErrors.lastAdmin();
}

function normalise(username: string) {
  return username.trim().replace(/^@/, '').toLowerCase();
}

function member(
  user: { id: string; username: string; displayName: string },
  role: StaffRole,
  grantedAt: Date,
  changed: boolean,
) {
  return {
    userId: user.id,
    username: user.username,
    displayName: user.displayName,
    role,
    grantedAt: grantedAt.toISOString(),
    changed,
  };
}
