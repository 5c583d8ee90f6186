import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import type { AppDeps, AppEnv } from '../../http/app-env';

export function healthRoutes({ database }: AppDeps) {
  return new Hono<AppEnv>().get(
    '/healthz',
    describeRoute({
      summary: 'Liveness and database check',
      tags: ['health'],
      responses: {
        200: { description: 'Serving, database reachable' },
        503: { description: 'Database down' },
      },
    }),
    async (c) => {
      c.header('Cache-Control', 'no-store');
      if (await database.ping()) return c.json({ status: 'ok', db: 'ok' } as const, 200);
      return c.json({ status: 'degraded', db: 'down' } as const, 503);
    },
  );
}
