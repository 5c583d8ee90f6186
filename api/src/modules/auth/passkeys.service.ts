import { type Db, schema, searchKey } from '@salon/db';
import {
  type AuthenticationResponseJSON,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type WebAuthnCredential,
} from '@simplewebauthn/server';
import { and, eq, gt, isNull } from 'drizzle-orm';
import type { AppDeps } from '../../http/app-env';
import { AppError, errors } from '../../http/errors';
import { appendAudit } from '../audit/audit.service';
import { invitesErrors, useInvite } from '../invites/invites.service';
import { otpErrors, spendTicket } from '../phone/otp.service';
import { grantFirstAdmin } from '../staff/staff.service';
import { createSession, deviceLabel, revokeOtherSessions } from './sessions';

const { users, passkeys, webauthnChallenges, recoveryRequests } = schema;

const CEREMONY_TTL_MS = 5 * 60_000;

export const passkeyErrors = {
  ceremonyExpired: () =>
    new AppError(400, 'passkey.ceremony_expired', 'This passkey request has expired. Start again.'),
  notVerified: () => new AppError(400, 'passkey.not_verified', 'The passkey could not be verified.'),
  unknownCredential: () => new AppError(401, 'passkey.unknown', 'This passkey is not registered on Salon.'),
  accountUnavailable: () => new AppError(403, 'account.unavailable', 'This account cannot sign in.'),
  usernameTaken: () => new AppError(409, 'username.taken', 'This @username is already taken.'),
  phoneTaken: () =>
    new AppError(409, 'account.exists', 'An account already uses this phone number. Sign in or recover it.'),
};

export type Deps = Pick<AppDeps, 'database' | 'config' | 'crypto' | 'clock' | 'secrets'>;

/** What a sign-up ceremony carries until the passkey exists; it holds a phone hash, never a number. */
export interface PendingSignup {
  phoneChallengeId: string;
  phoneHash: string;
  phoneKeyVersion: number;
  inviteId: string;
  inviterId: string | null;
  username: string;
  displayName: string;
  locale: 'fr' | 'en';
  adultAttestedAt: string;
  webauthnUserId: string;
}

interface PendingRecovery {
  recoveryId: string;
  phoneChallengeId: string;
}

function rp(deps: Deps) {
  return { rpID: deps.config.publicUrl.hostname, origin: deps.config.publicUrl.origin };
}

/** Creation options for a new passkey; resident key and user verification are both required. */
export async function registrationOptions(
  deps: Deps,
  input: {
    purpose: 'signup' | 'add' | 'recover';
    userId: string | null;
    webauthnUserId: string;
    username: string;
    displayName: string;
    exclude: { id: string; transports: string[] }[];
    pending: PendingSignup | PendingRecovery | null;
  },
) {
  const now = deps.clock.now();
  const options = await generateRegistrationOptions({
    rpName: 'Salon',
    rpID: rp(deps).rpID,
    userName: `@${input.username}`,
    userID: deps.crypto.fromBase64Url(input.webauthnUserId),
    userDisplayName: input.displayName,
    attestationType: 'none',
    excludeCredentials: input.exclude,
    authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
    timeout: CEREMONY_TTL_MS,
  });
  await deps.database.db.insert(webauthnChallenges).values({
    challenge: options.challenge,
    purpose: input.purpose,
    userId: input.userId,
    pending: input.pending,
    createdAt: now,
    expiresAt: new Date(now.getTime() + CEREMONY_TTL_MS),
  });
  return options;
}

/** Takes (and so consumes) the ceremony whose challenge the browser signed. */
async function takeCeremony(tx: Db, clientDataJSON: string, now: Date, crypto: Deps['crypto']) {
  let challenge: string;
  try {
    challenge = JSON.parse(new TextDecoder().decode(crypto.fromBase64Url(clientDataJSON))).challenge;
  } catch {
    throw passkeyErrors.notVerified();
  }
  if (typeof challenge !== 'string') throw passkeyErrors.notVerified();
  const [row] = await tx
    .delete(webauthnChallenges)
    .where(and(eq(webauthnChallenges.challenge, challenge), gt(webauthnChallenges.expiresAt, now)))
    .returning();
  if (!row) throw passkeyErrors.ceremonyExpired();
  return row;
}

/**
 * Finishes any registration ceremony: a sign-up creates the account, a recovery replaces
 * every session, an addition just stores one more passkey. Returns a new session when one is due.
 */
