import { schema } from '@salon/db';
import { asc, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BAD_CURSOR } from '../../http/keyset';
import { createJobs } from '../../jobs';
import { createTestApp } from '../../testing';
import { memberFactory } from '../../testing/client';
import { sseReader } from '../../testing/sse';
import { deliver } from './notifications.service';
import { inQuietHours, readSettings } from './settings';

let t: Awaited<ReturnType<typeof createTestApp>>;
let member: ReturnType<typeof memberFactory>;
beforeEach(async () => {
  t = await createTestApp();
  member = memberFactory(t);
});
afterEach(async () => {
  await t.close();
});

type Member = Awaited<ReturnType<ReturnType<typeof memberFactory>>>;

const runJobs = () => createJobs(t).queue.runDue();
/** The member's notification types, oldest first, leaving out new followers (tested on their own). */
const types = async (who: Member) =>
  ((await who.get('/v1/notifications')).body.notifications as { type: string }[])
    .map((n) => n.type)
    .filter((type) => type !== 'follow.new')
    .reverse();
const openRoom = async (who: Member, body: Record<string, unknown> = {}) =>
  (await who.post('/v1/rooms', { topic: 'Salon du jeudi', mode: 'open', ...body })).body.id as string;

describe('notifications', () => {
  it('tells followers that someone opened a room, once per half-day however many rooms', async () => {
    const speaker = await member('alice');
    const fan = await member('bob');
    await fan.put('/v1/users/alice/follow');
    const { body: first } = await speaker.get('/v1/notifications');
    expect(first.notifications).toEqual([
      expect.objectContaining({ type: 'follow.new', actor: expect.objectContaining({ username: 'bob' }) }),
    ]);
    for (let i = 0; i < 10; i++) {
      await openRoom(speaker);
      await runJobs();
      t.clock.advance(30 * 60_000); // ten rooms in five hours
    }
    await fan.logIn();
    const { body } = await fan.get('/v1/notifications');
    expect(body.notifications.map((n: { type: string }) => n.type)).toEqual(['room.opened']);
    expect(body.notifications[0]).toMatchObject({
      actor: { username: 'alice' },
      room: { topic: 'Salon du jeudi' },
      read: false,
    });
    expect(body.unread).toBe(1);
    t.clock.advance(8 * 3_600_000);
    await speaker.logIn();
    await openRoom(speaker);
    await runJobs();
    await fan.logIn();
    expect(await types(fan)).toEqual(['room.opened', 'room.opened']);
  });

  it('never tells someone about a room they could not enter', async () => {
    const host = await member('alice');
    const friend = await member('bob');
    const fan = await member('carol');
    await friend.put('/v1/users/alice/follow');
    await fan.put('/v1/users/alice/follow');
    await host.put('/v1/users/bob/follow'); // the host follows bob back, not carol
    await openRoom(host, { mode: 'social' });
    await runJobs();
    expect(await types(friend)).toEqual(['room.opened']);
    expect(await types(fan)).toEqual([]);
    await openRoom(host, { mode: 'closed', invitees: ['carol'] });
    await runJobs();
    expect(await types(fan)).toEqual(['room.invited']);
  });

  it('respects mutes, the fewer level, pauses and quiet hours in the member’s time zone', async () => {
    const alice = await member('alice');
    const fan = await member('bob');
    await fan.put('/v1/users/alice/follow');
    await fan.patch('/v1/me', { notificationSettings: { mutedUsers: [alice.id] } });
    // The settings store ids; the member's own list comes back with names.
    expect((await fan.get('/v1/notifications/mutes')).body).toEqual({
      people: [{ id: alice.id, username: 'alice', displayName: 'Alice' }],
      clubs: [],
    });
    await openRoom(alice);
    await runJobs();
    expect(await types(fan)).toEqual([]);

    // 12:00 UTC is 13:00 in Paris: inside quiet hours 12:30–14:00, so listed but silent.
    await fan.patch('/v1/me', {
      notificationSettings: { quietHours: { start: '12:30', end: '14:00', timeZone: 'Europe/Paris' } },
    });
    const stream = sseReader(await fan.raw('/v1/notifications/stream'));
    expect((await stream.next('unread')).data).toEqual({ count: 0 });
    await openRoom(alice);
    await runJobs();
    expect(await types(fan)).toEqual(['room.opened']);
    expect((await stream.drain(400)).filter((e) => e.event === 'notification')).toEqual([]);
    await stream.close();

    await fan.patch('/v1/me', { notificationSettings: { level: 'fewer' } });
    const carol = await member('carol');
    await carol.put('/v1/users/bob/follow');
    const { body } = await fan.get('/v1/notifications');
    expect(body.notifications.map((n: { type: string }) => n.type)).toEqual(['room.opened']); // no "new follower" at the fewer level
    expect(readSettings({ level: 'weird' })).toMatchObject({ level: 'all' });
  });

  it('computes quiet hours across midnight in the given zone', () => {
    const night = readSettings({ quietHours: { start: '22:00', end: '07:00', timeZone: 'Europe/Paris' } });
    expect(inQuietHours(night, new Date('2026-11-21T21:30:00Z'))).toBe(true); // 22:30 in Paris
    expect(inQuietHours(night, new Date('2026-11-21T05:59:00Z'))).toBe(true); // 06:59
    expect(inQuietHours(night, new Date('2026-11-21T06:00:00Z'))).toBe(false); // 07:00
    expect(inQuietHours(night, new Date('2026-11-21T12:00:00Z'))).toBe(false);
  });

  it('announces live, with the unread count, and marks read', async () => {
    const alice = await member('alice');
    const fan = await member('bob');
    await fan.put('/v1/users/alice/follow');
    const stream = sseReader(await fan.raw('/v1/notifications/stream'));
    await stream.next('unread');
    const roomId = await openRoom(alice);
    await runJobs();
    const live = await stream.next('notification');
    expect(live.data).toMatchObject({
      type: 'room.opened',
      room: { id: roomId },
      actor: { username: 'alice' },
    });
    expect((await stream.next('unread')).data).toEqual({ count: 1 });
    const read = await fan.post('/v1/notifications/read', { all: true });
    expect(read.body).toEqual({ unread: 0 });
    expect((await stream.next('unread')).data).toEqual({ count: 0 });
    await stream.close();
  });

  it('tells a listener they were invited to speak, and a speaker’s followers that they went on stage', async () => {
    const host = await member('alice');
    const speaker = await member('bob');
    const fan = await member('carol');
    await fan.put('/v1/users/bob/follow');
    const roomId = await openRoom(host);
    await host.post(`/v1/rooms/${roomId}/join`);
    await speaker.post(`/v1/rooms/${roomId}/join`);
    await host.post(`/v1/rooms/${roomId}/stage/${speaker.id}`, { action: 'invite' });
    expect(await types(speaker)).toEqual(['stage.invited']);
    await speaker.post(`/v1/rooms/${roomId}/stage/${speaker.id}`, { action: 'accept' });
    await runJobs();
    expect(await types(fan)).toEqual(['room.on_stage']);
  });

  it('tells a club’s members and admitted followers when it schedules or starts a room', async () => {
    const admin = await member('alice');
    const memberOfClub = await member('bob');
    const fan = await member('carol');
    const { body: club } = await admin.post('/v1/clubs', {
      name: 'Club lecture',
      slug: 'lecture',
      joinPolicy: 'open',
    });
    await memberOfClub.post('/v1/clubs/lecture/join');
    await fan.put('/v1/clubs/lecture/follow');
    await admin.post('/v1/rooms', {
      topic: 'Zola',
      mode: 'club',
      clubId: club.id,
      scheduledFor: '2026-11-28T18:00:00Z',
    });
    await runJobs();
    expect(await types(memberOfClub)).toEqual(['club.room_scheduled']);
    expect(await types(fan)).toEqual([]); // the club's rooms are for members
    await admin.patch('/v1/clubs/lecture', { roomVisibility: 'followers' });
    await admin.post('/v1/rooms', { topic: 'Hugo', mode: 'club', clubId: club.id });
    await runJobs();
    expect(await types(fan)).toEqual(['club.room_started']);
  });
});

