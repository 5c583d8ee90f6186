import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps, AppEnv } from '../../http/app-env';
import {
  eventStream,
  INPUT,
  JSON_BODY,
  json,
  noContent,
  routeDocs,
  SIGNED_IN,
  text,
  WRITE,
} from '../../http/openapi';
import type { StreamRegistry } from '../../http/streams';
import { validate } from '../../http/validate';
import { requireAuth } from '../auth/sessions';
import { roomCalendar } from './calendar';
import { hallway, hallwayCursor } from './hallway.service';
import { clearReminder, setReminder } from './reminders.service';
import { hallwayResponse, joined, roomView } from './rooms.responses';
import {
  audiencePageResponse,
  audienceQuery,
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
import { listenerPage } from './roster';
import { joinRoom, leaveRoom, react, setHand, stageAction } from './stage.service';
import type { RoomHub } from './stream';
import { roomSummaryResponse } from './summary.schemas';
import { endedRoomSummary } from './summary.service';

const doc = routeDocs('rooms');
/** Something done in one room, named by its id in the path. */
const IN_ROOM = [...SIGNED_IN, ...INPUT, 'room.not_found'] as const;
const CHANGE = [...IN_ROOM, ...WRITE] as const;
const CHANGE_WITH_BODY = [...CHANGE, ...JSON_BODY] as const;
/** The host, or a moderator on stage (rooms.service.ts requireModerator). */
const MODERATORS = ['room.not_host', 'room.not_moderator'] as const;
/** What a stage change can find not to apply (rooms.errors.ts stage). */
const STAGE = [
  'stage.already_on_stage',
  'stage.not_invited',
  'stage.no_hand',
  'stage.not_on_stage',
  'stage.self',
  'stage.already_moderator',
  'stage.not_moderator',
  'stage.host',
] as const;
const roomParam = z.strictObject({ id: z.uuid() });

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
      doc({
        summary: 'Live and upcoming rooms for me',
        ok: json(hallwayResponse, 'Live rooms I may enter, best first, and the upcoming ones'),
        errors: [...SIGNED_IN, ...INPUT],
      }),
      validate('query', z.strictObject({ cursor: hallwayCursor.optional() })),
      async (c) =>
        c.json(await hallway(deps, requireAuth(c).userId, c.req.valid('query').cursor?.key ?? 0), 200),
    )
    .post(
      '/rooms',
      doc({
        summary: 'Open or schedule a room; a retry with the same Idempotency-Key gets the same room (200)',
        ok: [
          json(roomView, 'The room, open or scheduled', 201),
          json(roomView, 'The room the first request with this Idempotency-Key opened'),
        ],
        errors: [
          ...SIGNED_IN,
          ...JSON_BODY,
          ...WRITE,
          'room.schedule_in_past',
          ['club.not_found', 400],
          'club.not_host',
        ],
      }),
      validate('header', createRoomHeaders),
      validate('json', createRoomBody),
      async (c) => {
        const { userId } = requireAuth(c);
        const key = c.req.valid('header')['idempotency-key'];
        const { roomId, replayed } = await openRoomOnce(deps, userId, c.req.valid('json'), key);
        return c.json(await summary(roomId, userId), replayed ? 200 : 201);
      },
    )
    .get(
      '/rooms/:id',
      doc({
        summary: 'A room',
        ok: json(roomView, 'The room as I may see it, and where I stand in it'),
        errors: IN_ROOM,
      }),
      validate('param', roomParam),
      async (c) => c.json(await summary(c.req.valid('param').id, requireAuth(c).userId), 200),
    )
    .patch(
      '/rooms/:id',
      doc({
        summary: 'Change topic or mode (moderators)',
        ok: json(roomView, 'The room, changed'),
        errors: [...CHANGE_WITH_BODY, ...MODERATORS, 'room.ended', ['club.not_found', 400]],
      }),
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
      doc({
        summary: 'Open a scheduled room (host)',
        ok: json(roomView, 'The room, live'),
        errors: [...CHANGE, 'room.not_host', 'room.ended'],
      }),
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
      doc({
        summary: 'Enter a room: returns a LiveKit token for my role',
        ok: json(joined, 'I am in: the LiveKit URL and my token'),
        errors: [
          ...CHANGE,
          'room.not_live',
          'room.ended',
          'room.full',
          'room.removed',
          'room.not_allowed',
          'room.not_present',
        ],
      }),
      validate('param', roomParam),
      async (c) => {
        const { userId } = requireAuth(c);
        const { id } = c.req.valid('param');
        return c.json(await hidden(id, userId, () => joinRoom(deps, id, userId)), 200);
      },
    )
    .post(
      '/rooms/:id/leave',
      doc({
        summary: 'Leave quietly',
        ok: noContent('I am out (or was not in)'),
        errors: CHANGE,
      }),
      validate('param', roomParam),
      async (c) => {
        const { userId } = requireAuth(c);
        const { id } = c.req.valid('param');
        // Leaving a room one is not in succeeds quietly, so visibility is checked first.
        await visibleRoom(db, id, userId);
        await leaveRoom(deps, id, userId);
        return c.body(null, 204);
      },
    )
    .put(
      '/rooms/:id/hand',
      doc({
        summary: 'Raise my hand',
        ok: noContent('My hand is up'),
        errors: [...CHANGE, 'room.not_live', 'room.not_present', 'stage.already_on_stage'],
      }),
      validate('param', roomParam),
      async (c) => {
        const { userId } = requireAuth(c);
        const { id } = c.req.valid('param');
        await hidden(id, userId, () => setHand(deps, id, userId, true));
        return c.body(null, 204);
      },
    )
    .delete(
      '/rooms/:id/hand',
      doc({
        summary: 'Lower my hand',
        ok: noContent('My hand is down'),
        errors: [...CHANGE, 'room.not_live', 'room.not_present', 'stage.already_on_stage'],
      }),
      validate('param', roomParam),
      async (c) => {
        const { userId } = requireAuth(c);
        const { id } = c.req.valid('param');
        await hidden(id, userId, () => setHand(deps, id, userId, false));
        return c.body(null, 204);
      },
    )
    .post(
      '/rooms/:id/stage/:userId',
      doc({
        summary: 'Stage change: invite, accept, decline, audience, mute, remove, moderator, speaker',
        ok: noContent('Done, in the room and in LiveKit'),
        errors: [
          ...CHANGE_WITH_BODY,
          ...MODERATORS,
          ...STAGE,
          'room.not_live',
          'room.ended',
          'room.not_present',
          'room.host_protected',
        ],
      }),
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
      doc({
        summary: 'Let someone into a closed room',
        ok: noContent('They may enter, and are told'),
        errors: [...CHANGE_WITH_BODY, ...MODERATORS, 'room.ended'],
      }),
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
      doc({
        summary: 'React',
        ok: noContent('Shown to the room for a moment'),
        errors: [...CHANGE_WITH_BODY, 'room.not_live', 'room.not_present', 'reaction.rate_limited'],
      }),
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
      doc({
        summary: 'End the room for everyone (moderators)',
        ok: noContent('The room has ended (or had already)'),
        errors: [...CHANGE, ...MODERATORS],
      }),
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
      doc({
        summary: 'Live room stream (Server-Sent Events)',
        ok: eventStream(
          'A `snapshot` of the room, then `roster`, `room` and `reactions` changes; `removed` or `ended` closes it',
        ),
        errors: [...IN_ROOM, 'stream.too_many'],
      }),
      validate('param', roomParam),
      async (c) => {
        const { userId, sessionId } = requireAuth(c);
        const { id } = c.req.valid('param');
        const lastEventId = c.req.header('last-event-id');
        await visibleRoom(db, id, userId);
        // What the stream needs is taken out of the request first: the subscription outlives the
        // request's context, which it must not keep alive (it holds the whole request).
        return streams.serve(c, { userId, sessionId }, { roomId: id }, (send, close) =>
          hub.subscribe(id, userId, send, close, lastEventId),
        );
      },
    )
    .get(
      '/rooms/:id/audience',
      doc({
        summary: 'The listeners of a live room, a page at a time (the stream carries the first page)',
        ok: json(
          audiencePageResponse,
          'Listeners in order of arrival; hands and invitations only as the stream shows them to the viewer',
        ),
        errors: IN_ROOM,
      }),
      validate('param', roomParam),
      validate('query', audienceQuery),
      async (c) => {
        const { userId } = requireAuth(c);
        const { id } = c.req.valid('param');
        const query = c.req.valid('query');
        await visibleRoom(db, id, userId);
        const page = await listenerPage(db, { roomId: id, viewerId: userId, ...query }, deps.clock.now());
        return c.json(page, 200);
      },
    )
    .get(
      '/rooms/:id/summary',
      doc({
        summary: 'After a room: duration, who spoke, its club and the next occurrence',
        ok: json(roomSummaryResponse, 'The summary of a room that has ended'),
        errors: [...IN_ROOM, 'room.not_ended'],
      }),
      validate('param', roomParam),
      async (c) => c.json(await endedRoomSummary(deps, c.req.valid('param').id, requireAuth(c).userId), 200),
    )
    .get(
      '/rooms/:id/calendar.ics',
      doc({
        summary: 'A scheduled room as an iCalendar event (RFC 5545)',
        ok: text('text/calendar', 'One VEVENT: the topic, the start time, one hour, the room’s link'),
        errors: [...IN_ROOM, 'room.not_scheduled'],
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
      doc({
        summary: 'Remind me in the app 10 minutes before this scheduled room',
        ok: noContent('I will be reminded'),
        errors: [
          ...CHANGE,
          'room.removed',
          'room.not_allowed',
          'room.not_scheduled',
          'room.reminder_too_late',
        ],
      }),
      validate('param', roomParam),
      async (c) => {
        await setReminder(deps, c.req.valid('param').id, requireAuth(c).userId);
        return c.body(null, 204);
      },
    )
    .delete(
      '/rooms/:id/reminder',
      doc({
        summary: 'Cancel my reminder of this room',
        ok: noContent('No reminder (whether there was one or not)'),
        errors: CHANGE,
      }),
      validate('param', roomParam),
      async (c) => {
        await clearReminder(deps, c.req.valid('param').id, requireAuth(c).userId);
        return c.body(null, 204);
      },
    );
}
