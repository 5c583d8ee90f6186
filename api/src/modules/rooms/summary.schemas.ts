import { z } from 'zod';

/** `GET /v1/rooms/:id/summary`: what a room that has ended leaves behind (never its audio). */
export const roomSummaryResponse = z.strictObject({
  /** Null for a scheduled room that was ended before it ever opened. */
  startedAt: z.iso.datetime().nullable(),
  endedAt: z.iso.datetime(),
  durationSeconds: z.number().int().min(0),
  /** The host and everyone who went on stage, in the order they first did; at most 50. */
  speakers: z
    .array(
      z.strictObject({
        userId: z.uuid(),
        username: z.string(),
        displayName: z.string(),
        followedByMe: z.boolean(),
      }),
    )
    .max(50),
  club: z.strictObject({ slug: z.string(), name: z.string(), followedByMe: z.boolean() }).nullable(),
  /** The next scheduled occurrence of the same weekly show, when the viewer may see it. */
  next: z.strictObject({ id: z.uuid(), topic: z.string(), scheduledFor: z.iso.datetime() }).nullable(),
});
export type RoomSummaryResponse = z.infer<typeof roomSummaryResponse>;
