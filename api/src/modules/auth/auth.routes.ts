import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { z } from 'zod';
import type { AppDeps, AppEnv } from '../../http/app-env';
import { clientPrefix } from '../../http/client';
import { validate } from '../../http/validate';
import { enforce } from '../../ratelimit/rate-limit';
import { startPhoneCheck, verifyPhoneCheck } from '../phone/otp.service';
import { beginRecovery, beginSignup, usernameAvailable } from './accounts.service';
import {
  authenticationBody,
  otpStartBody,
  otpVerifyBody,
  recoveryBody,
  registrationBody,
  signupBody,
  username,
} from './auth.schemas';
import { finishLogin, finishRegistration, loginOptions } from './passkeys.service';
import { clearSessionCookie, endSession, setSessionCookie } from './sessions';

const doc = (summary: string) => describeRoute({ summary, tags: ['auth'] });

export function authRoutes(deps: AppDeps) {
  const { config, database, clock } = deps;

  /** A per-network budget for endpoints that can be brute-forced or cost money. */
  const throttle = (
    c: Parameters<typeof clientPrefix>[0],
    name: 'otp_verify' | 'username_check' | 'signup' | 'recovery' | 'login',
    perHour: number,
  ) =>
    enforce(database.db, {
      key: `${name}:ip:${clientPrefix(c, config)}`,
      windowSeconds: 3600,
      now: clock.now(),
      limit: perHour,
      code: `${name}.rate_limited` as const,
    });

  return new Hono<AppEnv>()
    .post(
      '/otp/start',
      doc('Send a code by SMS to a mobile number'),
      validate('json', otpStartBody),
      async (c) => {
        const body = c.req.valid('json');
        const result = await startPhoneCheck(deps, { ...body, clientPrefix: clientPrefix(c, config) });
        return c.json(result, 202);
      },
    )
    .post('/otp/verify', doc('Check the SMS code'), validate('json', otpVerifyBody), async (c) => {
      await throttle(c, 'otp_verify', 120);
      return c.json(await verifyPhoneCheck(deps, c.req.valid('json')), 200);
    })
    .get(
      '/username/:username',
      doc('Is this @username free?'),
      validate('param', z.strictObject({ username: z.string().max(64) })),
      async (c) => {
        await throttle(c, 'username_check', 600);
        const parsed = username.safeParse(c.req.valid('param').username);
        if (!parsed.success)
          return c.json({ available: false, reason: parsed.error.issues[0]?.message ?? 'invalid' }, 200);
        return c.json({ available: await usernameAvailable(deps, parsed.data), reason: null }, 200);
      },
    )
    .post(
      '/signup',
      doc('Start sign-up: returns passkey creation options'),
      validate('json', signupBody),
      async (c) => {
        await throttle(c, 'signup', 60);
        return c.json(await beginSignup(deps, c.req.valid('json')), 200);
      },
    )
    .post(
      '/recovery',
      doc('Recover an account after losing its passkeys'),
      validate('json', recoveryBody),
      async (c) => {
        await throttle(c, 'recovery', 30);
        return c.json(await beginRecovery(deps, c.req.valid('json')), 200);
      },
    )
    .post(
      '/passkeys/register/verify',
      doc('Finish a passkey registration (sign-up, recovery or an added passkey)'),
      validate('json', registrationBody),
      async (c) => {
        const { response } = c.req.valid('json');
        const result = await finishRegistration(deps, {
          response: response as unknown as RegistrationResponseJSON,
          userAgent: c.req.header('user-agent'),
          currentUserId: c.get('auth')?.userId,
        });
        if (result.session) setSessionCookie(c, config, result.session.token, result.session.expiresAt);
        return c.json({ userId: result.userId, purpose: result.purpose }, 200);
      },
    )
    .post('/passkeys/login/options', doc('Options for a passkey sign-in'), async (c) => {
      await throttle(c, 'login', 300);
      return c.json(await loginOptions(deps), 200);
    })
    .post(
      '/passkeys/login/verify',
      doc('Sign in with a passkey'),
      validate('json', authenticationBody),
      async (c) => {
        await throttle(c, 'login', 300);
        const { response } = c.req.valid('json');
        const result = await finishLogin(deps, {
          response: response as unknown as AuthenticationResponseJSON,
          userAgent: c.req.header('user-agent'),
        });
        setSessionCookie(c, config, result.session.token, result.session.expiresAt);
        return c.json({ userId: result.userId, pendingDeletion: result.pendingDeletion }, 200);
      },
    )
    .post('/logout', doc('Sign out of this device'), async (c) => {
      const auth = c.get('auth');
      if (auth) await endSession(database.db, auth.userId, auth.sessionId);
      clearSessionCookie(c, config);
      return c.body(null, 204);
    });
}
