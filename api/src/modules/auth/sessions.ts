import { type Db, preparedFor, schema } from '@salon/db';
import Bowser from 'bowser';
import { and, eq, gt, lte, ne, sql } from 'drizzle-orm';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Crypto } from '../../crypto';
import type { Config } from '../../env';
import type { AppDeps, AppEnv, SessionUser } from '../../http/app-env';
import { errors } from '../../http/errors';
import { isStorableText } from '../../http/text';
import { DEACTIVATED_MEMBER_MAY, RESTRICTED_MEMBER_MAY, routeKey } from './access';

const { sessions, users } = schema;
const DAY_MS = 86_400_000;
/** last_seen_at is refreshed at most this often, so reads do not each cost a write. */
const TOUCH_EVERY_MS = 5 * 60_000;

/** `__Host-` pins the cookie to this exact origin; browsers allow it only over https. */
export function sessionCookieName(config: Config) {
  return secureCookies(config) ? '__Host-salon_session' : 'salon_session';
}

/** Secure everywhere except plain-http localhost, where browsers would drop a Secure cookie. */
export function secureCookies(config: Config) {
  const { protocol, hostname } = config.publicUrl;
  return !(protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(hostname));
}

/** "Firefox on Android": enough to recognise one's own devices, nothing more (no version, no model). */
export function deviceLabel(userAgent: string | undefined) {
  const unknown = 'Unknown device';
  // The header is the one free text a sign-in stores without a schema: same rule as every input.
  if (!userAgent || !isStorableText(userAgent)) return unknown;
  const parsed = Bowser.parse(userAgent);
  const browser = parsed.browser.name;
  const os = parsed.os.name;
  if (browser && os) return `${browser} on ${os}`;
  return browser ?? os ?? unknown;
}

export async function createSession(
  tx: Db,
  deps: { crypto: Crypto; config: Config },
  input: { userId: string; userAgent: string | undefined; now: Date },
) {
  const token = deps.crypto.randomToken(32);
  const [row] = await tx
    .insert(sessions)
    .values({
      userId: input.userId,
      tokenHash: deps.crypto.hash(token),
      label: deviceLabel(input.userAgent),
      createdAt: input.now,
      lastSeenAt: input.now,
      expiresAt: new Date(input.now.getTime() + deps.config.sessions.absoluteDays * DAY_MS),
    })
    .returning({ id: sessions.id, expiresAt: sessions.expiresAt });
  if (!row) throw errors.internal();
  return { token, sessionId: row.id, expiresAt: row.expiresAt };
}

export function setSessionCookie(c: Context, config: Config, token: string, expiresAt: Date) {
  setCookie(c, sessionCookieName(config), token, {
    httpOnly: true,
    secure: secureCookies(config),
    sameSite: 'Lax',
    path: '/',
    expires: expiresAt,
  });
}

export function clearSessionCookie(c: Context, config: Config) {
  deleteCookie(c, sessionCookieName(config), { path: '/', secure: secureCookies(config) });
}

/** Ends one session of a member (logout, or revoking a device from settings). */
export async function endSession(tx: Db, userId: string, sessionId: string) {
  const ended = await tx
    .delete(sessions)
    .where(and(eq(sessions.userId, userId), eq(sessions.id, sessionId)))
    .returning({ id: sessions.id });
  return ended.length > 0;
}

/** Revokes every session of a user but one (or all of them when `keep` is undefined). */
export async function revokeOtherSessions(tx: Db, userId: string, keep?: string) {
  await tx
    .delete(sessions)
    .where(keep ? and(eq(sessions.userId, userId), ne(sessions.id, keep)) : eq(sessions.userId, userId));
}

