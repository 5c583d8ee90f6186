import { reactionEmojis, roomModes } from '@salon/db/schema';
import { z } from 'zod';
import { patchBody } from '../../http/patch';
import { INTERESTS } from '../people/people.service';

export const topic = z
  .string()
  .transform((s) => s.normalize('NFC').replace(/\s+/g, ' ').trim())
  .pipe(z.string().min(1, { message: 'topic.empty' }).max(60, { message: 'topic.too_long' }));

export const createRoomBody = z.strictObject({
  topic,
  mode: z.enum(roomModes),
  clubId: z.uuid().optional(),
  /** Absent: the room opens now. */
  scheduledFor: z.iso.datetime({ offset: true }).optional(),
  recurrence: z.enum(['weekly']).optional(),
  interests: z.array(z.enum(INTERESTS)).max(3).default([]),
  /** For closed rooms: the @usernames let in. */
  invitees: z.array(z.string().min(3).max(30)).max(50).default([]),
});

/** A retried `POST /v1/rooms` carries the key of the first attempt (see openRoomOnce). */
export const createRoomHeaders = z.object({
  'idempotency-key': z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, '1 to 64 letters, digits, "_" or "-"')
    .optional(),
});

export const updateRoomBody = patchBody({ topic: topic.optional(), mode: z.enum(roomModes).optional() });

export const stageActions = [
  'invite',
  'accept',
  'decline',
  'audience',
  'mute',
  'remove',
  'moderator',
  'speaker',
  'lower',
] as const;
export type StageAction = (typeof stageActions)[number];
export const stageBody = z.strictObject({ action: z.enum(stageActions) });
export const reactionBody = z.strictObject({ emoji: z.enum(reactionEmojis) });
export const roomInviteBody = z.strictObject({ username: z.string().min(3).max(30) });
