import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { Context } from 'hono';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps, AppEnv } from '../../http/app-env';
import {
  binary,
  INPUT,
  JSON_BODY,
  json,
  noContent,
  routeDocs,
  SIGNED_IN,
  SIGNED_IN_EVEN_DEACTIVATED,
  SIGNED_IN_EVEN_RESTRICTED,
  WRITE,
} from '../../http/openapi';
import { patchBody } from '../../http/patch';
import { validate } from '../../http/validate';
import { beginAddPasskey } from '../auth/accounts.service';
import { creationOptions } from '../auth/auth.responses';
import { authenticationBody, displayName, locale } from '../auth/auth.schemas';
import { clearSessionCookie, requireAuth } from '../auth/sessions';
import { inviteResponse, myInvitesResponse } from '../invites/invites.responses';
import { createInvite, listInvites, revokeInvite } from '../invites/invites.service';
import { notificationSettings } from '../notifications/settings';
import { INTERESTS } from '../people/people.service';
import { exportRequested, exportState } from '../rights/export.responses';
import { exportStatus, openExport, requestExport } from '../rights/export.service';
import { cancelDeletion, requestDeletion } from './deletion.service';
import { deletionRequested, meResponse, passkeysResponse, sessionsResponse } from './me.responses';
import {
  cancelRecovery,
  getMe,
  listPasskeys,
  listSessions,
  removePasskey,
  renamePasskey,
  revokeSession,
  updateMe,
} from './me.service';

const doc = routeDocs('me');
const FORM = [...JSON_BODY, ...WRITE] as const;
/** The passkey assertion that confirms a deletion (passkeys.service.ts verifyAssertion). */
const ASSERTION = ['passkey.ceremony_expired', 'passkey.not_verified', 'passkey.unknown'] as const;
const idParam = z.strictObject({ id: z.string().min(1).max(1024) });
const uuidParam = z.strictObject({ id: z.uuid() });

const deletionBody = authenticationBody.extend({ immediate: z.boolean().default(false) });

export const mePatchBody = patchBody({
  displayName: displayName.optional(),
  bio: z
    .string()
    .transform((s) => s.normalize('NFC').trim())
    .pipe(z.string().max(160, { message: 'bio.too_long' }))
    .optional(),
  interests: z.array(z.enum(INTERESTS)).max(INTERESTS.length).optional(),
  locale: locale.optional(),
  notificationSettings: notificationSettings.optional(),
});

