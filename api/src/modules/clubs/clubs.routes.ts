import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps, AppEnv } from '../../http/app-env';
import { keysetCursor } from '../../http/keyset';
import { INPUT, JSON_BODY, json, noContent, routeDocs, SIGNED_IN, WRITE } from '../../http/openapi';
import { validate } from '../../http/validate';
import { requireAuth } from '../auth/sessions';
import { clubPageResponse, myClubsResponse } from './clubs.responses';
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

const doc = routeDocs('clubs');
/** A change to one club, named by its slug in the path. */
const CHANGE = [...SIGNED_IN, ...INPUT, ...WRITE, 'club.not_found'] as const;
const CHANGE_WITH_BODY = [...CHANGE, ...JSON_BODY] as const;
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
      doc({
        summary: 'My clubs and the clubs I follow, a page of each',
        ok: json(myClubsResponse, 'By name; with `list` and `cursor`, the next page of that list'),
        errors: [...SIGNED_IN, ...INPUT],
      }),
      validate('query', clubListQuery),
      async (c) => c.json(await clubsOf(deps, requireAuth(c).userId, c.req.valid('query')), 200),
    )
    .post(
      '/',
      doc({
        summary: 'Create a club',
        ok: json(clubPageResponse, 'The new club, with me as its admin', 201),
        errors: [...SIGNED_IN, ...JSON_BODY, ...WRITE, 'club.slug_taken'],
      }),
      validate('json', createClubBody),
      async (c) => {
        const { userId } = requireAuth(c);
        const club = await createClub(deps, userId, c.req.valid('json'));
        return c.json(await page(club.slug, userId), 201);
      },
    )
    .get(
      '/:slug',
      doc({
        summary: 'A club',
        ok: json(clubPageResponse, 'The club as I may see it'),
        errors: [...SIGNED_IN, ...INPUT, 'club.not_found'],
      }),
      validate('param', slugParam),
      async (c) => c.json(await page(c.req.valid('param').slug, requireAuth(c).userId), 200),
    )
    .patch(
      '/:slug',
      doc({
        summary: 'Change a club (admins)',
        ok: json(clubPageResponse, 'The club, changed'),
        errors: [...CHANGE_WITH_BODY, 'club.not_admin'],
      }),
      validate('param', slugParam),
      validate('json', updateClubBody),
      async (c) => {
        const { userId } = requireAuth(c);
        const club = await updateClub(deps, c.req.valid('param').slug, userId, c.req.valid('json'));
        return c.json(await page(club.slug, userId), 200);
      },
    )
    .delete(
      '/:slug',
      doc({
        summary: 'Delete a club (admins)',
        ok: noContent('The club is gone; its past rooms stay, without a club'),
        errors: [...CHANGE, 'club.not_admin'],
      }),
      validate('param', slugParam),
      async (c) => {
        await deleteClub(deps, c.req.valid('param').slug, requireAuth(c).userId);
        return c.body(null, 204);
      },
    )
    .post(
      '/:slug/join',
      doc({
        summary: 'Join, request to join, or accept an invitation',
        ok: json(clubPageResponse, 'The club, with my membership or request'),
        errors: [...CHANGE, 'club.invite_only'],
      }),
      validate('param', slugParam),
      async (c) => {
        const { userId } = requireAuth(c);
        await joinClub(deps, c.req.valid('param').slug, userId);
        return c.json(await page(c.req.valid('param').slug, userId), 200);
      },
    )
    .post(
      '/:slug/leave',
      doc({
        summary: 'Leave a club',
        ok: json(clubPageResponse, 'The club, without me'),
        errors: [...CHANGE, 'club.member_not_found', 'club.last_admin'],
      }),
      validate('param', slugParam),
      async (c) => {
        const { userId } = requireAuth(c);
        await leaveClub(deps, c.req.valid('param').slug, userId);
        return c.json(await page(c.req.valid('param').slug, userId), 200);
      },
    )
    .put(
      '/:slug/follow',
      doc({
        summary: 'Follow a club',
        ok: json(clubPageResponse, 'The club, followed'),
        errors: CHANGE,
      }),
      validate('param', slugParam),
      async (c) => {
        const { userId } = requireAuth(c);
        await setClubFollow(deps, c.req.valid('param').slug, userId, true);
        return c.json(await page(c.req.valid('param').slug, userId), 200);
      },
    )
    .delete(
      '/:slug/follow',
      doc({
        summary: 'Unfollow a club',
        ok: json(clubPageResponse, 'The club, no longer followed'),
        errors: CHANGE,
      }),
      validate('param', slugParam),
      async (c) => {
        const { userId } = requireAuth(c);
        await setClubFollow(deps, c.req.valid('param').slug, userId, false);
        return c.json(await page(c.req.valid('param').slug, userId), 200);
      },
    )
    .post(
      '/:slug/invites',
      doc({
        summary: 'Invite a member (admins and leaders)',
        ok: json(clubPageResponse, 'The club, with the invitation'),
        errors: [...CHANGE_WITH_BODY, 'club.not_host', 'club.member_not_found'],
      }),
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
      doc({
        summary: 'Approve a request or change a role (admins)',
        ok: json(clubPageResponse, 'The club, with the member changed'),
        errors: [...CHANGE_WITH_BODY, 'club.not_admin', 'club.member_not_found', 'club.last_admin'],
      }),
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
      doc({
        summary: 'Remove a member or decline a request (admins)',
        ok: json(clubPageResponse, 'The club, without them'),
        errors: [...CHANGE, 'club.not_admin', 'club.member_not_found', 'club.last_admin'],
      }),
      validate('param', memberParam),
      async (c) => {
        const { userId } = requireAuth(c);
        const { slug, username } = c.req.valid('param');
        await removeClubMember(deps, slug, userId, username);
        return c.json(await page(slug, userId), 200);
      },
    );
}
