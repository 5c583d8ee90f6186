import { type Db, fold, matchesWordPrefix, schema } from '@salon/db';
import { and, asc, count, eq, gt, inArray, or } from 'drizzle-orm';
import type { z } from 'zod';
import type { AppDeps } from '../../http/app-env';
import { AppError, errors } from '../../http/errors';
import { after, type Position, page } from '../../http/keyset';
import { deliver } from '../notifications/notifications.service';
import type { createClubBody, updateClubBody } from './clubs.schemas';

const { clubs, clubMembers, clubFollowers, users, rooms } = schema;
type Deps = Pick<AppDeps, 'database' | 'config' | 'clock'>;
export type Club = typeof clubs.$inferSelect;
type Member = typeof clubMembers.$inferSelect;

export const clubErrors = {
  notFound: () => new AppError(404, 'club.not_found', 'No such club.'),
  slugTaken: () => new AppError(409, 'club.slug_taken', 'This club address is already taken.'),
  notAdmin: () => new AppError(403, 'club.not_admin', 'Only the club’s admins can do this.'),
  notHost: () => new AppError(403, 'club.not_host', 'Only the club’s admins and leaders can open its rooms.'),
  inviteOnly: () => new AppError(403, 'club.invite_only', 'This club accepts members by invitation only.'),
  lastAdmin: () =>
    new AppError(409, 'club.last_admin', 'A club always keeps one admin: make someone else admin first.'),
  memberNotFound: () => new AppError(404, 'club.member_not_found', 'This person is not in the club.'),
};

export async function findClub(db: Db, slug: string) {
  const [club] = await db.select().from(clubs).where(eq(clubs.slug, slug.toLowerCase()));
  if (!club) throw clubErrors.notFound();
  return club;
}

export async function membership(db: Db, clubId: string, userId: string): Promise<Member | undefined> {
  const [row] = await db
    .select()
    .from(clubMembers)
    .where(and(eq(clubMembers.clubId, clubId), eq(clubMembers.userId, userId)));
  return row;
}

export async function isFollowing(db: Db, clubId: string, userId: string) {
  const [row] = await db
    .select({ at: clubFollowers.createdAt })
    .from(clubFollowers)
    .where(and(eq(clubFollowers.clubId, clubId), eq(clubFollowers.userId, userId)));
  return Boolean(row);
}

/** Whether someone may enter the club's rooms: active members, and followers if the club says so. */
export async function mayEnterClubRooms(db: Db, clubId: string, userId: string) {
  const [club] = await db.select().from(clubs).where(eq(clubs.id, clubId));
  if (!club) return false;
  const me = await membership(db, clubId, userId);
  if (me?.status === 'active') return true;
  return club.roomVisibility === 'followers' && (await isFollowing(db, clubId, userId));
}

async function requireAdmin(db: Db, clubId: string, userId: string) {
  const me = await membership(db, clubId, userId);
  if (me?.status !== 'active' || me.role !== 'admin') throw clubErrors.notAdmin();
}

/** Admins and leaders open and schedule the club's rooms. */
export async function requireClubHost(db: Db, clubId: string, userId: string) {
  const me = await membership(db, clubId, userId);
  if (me?.status !== 'active' || me.role === 'member') throw clubErrors.notHost();
}

export async function createClub(deps: Deps, userId: string, input: z.infer<typeof createClubBody>) {
  const now = deps.clock.now();
  return deps.database.db.transaction(async (tx) => {
    const [taken] = await tx.select({ id: clubs.id }).from(clubs).where(eq(clubs.slug, input.slug));
    if (taken) throw clubErrors.slugTaken();
    const [club] = await tx
      .insert(clubs)
      .values({ ...input, searchName: fold(input.name), createdBy: userId, createdAt: now })
      .returning();
    if (!club) throw errors.internal();
    await tx
      .insert(clubMembers)
      .values({ clubId: club.id, userId, role: 'admin', status: 'active', createdAt: now });
    return club;
  });
}

export async function updateClub(
  deps: Deps,
  slug: string,
  userId: string,
  patch: z.infer<typeof updateClubBody>,
) {
  const club = await findClub(deps.database.db, slug);
  await requireAdmin(deps.database.db, club.id, userId);
  const [updated] = await deps.database.db
    .update(clubs)
    .set({ ...patch, ...(patch.name ? { searchName: fold(patch.name) } : {}) })
    .where(eq(clubs.id, club.id))
    .returning();
  return updated as Club;
}