export function meRoutes(deps: AppDeps) {
  // Which of these stay open to a suspended, banned or deactivated account: auth/access.ts.
  const me = (c: Context<AppEnv>) => requireAuth(c);
  return new Hono<AppEnv>()
    .get(
      '/',
      doc({
        summary: 'My profile and settings',
        ok: json(meResponse, 'My profile, settings, standing and pending requests'),
        errors: SIGNED_IN_EVEN_DEACTIVATED,
      }),
      async (c) => c.json(await getMe(deps, me(c).userId), 200),
    )
    .delete(
      '/',
      doc({
        summary:
          'Delete my account (GDPR art. 17): deactivated now, erased after the grace period or at once',
        ok: json(deletionRequested, 'Deactivated and signed out; erased at this time', 202),
        errors: [...SIGNED_IN_EVEN_RESTRICTED, ...FORM, ...ASSERTION, 'deletion.wrong_passkey'],
      }),
      validate('json', deletionBody),
      async (c) => {
        const { response, immediate } = c.req.valid('json');
        const result = await requestDeletion(deps, me(c).userId, {
          response: response as unknown as AuthenticationResponseJSON,
          immediate,
        });
        clearSessionCookie(c, deps.config);
        return c.json(result, 202);
      },
    )
    .post(
      '/export',
      doc({
        summary: 'Ask for a copy of my data (GDPR art. 15 and 20)',
        ok: json(exportRequested, 'The archive is being prepared', 202),
        errors: [...SIGNED_IN_EVEN_RESTRICTED, ...WRITE, 'export.too_soon'],
      }),
      async (c) => c.json(await requestExport(deps, me(c).userId), 202),
    )
    .get(
      '/exports/:id',
      doc({
        summary: 'The state of an export',
        ok: json(exportState, 'Pending, ready (until when) or failed'),
        errors: [...SIGNED_IN_EVEN_RESTRICTED, ...INPUT, 'export.not_found'],
      }),
      validate('param', uuidParam),
      async (c) => c.json(await exportStatus(deps, me(c).userId, c.req.valid('param').id), 200),
    )
    .get(
      '/exports/:id/download',
      doc({
        summary: 'Download an export (ZIP)',
        ok: binary('application/zip', 'The archive, decrypted as it is sent'),
        errors: [...SIGNED_IN_EVEN_RESTRICTED, ...INPUT, 'export.not_found', 'export.not_ready'],
      }),
      validate('param', uuidParam),
      async (c) => {
        const archive = await openExport(deps, me(c).userId, c.req.valid('param').id);
        return c.body(archive.body, 200, {
          'Content-Type': 'application/zip',
          'Content-Disposition': `attachment; filename="${archive.fileName}"`,
          'Cache-Control': 'no-store',
        });
      },
    )
    .post(
      '/deletion/cancel',
      doc({
        summary: 'Cancel the deletion of my account',
        ok: json(meResponse, 'The account as it is again'),
        errors: [...SIGNED_IN_EVEN_DEACTIVATED, ...WRITE, 'deletion.not_pending'],
      }),
      async (c) => {
        const { userId } = me(c);
        await cancelDeletion(deps, userId);
        return c.json(await getMe(deps, userId), 200);
      },
    )
    .patch(
      '/',
      doc({
        summary: 'Change my profile',
        ok: json(meResponse, 'My profile and settings as changed'),
        errors: [...SIGNED_IN, ...FORM],
      }),
      validate('json', mePatchBody),
      async (c) => c.json(await updateMe(deps, me(c).userId, c.req.valid('json')), 200),
    )
    .get(
      '/sessions',
      doc({
        summary: 'My signed-in devices',
        ok: json(sessionsResponse, 'Most recently used first'),
        errors: SIGNED_IN_EVEN_RESTRICTED,
      }),
      async (c) => {
        const auth = me(c);
        return c.json({ sessions: await listSessions(deps, auth.userId, auth.sessionId) }, 200);
      },
    )
    .delete(
      '/sessions/:id',
      doc({
        summary: 'Sign a device out',
        ok: noContent('The session has ended'),
        errors: [...SIGNED_IN_EVEN_RESTRICTED, ...INPUT, ...WRITE, 'session.not_found'],
      }),
      validate('param', uuidParam),
      async (c) => {
        await revokeSession(deps, me(c).userId, c.req.valid('param').id);
        return c.body(null, 204);
      },
    )
    .get(
      '/passkeys',
      doc({
        summary: 'My passkeys',
        ok: json(passkeysResponse, 'Oldest first'),
        errors: SIGNED_IN,
      }),
      async (c) => c.json({ passkeys: await listPasskeys(deps, me(c).userId) }, 200),
    )
    .post(
      '/passkeys/options',
      doc({
        summary: 'Options to add a passkey',
        ok: json(creationOptions, 'Options for the new passkey, excluding the ones I have'),
        errors: [...SIGNED_IN, ...WRITE, 'account.unavailable'],
      }),
      async (c) => c.json(await beginAddPasskey(deps, me(c).userId), 200),
    )
    .patch(
      '/passkeys/:id',
      doc({
        summary: 'Rename a passkey',
        ok: json(passkeysResponse, 'My passkeys, renamed'),
        errors: [...SIGNED_IN, ...FORM, 'passkey.not_found'],
      }),
      validate('param', idParam),
      validate('json', patchBody({ name: z.string().trim().min(1).max(60) })),
      async (c) =>
        c.json(
          {
            passkeys: await renamePasskey(
              deps,
              me(c).userId,
              c.req.valid('param').id,
              c.req.valid('json').name,
            ),
          },
          200,
        ),
    )
    .delete(
      '/passkeys/:id',
      doc({
        summary: 'Remove a passkey (never the last)',
        ok: json(passkeysResponse, 'The passkeys I have left'),
        errors: [...SIGNED_IN, ...INPUT, ...WRITE, 'passkey.not_found', 'passkey.last'],
      }),
      validate('param', idParam),
      async (c) =>
        c.json({ passkeys: await removePasskey(deps, me(c).userId, c.req.valid('param').id) }, 200),
    )
    .get(
      '/invites',
      doc({
        summary: 'My invites',
        ok: json(myInvitesResponse, 'Newest first, with how many I may hold'),
        errors: SIGNED_IN,
      }),
      async (c) => c.json(await listInvites(deps, me(c).userId), 200),
    )
    .post(
      '/invites',
      doc({
        summary: 'Create an invite',
        ok: json(inviteResponse, 'The new invite and its link', 201),
        errors: [...SIGNED_IN, ...WRITE, 'invite.quota'],
      }),
      async (c) => c.json(await createInvite(deps, me(c).userId), 201),
    )
    .delete(
      '/invites/:id',
      doc({
        summary: 'Revoke an unused invite',
        ok: json(inviteResponse, 'The invite, revoked'),
        errors: [...SIGNED_IN, ...INPUT, ...WRITE, 'invite.not_found'],
      }),
      validate('param', uuidParam),
      async (c) => c.json(await revokeInvite(deps, me(c).userId, c.req.valid('param').id), 200),
    )
    .post(
      '/recovery/cancel',
      doc({
        summary: 'Cancel a recovery of my account',
        ok: json(meResponse, 'My account, with no recovery pending'),
        errors: [...SIGNED_IN, ...WRITE],
      }),
      async (c) => c.json(await cancelRecovery(deps, me(c).userId), 200),
    );
}
