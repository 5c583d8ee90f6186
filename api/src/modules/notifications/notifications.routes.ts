import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { z } from 'zod';
import type { AppDeps, AppEnv } from '../../http/app-env';
import { keysetCursor } from '../../http/keyset';
import type { StreamRegistry } from '../../http/streams';
import { validate } from '../../http/validate';
import { requireAuth } from '../auth/sessions';
import { listNotifications, markRead, mutedNames } from './notifications.service';
import type { NotificationHub } from './stream';

const doc = (summary: string) => describeRoute({ summary, tags: ['notifications'] });

export function notificationsRoutes(deps: AppDeps, hub: NotificationHub, streams: StreamRegistry) {
  return new Hono<AppEnv>()
    .get(
      '/',
      doc('My notifications, newest first'),
      validate('query', z.strictObject({ cursor: keysetCursor('date').optional() })),
      async (c) =>
        c.json(await listNotifications(deps, requireAuth(c).userId, c.req.valid('query').cursor), 200),
    )
    .post(
      '/read',
      doc('Mark notifications read'),
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
    .get('/mutes', doc('The people and clubs I muted, with their names'), async (c) =>
      c.json(await mutedNames(deps.database.db, requireAuth(c).userId), 200),
    )
    .get('/stream', doc('Live notifications and unread count (Server-Sent Events)'), async (c) => {
      const auth = requireAuth(c);
      return streams.serve(c, auth, {}, (send) =>
        hub.subscribe(auth.userId, (event, data) => send({ event, data })),
      );
    });
}