/** Deleting a club removes its memberships and follows; its past rooms stay, without a club. */
export async function deleteClub(deps: Deps, slug: string, userId: string) {
  const club = await findClub(deps.database.db, slug);
  await requireAdmin(deps.database.db, club.id, userId);
  await deps.database.db.transaction(async (tx) => {
    // The one write to the rooms module's tables from here: the rooms module depends on clubs
    // (who may host a club's rooms), so asking it back would make the two modules a cycle.
    await tx
      .update(rooms)
      .set({ status: 'ended', endedAt: deps.clock.now() })
      .where(and(eq(rooms.clubId, club.id), eq(rooms.status, 'scheduled')));
    await tx.delete(clubs).where(eq(clubs.id, club.id));
  });
}

/** Open clubs admit at once, approval clubs record a request, invite-only clubs need an invitation. */
export async function joinClub(deps: Deps, slug: string, userId: string) {
  const db = deps.database.db;
  const club = await findClub(db, slug);
  const me = await membership(db, club.id, userId);
  if (me?.status === 'active' || me?.status === 'pending') return me.status;
  const status =
    me?.status === 'invited' || club.joinPolicy === 'open'
      ? 'active'
      : club.joinPolicy === 'approval'
        ? 'pending'
        : null;
  if (!status) throw clubErrors.inviteOnly();
  const now = deps.clock.now();
  await db.transaction(async (tx) => {
    await tx
      .insert(clubMembers)
      .values({ clubId: club.id, userId, role: 'member', status, createdAt: now })
      .onConflictDoUpdate({ target: [clubMembers.clubId, clubMembers.userId], set: { status } });
    if (status === 'pending') {
      const admins = await tx
        .select({ id: clubMembers.userId })
        .from(clubMembers)
        .where(
          and(
            eq(clubMembers.clubId, club.id),
            eq(clubMembers.role, 'admin'),
            eq(clubMembers.status, 'active'),
          ),
        );
      await deliver(
        tx,
        now,
        admins.map((a) => a.id),
        {
          type: 'club.request',
          actorId: userId,
          clubId: club.id,
          dedupeKey: `club-request:${club.id}:${userId}`,
        },
      );
    }
  });
  return status;
}

async function adminCount(db: Db, clubId: string) {
  const [row] = await db
    .select({ n: count() })
    .from(clubMembers)
    .where(
      and(eq(clubMembers.clubId, clubId), eq(clubMembers.role, 'admin'), eq(clubMembers.status, 'active')),
    );
  return row?.n ?? 0;
}

/** Leaves, or withdraws a request; the last admin must hand over first. */
export async function leaveClub(deps: Deps, slug: string, userId: string) {
  const club = await findClub(deps.database.db, slug);
  await removeMember(deps, club, userId);
}

async function removeMember(deps: Deps, club: Club, userId: string) {
  await deps.database.db.transaction(async (tx) => {
    await tx.select({ id: clubs.id }).from(clubs).where(eq(clubs.id, club.id)).for('update');
    const target = await membership(tx, club.id, userId);
    if (!target) throw clubErrors.memberNotFound();
    if (target.role === 'admin' && target.status === 'active' && (await adminCount(tx, club.id)) <= 1) {
      throw clubErrors.lastAdmin();
    }
    await tx.delete(clubMembers).where(and(eq(clubMembers.clubId, club.id), eq(clubMembers.userId, userId)));
  });
}

async function userByName(db: Db, username: string) {
  const [user] = await db
    .select({ id: users.id })
    .from(users)
    .where(eq(users.username, username.toLowerCase()));
  if (!user) throw clubErrors.memberNotFound();
  return user;
}

/** Admins approve requests and set roles; demoting the last admin is refused. */
export async function updateMember(
  deps: Deps,
  slug: string,
  actorId: string,
  username: string,
  change: { role?: 'admin' | 'leader' | 'member' | undefined; status?: 'active' | undefined },
) {
  const db = deps.database.db;
  const club = await findClub(db, slug);
  await requireAdmin(db, club.id, actorId);
  const target = await userByName(db, username);
  await db.transaction(async (tx) => {
    await tx.select({ id: clubs.id }).from(clubs).where(eq(clubs.id, club.id)).for('update');
    const row = await membership(tx, club.id, target.id);
    if (!row || row.status === 'invited') throw clubErrors.memberNotFound();
    if (
      row.role === 'admin' &&
      change.role &&
      change.role !== 'admin' &&
      (await adminCount(tx, club.id)) <= 1
    ) {
      throw clubErrors.lastAdmin();
    }
    await tx
      .update(clubMembers)
      .set({ role: change.role ?? row.role, status: change.status ?? row.status })
      .where(and(eq(clubMembers.clubId, club.id), eq(clubMembers.userId, target.id)));
  });
}

