import { type Db, schema } from '@salon/db';
import { and, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import type { AppDeps } from '../../http/app-env';
import { AppError, errors } from '../../http/errors';
import { enforce, hit, peek, secondsLeft, serialize } from '../../ratelimit/rate-limit';
import { hashPhone, normalizePhone } from './phone';
import { smsUnavailable } from './sms';

const { phoneChallenges, users } = schema;

const CODE_TTL_MS = 10 * 60_000;
const TICKET_TTL_MS = 15 * 60_000;
const MAX_ATTEMPTS = 5;
const HOUR = 3600;

export const otpErrors = {
  expired: () => new AppError(400, 'otp.expired', 'This code has expired. Ask for a new one.'),
  locked: () => new AppError(429, 'otp.locked', 'Too many wrong codes. Ask for a new one.'),
  wrongCode: (remainingAttempts: number) =>
    new AppError(400, 'otp.wrong_code', 'This code is not the right one.', [{ remainingAttempts }]),
  invalidTicket: () =>
    new AppError(400, 'ticket.invalid', 'Your phone check has expired or was already used. Start again.'),
};

const smsText = {
  fr: (code: string) =>
    `Salon : votre code est ${code}. Il expire dans 10 minutes. Ne le partagez avec personne.`,
  en: (code: string) => `Salon: your code is ${code}. It expires in 10 minutes. Do not share it with anyone.`,
};

type Deps = Pick<AppDeps, 'database' | 'config' | 'secrets' | 'crypto' | 'clock' | 'sms' | 'logger'>;

/**
 * Sends a 6-digit code. The answer is the same whether or not an account exists for the number,
 * so this endpoint cannot be used to find out who is a member.
 */
export async function startPhoneCheck(
  deps: Deps,
  input: { phone: string; country: string; locale: 'fr' | 'en'; clientPrefix: string },
) {
  const { database, config, secrets, crypto, clock, sms } = deps;
  const db = database.db;
  const phone = normalizePhone(input.phone, input.country, config.otp.allowedCountries);
  const { phoneHash, phoneKeyVersion } = hashPhone(phone.e164, crypto, secrets);
  const now = clock.now();

  // SMS pumping defences: back-off per number, then caps per number, network and country. One
  // transaction, serialised per number: requests arriving together are checked and counted one
  // after the other, and a refusal (which rolls back) counts nothing.
  const perPhone = { key: `otp:phone:${phoneHash}`, windowSeconds: HOUR, now };
  const sent = await db.transaction(async (tx) => {
    await serialize(tx, perPhone.key);
    const previous = await peek(tx, perPhone);
    if (previous.count >= config.otp.maxPerPhonePerHour) {
      throw errors.rateLimited('otp.rate_limited', secondsLeft(perPhone));
    }
    if (previous.lastAt) {
      const waitMs = config.otp.resendCooldownSeconds * 1000 * 2 ** (previous.count - 1);
      const readyAt = previous.lastAt.getTime() + waitMs;
      if (now.getTime() < readyAt) {
        throw errors.rateLimited('otp.cooldown', Math.ceil((readyAt - now.getTime()) / 1000));
      }
    }
    const code = 'otp.rate_limited';
    await enforce(tx, {
      key: `otp:ip:${input.clientPrefix}`,
      windowSeconds: HOUR,
      now,
      limit: config.otp.maxPerIpPrefixPerHour,
      code,
    });
    await enforce(tx, {
      key: `otp:country:${phone.country}`,
      windowSeconds: HOUR,
      now,
      limit: config.otp.maxPerCountryPerHour,
      code,
    });
    return hit(tx, perPhone);
  });

  const otp = crypto.randomDigits(6);
  const [challenge] = await db
    .insert(phoneChallenges)
    .values({
      phoneHash,
      phoneKeyVersion,
      country: phone.country,
      codeHash: 'pending',
      createdAt: now,
      expiresAt: new Date(now.getTime() + CODE_TTL_MS),
    })
    .returning({ id: phoneChallenges.id });
  if (!challenge) throw errors.internal();
  await db
    .update(phoneChallenges)
    .set({ codeHash: codeHash(deps, challenge.id, otp) })
    .where(eq(phoneChallenges.id, challenge.id));

  try {
    await sms.send({ to: phone.e164, body: smsText[input.locale](otp), challengeId: challenge.id });
  } catch (error) {
    await db.delete(phoneChallenges).where(eq(phoneChallenges.id, challenge.id));
    deps.logger.warn({ provider: sms.name, err: error }, 'sms send failed');
    throw smsUnavailable();
  }
  return {
    challengeId: challenge.id,
    retryAfterSeconds: config.otp.resendCooldownSeconds * 2 ** (sent.count - 1),
  };
}

/** Checks a code (5 tries, constant-time) and hands out a single-use ticket for the next step. */
export async function verifyPhoneCheck(deps: Deps, input: { challengeId: string; code: string }) {
  const { database, crypto, clock } = deps;
  const db = database.db;
  const now = clock.now();
  // One atomic increment per try, so parallel guesses cannot exceed the limit.
  const [challenge] = await db
    .update(phoneChallenges)
    .set({ attempts: sql`${phoneChallenges.attempts} + 1` })
    .where(
      and(
        eq(phoneChallenges.id, input.challengeId),
        isNull(phoneChallenges.verifiedAt),
        isNull(phoneChallenges.lockedAt),
        gt(phoneChallenges.expiresAt, now),
        lt(phoneChallenges.attempts, MAX_ATTEMPTS),
      ),
    )
    .returning();
  if (!challenge) {
    const [existing] = await db
      .select()
      .from(phoneChallenges)
      .where(eq(phoneChallenges.id, input.challengeId));
    if (existing?.lockedAt || (existing && existing.attempts >= MAX_ATTEMPTS)) throw otpErrors.locked();
    throw otpErrors.expired();
  }
  if (!crypto.equal(codeHash(deps, challenge.id, input.code), challenge.codeHash)) {
    const remaining = MAX_ATTEMPTS - challenge.attempts;
    if (remaining <= 0) {
      await db.update(phoneChallenges).set({ lockedAt: now }).where(eq(phoneChallenges.id, challenge.id));
      throw otpErrors.locked();
    }
    throw otpErrors.wrongCode(remaining);
  }
  const ticket = crypto.randomToken();
  await db
    .update(phoneChallenges)
    .set({
      verifiedAt: now,
      ticketHash: crypto.hash(ticket),
      ticketExpiresAt: new Date(now.getTime() + TICKET_TTL_MS),
    })
    .where(eq(phoneChallenges.id, challenge.id));
  const [account] = await db
    .select({ id: users.id })
    .from(users)
    .where(eq(users.phoneHash, challenge.phoneHash))
    .limit(1);
  return { ticket, accountExists: Boolean(account) };
}

/** The verified phone behind a ticket, still unused and unexpired. */
export async function readTicket(deps: Pick<Deps, 'database' | 'crypto' | 'clock'>, ticket: string) {
  const [row] = await deps.database.db
    .select()
    .from(phoneChallenges)
    .where(
      and(
        eq(phoneChallenges.ticketHash, deps.crypto.hash(ticket)),
        isNull(phoneChallenges.ticketUsedAt),
        gt(phoneChallenges.ticketExpiresAt, deps.clock.now()),
      ),
    );
  if (!row) throw otpErrors.invalidTicket();
  return { challengeId: row.id, phoneHash: row.phoneHash, phoneKeyVersion: row.phoneKeyVersion };
}

/**
 * Spends a ticket, in the transaction of what it was for (creating an account, opening a
 * recovery): it cannot serve twice. False when it was spent already.
 */
export async function spendTicket(tx: Db, challengeId: string, now: Date) {
  const spent = await tx
    .update(phoneChallenges)
    .set({ ticketUsedAt: now })
    .where(and(eq(phoneChallenges.id, challengeId), isNull(phoneChallenges.ticketUsedAt)))
    .returning({ id: phoneChallenges.id });
  return spent.length > 0;
}

function codeHash(deps: Pick<Deps, 'crypto' | 'secrets'>, challengeId: string, code: string) {
  return deps.crypto.keyedHash(`otp:${challengeId}:${code}`, deps.secrets.phoneHashKey);
}
