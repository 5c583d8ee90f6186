import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { z } from 'zod';
import type { AppDeps, AppEnv } from '../../http/app-env';
import { keysetCursor } from '../../http/keyset';
import { validate } from '../../http/validate';
import { requireAuth } from '../auth/sessions';
import { createClubBody, memberUpdateBody, updateClubBody } from './clubs.schemas';
import {
  clubPage,
  clubsOf,
  createClub,
  deleteClub,
  inviteToClub,
  joinClub,
  leaveClub,
  removeClubMember,
  setClubFollow,
  updateClub,
  updateMember,
} from './clubs.service';

const doc = (summary: string) => describeRoute({ summary, tags: ['clubs'] });
const slugParam = z.strictObject({ slug: z.string().min(1).max(40) });
const memberParam = z.strictObject({ slug: z.string().min(1).max(40), username: z.string().min(1).max(30) });
/** A cursor continues one list: the one it came with. */
const clubListQuery = z
  .strictObject({ list: z.enum(['member', 'following']).optional(), cursor: keysetCursor('text').optional() })
  .refine((query) => !query.cursor || query.list, { message: 'list.required', path: ['list'] });

export function clubsRoutes(deps: AppDeps) {
  const page = (slug: string, userId: string) => clubPage(deps, slug, userId);
  return new Hono<AppEnv>()
    .get(
      '/',
      doc('My clubs and the clubs I follow, a page of each'),
      validate('query', clubListQuery),
      async (c) => c.json(await clubsOf(deps, requireAuth(c).userId, c.req.valid('query')), 200),
    )
    .post('/', doc('Create a club'), validate('json', createClubBody), async (c) => {
      const { userId } = requireAuth(c);
      const club = await createClub(deps, userId, c.req.valid('json'));
      return c.json(await page(club.slug, userId), 201);
    })
    .get('/:slug', doc('A club'), validate('param', slugParam), async (c) =>
      c.json(await page(c.req.valid('param').slug, requireAuth(c).userId), 200),
    )
    .patch(
      '/:slug',
      doc('Change a club (admins)'),
      validate('param', slugParam),
      validate('json', updateClubBody),
      async (c) => {
        const { userId } = requireAuth(c);
        const club = await updateClub(deps, c.req.valid('param').slug, userId, c.req.valid('json'));
        return c.json(await page(club.slug, userId), 200);
      },
    )
    .delete('/:slug', doc('Delete a club (admins)'), validate('param', slugParam), async (c) => {
      await deleteClub(deps, c.req.valid('param').slug, requireAuth(c).userId);
      return c.body(null, 204);
    })
    .post(
      '/:slug/join',
      doc('Join, request to join, or accept an invitation'),
      validate('param', slugParam),
      async (c) => {
        const { userId } = requireAuth(c);
        await joinClub(deps, c.req.valid('param').slug, userId);
        return c.json(await page(c.req.valid('param').slug, userId), 200);
      },
    )
    .post('/:slug/leave', doc('Leave a club'), validate('param', slugParam), async (c) => {
      const { userId } = requireAuth(c);
      await leaveClub(deps, c.req.valid('param').slug, userId);
      return c.json(await page(c.req.valid('param').slug, userId), 200);
    })
    .put('/:slug/follow', doc('Follow a club'), validate('param', slugParam), async (c) => {
      const { userId } = requireAuth(c);
      await setClubFollow(deps, c.req.valid('param').slug, userId, true);
      return c.json(await page(c.req.valid('param').slug, userId), 200);
    })
    .delete('/:slug/follow', doc('Unfollow a club'), validate('param', slugParam), async (c) => {
      const { userId } = requireAuth(c);
      await setClubFollow(deps, c.req.valid('param').slug, userId, false);
      return c.json(await page(c.req.valid('param').slug, userId), 200);
    })
    .post(
      '/:slug/invites',
      doc('Invite a member (admins and leaders)'),
      validate('param', slugParam),
      validate('json', z.strictObject({ username: z.string().min(3).max(30) })),
      async (c) => {
        const { userId } = requireAuth(c);
        await inviteToClub(deps, c.req.valid('param').slug, userId, c.req.valid('json').username);
        return c.json(await page(c.req.valid('param').slug, userId), 200);
      },
    )
    .patch(
      '/:slug/members/:username',
      doc('Approve a request or change a role (admins)'),
      validate('param', memberParam),
      validate('json', memberUpdateBody),
      async (c) => {
        const { userId } = requireAuth(c);
        const { slug, username } = c.req.valid('param');
        await updateMember(deps, slug, userId, username, c.req.valid('json'));
        return c.json(await page(slug, userId), 200);
      },
    )
    .delete(
      '/:slug/members/:username',
      doc('Remove a member or decline a request (admins)'),
      validate('param', memberParam),
      async (c) => {
        const { userId } = requireAuth(c);
        const { slug, username } = c.req.valid('param');
        await removeClubMember(deps, slug, userId, username);
        return c.json(await page(slug, userId), 200);
      },
    );
}
