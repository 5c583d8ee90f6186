import { type Db, schema } from '@salon/db';
import { and, count, eq, gt, isNull } from 'drizzle-orm';
import type { z } from 'zod';
import { AppError } from '../../http/errors';
import { appendAudit } from '../audit/audit.service';
import { findUsableInvite } from '../invites/invites.service';
import { readTicket, spendTicket } from '../phone/otp.service';
import type { signupBody } from './auth.schemas';
import { type Deps, passkeyErrors, registrationOptions } from './passkeys.service';

const { users, passkeys, recoveryRequests, bans } = schema;
const HOUR_MS = 3_600_000;
/** A recovery that is not completed within a week of becoming available lapses. */
const RECOVERY_WINDOW_MS = 7 * 24 * HOUR_MS;

export const accountErrors = {
  /**
   * Deliberately says no more than that sign-up is refused: neither that the number is banned nor
   * that it ever belonged to an account.
   */
  signupRefused: () =>
    new AppError(403, 'signup.refused', 'Salon cannot open an account for this phone number.'),
  lastPasskey: () =>
    new AppError(409, 'passkey.last', 'This is your only passkey. Add another one before removing it.'),
  passkeyNotFound: () => new AppError(404, 'passkey.not_found', 'No such passkey on your account.'),
  noAccount: () =>
    new AppError(
      404,
      'recovery.no_account',
      'No account uses this phone number. You can join with an invite.',
    ),
};

/**
 * First half of sign-up: checks the ticket, the invite and the @username, then asks the browser
 * for a passkey. Nothing is created until the passkey comes back (finishRegistration).
 */
export async function beginSignup(deps: Deps, input: z.infer<typeof signupBody>) {
  const db = deps.database.db;
  const phone = await readTicket(deps, input.ticket);
  // A banned number cannot come back through a new account (not even after erasure).
  if (await isPhoneBanned(db, phone.phoneHash)) throw accountErrors.signupRefused();
  const { invite } = await findUsableInvite(deps, input.inviteCode);
  const [phoneOwner] = await db
    .select({ id: users.id })
    .from(users)
    .where(eq(users.phoneHash, phone.phoneHash));
  if (phoneOwner) throw passkeyErrors.phoneTaken();
  const [nameOwner] = await db.select({ id: users.id }).from(users).where(eq(users.username, input.username));
  if (nameOwner) throw passkeyErrors.usernameTaken();

  const webauthnUserId = deps.crypto.randomToken(32);
  return registrationOptions(deps, {
    purpose: 'signup',
    userId: null,
    webauthnUserId,
    username: input.username,
    displayName: input.displayName,
    exclude: [],
    pending: {
      phoneChallengeId: phone.challengeId,
      phoneHash: phone.phoneHash,
      phoneKeyVersion: phone.phoneKeyVersion,
      inviteId: invite.id,
      inviterId: invite.inviterId,
      username: input.username,
      displayName: input.displayName,
      locale: input.locale,
      adultAttestedAt: deps.clock.now().toISOString(),
      webauthnUserId,
    },
  });
}

/** Is this keyed phone hash banned? Moderation bans numbers (moderation/bans.service.ts); sign-up asks. */
async function isPhoneBanned(db: Db, phoneHash: string) {
  const [row] = await db.select({ at: bans.createdAt }).from(bans).where(eq(bans.phoneHash, phoneHash));
  return Boolean(row);
}

/** Is the @username free? For the sign-up form's live check. */
export async function usernameAvailable(deps: Deps, username: string) {
  const [owner] = await deps.database.db
    .select({ id: users.id })
    .from(users)
    .where(eq(users.username, username));
  return !owner;
}

/**
 * Lost-device recovery. The first phone check opens a request; a new passkey can be registered
 * only after the cool-down, with a second phone check. Meanwhile the member's signed-in devices
 * show the request and can cancel it (see me.service).
 */
