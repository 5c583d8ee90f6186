import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import type { AppDeps, AppEnv } from '../http/app-env';
import { AppError } from '../http/errors';
import { handleWebhook } from './webhook.service';

/**
 * LiveKit's webhooks, verified with WebhookReceiver on the raw body (the signature covers its
 * sha256). LiveKit may deliver an event more than once: each id is handled once.
 */
export function livekitWebhookRoutes(deps: AppDeps) {
  return new Hono<AppEnv>().post(
    '/webhook',
    describeRoute({ summary: 'LiveKit webhook receiver', tags: ['livekit'] }),
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
