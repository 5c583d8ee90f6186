import { schema } from '@salon/db';
import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { z } from 'zod';
import type { AppDeps, AppEnv } from '../http/app-env';
import { AppError } from '../http/errors';
import { endRoom } from '../modules/rooms/rooms.service';
import { markPresence } from '../modules/rooms/stage.service';

const uuid = z.uuid();

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
      const fresh = await deps.database.db
        .insert(schema.livekitWebhookEvents)
        .values({ id: event.id, event: event.event, receivedAt: deps.clock.now() })
        .onConflictDoNothing()
        .returning({ id: schema.livekitWebhookEvents.id });
      if (fresh.length === 0) return c.json({ handled: false, reason: 'duplicate' }, 200);

      const roomId = uuid.safeParse(event.room?.name).data;
      const userId = uuid.safeParse(event.participant?.identity).data;
      if (roomId && userId && event.event === 'participant_joined')
        await markPresence(deps, roomId, userId, true);
      if (roomId && userId && event.event === 'participant_left')
        await markPresence(deps, roomId, userId, false);
      if (roomId && event.event === 'room_finished') await endRoom(deps, roomId, null, 'livekit');
      return c.json({ handled: true }, 200);
    },
  );
}
