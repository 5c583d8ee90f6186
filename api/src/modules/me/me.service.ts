import { schema, searchKey } from '@salon/db';
import { and, asc, desc, eq, gt, isNull } from 'drizzle-orm';
import type { AppDeps } from '../../http/app-env';
import { AppError, errors } from '../../http/errors';
import { cancelAccountRecovery, removeAccountPasskey, renameAccountPasskey } from '../auth/accounts.service';
import { endSession } from '../auth/sessions';
import { type NotificationSettings, readSettings } from '../notifications/settings';
import { publicProfile } from '../people/people.service';
import { latestExport } from '../rights/export.service';
import { staffRole } from '../staff/staff.service';
import { erasureAt } from './deletion.service';

const { users, sessions, passkeys, recoveryRequests } = schema;

export const meErrors = {
  sessionNotFound: () => new AppError(404, 'session.not_found', 'No such session.'),
};

type Deps = Pick<AppDeps, 'database' | 'config' | 'clock' | 'crypto' | 'dataMap'>;

async function activeUser(deps: Deps, userId: string) {
  const [user] = await deps.database.db.select().from(users).where(eq(users.id, userId));
  if (!user) throw errors.unauthenticated();
  return user;
}

export async function getMe(deps: Deps, userId: string) {
  const user = await activeUser(deps, userId);
  const [recovery] = await deps.database.db
    .select({ availableAt: recoveryRequests.availableAt })
    .from(recoveryRequests)
    .where(
      and(
        eq(recoveryRequests.userId, userId),
        isNull(recoveryRequests.completedAt),
        isNull(recoveryRequests.cancelledAt),
        gt(recoveryRequests.expiresAt, deps.clock.now()),
      ),
    );
  return {
    ...(await publicProfile(deps, user, userId)),
    locale: user.locale,
    notificationSettings: readSettings(user.notificationSettings),
    recoveryPending: recovery ? { availableAt: recovery.availableAt.toISOString() } : null,
    lastExport: await latestExport(deps, userId),
    /** Salon's moderation team only: 'moderator' or 'admin' (the /mod console), else null. */
    staff: await staffRole(deps.database.db, userId),
    /** A suspension (with its end) or a ban: the member may then only read decisions, appeal and use their rights. */
    restriction:
      user.status === 'suspended'
        ? { status: 'suspended' as const, until: user.suspendedUntil?.toISOString() ?? null }
        : user.status === 'banned'
          ? { status: 'banned' as const, until: null }
          : null,
    deletion:
      user.status === 'deactivated' && user.deletedAt
        ? { erasureAt: erasureAt(user.deletedAt, deps.dataMap).toISOString() }
        : null,
  };
}

export async function updateMe(
  deps: Deps,
  userId: string,
  patch: {
    displayName?: string | undefined;
    bio?: string | undefined;
    interests?: string[] | undefined;
    locale?: 'fr' | 'en' | undefined;
    notificationSettings?: NotificationSettings | undefined;
  },
) {
  const user = await activeUser(deps, userId);
  const displayName = patch.displayName ?? user.displayName;
  await deps.database.db
    .update(users)
    .set({
      displayName,
      searchName: searchKey(displayName, user.username),
      bio: patch.bio ?? user.bio,
      interests: patch.interests ? [...new Set(patch.interests)].sort() : user.interests,
      locale: patch.locale ?? user.locale,
      notificationSettings: patch.notificationSettings ?? user.notificationSettings,
    })
    .where(eq(users.id, userId));
  return getMe(deps, userId);
}

export async function listSessions(deps: Deps, userId: string, currentSessionId: string) {
  const now = deps.clock.now();
  const idleCutoff = new Date(now.getTime() - deps.config.sessions.idleDays * 86_400_000);
  const rows = await deps.database.db
    .select()
    .from(sessions)
    .where(and(eq(sessions.userId, userId), gt(sessions.expiresAt, now), gt(sessions.lastSeenAt, idleCutoff)))
    .orderBy(desc(sessions.lastSeenAt));
  return rows.map((s) => ({
    id: s.id,
    label: s.label,
    createdAt: s.createdAt.toISOString(),
    lastSeenAt: s.lastSeenAt.toISOString(),
    current: s.id === currentSessionId,
  }));
}

export async function revokeSession(deps: Deps, userId: string, sessionId: string) {
  if (!(await endSession(deps.database.db, userId, sessionId))) throw meErrors.sessionNotFound();
}

export async function listPasskeys(deps: Deps, userId: string) {
  const rows = await deps.database.db
    .select()
    .from(passkeys)
    .where(eq(passkeys.userId, userId))
    .orderBy(asc(passkeys.createdAt));
  return rows.map((p) => ({
    id: p.id,
    name: p.name,
    backedUp: p.backedUp,
    createdAt: p.createdAt.toISOString(),
    lastUsedAt: p.lastUsedAt?.toISOString() ?? null,
  }));
}

export async function renamePasskey(deps: Deps, userId: string, passkeyId: string, name: string) {
  await renameAccountPasskey(deps, userId, passkeyId, name);
  return listPasskeys(deps, userId);
}

export async function removePasskey(deps: Deps, userId: string, passkeyId: string) {
  await removeAccountPasskey(deps, userId, passkeyId);
  return listPasskeys(deps, userId);
}

/** A signed-in device cancelling a recovery someone started with this account's phone number. */
export async function cancelRecovery(deps: Deps, userId: string) {
  await cancelAccountRecovery(deps, userId);
  return getMe(deps, userId);
}
