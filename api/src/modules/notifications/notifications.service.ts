import { type Db, notify, schema } from '@salon/db';
import type { NotificationType } from '@salon/db/schema';
import { and, asc, count, desc, eq, gte, inArray, isNull, sql } from 'drizzle-orm';
import type { AppDeps } from '../../http/app-env';
import { after, type Position, page } from '../../http/keyset';
import { inQuietHours, isPaused, readSettings } from './settings';

const { notifications, users, follows, rooms, roomParticipants, clubs, clubMembers, clubFollowers } = schema;

export const NOTIFICATIONS_CHANNEL = 'notifications';
type Deps = Pick<AppDeps, 'database' | 'clock'>;

/** About the member themselves: never capped, kept at the `fewer` level. */
const DIRECT: NotificationType[] = ['stage.invited', 'room.invited', 'club.invited', 'club.request'];
/** Announcements about others' rooms: capped per source and per day. */
const ROOM_NEWS: NotificationType[] = [
  'room.opened',
  'room.on_stage',
  'club.room_scheduled',
  'club.room_started',
  // Room news the member asked for: it counts towards the daily cap like the rest.
  'room.reminder',
];
/** Kept at the `fewer` level: news of rooms opened by people one follows, and reminders one asked for. */
const FEWER_KEEPS: NotificationType[] = ['room.opened', 'room.reminder'];
/**
 * Moderation notices (DSA art. 16, 17, 20): the person concerned must get them whatever their
 * settings, including a suspended or banned member, who may still sign in to read them.
 */
const MODERATION: NotificationType[] = [
  'report.received',
  'report.decided',
  'decision.made',
  'appeal.decided',
];
/** One room notification per source (a person or a club) per recipient per window. */
const SOURCE_WINDOW_MS = 12 * 3_600_000;
/** At most this many room notifications per recipient per 24 hours. */
const DAILY_ROOM_NEWS_CAP = 20;
const PAGE = 30;

export interface NewNotification {
  type: NotificationType;
  actorId?: string | null;
  roomId?: string | null;
  clubId?: string | null;
  data?: Record<string, string | number | boolean | null>;
  /** Repeats with the same key for the same recipient are dropped. */
  dedupeKey: string;
}

/**
 * Delivers one notification to many recipients, applying each one's settings: mutes and the
 * `fewer` level drop it, a pause or quiet hours make it silent (listed, not announced), and room
 * news is capped per source and per day. Idempotent through the dedupe key. Call inside the
 * transaction of the change; live streams hear of it at commit.
 */
export async function deliver(tx: Db, now: Date, recipientIds: string[], n: NewNotification) {
  const ids = [...new Set(recipientIds)].filter((id) => id !== n.actorId);
  if (ids.length === 0) return 0;
  const mandatory = MODERATION.includes(n.type);
  const recipients = await tx
    .select({ id: users.id, settings: users.notificationSettings })
    .from(users)
    .where(
      and(
        inArray(users.id, ids),
        mandatory ? inArray(users.status, ['active', 'suspended', 'banned']) : eq(users.status, 'active'),
      ),
    );
  const isNews = ROOM_NEWS.includes(n.type);
  const recentNews = new Map<string, number>();
  if (isNews) {
    const rows = await tx
      .select({ userId: notifications.userId, n: count() })
      .from(notifications)
      .where(
        and(
          inArray(notifications.userId, ids),
          inArray(notifications.type, ROOM_NEWS),
          gte(notifications.createdAt, new Date(now.getTime() - 86_400_000)),
        ),
      )
      .groupBy(notifications.userId);
    for (const row of rows) recentNews.set(row.userId, row.n);
  }
  const rows: (typeof notifications.$inferInsert)[] = [];
  for (const recipient of recipients) {
    const settings = readSettings(recipient.settings);
    if (n.actorId && settings.mutedUsers.includes(n.actorId)) continue;
    if (n.clubId && settings.mutedClubs.includes(n.clubId)) continue;
    if (settings.level === 'fewer' && !DIRECT.includes(n.type) && !mandatory && !FEWER_KEEPS.includes(n.type))
      continue;
    if (isNews && (recentNews.get(recipient.id) ?? 0) >= DAILY_ROOM_NEWS_CAP) continue;
    rows.push({
      userId: recipient.id,
      type: n.type,
      actorId: n.actorId ?? null,
      roomId: n.roomId ?? null,
      clubId: n.clubId ?? null,
      data: n.data ?? {},
      silent: isPaused(settings, now) || inQuietHours(settings, now),
      dedupeKey: n.dedupeKey,
      createdAt: now,
    });
  }
  if (rows.length === 0) return 0;
  const inserted = await tx
    .insert(notifications)
    .values(rows)
    .onConflictDoNothing()
    .returning({ userId: notifications.userId, silent: notifications.silent });
  const announce = inserted.filter((r) => !r.silent).map((r) => r.userId);
  // NOTIFY payloads are limited to 8 kB: announce in chunks.
  for (let i = 0; i < announce.length; i += 100) {
    await notify(tx, NOTIFICATIONS_CHANNEL, JSON.stringify({ userIds: announce.slice(i, i + 100) }));
  }
  return inserted.length;
}

