import { reactionEmojis, roomModes } from '@salon/db/schema';
import { z } from 'zod';
import { keysetCursor } from '../../http/keyset';
import { patchBody } from '../../http/patch';
import { INTERESTS } from '../people/people.service';
import { BAND_PAGE } from './roster';

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

/** `GET /v1/rooms/:id/audience`: a page of listeners, in order of arrival. */
export const audienceQuery = z.strictObject({
  /** `audience` (default) or `followed`: the listeners someone on stage follows. */
  band: z.enum(['audience', 'followed']).default('audience'),
  cursor: keysetCursor('date').optional(),
  limit: z.coerce.number().int().min(1).max(100).default(BAND_PAGE),
});

export const rosterEntrySchema = z.strictObject({
  userId: z.uuid(),
  username: z.string(),
  displayName: z.string(),
  isNew: z.boolean(),
  role: z.enum(['moderator', 'speaker', 'listener']),
  band: z.enum(['stage', 'followed', 'audience']),
  joinedAt: z.iso.datetime(),
  stageSince: z.iso.datetime().nullable(),
  /** Seen only by the room's moderators and by the person themselves; false for anyone else. */
  handRaised: z.boolean(),
  handRaisedAt: z.iso.datetime().nullable(),
  invitedToSpeak: z.boolean(),
});

export const audiencePageResponse = z.strictObject({
  band: z.enum(['audience', 'followed']),
  entries: z.array(rosterEntrySchema).max(100),
  /**
   * Where this page ends: pass it back as `cursor` to read on. Given on the last page too, since
   * the band grows at its end as people arrive; null only when nothing was read from the start.
   */
  nextCursor: z.string().nullable(),
});
