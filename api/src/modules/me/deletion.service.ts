import { rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { enqueueJob, schema } from '@salon/db';
import { type DataMap, erasureGraceMs } from '@salon/policies';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { and, eq } from 'drizzle-orm';
import type { AppDeps } from '../../http/app-env';
import { AppError } from '../../http/errors';
import { shredVoiceOf } from '../../recorder/pipeline';
import { appendAudit } from '../audit/audit.service';
import { verifyAssertion } from '../auth/passkeys.service';
import { revokeOtherSessions } from '../auth/sessions';
import { handOverClubsOf } from '../clubs/clubs.service';
import { restrictionInForce } from '../moderation/bans.service';
import { exportsDir } from '../rights/export.service';
import { cancelScheduledRooms, endRoom, forgetInTimelines } from '../rooms/rooms.service';
import { leaveEverywhere } from '../rooms/stage.service';

const { users, rooms, dataExports } = schema;
type Deps = Pick<
  AppDeps,
  'database' | 'config' | 'clock' | 'crypto' | 'secrets' | 'livekit' | 'logger' | 'dataMap'
>;

export const deletionErrors = {
  wrongPasskey: () =>
    new AppError(403, 'deletion.wrong_passkey', 'Confirm with a passkey of the account you are deleting.'),
  notPending: () => new AppError(409, 'deletion.not_pending', 'This account is not being deleted.'),
};

export function erasureAt(deletedAt: Date, map: DataMap) {
  return new Date(deletedAt.getTime() + erasureGraceMs(map));
}

/**
 * GDPR art. 17, first step: with a fresh passkey assertion, the account is deactivated at once —
 * hidden, signed out everywhere, its live rooms ended — and erased after the grace period from
 * policies/ (or at once). Signing in again during the grace period lets the member cancel.
 */
export async function requestDeletion(
  deps: Deps,
  userId: string,
  input: { response: AuthenticationResponseJSON; immediate: boolean },
) {
  const now = deps.clock.now();
  const when = input.immediate ? now : erasureAt(now, deps.dataMap);
  const { hosted, left } = await deps.database.db.transaction(async (tx) => {
    const user = await verifyAssertion(tx, deps, input.response);
    if (user.id !== userId) throw deletionErrors.wrongPasskey();
    await tx.update(users).set({ status: 'deactivated', deletedAt: now }).where(eq(users.id, userId));
    await revokeOtherSessions(tx, userId);
    const hosted = await tx
      .select({ id: rooms.id })
      .from(rooms)
      .where(and(eq(rooms.hostId, userId), eq(rooms.status, 'live')));
    // Their own live rooms end below, which takes everyone out of them.
    const left = await leaveEverywhere(
      tx,
      deps,
      userId,
      now,
      'account_deleted',
      new Set(hosted.map((r) => r.id)),
    );
    await cancelScheduledRooms(tx, userId, now);
    await enqueueJob(
      tx,
      now,
      'accounts.erase',
      { userId, requestedAt: now.toISOString() },
      { runAt: when, dedupeKey: `erase:${userId}:${now.toISOString()}` },
    );
    await appendAudit(tx, deps.crypto, now, {
      action: 'account.deletion_requested',
      actorId: userId,
      subjectId: userId,
      data: { erasureAt: when.toISOString() },
    });
    return { hosted, left };
  });
  for (const disconnect of left) await disconnect();
  for (const room of hosted) await endRoom(deps, room.id, null, 'host');
  // "At once" means before this answer: the queued job stays as the retry if this fails midway.
  if (input.immediate) {
    await eraseAccount(deps, userId, now.toISOString()).catch((error: unknown) =>
      deps.logger.warn({ err: error }, 'immediate erasure failed; the eraser job will retry'),
    );
  }
  return { erasureAt: when.toISOString() };
}

export async function cancelDeletion(deps: Deps, userId: string) {
  const now = deps.clock.now();
  await deps.database.db.transaction(async (tx) => {
    // Cancelling a deletion must not lift a suspension or a ban that is still in force.
    const restriction = await restrictionInForce(tx, userId, now);
    const restored = await tx
      .update(users)
      .set({
        status: restriction?.status ?? 'active',
        suspendedUntil: restriction?.status === 'suspended' ? restriction.suspendedUntil : null,
        deletedAt: null,
      })
      .where(and(eq(users.id, userId), eq(users.status, 'deactivated')))
      .returning({ id: users.id });
    if (restored.length === 0) throw deletionErrors.notPending();
    await appendAudit(tx, deps.crypto, now, {
      action: 'account.deletion_cancelled',
      actorId: userId,
      subjectId: userId,
    });
  });
}

/**
 * The eraser (job `accounts.erase`). Deletes or pseudonymises as policies/data-map.yaml says:
 * rows that are the person's go with the account (foreign keys cascade), rows that belong to
 * others too lose the link (a room's host, a club's creator, their place in room timelines).
 * One transaction, so a crash leaves the account whole and the job's retry starts again. Idempotent:
 * it does nothing for an account already gone, or one whose deletion was cancelled.
 */
export async function eraseAccount(deps: Deps, userId: string, requestedAt: string) {
  const now = deps.clock.now();
  const files: string[] = [];
  const erased = await deps.database.db.transaction(async (tx) => {
    const [user] = await tx.select().from(users).where(eq(users.id, userId)).for('update');
    if (user?.status !== 'deactivated' || !user.deletedAt) return false;
    // A deletion that was cancelled and asked for again has a newer request: its own job will come.
    if (user.deletedAt.toISOString() !== requestedAt) return false;
    await handOverClubsOf(tx, userId);
    await forgetInTimelines(tx, userId);
    const archives = await tx
      .select({ file: dataExports.file })
      .from(dataExports)
      .where(eq(dataExports.userId, userId));
    files.push(...archives.flatMap((a) => (a.file ? [join(exportsDir(deps), basename(a.file))] : [])));
    // Recordings of their voice are shredded now rather than at 30 days; the files go after commit.
    const voice = await shredVoiceOf(tx, deps, userId);
    files.push(...voice);
    await tx.delete(users).where(eq(users.id, userId));
    await appendAudit(tx, deps.crypto, now, {
      action: 'account.erased',
      subjectId: userId,
      data: { recordingsShredded: voice.length },
    });
    return true;
  });
  // Their keys went with the rows; the sealed files go too.
  for (const file of files) await rm(file, { force: true });
  return erased;
}
