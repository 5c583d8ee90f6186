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

/** `searchPeople()`: members whose name or @username starts with the words typed; clubs on the first page. */
export const searchPage = z.object({
  /** Up to 10 clubs whose name matches, on the first page only. */
  clubs: z.array(z.object({ slug: z.string(), name: z.string(), description: z.string() })),
  people: z.array(
    z.object({ username: z.string(), displayName: z.string(), isNew: z.boolean(), url: z.url() }),
  ),
  /** Pass as `cursor` for the next page; null on the last. */
  nextCursor: z.string().nullable(),
});