/** The dedupe key that caps room news to one per source per 12-hour window. */
export function roomNewsKey(source: string, now: Date) {
  return `rooms:${source}:${Math.floor(now.getTime() / SOURCE_WINDOW_MS)}`;
}

/**
 * Who hears that a room opened or someone went on stage: the actor's followers who may enter the
 * room (never a social or closed room to someone it would not admit), minus those already in it.
 */
export async function roomAudience(db: Db, roomId: string, actorId: string) {
  const [room] = await db.select().from(rooms).where(eq(rooms.id, roomId));
  if (!room || room.mode === 'closed') return [];
  const alreadyIn = sql`not exists (select 1 from ${roomParticipants} rp where rp.room_id = ${roomId} and rp.user_id = ${follows.followerId} and rp.present)`;
  let admitted = sql`true`;
  if (room.mode === 'social') {
    admitted = sql`exists (select 1 from ${follows} back where back.follower_id = ${room.hostId} and back.followee_id = ${follows.followerId})`;
  }
  if (room.mode === 'club') admitted = clubAdmits(room.clubId, sql`${follows.followerId}`);
  const rows = await db
    .select({ id: follows.followerId })
    .from(follows)
    .where(and(eq(follows.followeeId, actorId), admitted, alreadyIn));
  return rows.map((r) => r.id);
}

/** Members of the club, and its followers when the club opens its rooms to them. */
export async function clubAudience(db: Db, clubId: string) {
  const members = await db
    .select({ id: clubMembers.userId })
    .from(clubMembers)
    .where(and(eq(clubMembers.clubId, clubId), eq(clubMembers.status, 'active')));
  const [club] = await db
    .select({ visibility: clubs.roomVisibility })
    .from(clubs)
    .where(eq(clubs.id, clubId));
  const fans =
    club?.visibility === 'followers'
      ? await db
          .select({ id: clubFollowers.userId })
          .from(clubFollowers)
          .where(eq(clubFollowers.clubId, clubId))
      : [];
  return [...members, ...fans].map((r) => r.id);
}

function clubAdmits(clubId: string | null, userId: ReturnType<typeof sql>) {
  if (!clubId) return sql`false`;
  return sql`(exists (select 1 from ${clubMembers} m where m.club_id = ${clubId} and m.user_id = ${userId} and m.status = 'active')
    or exists (select 1 from ${clubs} c join ${clubFollowers} f on f.club_id = c.id
      where c.id = ${clubId} and c.room_visibility = 'followers' and f.user_id = ${userId}))`;
}

/**
 * The member's notifications, newest first, a page at a time in (created_at, id) order (see
 * http/keyset.ts): notifications of the same moment are neither lost nor repeated across pages.
 */
