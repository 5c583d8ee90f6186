import { Hono } from 'hono';
import { z } from 'zod';
import packageJson from '../../../package.json' with { type: 'json' };
import type { AppDeps, AppEnv } from '../../http/app-env';
import { json, routeDocs } from '../../http/openapi';
import { INTERESTS } from '../people/people.service';

const metaResponse = z.object({
  name: z.string(),
  version: z.string(),
  locales: z.array(z.enum(['fr', 'en'])),
  inviteOnly: z.boolean(),
  audio: z.object({
    configured: z.boolean().meta({ description: 'Rooms have sound (a LiveKit URL is set)' }),
  }),
  interests: z.array(z.string()).meta({ description: 'The topics members and rooms can pick from' }),
});

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
    routeDocs('meta')({
      summary: 'Public service facts',
      ok: json(metaResponse, 'Name, version, languages and what the service offers'),
      errors: [],
    }),
    (c) => c.json(meta, 200),
  );
}
