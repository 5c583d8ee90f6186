import { z } from 'zod';

/** `publicProfile()`: what anyone holding a member's link sees, and how the viewer relates to them. */
export const publicProfileResponse = z.object({
  id: z.uuid(),
  username: z.string(),
  displayName: z.string(),
  bio: z.string(),
  interests: z.array(z.string()),
  /** Joined in the last 8 days. */
  isNew: z.boolean(),
  memberSince: z.iso.datetime(),
  followers: z.number().int().min(0),
  following: z.number().int().min(0),
  followedByMe: z.boolean(),
  clubs: z.array(z.object({ slug: z.string(), name: z.string() })),
  isMe: z.boolean(),
  url: z.url(),
});
