import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps, AppEnv } from '../../http/app-env';
import { clientPrefix } from '../../http/client';
import { INPUT, JSON_BODY, json, noContent, routeDocs, WRITE } from '../../http/openapi';
import { validate } from '../../http/validate';
import { enforce } from '../../ratelimit/rate-limit';
import { startPhoneCheck, verifyPhoneCheck } from '../phone/otp.service';
import { beginRecovery, beginSignup, usernameAvailable } from './accounts.service';
import {
  creationOptions,
  otpStarted,
  otpVerified,
  recoveryStarted,
  registered,
  requestOptions,
  signedIn,
  usernameCheck,
} from './auth.responses';
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

const doc = routeDocs('auth');
/** A JSON body sent from the sign-in and sign-up pages. */
const FORM = [...JSON_BODY, ...WRITE] as const;

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
      doc({
        summary: 'Send a code by SMS to a mobile number',
        ok: json(otpStarted, 'The code is on its way', 202),
        errors: [
          ...FORM,
          'phone.invalid',
          'phone.not_mobile',
          'phone.unsupported_country',
          'otp.rate_limited',
          'otp.cooldown',
          'sms.unavailable',
        ],
      }),
      validate('json', otpStartBody),
      async (c) => {
        const body = c.req.valid('json');
        const result = await startPhoneCheck(deps, { ...body, clientPrefix: clientPrefix(c, config) });
        return c.json(result, 202);
      },
    )
    .post(
      '/otp/verify',
      doc({
        summary: 'Check the SMS code',
        ok: json(otpVerified, 'The number is confirmed: a ticket for sign-up or recovery'),
        errors: [...FORM, 'otp_verify.rate_limited', 'otp.wrong_code', 'otp.expired', 'otp.locked'],
      }),
      validate('json', otpVerifyBody),
      async (c) => {
        await throttle(c, 'otp_verify', 120);
        return c.json(await verifyPhoneCheck(deps, c.req.valid('json')), 200);
      },
    )
    .get(
      '/username/:username',
      doc({
        summary: 'Is this @username free?',
        ok: json(usernameCheck, 'Whether the name can be had, and why not'),
        errors: [...INPUT, 'username_check.rate_limited'],
      }),
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
      doc({
        summary: 'Start sign-up: returns passkey creation options',
        ok: json(creationOptions, 'Options for the new passkey; nothing is created until it comes back'),
        errors: [
          ...FORM,
          'signup.rate_limited',
          'ticket.invalid',
          'invite.invalid',
          'signup.refused',
          'account.exists',
          'username.taken',
        ],
      }),
      validate('json', signupBody),
      async (c) => {
        await throttle(c, 'signup', 60);
        return c.json(await beginSignup(deps, c.req.valid('json')), 200);
      },
    )
    .post(
      '/recovery',
      doc({
        summary: 'Recover an account after losing its passkeys',
        ok: json(recoveryStarted, 'Waiting for the cool-down, or options for the new passkey'),
        errors: [
          ...FORM,
          'recovery.rate_limited',
          'ticket.invalid',
          'recovery.no_account',
          'account.unavailable',
          'passkey.not_verified',
        ],
      }),
      validate('json', recoveryBody),
      async (c) => {
        await throttle(c, 'recovery', 30);
        return c.json(await beginRecovery(deps, c.req.valid('json')), 200);
      },
    )
    .post(
      '/passkeys/register/verify',
      doc({
        summary: 'Finish a passkey registration (sign-up, recovery or an added passkey)',
        ok: json(registered, 'The passkey is saved; sign-up and recovery also set the session cookie'),
        errors: [
          ...FORM,
          'auth.required',
          'passkey.ceremony_expired',
          'passkey.not_verified',
          'ticket.invalid',
          'invite.invalid',
          'account.exists',
          'username.taken',
        ],
      }),
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
    .post(
      '/passkeys/login/options',
      doc({
        summary: 'Options for a passkey sign-in',
        ok: json(requestOptions, 'A challenge any passkey of this Salon can sign'),
        errors: [...WRITE, 'login.rate_limited'],
      }),
      async (c) => {
        await throttle(c, 'login', 300);
        return c.json(await loginOptions(deps), 200);
      },
    )
    .post(
      '/passkeys/login/verify',
      doc({
        summary: 'Sign in with a passkey',
        ok: json(signedIn, 'Signed in: the session cookie is set'),
        errors: [
          ...FORM,
          'login.rate_limited',
          'passkey.ceremony_expired',
          'passkey.not_verified',
          'passkey.unknown',
        ],
      }),
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
    .post(
      '/logout',
      doc({
        summary: 'Sign out of this device',
        ok: noContent('Signed out: the session ends and its cookie is cleared'),
        errors: WRITE,
      }),
      async (c) => {
        const auth = c.get('auth');
        if (auth) await endSession(database.db, auth.userId, auth.sessionId);
        clearSessionCookie(c, config);
        return c.body(null, 204);
      },
    );
}