export async function beginRecovery(deps: Deps, input: { ticket: string }) {
  const { database, clock, crypto, config } = deps;
  const now = clock.now();
  const phone = await readTicket(deps, input.ticket);
  const [user] = await database.db.select().from(users).where(eq(users.phoneHash, phone.phoneHash));
  if (!user) throw accountErrors.noAccount();
  if (user.status !== 'active') throw passkeyErrors.accountUnavailable();

  const open = await database.db.transaction(async (tx) => {
    await spendTicket(tx, phone.challengeId, now);
    const [existing] = await tx
      .select()
      .from(recoveryRequests)
      .where(
        and(
          eq(recoveryRequests.userId, user.id),
          isNull(recoveryRequests.completedAt),
          isNull(recoveryRequests.cancelledAt),
          gt(recoveryRequests.expiresAt, now),
        ),
      );
    if (existing) return existing;
    const availableAt = new Date(now.getTime() + config.recoveryCooldownHours * HOUR_MS);
    const [created] = await tx
      .insert(recoveryRequests)
      .values({
        userId: user.id,
        createdAt: now,
        availableAt,
        expiresAt: new Date(availableAt.getTime() + RECOVERY_WINDOW_MS),
      })
      .returning();
    await appendAudit(tx, crypto, now, { action: 'recovery.requested', subjectId: user.id });
    return created;
  });
  if (!open) throw passkeyErrors.notVerified();
  if (open.availableAt > now)
    return { status: 'waiting' as const, availableAt: open.availableAt.toISOString() };

  const existing = await database.db
    .select({ id: passkeys.id, transports: passkeys.transports })
    .from(passkeys)
    .where(eq(passkeys.userId, user.id));
  const options = await registrationOptions(deps, {
    purpose: 'recover',
    userId: user.id,
    webauthnUserId: user.webauthnUserId,
    username: user.username,
    displayName: user.displayName,
    exclude: existing,
    pending: { recoveryId: open.id, phoneChallengeId: phone.challengeId },
  });
  return { status: 'ready' as const, options };
}

/** Options to add one more passkey to a signed-in account. */
export async function beginAddPasskey(deps: Deps, userId: string) {
  const [user] = await deps.database.db.select().from(users).where(eq(users.id, userId));
  if (!user) throw passkeyErrors.accountUnavailable();
  const existing = await deps.database.db
    .select({ id: passkeys.id, transports: passkeys.transports })
    .from(passkeys)
    .where(eq(passkeys.userId, userId));
  return registrationOptions(deps, {
    purpose: 'add',
    userId,
    webauthnUserId: user.webauthnUserId,
    username: user.username,
    displayName: user.displayName,
    exclude: existing,
    pending: null,
  });
}

export async function renameAccountPasskey(
  deps: Pick<Deps, 'database'>,
  userId: string,
  passkeyId: string,
  name: string,
) {
  const renamed = await deps.database.db
    .update(passkeys)
    .set({ name })
    .where(and(eq(passkeys.id, passkeyId), eq(passkeys.userId, userId)))
    .returning({ id: passkeys.id });
  if (renamed.length === 0) throw accountErrors.passkeyNotFound();
}

/** Removes a passkey, never the last one: an account without a passkey could only be recovered. */
export async function removeAccountPasskey(
  deps: Pick<Deps, 'database' | 'crypto' | 'clock'>,
  userId: string,
  passkeyId: string,
) {
  await deps.database.db.transaction(async (tx) => {
    await tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).for('update');
    const [total] = await tx.select({ n: count() }).from(passkeys).where(eq(passkeys.userId, userId));
    const [target] = await tx
      .select({ id: passkeys.id })
      .from(passkeys)
      .where(and(eq(passkeys.id, passkeyId), eq(passkeys.userId, userId)));
    if (!target) throw accountErrors.passkeyNotFound();
    if ((total?.n ?? 0) <= 1) throw accountErrors.lastPasskey();
    await tx.delete(passkeys).where(eq(passkeys.id, passkeyId));
    await appendAudit(tx, deps.crypto, deps.clock.now(), {
      action: 'passkey.removed',
      actorId: userId,
      subjectId: userId,
    });
  });
}

/** Cancels the open recovery of an account (from one of its signed-in devices), if there is one. */
export async function cancelAccountRecovery(
  deps: Pick<Deps, 'database' | 'crypto' | 'clock'>,
  userId: string,
) {
  const now = deps.clock.now();
  await deps.database.db.transaction(async (tx) => {
    const cancelled = await tx
      .update(recoveryRequests)
      .set({ cancelledAt: now })
      .where(
        and(
          eq(recoveryRequests.userId, userId),
          isNull(recoveryRequests.completedAt),
          isNull(recoveryRequests.cancelledAt),
        ),
      )
      .returning({ id: recoveryRequests.id });
    if (cancelled.length > 0) {
      await appendAudit(tx, deps.crypto, now, {
        action: 'recovery.cancelled',
        actorId: userId,
        subjectId: userId,
      });
    }
  });
}
