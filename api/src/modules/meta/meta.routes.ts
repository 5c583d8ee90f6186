import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import packageJson from '../../../package.json' with { type: 'json' };
import type { AppDeps, AppEnv } from '../../http/app-env';
import { INTERESTS } from '../people/people.service';

/** Public facts the web app needs before anyone signs in. */
export function metaRoutes({ config }: AppDeps) {
  const meta = {
    name: 'Salon',
    version: packageJson.version,
    locales: ['fr', 'en'],
    inviteOnly: true,
    audio: { configured: Boolean(config.livekit.url) },
    interests: INTERESTS,
  };
  return new Hono<AppEnv>().get(
    '/meta',
    describeRoute({
      summary: 'Public service facts',
      tags: ['meta'],
      responses: { 200: { description: 'OK' } },
    }),
    (c) => c.json(meta, 200),
  );
}
