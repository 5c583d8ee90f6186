import { Hono } from 'hono';
import { describeRoute, resolver } from 'hono-openapi';
import { z } from 'zod';
import type { AppDeps, AppEnv } from '../../http/app-env';
import type { StreamRegistry } from '../../http/streams';
import { validate } from '../../http/validate';
import { requireAuth } from '../auth/sessions';
import { roomCalendar } from './calendar';
import { hallway, hallwayCursor } from './hallway.service';
import { clearReminder, setReminder } from './reminders.service';
import {
  createRoomBody,
  createRoomHeaders,
  reactionBody,
  roomInviteBody,
  stageBody,
  updateRoomBody,
} from './rooms.schemas';
import {
  endRoom,
  hiddenFromOutsiders,
  inviteToRoom,
  openRoomOnce,
  roomSummary,
  startRoom,
  updateRoom,
  visibleRoom,
} from './rooms.service';
import { joinRoom, leaveRoom, react, setHand, stageAction } from './stage.service';
import type { RoomHub } from './stream';
import { roomSummaryResponse } from './summary.schemas';
import { endedRoomSummary } from './summary.service';

const doc = (summary: string) => describeRoute({ summary, tags: ['rooms'] });
const roomParam = z.strictObject({ id: z.uuid() });
const errorsDoc = {
  404: { description: 'No such room, or not one the viewer may see (`room.not_found`)' },
  409: { description: 'The room is not in the state this needs' },
};

