import { readFile } from 'node:fs/promises';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps, AppEnv } from '../../http/app-env';
import { AppError } from '../../http/errors';
import { INPUT, json, routeDocs } from '../../http/openapi';
import { validate } from '../../http/validate';

/**
 * Development only (never mounted in production or with a real SMS provider): lets the sign-up
 * page show the code that the outbox "sent", so the flow can be tried without a phone.
 */
export function devRoutes({ config }: AppDeps) {
  return new Hono<AppEnv>().get(
    '/sms/:challengeId',
    routeDocs('development')({
      summary: 'Development: the code sent for a phone check',
      ok: json(z.object({ code: z.string().regex(/^\d{6}$/) }), 'The code the outbox "sent"'),
      errors: [...INPUT, 'dev.sms_not_found'],
    }),
    validate('param', z.strictObject({ challengeId: z.uuid() })),
    async (c) => {
      const { challengeId } = c.req.valid('param');
      const lines = await readFile(config.sms.outboxFile, 'utf8').catch(() => '');
      const sent = lines
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { challengeId?: string; body: string })
        .findLast((message) => message.challengeId === challengeId);
      const code = sent?.body.match(/\b\d{6}\b/)?.[0];
      if (!code) throw new AppError(404, 'dev.sms_not_found', 'No SMS was sent for this phone check.');
      return c.json({ code }, 200);
    },
  );
}
