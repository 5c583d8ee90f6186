import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { Context } from 'hono';
import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { z } from 'zod';
import type { AppDeps, AppEnv } from '../../http/app-env';
import { patchBody } from '../../http/patch';
import { validate } from '../../http/validate';
import { beginAddPasskey } from '../auth/accounts.service';
import { authenticationBody, displayName, locale } from '../auth/auth.schemas';
import { clearSessionCookie, requireAuth } from '../auth/sessions';
import { createInvite, listInvites, revokeInvite } from '../invites/invites.service';
import { notificationSettings } from '../notifications/settings';
import { INTERESTS } from '../people/people.service';
import { exportStatus, openExport, requestExport } from '../rights/export.service';
import { cancelDeletion, requestDeletion } from './deletion.service';
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

const doc = (summary: string) => describeRoute({ summary, tags: ['me'] });
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
    .get('/', doc('My profile and settings'), async (c) => c.json(await getMe(deps, me(c).userId), 200))
    .delete(
      '/',
      doc('Delete my account (GDPR art. 17): deactivated now, erased after the grace period or at once'),
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
    .post('/export', doc('Ask for a copy of my data (GDPR art. 15 and 20)'), async (c) =>
      c.json(await requestExport(deps, me(c).userId), 202),
    )
    .get('/exports/:id', doc('The state of an export'), validate('param', uuidParam), async (c) =>
      c.json(await exportStatus(deps, me(c).userId, c.req.valid('param').id), 200),
    )
    .get(
      '/exports/:id/download',
      doc('Download an export (ZIP)'),
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
    .post('/deletion/cancel', doc('Cancel the deletion of my account'), async (c) => {
      const { userId } = me(c);
      await cancelDeletion(deps, userId);
      return c.json(await getMe(deps, userId), 200);
    })
    .patch('/', doc('Change my profile'), validate('json', mePatchBody), async (c) =>
      c.json(await updateMe(deps, me(c).userId, c.req.valid('json')), 200),
    )
    .get('/sessions', doc('My signed-in devices'), async (c) => {
      const auth = me(c);
      return c.json({ sessions: await listSessions(deps, auth.userId, auth.sessionId) }, 200);
    })
    .delete('/sessions/:id', doc('Sign a device out'), validate('param', uuidParam), async (c) => {
      await revokeSession(deps, me(c).userId, c.req.valid('param').id);
      return c.body(null, 204);
    })
    .get('/passkeys', doc('My passkeys'), async (c) =>
      c.json({ passkeys: await listPasskeys(deps, me(c).userId) }, 200),
    )
    .post('/passkeys/options', doc('Options to add a passkey'), async (c) =>
      c.json(await beginAddPasskey(deps, me(c).userId), 200),
    )
    .patch(
      '/passkeys/:id',
      doc('Rename a passkey'),
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
      doc('Remove a passkey (never the last)'),
      validate('param', idParam),
      async (c) =>
        c.json({ passkeys: await removePasskey(deps, me(c).userId, c.req.valid('param').id) }, 200),
    )
    .get('/invites', doc('My invites'), async (c) => c.json(await listInvites(deps, me(c).userId), 200))
    .post('/invites', doc('Create an invite'), async (c) =>
      c.json(await createInvite(deps, me(c).userId), 201),
    )
    .delete('/invites/:id', doc('Revoke an unused invite'), validate('param', uuidParam), async (c) =>
      c.json(await revokeInvite(deps, me(c).userId, c.req.valid('param').id), 200),
    )
    .post('/recovery/cancel', doc('Cancel a recovery of my account'), async (c) =>
      c.json(await cancelRecovery(deps, me(c).userId), 200),
    );
}