/** Every request's first query: prepared once per database handle. */
const sessionLookup = preparedFor((db) =>
  db
    .select({
      id: sessions.id,
      userId: sessions.userId,
      lastSeenAt: sessions.lastSeenAt,
      status: users.status,
      suspendedUntil: users.suspendedUntil,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(
      and(
        eq(sessions.tokenHash, sql.placeholder('tokenHash')),
        gt(sessions.expiresAt, sql.placeholder('now')),
        gt(sessions.lastSeenAt, sql.placeholder('idleCutoff')),
      ),
    )
    .prepare('session_lookup'),
);

/** Resolves the session cookie into `c.var.auth`, enforcing idle and absolute expiry. */
export function sessionMiddleware(
  deps: Pick<AppDeps, 'database' | 'config' | 'crypto' | 'clock'>,
): MiddlewareHandler<AppEnv> {
  const { database, config, crypto, clock } = deps;
  return async (c, next) => {
    c.set('auth', undefined);
    const token = getCookie(c, sessionCookieName(config));
    if (token && token.length <= 64) {
      const now = clock.now();
      const idleCutoff = new Date(now.getTime() - config.sessions.idleDays * DAY_MS);
      // A prepared statement's parameters skip the columns' mapping: times go as ISO strings.
      const [row] = await sessionLookup(database.db).execute({
        tokenHash: crypto.hash(token),
        now: now.toISOString(),
        idleCutoff: idleCutoff.toISOString(),
      });
      let status = row?.status;
      // A suspension ends by itself: the first request after `suspended_until` lifts it.
      if (row && status === 'suspended' && row.suspendedUntil && row.suspendedUntil <= now) {
        await database.db
          .update(users)
          .set({ status: 'active', suspendedUntil: null })
          .where(
            and(eq(users.id, row.userId), eq(users.status, 'suspended'), lte(users.suspendedUntil, now)),
          );
        status = 'active';
      }
      if (row && status) {
        const auth: SessionUser = {
          userId: row.userId,
          sessionId: row.id,
          deactivated: status === 'deactivated',
          restriction: status === 'suspended' || status === 'banned' ? status : undefined,
        };
        c.set('auth', auth);
        if (now.getTime() - row.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
          await database.db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, row.id));
        }
      }
    }
    await next();
  };
}

/**
 * The signed-in member, or a 401. A restricted account (suspended, banned, waiting for erasure)
 * may use only the routes access.ts lists for it; anything else answers 403 with its standing.
 */
export function requireAuth(c: Context<AppEnv>) {
  const auth = c.get('auth');
  if (!auth) throw errors.unauthenticated();
  const route = routeKey(c.req.method, c.req.routePath);
  if (auth.restriction && !RESTRICTED_MEMBER_MAY.has(route)) {
    throw errors.forbidden(
      `account.${auth.restriction}`,
      auth.restriction === 'banned'
        ? 'This account is banned. You can read the decision and appeal it.'
        : 'This account is suspended. You can read the decision and appeal it.',
    );
  }
  if (auth.deactivated && !DEACTIVATED_MEMBER_MAY.has(route)) {
    throw errors.forbidden(
      'account.pending_deletion',
      'This account is being deleted. Cancel the deletion to use it.',
    );
  }
  return auth;
}

/**
 * CSRF defence for cookie-authenticated writes: the browser's Origin (or Sec-Fetch-Site) must say
 * the request comes from our own pages. SameSite=Lax already blocks most cross-site posts; this
 * closes the rest (same-site subdomains, old browsers).
 */
export function csrfMiddleware(config: Config): MiddlewareHandler<AppEnv> {
  const expected = config.publicUrl.origin;
  return async (c, next) => {
    const method = c.req.method;
    if (method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS' && c.req.header('cookie')) {
      const origin = c.req.header('origin');
      const site = c.req.header('sec-fetch-site');
      const sameOrigin = origin ? origin === expected : site === 'same-origin' || site === 'none';
      if (!sameOrigin)
        throw errors.forbidden('csrf.origin_mismatch', 'This request did not come from Salon.');
    }
    await next();
  };
}
