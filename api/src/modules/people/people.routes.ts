import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps, AppEnv } from '../../http/app-env';
import { keysetCursor } from '../../http/keyset';
import { INPUT, json, routeDocs, SIGNED_IN, WRITE } from '../../http/openapi';
import { validate } from '../../http/validate';
import { enforce } from '../../ratelimit/rate-limit';
import { requireAuth } from '../auth/sessions';
import { publicProfileResponse, searchPage } from './people.responses';
import { findActiveUser, follow, publicProfile, searchPeople, unfollow } from './people.service';

const usernameParam = z.strictObject({ username: z.string().min(1).max(64) });
const doc = routeDocs('people');

export function peopleRoutes(deps: AppDeps) {
  return new Hono<AppEnv>()
    .get(
      '/users/:username',
      doc({
        summary: 'A member’s public profile',
        ok: json(publicProfileResponse, 'What they chose to publish, and how the viewer relates to them'),
        errors: [...INPUT, 'user.not_found'],
      }),
      validate('param', usernameParam),
      async (c) => {
        const user = await findActiveUser(deps, c.req.valid('param').username);
        return c.json(await publicProfile(deps, user, c.get('auth')?.userId), 200);
      },
    )
    .put(
      '/users/:username/follow',
      doc({
        summary: 'Follow a member',
        ok: json(publicProfileResponse, 'Their profile, followed'),
        errors: [...SIGNED_IN, ...INPUT, ...WRITE, 'user.not_found', 'follow.self'],
      }),
      validate('param', usernameParam),
      async (c) => {
        const { userId } = requireAuth(c);
        return c.json(await follow(deps, userId, c.req.valid('param').username), 200);
      },
    )
    .delete(
      '/users/:username/follow',
      doc({
        summary: 'Unfollow a member',
        ok: json(publicProfileResponse, 'Their profile, no longer followed'),
        errors: [...SIGNED_IN, ...INPUT, ...WRITE, 'user.not_found'],
      }),
      validate('param', usernameParam),
      async (c) => {
        const { userId } = requireAuth(c);
        return c.json(await unfollow(deps, userId, c.req.valid('param').username), 200);
      },
    )
    .get(
      '/search',
      doc({
        summary: 'Search members by name or @username (prefix)',
        ok: json(searchPage, 'A page of members in @username order, and matching clubs'),
        errors: [...SIGNED_IN, ...INPUT, 'search.rate_limited'],
      }),
      validate(
        'query',
        z.strictObject({
          q: z.string().trim().min(1).max(60),
          cursor: keysetCursor('text').optional(),
        }),
      ),
      async (c) => {
        const { userId } = requireAuth(c);
        // Search is how people find each other, and also how a scraper would list them: bounded
        // per member. A count a crash forgets is harmless here, so it does not wait for the disk.
        await enforce(deps.database.db, {
          key: `search:user:${userId}`,
          windowSeconds: 60,
          now: deps.clock.now(),
          limit: 60,
          code: 'search.rate_limited',
          lossy: true,
        });
        return c.json(await searchPeople(deps, c.req.valid('query')), 200);
      },
    );
}
