import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../app';
import { createStreamRegistry } from '../../http/streams';
import { createTestApp } from '../../testing';
import { memberFactory, testClient } from '../../testing/client';
import { seedCrowd } from '../../testing/crowd';
import { type SseEvent, sseReader } from '../../testing/sse';
import { createSession, sessionCookieName } from '../auth/sessions';
import { loadRoomState, type RosterEntry, refreshRoomState } from './roster';
import { leaveRoom } from './stage.service';
import { createRoomHub, type RosterDiff, type Snapshot } from './stream';

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

async function liveRoom() {
  const host = await member('alice');
  const bob = await member('bob');
  const carol = await member('carol');
  const { body } = await host.post('/v1/rooms', { topic: 'Podcasts', mode: 'open' });
  for (const who of [host, bob, carol]) await who.post(`/v1/rooms/${body.id}/join`);
  return { roomId: body.id as string, host, bob, carol };
}

const open = async (who: Pick<Member, 'raw'>, roomId: string, lastEventId?: string) =>
  sseReader(await who.raw(`/v1/rooms/${roomId}/events`, lastEventId ? { 'last-event-id': lastEventId } : {}));

const snapshotOf = (event: SseEvent) => event.data as Snapshot;
const diffOf = (event: SseEvent) => event.data as RosterDiff;
const everyone = (s: Snapshot) => [...s.stage, ...s.followed.entries, ...s.audience.entries];
const byName = (roster: RosterEntry[]) => Object.fromEntries(roster.map((e) => [e.username, e]));

