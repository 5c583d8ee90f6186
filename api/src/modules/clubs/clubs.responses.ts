import {
  clubJoinPolicies,
  clubMemberStatuses,
  clubRoles,
  clubRoomVisibilities,
  roomStatuses,
} from '@salon/db/schema';
import { z } from 'zod';

/**
 * `clubPage()`: what everyone sees of a club, and what only those it lets in see — its rooms
 * (members, or followers when the club opens its rooms to them) and its member list (members).
 */
export const clubPageResponse = z.object({
  id: z.uuid(),
  slug: z.string(),
  name: z.string(),
  description: z.string(),
  rules: z.string(),
  joinPolicy: z.enum(clubJoinPolicies),
  roomVisibility: z.enum(clubRoomVisibilities),
  memberCount: z.number().int().min(0),
  followerCount: z.number().int().min(0),
  me: z.object({
    role: z.enum(clubRoles).nullable(),
    status: z.enum(clubMemberStatuses).nullable(),
    following: z.boolean(),
  }),
  /** Live and upcoming rooms of the club, soonest first; empty for those it does not let in. */
  rooms: z.array(
    z.object({
      id: z.uuid(),
      topic: z.string(),
      status: z.enum(roomStatuses),
      scheduledFor: z.iso.datetime().nullable(),
      recurrence: z.enum(['weekly']).nullable(),
    }),
  ),
  /** Members only; admins also see requests and invitations. */
  members: z
    .array(
      z.object({
        username: z.string(),
        displayName: z.string(),
        role: z.enum(clubRoles),
        status: z.enum(clubMemberStatuses),
      }),
    )
    .nullable(),
  url: z.url(),
});

/** `clubsOf()`: the clubs I belong to and the ones I follow, a page of each, by name. */
export const myClubsResponse = z.object({
  member: z.array(z.object({ slug: z.string(), name: z.string(), role: z.enum(clubRoles) })),
  following: z.array(z.object({ slug: z.string(), name: z.string() })),
  /** Pass one back as `cursor`, with its `list`, for that list's next page; null on the last. */
  nextCursor: z.object({ member: z.string().nullable(), following: z.string().nullable() }),
});
