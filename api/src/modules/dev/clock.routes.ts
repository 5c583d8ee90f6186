import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { z } from 'zod';
import type { AppEnv } from '../../http/app-env';
import { validate } from '../../http/validate';

/**
 * Development servers only (never mounted in production, nor in the API tests, which hold their
 * own clock): moves the server's time forward, for the browser tests to get past a cool-down or an
 * expiry without waiting for it. Time only ever moves forward.
 */
export function devClockRoutes(clock: { now(): Date; advance(ms: number): void }) {
  return new Hono<AppEnv>().post(
    '/clock',
    describeRoute({ summary: 'Development: move the server’s clock forward', tags: ['development'] }),
    validate('json', z.strictObject({ advanceSeconds: z.number().int().min(1).max(86_400) })),
    (c) => {
      clock.advance(c.req.valid('json').advanceSeconds * 1000);
      return c.json({ now: clock.now().toISOString() }, 200);
    },
  );
}
