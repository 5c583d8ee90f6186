import { roomModes, roomRoles, roomStatuses } from '@salon/db/schema';
import { z } from 'zod';

/** What the rooms routes answer (rooms.service.ts roomSummary, stage.service.ts, hallway.service.ts). */

const person = z.object({ username: z.string(), displayName: z.string() });
const club = z.object({ slug: z.string(), name: z.string() });

/** `roomSummary()`: a room as the viewer may see it, and where they stand in it. */
export const roomView = z.object({
  id: z.uuid(),
  topic: z.string(),
  mode: z.enum(roomModes),
  status: z.enum(roomStatuses),
  club: club.nullable(),
  scheduledFor: z.iso.datetime().nullable(),
  recurrence: z.enum(['weekly']).nullable(),
  startedAt: z.iso.datetime().nullable(),
  endedAt: z.iso.datetime().nullable(),
  capacity: z.number().int().min(1),
  interests: z.array(z.string()),
  /** Speakers' audio is recorded for moderation (kept 30 days, encrypted). */
  recording: z.boolean(),
  host: person.nullable(),
  isHost: z.boolean(),
  /** Who is on stage now, at most 8, in the order they went up. */
  stage: z.array(person.extend({ role: z.enum(roomRoles) })),
  participantCount: z.number().int().min(0),
  /** The viewer asked to be reminded of this scheduled room. */
  reminder: z.boolean(),
  audio: z.object({ available: z.boolean() }),
  me: z
    .object({
      role: z.enum(roomRoles),
      present: z.boolean(),
      handRaised: z.boolean(),
      invitedToSpeak: z.boolean(),
    })
    .nullable(),
});

/** `joinRoom()`: where the audio is and the viewer's LiveKit token, for their role. */
export const joined = z.object({
  /** Null when this Salon has no LiveKit server: the room works without sound. */
  livekitUrl: z.string().nullable(),
  token: z.string().nullable(),
  role: z.enum(roomRoles),
});

const card = {
  id: z.uuid(),
  topic: z.string(),
  mode: z.enum(roomModes),
  status: z.enum(roomStatuses),
  interests: z.array(z.string()),
  scheduledFor: z.iso.datetime().nullable(),
  recurrence: z.enum(['weekly']).nullable(),
  host: person.nullable(),
  club: club.nullable(),
};

/** `hallway()`: the live rooms the member may enter, best first, and the upcoming ones. */
export const hallwayResponse = z.object({
  live: z.array(
    z.object({
      ...card,
      participantCount: z.number().int().min(0),
      /** How many people the member follows are on stage. */
      followedOnStage: z.number().int().min(0),
      fromMyClubs: z.boolean(),
      sharedInterests: z.number().int().min(0),
    }),
  ),
  /** Scheduled in the coming days; on the first page only. */
  upcoming: z.array(z.object({ ...card, hostFollowed: z.boolean() })),
  /** Pass as `cursor` for more live rooms; null on the last page. */
  nextCursor: z.string().nullable(),
});
