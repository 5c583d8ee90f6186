import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps, AppEnv } from '../http/app-env';
import { AppError } from '../http/errors';
import { json, routeDocs, WRITE } from '../http/openapi';
import { handleWebhook } from './webhook.service';

/**
 * LiveKit's webhooks, verified with WebhookReceiver on the raw body (the signature covers its
 * sha256). LiveKit may deliver an event more than once: each id is handled once.
 */
const webhookOutcome = z.object({
  handled: z.boolean(),
  /** Why an event was not handled: LiveKit delivered it before. */
  reason: z.literal('duplicate').optional(),
});

export function livekitWebhookRoutes(deps: AppDeps) {
  return new Hono<AppEnv>().post(
    '/webhook',
    routeDocs('livekit')({
      summary: 'LiveKit webhook receiver',
      ok: json(webhookOutcome, 'The event was handled, or had been already'),
      errors: [...WRITE, 'livekit.bad_signature'],
    }),
    async (c) => {
      const body = await c.req.text();
      let event: Awaited<ReturnType<AppDeps['livekit']['verifyWebhook']>>;
      try {
        event = await deps.livekit.verifyWebhook(body, c.req.header('authorization'));
      } catch {
        throw new AppError(401, 'livekit.bad_signature', 'The webhook signature is not valid.');
      }
      const outcome = await handleWebhook(deps, event);
      return c.json(outcome, 200);
    },
  );
}
