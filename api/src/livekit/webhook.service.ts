import { schema } from '@salon/db';
import { z } from 'zod';
import type { AppDeps } from '../http/app-env';
import { endRoom } from '../modules/rooms/rooms.service';
import { markPresence } from '../modules/rooms/stage.service';
import type { WebhookEventLike } from './livekit';

const { livekitWebhookEvents } = schema;
const uuid = z.uuid();
type Deps = Pick<AppDeps, 'database' | 'config' | 'clock' | 'livekit' | 'logger'>;

/**
 * A verified LiveKit webhook, handled once per event id (LiveKit may deliver one more than once):
 * a participant's arrival or departure is checked against the database (see markPresence), and a
 * finished LiveKit room ends the Salon room. A connection LiveKit closed because the same member
 * connected again (another tab, a phone taking over) is not a departure: the newer one is there.
 * Rooms and participants are known by our own ids;
 * anything else is recorded as received and otherwise ignored.
 */
export async function handleWebhook(
  deps: Deps,
  event: WebhookEventLike,
): Promise<{ handled: true } | { handled: false; reason: 'duplicate' }> {
  const fresh = await deps.database.db
    .insert(livekitWebhookEvents)
    .values({ id: event.id, event: event.event, receivedAt: deps.clock.now() })
    .onConflictDoNothing()
    .returning({ id: livekitWebhookEvents.id });
  if (fresh.length === 0) return { handled: false, reason: 'duplicate' };

  const roomId = uuid.safeParse(event.room?.name).data;
  const userId = uuid.safeParse(event.participant?.identity).data;
  if (roomId && userId && event.event === 'participant_joined')
    await markPresence(deps, roomId, userId, true);
  if (roomId && userId && event.event === 'participant_left' && !event.participant?.replaced)
    await markPresence(deps, roomId, userId, false);
  if (roomId && event.event === 'room_finished') await endRoom(deps, roomId, null, 'livekit');
  return { handled: true };
}