export async function removeClubMember(deps: Deps, slug: string, actorId: string, username: string) {
  const db = deps.database.db;
  const club = await findClub(db, slug);
  await requireAdmin(db, club.id, actorId);
  await removeMember(deps, club, (await userByName(db, username)).id);
}

/** Admins and leaders invite members (needed for invite-only clubs). */
export async function inviteToClub(deps: Deps, slug: string, actorId: string, username: string) {
  const db = deps.database.db;
  const club = await findClub(db, slug);
  await requireClubHost(db, club.id, actorId);
  const target = await userByName(db, username);
  const now = deps.clock.now();
  await db.transaction(async (tx) => {
    const added = await tx
      .insert(clubMembers)
      .values({ clubId: club.id, userId: target.id, role: 'member', status: 'invited', createdAt: now })
      .onConflictDoNothing()
      .returning({ at: clubMembers.createdAt });
    if (added.length > 0) {
      await deliver(tx, now, [target.id], {
        type: 'club.invited',
        actorId,
        clubId: club.id,
        dedupeKey: `club-invite:${club.id}`,
      });
    }
  });
  return { club, userId: target.id };
}

export async function setClubFollow(deps: Deps, slug: string, userId: string, follow: boolean) {
  const club = await findClub(deps.database.db, slug);
  if (follow) {
    await deps.database.db
      .insert(clubFollowers)
      .values({ clubId: club.id, userId, createdAt: deps.clock.now() })
      .onConflictDoNothing();
  } else {
    await deps.database.db
      .delete(clubFollowers)
      .where(and(eq(clubFollowers.clubId, club.id), eq(clubFollowers.userId, userId)));
  }
}

/**
 * The club page. Everyone sees what the club says about itself and its counts; the member list,
 * pending requests and the club's rooms are for those the club lets in — nothing leaks to others.
 */
export async function clubPage(deps: Deps, slug: string, viewerId: string) {
  const db = deps.database.db;
  const club = await findClub(db, slug);
  const me = await membership(db, club.id, viewerId);
  const following = await isFollowing(db, club.id, viewerId);
  const [members] = await db
    .select({ n: count() })
    .from(clubMembers)
    .where(and(eq(clubMembers.clubId, club.id), eq(clubMembers.status, 'active')));
  const [followers] = await db
    .select({ n: count() })
    .from(clubFollowers)
    .where(eq(clubFollowers.clubId, club.id));
  const isMember = me?.status === 'active';
  const seesRooms = await mayEnterClubRooms(db, club.id, viewerId);
  const upcoming = seesRooms
    ? await db
        .select({
          id: rooms.id,
          topic: rooms.topic,
          status: rooms.status,
          scheduledFor: rooms.scheduledFor,
          recurrence: rooms.recurrence,
        })
        .from(rooms)
        .where(
          and(
            eq(rooms.clubId, club.id),
            or(
              eq(rooms.status, 'live'),
              and(eq(rooms.status, 'scheduled'), gt(rooms.scheduledFor, deps.clock.now())),
            ),
          ),
        )
        .orderBy(asc(rooms.scheduledFor))
        .limit(20)
    : [];
  const roster = isMember
    ? await db
        .select({
          username: users.username,
          displayName: users.displayName,
          role: clubMembers.role,
          status: clubMembers.status,
        })
        .from(clubMembers)
        .innerJoin(users, eq(users.id, clubMembers.userId))
        .where(
          and(
            eq(clubMembers.clubId, club.id),
            me?.role === 'admin'
              ? inArray(clubMembers.status, ['active', 'pending', 'invited'])
              : eq(clubMembers.status, 'active'),
          ),
        )
        .orderBy(asc(users.username))
    : null;
  return {
    id: club.id,
    slug: club.slug,
    name: club.name,
    description: club.description,
    rules: club.rules,
    joinPolicy: club.joinPolicy,
    roomVisibility: club.roomVisibility,
    memberCount: members?.n ?? 0,
    followerCount: followers?.n ?? 0,
    me: { role: me?.status === 'active' ? me.role : null, status: me?.status ?? null, following },
    rooms: upcoming.map((r) => ({ ...r, scheduledFor: r.scheduledFor?.toISOString() ?? null })),
    members: roster,
    url: new URL(`/clubs/${club.slug}`, deps.config.publicUrl).toString(),
  };
}

