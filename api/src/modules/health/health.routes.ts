import { Hono } from 'hono';
import { describeRoute, resolver } from 'hono-openapi';
import { z } from 'zod';
import type { AppDeps, AppEnv } from '../../http/app-env';
import { json, responses } from '../../http/openapi';

/**
 * A database that cannot be reached does not refuse: its connections wait (postgres.js up to its
 * connect timeout). A health check that waited with them would hang the load balancers and the
 * home page asking it, so the ping gets this long and no more.
 */
export const PING_TIMEOUT_MS = 1000;
/** When to ask again after a 503. */
const RETRY_AFTER_SECONDS = 5;

/** true if the database answered within `ms`; a late answer is ignored. */
async function pingWithin(ping: () => Promise<boolean>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([ping().catch(() => false), late]);
  } finally {
    clearTimeout(timer);
  }
}

const health = z.object({ status: z.enum(['ok', 'degraded']), db: z.enum(['ok', 'down']) });

export function healthRoutes({ database }: AppDeps) {
  return new Hono<AppEnv>().get(
    '/healthz',
    describeRoute({
      summary: 'Liveness and database check',
      tags: ['health'],
      responses: {
        ...responses(json(health, 'Serving, database reachable'), []),
        // Load balancers read this one as it is: not the error envelope.
        503: {
          description: `Database down or not answering within ${PING_TIMEOUT_MS} ms`,
          content: { 'application/json': { schema: resolver(health) } },
        },
      },
    }),
    async (c) => {
      c.header('Cache-Control', 'no-store');
      if (await pingWithin(() => database.ping(), PING_TIMEOUT_MS)) {
        return c.json({ status: 'ok', db: 'ok' } as const, 200);
      }
      c.header('Retry-After', String(RETRY_AFTER_SECONDS));
      return c.json({ status: 'degraded', db: 'down' } as const, 503);
    },
  );
}