export async function finishRegistration(
  deps: Deps,
  input: {
    response: RegistrationResponseJSON;
    userAgent: string | undefined;
    currentUserId: string | undefined;
  },
) {
  const { database, crypto, clock } = deps;
  const now = clock.now();
  return database.db.transaction(async (tx) => {
    const ceremony = await takeCeremony(tx, input.response.response.clientDataJSON, now, crypto);
    if (ceremony.purpose === 'login') throw passkeyErrors.notVerified();
    const { rpID, origin } = rp(deps);
    const verification = await verifyRegistrationResponse({
      response: input.response,
      expectedChallenge: ceremony.challenge,
      expectedOrigin: origin,
      expectedRPID: rpID,
      requireUserVerification: true,
    }).catch(() => ({ verified: false as const }));
    if (!verification.verified) throw passkeyErrors.notVerified();
    const info = verification.registrationInfo;

    let userId: string;
    let newSession = true;
    if (ceremony.purpose === 'signup') {
      userId = await createAccount(tx, deps, ceremony.pending as PendingSignup, now);
    } else if (ceremony.purpose === 'recover') {
      const pending = ceremony.pending as PendingRecovery;
      if (!ceremony.userId) throw passkeyErrors.notVerified();
      userId = ceremony.userId;
      const [done] = await tx
        .update(recoveryRequests)
        .set({ completedAt: now })
        .where(
          and(
            eq(recoveryRequests.id, pending.recoveryId),
            isNull(recoveryRequests.completedAt),
            isNull(recoveryRequests.cancelledAt),
          ),
        )
        .returning({ id: recoveryRequests.id });
      if (!done) throw passkeyErrors.ceremonyExpired();
      await revokeOtherSessions(tx, userId);
      await appendAudit(tx, crypto, now, { action: 'account.recovered', actorId: userId, subjectId: userId });
    } else {
      if (!ceremony.userId || ceremony.userId !== input.currentUserId) throw errors.unauthenticated();
      userId = ceremony.userId;
      newSession = false;
    }

    await tx.insert(passkeys).values({
      id: info.credential.id,
      userId,
      publicKey: crypto.toBase64Url(info.credential.publicKey),
      counter: info.credential.counter,
      transports: info.credential.transports ?? [],
      deviceType: info.credentialDeviceType,
      backedUp: info.credentialBackedUp,
      name: deviceLabel(input.userAgent),
      createdAt: now,
    });
    const session = newSession
      ? await createSession(tx, deps, { userId, userAgent: input.userAgent, now })
      : undefined;
    return { userId, purpose: ceremony.purpose, session };
  });
}

async function createAccount(tx: Db, deps: Deps, pending: PendingSignup, now: Date) {
  if (!(await spendTicket(tx, pending.phoneChallengeId, now))) throw otpErrors.invalidTicket();
  const [phoneOwner] = await tx
    .select({ id: users.id })
    .from(users)
    .where(eq(users.phoneHash, pending.phoneHash));
  if (phoneOwner) throw passkeyErrors.phoneTaken();
  const [nameOwner] = await tx
    .select({ id: users.id })
    .from(users)
    .where(eq(users.username, pending.username));
  if (nameOwner) throw passkeyErrors.usernameTaken();

  const [user] = await tx
    .insert(users)
    .values({
      username: pending.username,
      displayName: pending.displayName,
      searchName: searchKey(pending.displayName, pending.username),
      locale: pending.locale,
      phoneHash: pending.phoneHash,
      phoneKeyVersion: pending.phoneKeyVersion,
      webauthnUserId: pending.webauthnUserId,
      adultAttestedAt: new Date(pending.adultAttestedAt),
      invitedBy: pending.inviterId,
      createdAt: now,
    })
    .returning({ id: users.id });
  if (!user) throw errors.internal();
  const used = await useInvite(tx, pending.inviteId, user.id, now);
  if (!used) throw invitesErrors.invalid();
  // The start-up link of an empty Salon: its holder becomes admin, unless someone joined first.
  if (used.firstMember) await grantFirstAdmin(tx, deps, user.id, now);
  return user.id;
}

/** Discoverable-credential login: no username is asked, the authenticator offers its passkeys. */
export async function loginOptions(deps: Deps) {
  const now = deps.clock.now();
  const options = await generateAuthenticationOptions({
    rpID: rp(deps).rpID,
    userVerification: 'required',
    timeout: CEREMONY_TTL_MS,
  });
  await deps.database.db.insert(webauthnChallenges).values({
    challenge: options.challenge,
    purpose: 'login',
    createdAt: now,
    expiresAt: new Date(now.getTime() + CEREMONY_TTL_MS),
  });
  return options;
}

/** Verifies an assertion against its ceremony; returns the member it proves, without side effects on sessions. */
export async function verifyAssertion(tx: Db, deps: Deps, response: AuthenticationResponseJSON) {
  const now = deps.clock.now();
  const ceremony = await takeCeremony(tx, response.response.clientDataJSON, now, deps.crypto);
  if (ceremony.purpose !== 'login') throw passkeyErrors.notVerified();
  const [found] = await tx
    .select({ passkey: passkeys, user: users })
    .from(passkeys)
    .innerJoin(users, eq(users.id, passkeys.userId))
    .where(eq(passkeys.id, response.id));
  if (!found) throw passkeyErrors.unknownCredential();
  const { passkey, user } = found;
  if (response.response.userHandle && response.response.userHandle !== user.webauthnUserId) {
    throw passkeyErrors.notVerified();
  }
  const { rpID, origin } = rp(deps);
  const verification = await verifyAuthenticationResponse({
    response,
    expectedChallenge: ceremony.challenge,
    expectedOrigin: origin,
    expectedRPID: rpID,
    requireUserVerification: true,
    credential: {
      id: passkey.id,
      publicKey: deps.crypto.fromBase64Url(passkey.publicKey),
      counter: passkey.counter,
      transports: passkey.transports as WebAuthnCredential['transports'],
    },
  }).catch(() => ({ verified: false, authenticationInfo: undefined }));
  if (!verification.verified || !verification.authenticationInfo) throw passkeyErrors.notVerified();
  await tx
    .update(passkeys)
    .set({ counter: verification.authenticationInfo.newCounter, lastUsedAt: now })
    .where(eq(passkeys.id, passkey.id));
  return user;
}

export async function finishLogin(
  deps: Deps,
  input: { response: AuthenticationResponseJSON; userAgent: string | undefined },
) {
  const now = deps.clock.now();
  return deps.database.db.transaction(async (tx) => {
    const user = await verifyAssertion(tx, deps, input.response);
    // Every account that exists may sign in: one waiting for erasure to cancel it, a suspended or
    // banned one to read the decision, appeal and use its GDPR rights (requireAuth limits the rest).
    const session = await createSession(tx, deps, { userId: user.id, userAgent: input.userAgent, now });
    return { userId: user.id, session, pendingDeletion: user.status === 'deactivated' };
  });
}