export const CLUB_LIST_PAGE = 50;
export type ClubList = 'member' | 'following';
type From = { cursor?: Position<'text'> | undefined; limit?: number };
const byName = [asc(clubs.name), asc(clubs.id)];

/** The clubs someone belongs to, in (name, id) order, from a position on. */
function memberOf(db: Db, userId: string, from: From = {}) {
  const rows = db
    .select({ id: clubs.id, slug: clubs.slug, name: clubs.name, role: clubMembers.role })
    .from(clubMembers)
    .innerJoin(clubs, eq(clubs.id, clubMembers.clubId))
    .where(
      and(
        eq(clubMembers.userId, userId),
        eq(clubMembers.status, 'active'),
        after(clubs.name, clubs.id, from.cursor, 'asc'),
      ),
    )
    .orderBy(...byName)
    .$dynamic();
  return from.limit ? rows.limit(from.limit) : rows;
}

/** The clubs someone follows, in (name, id) order, from a position on. */
function followerOf(db: Db, userId: string, from: From = {}) {
  const rows = db
    .select({ id: clubs.id, slug: clubs.slug, name: clubs.name })
    .from(clubFollowers)
    .innerJoin(clubs, eq(clubs.id, clubFollowers.clubId))
    .where(and(eq(clubFollowers.userId, userId), after(clubs.name, clubs.id, from.cursor, 'asc')))
    .orderBy(...byName)
    .$dynamic();
  return from.limit ? rows.limit(from.limit) : rows;
}

/** Every club someone belongs to, by name (their profile lists these). */
export async function memberClubs(deps: Deps, userId: string) {
  const rows = await memberOf(deps.database.db, userId);
  return rows.map(({ slug, name }) => ({ slug, name }));
}

/**
 * The clubs I belong to and the ones I follow, a page of each (see http/keyset.ts); with `list`,
 * the next page of that list only (the other comes back empty).
 */
export async function clubsOf(
  deps: Deps,
  userId: string,
  query: { list?: ClubList | undefined; cursor?: Position<'text'> | undefined } = {},
) {
  const db = deps.database.db;
  const from = { cursor: query.cursor, limit: CLUB_LIST_PAGE + 1 };
  const wanted = (list: ClubList) => !query.list || query.list === list;
  const byPosition = (club: { id: string; name: string }) => [club.name, club.id] as const;
  const member = page(wanted('member') ? await memberOf(db, userId, from) : [], CLUB_LIST_PAGE, byPosition);
  const following = page(
    wanted('following') ? await followerOf(db, userId, from) : [],
    CLUB_LIST_PAGE,
    byPosition,
  );
  return {
    member: member.items.map(({ slug, name, role }) => ({ slug, name, role })),
    following: following.items.map(({ slug, name }) => ({ slug, name })),
    nextCursor: { member: member.nextCursor, following: following.nextCursor },
  };
}

/** Clubs with a word of their name starting with what was typed, by name (for search). */
export async function clubsNamed(db: Db, query: string, limit: number) {
  return db
    .select({ slug: clubs.slug, name: clubs.name, description: clubs.description })
    .from(clubs)
    .where(matchesWordPrefix(clubs.searchName, query))
    .orderBy(asc(clubs.name))
    .limit(limit);
}

/**
 * A member's clubs as they leave Salon: a club always keeps an admin, so where they were the last
 * one the longest-standing member takes over; a club left with nobody goes.
 */
export async function handOverClubsOf(tx: Db, userId: string) {
  const adminOf = await tx
    .select({ clubId: clubMembers.clubId })
    .from(clubMembers)
    .where(
      and(eq(clubMembers.userId, userId), eq(clubMembers.role, 'admin'), eq(clubMembers.status, 'active')),
    );
  for (const { clubId } of adminOf) {
    const others = await tx
      .select({ userId: clubMembers.userId, role: clubMembers.role })
      .from(clubMembers)
      .where(and(eq(clubMembers.clubId, clubId), eq(clubMembers.status, 'active')))
      .orderBy(asc(clubMembers.createdAt));
    const rest = others.filter((m) => m.userId !== userId);
    if (rest.some((m) => m.role === 'admin')) continue;
    const heir = rest[0];
    if (heir) {
      await tx
        .update(clubMembers)
        .set({ role: 'admin' })
        .where(and(eq(clubMembers.clubId, clubId), eq(clubMembers.userId, heir.userId)));
    } else {
      await tx.delete(clubs).where(eq(clubs.id, clubId));
    }
  }
}