export function roomsRoutes(deps: AppDeps, hub: RoomHub, streams: StreamRegistry) {
  const db = deps.database.db;
  const summary = async (roomId: string, userId: string) =>
    roomSummary(deps, await visibleRoom(db, roomId, userId), userId);
  /** Someone who may not see the room learns nothing from a refusal (see hiddenFromOutsiders). */
  const hidden = <T>(roomId: string, userId: string, action: () => Promise<T>) =>
    hiddenFromOutsiders(db, roomId, userId, action);

  return new Hono<AppEnv>()
    .get(
      '/hallway',
      doc('Live and upcoming rooms for me'),
      validate('query', z.strictObject({ cursor: hallwayCursor.optional() })),
      async (c) =>
        c.json(await hallway(deps, requireAuth(c).userId, c.req.valid('query').cursor?.key ?? 0), 200),
    )
    .post(
      '/rooms',
      doc('Open or schedule a room; a retry with the same Idempotency-Key gets the same room (200)'),
      validate('header', createRoomHeaders),
      validate('json', createRoomBody),
      async (c) => {
        const { userId } = requireAuth(c);
        const key = c.req.valid('header')['idempotency-key'];
        const { roomId, replayed } = await openRoomOnce(deps, userId, c.req.valid('json'), key);
        return c.json(await summary(roomId, userId), replayed ? 200 : 201);
      },
    )
    .get('/rooms/:id', doc('A room'), validate('param', roomParam), async (c) =>
      c.json(await summary(c.req.valid('param').id, requireAuth(c).userId), 200),
    )
    .patch(
      '/rooms/:id',
      doc('Change topic or mode (moderators)'),
      validate('param', roomParam),
      validate('json', updateRoomBody),
      async (c) => {
        const { userId } = requireAuth(c);
        const { id } = c.req.valid('param');
        await hidden(id, userId, () => updateRoom(deps, id, userId, c.req.valid('json')));
        return c.json(await summary(id, userId), 200);
      },
    )
    .post(
      '/rooms/:id/start',
      doc('Open a scheduled room (host)'),
      validate('param', roomParam),
      async (c) => {
        const { userId } = requireAuth(c);
        const { id } = c.req.valid('param');
        await hidden(id, userId, () => startRoom(deps, id, userId));
        return c.json(await summary(id, userId), 200);
      },
    )
    .post(
      '/rooms/:id/join',
      doc('Enter a room: returns a LiveKit token for my role'),
      validate('param', roomParam),
      async (c) => {
        const { userId } = requireAuth(c);
        const { id } = c.req.valid('param');
        return c.json(await hidden(id, userId, () => joinRoom(deps, id, userId)), 200);
      },
    )
    .post('/rooms/:id/leave', doc('Leave quietly'), validate('param', roomParam), async (c) => {
      const { userId } = requireAuth(c);
      const { id } = c.req.valid('param');
      // Leaving a room one is not in succeeds quietly, so visibility is checked first.
      await visibleRoom(db, id, userId);
      await leaveRoom(deps, id, userId);
      return c.body(null, 204);
    })
    .put('/rooms/:id/hand', doc('Raise my hand'), validate('param', roomParam), async (c) => {
      const { userId } = requireAuth(c);
      const { id } = c.req.valid('param');
      await hidden(id, userId, () => setHand(deps, id, userId, true));
      return c.body(null, 204);
    })
    .delete('/rooms/:id/hand', doc('Lower my hand'), validate('param', roomParam), async (c) => {
      const { userId } = requireAuth(c);
      const { id } = c.req.valid('param');
      await hidden(id, userId, () => setHand(deps, id, userId, false));
      return c.body(null, 204);
    })
    .post(
      '/rooms/:id/stage/:userId',
      doc('Stage change: invite, accept, decline, audience, mute, remove, moderator, speaker'),
      validate('param', z.strictObject({ id: z.uuid(), userId: z.uuid() })),
      validate('json', stageBody),
      async (c) => {
        const { id, userId: target } = c.req.valid('param');
        const { userId } = requireAuth(c);
        await hidden(id, userId, () => stageAction(deps, id, userId, target, c.req.valid('json').action));
        return c.body(null, 204);
      },
    )
    .post(
      '/rooms/:id/invites',
      doc('Let someone into a closed room'),
      validate('param', roomParam),
      validate('json', roomInviteBody),
      async (c) => {
        const { userId } = requireAuth(c);
        const { id } = c.req.valid('param');
        await hidden(id, userId, () => inviteToRoom(deps, id, userId, c.req.valid('json').username));
        return c.body(null, 204);
      },
    )
    .post(
      '/rooms/:id/reactions',
      doc('React'),
      validate('param', roomParam),
      validate('json', reactionBody),
      async (c) => {
        const { userId } = requireAuth(c);
        const { id } = c.req.valid('param');
        await hidden(id, userId, () => react(deps, id, userId, c.req.valid('json').emoji));
        return c.body(null, 204);
      },
    )
    .post(
      '/rooms/:id/end',
      doc('End the room for everyone (moderators)'),
      validate('param', roomParam),
      async (c) => {
        const { userId } = requireAuth(c);
        const { id } = c.req.valid('param');
        // Ending a room that has already ended succeeds quietly, so visibility is checked first.
        await visibleRoom(db, id, userId);
        await endRoom(deps, id, userId, 'moderator');
        return c.body(null, 204);
      },
    )
    .get(
      '/rooms/:id/events',
      doc('Live room stream (Server-Sent Events)'),
      validate('param', roomParam),
      async (c) => {
        const auth = requireAuth(c);
        const { id } = c.req.valid('param');
        await visibleRoom(db, id, auth.userId);
        return streams.serve(c, auth, { roomId: id }, (send, close) =>
          hub.subscribe(id, auth.userId, send, close, c.req.header('last-event-id')),
        );
      },
    )
    .get(
      '/rooms/:id/summary',
      describeRoute({
        summary: 'After a room: duration, who spoke, its club and the next occurrence',
        tags: ['rooms'],
        responses: {
          200: {
            description: 'The summary of a room that has ended',
            content: { 'application/json': { schema: resolver(roomSummaryResponse) } },
          },
          ...errorsDoc,
        },
      }),
      validate('param', roomParam),
      async (c) => c.json(await endedRoomSummary(deps, c.req.valid('param').id, requireAuth(c).userId), 200),
    )
    .get(
      '/rooms/:id/calendar.ics',
      describeRoute({
        summary: 'A scheduled room as an iCalendar event (RFC 5545)',
        tags: ['rooms'],
        responses: {
          200: {
            description: 'One VEVENT: the topic, the start time, one hour, the room’s link',
            content: { 'text/calendar': { schema: { type: 'string' } } },
          },
          ...errorsDoc,
        },
      }),
      validate('param', roomParam),
      async (c) => {
        const ics = await roomCalendar(deps, c.req.valid('param').id, requireAuth(c).userId);
        return c.body(ics, 200, {
          'Content-Type': 'text/calendar; charset=utf-8',
          'Content-Disposition': 'attachment; filename="salon-room.ics"',
          'Cache-Control': 'no-store',
        });
      },
    )
    .put(
      '/rooms/:id/reminder',
      doc('Remind me in the app 10 minutes before this scheduled room'),
      validate('param', roomParam),
      async (c) => {
        await setReminder(deps, c.req.valid('param').id, requireAuth(c).userId);
        return c.body(null, 204);
      },
    )
    .delete(
      '/rooms/:id/reminder',
      doc('Cancel my reminder of this room'),
      validate('param', roomParam),
      async (c) => {
        await clearReminder(deps, c.req.valid('param').id, requireAuth(c).userId);
        return c.body(null, 204);
      },
    );
}