describe('the live stream', () => {
  /** One notification for `to`, in its own transaction, as the services deliver them. */
  const notify = (to: Member, from: Member, key: string) =>
    t.database.db.transaction((tx) =>
      deliver(tx, t.clock.now(), [to.id], { type: 'follow.new', actorId: from.id, dedupeKey: key }),
    );
  const collect = async (stream: ReturnType<typeof sseReader>, count: number) => {
    const got: { id: string; createdAt: string }[] = [];
    while (got.length < count)
      got.push((await stream.next('notification', 5000)).data as (typeof got)[number]);
    return got;
  };

  it('delivers every notification while it is open, in order, none twice (75 of them)', {
    timeout: 30_000,
  }, async () => {
    const alice = await member('alice');
    const bob = await member('bob');
    const stream = sseReader(await bob.raw('/v1/notifications/stream'));
    await stream.next('unread');
    for (let i = 0; i < 75; i++) {
      t.clock.advance(1000);
      await notify(bob, alice, `probe:${i}`);
    }
    const got = await collect(stream, 75);
    const stored = await t.database.db
      .select({ id: schema.notifications.id })
      .from(schema.notifications)
      .where(eq(schema.notifications.userId, bob.id))
      .orderBy(asc(schema.notifications.createdAt), asc(schema.notifications.id));
    expect(got.map((n) => n.id)).toEqual(stored.map((n) => n.id));
    expect(new Set(got.map((n) => n.id)).size).toBe(75);
    // Nothing more comes, not even again.
    expect((await stream.drain(400)).filter((e) => e.event === 'notification')).toEqual([]);
    await stream.close();
  });

  it('delivers notifications that share a timestamp, in one transaction or in several', {
    timeout: 30_000,
  }, async () => {
    const alice = await member('alice');
    const bob = await member('bob');
    const stream = sseReader(await bob.raw('/v1/notifications/stream'));
    await stream.next('unread');
    // The clock does not move: every one of these has the same created_at.
    await t.database.db.transaction(async (tx) => {
      await deliver(tx, t.clock.now(), [bob.id], {
        type: 'follow.new',
        actorId: alice.id,
        dedupeKey: 'same:1',
      });
      await deliver(tx, t.clock.now(), [bob.id], {
        type: 'follow.new',
        actorId: alice.id,
        dedupeKey: 'same:2',
      });
    });
    for (let i = 3; i <= 40; i++) await notify(bob, alice, `same:${i}`);
    const got = await collect(stream, 40);
    expect(new Set(got.map((n) => n.id)).size).toBe(40);
    expect((await stream.drain(400)).filter((e) => e.event === 'notification')).toEqual([]);
    await stream.close();
  });

  it('still delivers one whose transaction committed after a newer one was streamed', async () => {
    const alice = await member('alice');
    const bob = await member('bob');
    const stream = sseReader(await bob.raw('/v1/notifications/stream'));
    await stream.next('unread');
    const start = t.clock.now().getTime();
    t.clock.set(new Date(start + 5000));
    await notify(bob, alice, 'newer');
    await stream.next('notification');
    t.clock.set(new Date(start + 1000)); // began earlier, committed later
    await notify(bob, alice, 'older');
    const late = await stream.next('notification');
    const [older] = await t.database.db
      .select({ id: schema.notifications.id })
      .from(schema.notifications)
      .where(eq(schema.notifications.dedupeKey, 'older'));
    expect((late.data as { id: string }).id).toBe(older?.id);
    await stream.close();
  });

  it('does not replay what was there before it opened', async () => {
    const alice = await member('alice');
    const bob = await member('bob');
    await notify(bob, alice, 'before');
    const stream = sseReader(await bob.raw('/v1/notifications/stream'));
    expect((await stream.next('unread')).data).toEqual({ count: 1 });
    await notify(bob, alice, 'after');
    const [after] = await t.database.db
      .select({ id: schema.notifications.id })
      .from(schema.notifications)
      .where(eq(schema.notifications.dedupeKey, 'after'));
    const live = (await stream.drain(600)).filter((e) => e.event === 'notification');
    expect(live.map((e) => (e.data as { id: string }).id)).toEqual([after?.id]);
    await stream.close();
  });
});