export async function listNotifications(deps: Deps, userId: string, before?: Position<'date'>) {
  const db = deps.database.db;
  const rows = await db
    .select({
      n: notifications,
      actor: { username: users.username, displayName: users.displayName },
      room: { id: rooms.id, topic: rooms.topic, status: rooms.status },
      club: { slug: clubs.slug, name: clubs.name },
    })
    .from(notifications)
    .leftJoin(users, eq(users.id, notifications.actorId))
    .leftJoin(rooms, eq(rooms.id, notifications.roomId))
    .leftJoin(clubs, eq(clubs.id, notifications.clubId))
    .where(
      and(eq(notifications.userId, userId), after(notifications.createdAt, notifications.id, before, 'desc')),
    )
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(PAGE + 1);
  const { items, nextCursor } = page(rows, PAGE, (row) => [row.n.createdAt, row.n.id]);
  return { notifications: items.map(present), unread: await unreadCount(db, userId), nextCursor };
}

type Row = {
  n: typeof notifications.$inferSelect;
  actor: { username: string; displayName: string } | null;
  room: { id: string; topic: string; status: string } | null;
  club: { slug: string; name: string } | null;
};

function present({ n, actor, room, club }: Row) {
  return {
    id: n.id,
    type: n.type,
    createdAt: n.createdAt.toISOString(),
    read: n.readAt !== null,
    actor,
    room,
    club,
    data: n.data,
  };
}

export async function unreadCount(db: Db, userId: string) {
  const [row] = await db
    .select({ n: count() })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
  return row?.n ?? 0;
}

/** A position in the live stream's order: (created_at, id). */
export interface StreamKey {
  createdAt: Date;
  id: string;
}

/** Below every uuid: a key at the very start of a timestamp. */
export const FIRST_ID = '00000000-0000-0000-0000-000000000000';

/**
 * Announced notifications strictly after `since` in (created_at, id) order, oldest first, one page
 * at a time (keyset pagination: the caller passes the last key of a page to get the next one).
 */
export async function newSince(db: Db, userId: string, since: StreamKey, limit = PAGE) {
  const rows = await db
    .select({
      n: notifications,
      actor: { username: users.username, displayName: users.displayName },
      room: { id: rooms.id, topic: rooms.topic, status: rooms.status },
      club: { slug: clubs.slug, name: clubs.name },
    })
    .from(notifications)
    .leftJoin(users, eq(users.id, notifications.actorId))
    .leftJoin(rooms, eq(rooms.id, notifications.roomId))
    .leftJoin(clubs, eq(clubs.id, notifications.clubId))
    .where(
      and(
        eq(notifications.userId, userId),
        eq(notifications.silent, false),
        after(notifications.createdAt, notifications.id, { key: since.createdAt, id: since.id }, 'asc'),
      ),
    )
    .orderBy(asc(notifications.createdAt), asc(notifications.id))
    .limit(limit);
  return rows.map((row) => ({ key: { createdAt: row.n.createdAt, id: row.n.id }, item: present(row) }));
}

export async function markRead(
  deps: Deps,
  userId: string,
  input: { ids?: string[] | undefined; all?: boolean | undefined },
) {
  const db = deps.database.db;
  await db
    .update(notifications)
    .set({ readAt: deps.clock.now() })
    .where(
      and(
        eq(notifications.userId, userId),
        isNull(notifications.readAt),
        input.all
          ? undefined
          : inArray(
              notifications.id,
              input.ids?.length ? input.ids : ['00000000-0000-0000-0000-000000000000'],
            ),
      ),
    );
  return unreadCount(db, userId);
}

/**
 * The people and clubs the member muted, with their names, so that the settings can say who is
 * muted (the settings store ids only). People whose account is gone or hidden are left out.
 */
export async function mutedNames(db: Db, userId: string) {
  const [me] = await db
    .select({ settings: users.notificationSettings })
    .from(users)
    .where(eq(users.id, userId));
  const { mutedUsers, mutedClubs } = readSettings(me?.settings);
  const people =
    mutedUsers.length > 0
      ? await db
          .select({ id: users.id, username: users.username, displayName: users.displayName })
          .from(users)
          .where(and(inArray(users.id, mutedUsers), eq(users.status, 'active')))
      : [];
  const mutedClubRows =
    mutedClubs.length > 0
      ? await db
          .select({ id: clubs.id, slug: clubs.slug, name: clubs.name })
          .from(clubs)
          .where(inArray(clubs.id, mutedClubs))
      : [];
  return { people, clubs: mutedClubRows };
}
