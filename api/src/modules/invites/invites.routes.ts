import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps, AppEnv } from '../../http/app-env';
import { clientPrefix } from '../../http/client';
import { INPUT, json, routeDocs } from '../../http/openapi';
import { validate } from '../../http/validate';
import { enforce } from '../../ratelimit/rate-limit';
import { findUsableInvite } from './invites.service';

const inviteCheck = z.object({
  valid: z.literal(true),
  expiresAt: z.iso.datetime(),
  /** Who sent it; null for an invite minted by the operator. */
  inviter: z.object({ displayName: z.string(), username: z.string() }).nullable(),
  /** The start-up link of a Salon nobody has joined yet: its holder becomes its first admin. */
  firstMember: z.boolean(),
});

export function invitesRoutes(deps: AppDeps) {
  return new Hono<AppEnv>().get(
    '/:code',
    routeDocs('invites')({
      summary: 'Check an invite code before joining',
      ok: json(inviteCheck, 'A usable invite and who sent it'),
      errors: [...INPUT, 'invite.rate_limited', 'invite.invalid'],
    }),
    validate('param', z.strictObject({ code: z.string().max(64) })),
    async (c) => {
      // Codes are guessable only by brute force; this keeps that out of reach.
      await enforce(deps.database.db, {
        key: `invite_check:ip:${clientPrefix(c, deps.config)}`,
        windowSeconds: 3600,
        now: deps.clock.now(),
        limit: 100,
        code: 'invite.rate_limited',
      });
      const { invite, inviter, firstMember } = await findUsableInvite(deps, c.req.valid('param').code);
      // firstMember: the start-up link of a Salon nobody has joined yet; its holder will be admin.
      return c.json({ valid: true, expiresAt: invite.expiresAt.toISOString(), inviter, firstMember }, 200);
    },
  );
}
