import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps, AppEnv } from '../../http/app-env';
import { keysetCursor } from '../../http/keyset';
import { eventStream, INPUT, JSON_BODY, json, routeDocs, SIGNED_IN, WRITE } from '../../http/openapi';
import type { StreamRegistry } from '../../http/streams';
import { validate } from '../../http/validate';
import { requireAuth } from '../auth/sessions';
import { mutesResponse, notificationsPage, unreadCount } from './notifications.responses';
import { listNotifications, markRead, mutedNames } from './notifications.service';
import type { NotificationHub } from './stream';

const doc = routeDocs('notifications');

export function notificationsRoutes(deps: AppDeps, hub: NotificationHub, streams: StreamRegistry) {
  return new Hono<AppEnv>()
    .get(
      '/',
      doc({
        summary: 'My notifications, newest first',
        ok: json(notificationsPage, 'A page of notifications and the unread count'),
        errors: [...SIGNED_IN, ...INPUT],
      }),
      validate('query', z.strictObject({ cursor: keysetCursor('date').optional() })),
      async (c) =>
        c.json(await listNotifications(deps, requireAuth(c).userId, c.req.valid('query').cursor), 200),
    )
    .post(
      '/read',
      doc({
        summary: 'Mark notifications read',
        ok: json(unreadCount, 'How many are still unread'),
        errors: [...SIGNED_IN, ...JSON_BODY, ...WRITE],
      }),
      validate(
        'json',
        z.strictObject({ ids: z.array(z.uuid()).max(100).optional(), all: z.boolean().optional() }),
      ),
      async (c) => {
        const { userId } = requireAuth(c);
        const unread = await markRead(deps, userId, c.req.valid('json'));
        await hub.refresh(userId);
        return c.json({ unread }, 200);
      },
    )
    .get(
      '/mutes',
      doc({
        summary: 'The people and clubs I muted, with their names',
        ok: json(mutesResponse, 'Whom my notification settings mute'),
        errors: SIGNED_IN,
      }),
      async (c) => c.json(await mutedNames(deps.database.db, requireAuth(c).userId), 200),
    )
    .get(
      '/stream',
      doc({
        summary: 'Live notifications and unread count (Server-Sent Events)',
        ok: eventStream(
          '`notification` events carry a notification as the list shows it; `unread` events the unread count',
        ),
        errors: [...SIGNED_IN, 'stream.too_many'],
      }),
      async (c) => {
        const auth = requireAuth(c);
        return streams.serve(c, auth, {}, (send) =>
          hub.subscribe(auth.userId, (event, data) => send({ event, data })),
        );
      },
    );
}