describe('live room stream', () => {
  it('starts with a snapshot of the three bands, their counts and the viewer', async () => {
    const { roomId, host, bob } = await liveRoom();
    await host.put('/v1/users/bob/follow');
    const stream = await open(bob, roomId);
    const snapshot = await stream.next('snapshot');
    const data = snapshotOf(snapshot);
    expect(data.room).toMatchObject({ topic: 'Podcasts', mode: 'open', status: 'live', recording: true });
    const people = byName(everyone(data));
    expect(people.alice).toMatchObject({ role: 'moderator', band: 'stage', isNew: true });
    expect(people.bob?.band).toBe('followed'); // followed by a speaker
    expect(people.carol?.band).toBe('audience');
    expect(data.followed.count).toBe(1);
    expect(data.audience.count).toBe(1);
    expect(data.hands).toBeNull(); // a listener sees no queue of hands
    expect(data.you?.username).toBe('bob');
    expect(Number(snapshot.id)).toBeGreaterThan(0);
    await stream.close();
  });

  it('sends batched differences, showing raised hands to moderators and to the person only', async () => {
    const { roomId, host, bob, carol } = await liveRoom();
    const moderatorView = await open(host, roomId);
    const listenerView = await open(carol, roomId);
    const ownView = await open(bob, roomId);
    expect(snapshotOf(await moderatorView.next('snapshot')).hands).toEqual({ entries: [], count: 0 });
    await listenerView.next('snapshot');
    await ownView.next('snapshot');

    await bob.put(`/v1/rooms/${roomId}/hand`);
    const forModerator = diffOf(await moderatorView.next('roster'));
    expect(forModerator.upserts).toEqual([expect.objectContaining({ username: 'bob', handRaised: true })]);
    expect(forModerator.hands).toMatchObject({ count: 1, entries: [{ username: 'bob', handRaised: true }] });
    // bob sees his own hand; carol is not even told that something about bob changed.
    expect(diffOf(await ownView.next('roster')).you).toMatchObject({ username: 'bob', handRaised: true });
    expect(await listenerView.drain(500)).toEqual([]);

    await host.post(`/v1/rooms/${roomId}/stage/${bob.id}`, { action: 'invite' });
    await bob.post(`/v1/rooms/${roomId}/stage/${bob.id}`, { action: 'accept' });
    await carol.post(`/v1/rooms/${roomId}/leave`);
    const changes = (await moderatorView.drain(1200)).filter((e) => e.event === 'roster').map(diffOf);
    const upserts = changes.flatMap((d) => d.upserts);
    expect(upserts.at(-1)).toMatchObject({ username: 'bob', role: 'speaker', band: 'stage' });
    expect(changes.flatMap((d) => d.removals)).toEqual([carol.id]);
    expect(changes.at(-1)?.counts).toEqual({ followed: 0, audience: 0 });
    expect(changes.findLast((d) => d.hands)?.hands).toEqual({ entries: [], count: 0 });
    // At most one message per batch, whatever happened in it.
    expect(changes.length).toBeLessThanOrEqual(3);
    await Promise.all([moderatorView.close(), listenerView.close(), ownView.close()]);
  });

  it('sends what happened at the same moment as one message', async () => {
    const { roomId, host } = await liveRoom();
    const others = [await member('dave'), await member('erin'), await member('frank')];
    for (const who of others) await who.post(`/v1/rooms/${roomId}/join`);
    const moderatorView = await open(host, roomId);
    await moderatorView.next('snapshot');
    await Promise.all(others.map((who) => who.put(`/v1/rooms/${roomId}/hand`)));
    const changes = (await moderatorView.drain(1000)).filter((e) => e.event === 'roster').map(diffOf);
    expect(changes.flatMap((d) => d.upserts.map((e) => e.username)).sort()).toEqual([
      'dave',
      'erin',
      'frank',
    ]);
    expect(changes.at(-1)?.hands?.count).toBe(3);
    expect(changes.length).toBeLessThanOrEqual(2);
    await moderatorView.close();
  });

  it('carries the audience as counts, and only what the first page needs', async () => {
    const { roomId, host, carol } = await liveRoom();
    const start = t.clock.now().getTime();
    // 60 listeners who came in before everyone else: the first page of the audience is theirs.
    const crowd = await seedCrowd(t.database.db, roomId, 60, (i) => ({
      joinedAt: new Date(start - 60_000 + i),
    }));
    const stream = await open(carol, roomId);
    const first = snapshotOf(await stream.next('snapshot'));
    expect(first.audience.count).toBe(62); // the crowd, bob and carol
    expect(first.audience.entries.map((e) => e.userId)).toEqual(crowd.slice(0, 48));

    // Newcomers land after the first page: a count, no entries, and the count at most once a second.
    const dave = await member('dave');
    const erin = await member('erin');
    await dave.post(`/v1/rooms/${roomId}/join`);
    await erin.post(`/v1/rooms/${roomId}/join`);
    const arrivals = (await stream.drain(1600)).filter((e) => e.event === 'roster').map(diffOf);
    expect(arrivals.at(-1)?.counts.audience).toBe(64);
    expect(arrivals.length).toBeLessThanOrEqual(2);
    expect(arrivals.flatMap((d) => d.upserts)).toEqual([]);

    // Someone on the first page leaves: they go, and the next in line moves up into it.
    await leaveRoom(t, roomId, crowd[3] ?? '');
    const left = diffOf(await stream.next('roster'));
    expect(left.removals).toEqual([crowd[3]]);
    expect(left.upserts.map((e) => e.userId)).toEqual([crowd[48]]);
    expect(left.counts.audience).toBe(63);
    // A hand raised far down the audience is none of the listeners' business: nothing is sent.
    await host.post(`/v1/rooms/${roomId}/stage/${crowd[59]}`, { action: 'invite' });
    expect(await stream.drain(500)).toEqual([]);
    await stream.close();
  });

  it('resumes from Last-Event-ID without a snapshot when nothing was missed, and with one otherwise', async () => {
    const { roomId, host, bob } = await liveRoom();
    const first = await open(bob, roomId);
    const { id } = await first.next('snapshot');
    await first.close();
    const resumed = await open(bob, roomId, id);
    expect(await resumed.drain(300)).toEqual([]);
    await resumed.close();
    await host.patch(`/v1/rooms/${roomId}`, { topic: 'Podcasts et radio' });
    await new Promise((resolve) => setTimeout(resolve, 400));
    const stale = await open(bob, roomId, id);
    const snapshot = await stale.next('snapshot');
    expect(snapshotOf(snapshot).room.topic).toBe('Podcasts et radio');
    expect(Number(snapshot.id)).toBeGreaterThan(Number(id));
    await stale.close();
  });

  it('fans out across API instances through Postgres LISTEN/NOTIFY', async () => {
    const { roomId, host, bob } = await liveRoom();
    const otherInstance = createApp(t); // a second API process on the same database
    const cookie = [...bob.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const stream = sseReader(
      await otherInstance.request(`/v1/rooms/${roomId}/events`, { headers: { cookie } }),
    );
    await stream.next('snapshot');
    await host.patch(`/v1/rooms/${roomId}`, { mode: 'social' }); // handled by the first instance
    const change = await stream.next('room');
    expect(change.data).toMatchObject({ mode: 'social' });
    await stream.close();
  });

  it('carries reactions and the end of the room, then closes', async () => {
    const { roomId, host, bob } = await liveRoom();
    const stream = await open(bob, roomId);
    await stream.next('snapshot');
    await host.post(`/v1/rooms/${roomId}/reactions`, { emoji: '👏' });
    await bob.post(`/v1/rooms/${roomId}/reactions`, { emoji: '👏' });
    await bob.post(`/v1/rooms/${roomId}/reactions`, { emoji: '🔥' });
    // Counted per batch (a slow machine may split the three into two).
    const counts: Record<string, number> = {};
    while (Object.values(counts).reduce((a, n) => a + n, 0) < 3) {
      const { data } = await stream.next('reactions');
      for (const [emoji, n] of Object.entries((data as { counts: Record<string, number> }).counts))
        counts[emoji] = (counts[emoji] ?? 0) + n;
    }
    expect(counts).toEqual({ '👏': 2, '🔥': 1 });
    await host.post(`/v1/rooms/${roomId}/end`);
    expect((await stream.next('ended')).event).toBe('ended');
    await stream.drain(200);
    expect(stream.ended).toBe(true);
  });

  it('is refused to people who may not see the room', async () => {
    const { roomId, host } = await liveRoom();
    await host.patch(`/v1/rooms/${roomId}`, { mode: 'closed' });
    const outsider = await member('dave');
    const res = await outsider.raw(`/v1/rooms/${roomId}/events`);
    expect(res.status).toBe(404);
    expect((await testClient(t).raw(`/v1/rooms/${roomId}/events`)).status).toBe(401);
  });
});

describe('reading a room in batches', () => {
  it('reads only the people a batch names, and agrees with reading the room whole', async () => {
    const { roomId, host, bob, carol } = await liveRoom();
    const start = t.clock.now().getTime();
    const crowd = await seedCrowd(t.database.db, roomId, 60, (i) => ({
      joinedAt: new Date(start - 60_000 + i),
    }));
    const db = t.database.db;
    const before = await loadRoomState(db, roomId, t.clock.now());
    if (!before) throw new Error('no room');
    // bob follows two of the crowd, raises his hand and goes on stage: they move to "followed".
    await bob.put('/v1/users/crowd3/follow');
    await bob.put('/v1/users/crowd40/follow');
    await bob.put(`/v1/rooms/${roomId}/hand`);
    await host.post(`/v1/rooms/${roomId}/stage/${bob.id}`, { action: 'invite' });
    await bob.post(`/v1/rooms/${roomId}/stage/${bob.id}`, { action: 'accept' });
    await carol.put(`/v1/rooms/${roomId}/hand`);
    await leaveRoom(t, roomId, crowd[7] ?? '');
    const dave = await member('dave');
    await dave.post(`/v1/rooms/${roomId}/join`);
    await host.patch(`/v1/rooms/${roomId}`, { topic: 'Podcasts, encore' });

    const refreshed = await refreshRoomState(db, before, t.clock.now());
    const whole = await loadRoomState(db, roomId, t.clock.now());
    const ids = (entries: RosterEntry[]) => entries.map((e) => e.userId);
    // Taken in event by event (a whole read starts with none seen).
    expect(refreshed?.timeline.seen.size).toBeGreaterThanOrEqual(7);
    expect(refreshed?.room).toEqual(whole?.room);
    expect(refreshed?.lastEventId).toBe(whole?.lastEventId);
    expect(Object.fromEntries(refreshed?.roster ?? [])).toEqual(Object.fromEntries(whole?.roster ?? []));
    for (const band of ['followed', 'audience', 'hands'] as const)
      expect(ids(refreshed?.order[band] ?? [])).toEqual(ids(whole?.order[band] ?? []));
    expect(ids(refreshed?.order.followed ?? [])).toEqual([crowd[3], crowd[40]]);
    expect(refreshed?.roster.has(dave.id)).toBe(true);
    expect(refreshed?.roster.has(crowd[7] ?? '')).toBe(false);
  });
});

describe('fan-out', () => {
  it('serialises a change once per view, whatever the number of streams', async () => {
    const hub = createRoomHub(t, 50);
    const app = createApp({ ...t, roomHub: hub });
    const host = await member('alice');
    const bob = await member('bob');
    const { body } = await host.post('/v1/rooms', { topic: 'Podcasts', mode: 'open' });
    const roomId = body.id as string;
    await host.post(`/v1/rooms/${roomId}/join`);
    await bob.post(`/v1/rooms/${roomId}/join`);
    // Forty listeners with a session each (seeded: signing forty people up would take long).
    const crowd = await seedCrowd(t.database.db, roomId, 40, () => ({ joinedAt: t.clock.now() }));
    const cookies = [[...host.jar].map(([k, v]) => `${k}=${v}`).join('; ')];
    for (const userId of crowd) {
      const { token } = await createSession(t.database.db, t, {
        userId,
        userAgent: undefined,
        now: t.clock.now(),
      });
      cookies.push(`${sessionCookieName(t.config)}=${token}`);
    }
    const streams = await Promise.all(
      cookies.map(async (cookie) =>
        sseReader(await app.request(`/v1/rooms/${roomId}/events`, { headers: { cookie } })),
      ),
    );
    for (const stream of streams) await stream.next('snapshot');
    await host.post(`/v1/rooms/${roomId}/stage/${bob.id}`, { action: 'invite' });
    await streams[0]?.next('roster'); // the moderator hears of the invitation; nobody else does
    await new Promise((resolve) => setTimeout(resolve, 200));

    const before = hub.stats();
    await bob.post(`/v1/rooms/${roomId}/stage/${bob.id}`, { action: 'accept' });
    for (const stream of streams) {
      expect(diffOf(await stream.next('roster')).upserts).toEqual([
        expect.objectContaining({ username: 'bob', role: 'speaker' }),
      ]);
    }
    const after = hub.stats();
    // One payload for the moderator, one for the 40 listeners; the same bytes to each stream.
    expect(after.serialisations - before.serialisations).toBe(2);
    expect(after.personal - before.personal).toBe(0);
    expect(after.frames - before.frames).toBe(41);
    for (const stream of streams) await stream.close();
    await hub.close();
  });

  it('drops a client that does not read at the bound instead of buffering, and it resumes with Last-Event-ID', async () => {
    const queueBytes = 8 * 1024;
    const streams = createStreamRegistry(t, { queueBytes });
    const hub = createRoomHub(t, 50);
    const app = createApp({ ...t, streams, roomHub: hub });
    const host = await member('alice');
    const bob = await member('bob');
    const { body } = await host.post('/v1/rooms', { topic: 'Podcasts', mode: 'open' });
    const roomId = body.id as string;
    await host.post(`/v1/rooms/${roomId}/join`);
    await bob.post(`/v1/rooms/${roomId}/join`);
    const cookieOf = (who: Member) => [...who.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const request = (who: Member, lastEventId?: string) =>
      app.request(`/v1/rooms/${roomId}/events`, {
        headers: { cookie: cookieOf(who), ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
      });
    // bob's client reads its snapshot, then nothing more; alice's reads everything.
    const slow = sseReader(await request(bob));
    const had = await slow.next('snapshot');
    const reader = sseReader(await request(host));
    await reader.next('snapshot');
    expect(streams.queues().total).toBe(0);

    // Twenty people arrive at once: everyone's first page changes (about 5 KB of entries).
    const start = t.clock.now().getTime();
    const crowd = await seedCrowd(t.database.db, roomId, 20, (i) => ({
      joinedAt: new Date(start + 1000 + i),
    }));
    expect(diffOf(await reader.next('roster')).upserts).toHaveLength(20);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const held = streams.queues();
    expect(held.total).toBeGreaterThan(4000); // bob's copy, unread
    expect(held.largest).toBeLessThanOrEqual(queueBytes);
    expect(held.dropped.streams).toBe(0);

    // Twenty more: bob's stream would hold both diffs, beyond the bound. It is dropped instead.
    crowd.push(
      ...(await seedCrowd(
        t.database.db,
        roomId,
        20,
        (i) => ({ joinedAt: new Date(start + 1100 + i) }),
        'next',
      )),
    );
    expect(diffOf(await reader.next('roster')).upserts).toHaveLength(20);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(streams.queues().dropped).toEqual({ streams: 1, largestQueue: expect.any(Number) });
    expect(streams.queues().dropped.largestQueue).toBeLessThanOrEqual(queueBytes);
    expect(streams.count({ userId: bob.id })).toBe(0);
    expect(streams.queues().total).toBe(0);

    // More changes: nothing is kept for him any more.
    await seedCrowd(t.database.db, roomId, 10, (i) => ({ joinedAt: new Date(start + 2000 + i) }), 'more');
    await reader.next('roster');
    expect(streams.queues().total).toBe(0);

    // His client sees the connection cut, and reconnects with the last id it had, as EventSource does.
    await slow.drain(200);
    expect(slow.dropped).toBe(true);
    const resumed = sseReader(await request(bob, had.id));
    const fresh = snapshotOf(await resumed.next('snapshot'));
    expect(fresh.audience.count).toBe(51);
    expect(fresh.audience.entries.map((e) => e.userId).slice(1, 41)).toEqual(crowd);
    await Promise.all([reader.close(), resumed.close()]);
    streams.stop();
    await hub.close();
  });
});