describe('the notification list', () => {
  it('pages through notifications that share a timestamp without losing or repeating any', async () => {
    const bob = await member('bob');
    const at = t.clock.now();
    await t.database.db.insert(schema.notifications).values(
      Array.from({ length: 45 }, (_, i) => ({
        userId: bob.id,
        type: 'follow.new' as const,
        dedupeKey: `list:${i}`,
        createdAt: at,
      })),
    );
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await bob.get(`/v1/notifications${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(page.status, JSON.stringify(page.body)).toBe(200);
      seen.push(...page.body.notifications.map((n: { id: string }) => n.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(45);
    expect(new Set(seen).size).toBe(45);
    // Cursors are opaque: a bare timestamp (the former cursor) is refused like anything else.
    for (const forged of [at.toISOString(), 'yesterday']) {
      const bad = await bob.get(`/v1/notifications?cursor=${encodeURIComponent(forged)}`);
      expect(bad.status).toBe(400);
      expect(bad.body.error.details[0].message).toBe(BAD_CURSOR);
    }
  });

  it('keeps both of two notifications of the same moment when a page ends between them', async () => {
    const carol = await member('carol');
    const base = Date.parse('2026-11-20T08:00:00Z');
    // 31 notifications, newest first: the 30th and the 31st (the last of the first page and the
    // first of the second) share their timestamp; every other one has its own.
    const at = (rank: number) => new Date(base - Math.min(rank, 29) * 60_000);
    await t.database.db.insert(schema.notifications).values(
      Array.from({ length: 31 }, (_, rank) => ({
        userId: carol.id,
        type: 'follow.new' as const,
        dedupeKey: `boundary:${rank}`,
        createdAt: at(rank),
      })),
    );
    const first = await carol.get('/v1/notifications');
    expect(first.body.notifications).toHaveLength(30);
    expect(first.body.notifications.at(-1).createdAt).toBe(at(29).toISOString());
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await carol.get(`/v1/notifications?cursor=${encodeURIComponent(first.body.nextCursor)}`);
    expect(second.body.notifications).toHaveLength(1);
    expect(second.body.notifications[0].createdAt).toBe(at(30).toISOString());
    expect(second.body.nextCursor).toBeNull();
    const keys = [...first.body.notifications, ...second.body.notifications].map((n: { id: string }) => n.id);
    expect(new Set(keys).size).toBe(31);
  });
});
