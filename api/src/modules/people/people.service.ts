import { matchesWordPrefix, schema } from '@salon/db';
import { and, asc, count, eq } from 'drizzle-orm';
import type { AppDeps } from '../../http/app-env';
import { AppError } from '../../http/errors';
import { after, type Position, page } from '../../http/keyset';
import { clubsNamed, memberClubs } from '../clubs/clubs.service';
import { deliver } from '../notifications/notifications.service';

const { users, follows } = schema;

/** The fixed list people and rooms choose interests from (labels live in the web app's messages). */
export const INTERESTS = [
  'art',
  'books',
  'business',
  'climate',
  'comedy',
  'design',
  'education',
  'film',
  'food',
  'gaming',
  'health',
  'history',
  'languages',
  'music',
  'philosophy',
  'politics',
  'science',
  'sport',
  'startups',
  'tech',
  'travel',
] as const;

const NEW_MEMBER_DAYS = 8;
const DAY_MS = 86_400_000;
export const SEARCH_PAGE_SIZE = 20;

export const peopleErrors = {
  notFound: () => new AppError(404, 'user.not_found', 'There is no member with this @username.'),
  selfFollow: () => new AppError(400, 'follow.self', 'You cannot follow yourself.'),
};

type Deps = Pick<AppDeps, 'database' | 'config' | 'clock'>;
type UserRow = typeof users.$inferSelect;

export function isNewMember(user: Pick<UserRow, 'createdAt'>, now: Date) {
  return now.getTime() - user.createdAt.getTime() < NEW_MEMBER_DAYS * DAY_MS;
}

export function profileUrl(deps: Pick<Deps, 'config'>, username: string) {
  return new URL(`/@${username}`, deps.config.publicUrl).toString();
}

async function followCounts(deps: Deps, userId: string) {
  const db = deps.database.db;
  const [followers] = await db.select({ n: count() }).from(follows).where(eq(follows.followeeId, userId));
  const [following] = await db.select({ n: count() }).from(follows).where(eq(follows.followerId, userId));
  return { followers: followers?.n ?? 0, following: following?.n ?? 0 };
}

/** What anyone holding the shareable link sees: what the member chose to publish, nothing else. */
export async function publicProfile(deps: Deps, user: UserRow, viewerId: string | undefined) {
  const counts = await followCounts(deps, user.id);
  let followedByMe = false;
  if (viewerId) {
    const [row] = await deps.database.db
      .select({ at: follows.createdAt })
      .from(follows)
      .where(and(eq(follows.followerId, viewerId), eq(follows.followeeId, user.id)));
    followedByMe = Boolean(row);
  }
  const clubs = await memberClubs(deps, user.id);
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    bio: user.bio,
    interests: user.interests,
    isNew: isNewMember(user, deps.clock.now()),
    memberSince: user.createdAt.toISOString(),
    ...counts,
    followedByMe,
    clubs,
    isMe: viewerId === user.id,
    url: profileUrl(deps, user.username),
  };
}

export async function findActiveUser(deps: Deps, username: string) {
  const [user] = await deps.database.db
    .select()
    .from(users)
    .where(and(eq(users.username, username.toLowerCase()), eq(users.status, 'active')));
  if (!user) throw peopleErrors.notFound();
  return user;
}

export async function follow(deps: Deps, followerId: string, username: string) {
  const target = await findActiveUser(deps, username);
  if (target.id === followerId) throw peopleErrors.selfFollow();
  const now = deps.clock.now();
  await deps.database.db.transaction(async (tx) => {
    const added = await tx
      .insert(follows)
      .values({ followerId, followeeId: target.id, createdAt: now })
      .onConflictDoNothing()
      .returning({ at: follows.createdAt });
    if (added.length > 0) {
      await deliver(tx, now, [target.id], {
        type: 'follow.new',
        actorId: followerId,
        dedupeKey: `follow:${followerId}`,
      });
    }
  });
  return publicProfile(deps, target, followerId);
}

export async function unfollow(deps: Deps, followerId: string, username: string) {
  const target = await findActiveUser(deps, username);
  await deps.database.db
    .delete(follows)
    .where(and(eq(follows.followerId, followerId), eq(follows.followeeId, target.id)));
  return publicProfile(deps, target, followerId);
}

/**
 * Prefix search on names and @usernames, accent- and case-insensitive ("eloise" finds "Éloïse").
 * Matches the start of any word. Pages are in @username order (see http/keyset.ts), so they stay
 * stable. The first page also lists up to 10 clubs whose name matches.
 */
export async function searchPeople(deps: Deps, input: { q: string; cursor?: Position<'text'> | undefined }) {
  const rows = await deps.database.db
    .select()
    .from(users)
    .where(
      and(
        eq(users.status, 'active'),
        matchesWordPrefix(users.searchName, input.q),
        after(users.username, users.id, input.cursor, 'asc'),
      ),
    )
    .orderBy(asc(users.username), asc(users.id))
    .limit(SEARCH_PAGE_SIZE + 1);
  const { items, nextCursor } = page(rows, SEARCH_PAGE_SIZE, (u) => [u.username, u.id]);
  const now = deps.clock.now();
  const clubRows = input.cursor ? [] : await clubsNamed(deps.database.db, input.q, 10);
  return {
    clubs: clubRows,
    people: items.map((u) => ({
      username: u.username,
      displayName: u.displayName,
      isNew: isNewMember(u, now),
      url: profileUrl(deps, u.username),
    })),
    nextCursor,
  };
}
