import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { z } from 'zod';
import type { AppDeps, AppEnv } from '../../http/app-env';
import { keysetCursor } from '../../http/keyset';
import { validate } from '../../http/validate';
import { enforce } from '../../ratelimit/rate-limit';
import { requireAuth } from '../auth/sessions';
import { findActiveUser, follow, publicProfile, searchPeople, unfollow } from './people.service';

const usernameParam = z.strictObject({ username: z.string().min(1).max(64) });
const doc = (summary: string) => describeRoute({ summary, tags: ['people'] });

export function peopleRoutes(deps: AppDeps) {
  return new Hono<AppEnv>()
    .get(
      '/users/:username',
      doc('A member’s public profile'),
      validate('param', usernameParam),
      async (c) => {
        const user = await findActiveUser(deps, c.req.valid('param').username);
        return c.json(await publicProfile(deps, user, c.get('auth')?.userId), 200);
      },
    )
    .put('/users/:username/follow', doc('Follow a member'), validate('param', usernameParam), async (c) => {
      const { userId } = requireAuth(c);
      return c.json(await follow(deps, userId, c.req.valid('param').username), 200);
    })
    .delete(
      '/users/:username/follow',
      doc('Unfollow a member'),
      validate('param', usernameParam),
      async (c) => {
        const { userId } = requireAuth(c);
        return c.json(await unfollow(deps, userId, c.req.valid('param').username), 200);
      },
    )
    .get(
      '/search',
      doc('Search members by name or @username (prefix)'),
      validate(
        'query',
        z.strictObject({
          q: z.string().trim().min(1).max(60),
          cursor: keysetCursor('text').optional(),
        }),
      ),
      async (c) => {
        const { userId } = requireAuth(c);
        // Search is how people find each other, and also how a scraper would list them: bounded per member.
        await enforce(deps.database.db, {
          key: `search:user:${userId}`,
          windowSeconds: 60,
          now: deps.clock.now(),
          limit: 60,
          code: 'search.rate_limited',
        });
        return c.json(await searchPeople(deps, c.req.valid('query')), 200);
      },
    );
}
