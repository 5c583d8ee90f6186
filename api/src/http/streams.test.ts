import { schema } from '@salon/db';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../app';
import { createSession, sessionCookieName } from '../modules/auth/sessions';
import { createTestApp } from '../testing';
import { memberFactory, testClient } from '../testing/client';
import { sseReader } from '../testing/sse';
import { createStreamRegistry, type StreamRegistry } from './streams';

let t: Awaited<ReturnType<typeof createTestApp>>;
let streams: StreamRegistry;
let member: ReturnType<typeof memberFactory>;
beforeEach(async () => {
  const base = await createTestApp();
  streams = createStreamRegistry(base, { perSession: 4, perMember: 6 });
  t = { ...base, app: createApp({ ...base, streams }) };
  member = memberFactory(t);
});
afterEach(async () => {
  streams.stop();
  await t.close();
});

type Member = Awaited<ReturnType<ReturnType<typeof memberFactory>>>;
type Reader = ReturnType<typeof sseReader>;

/** Another device of the same member: a session of its own. */
async function secondDevice(who: Member) {
  const { token } = await createSession(t.database.db, t, {
    userId: who.id,
    userAgent: undefined,
    now: t.clock.now(),
  });
  const device = testClient(t, { ip: '198.51.100.200' });
  device.jar.set(sessionCookieName(t.config), token);
  return device;
}

const notificationStream = async (who: { raw: Member['raw'] }) => {
  const res = await who.raw('/v1/notifications/stream');
  expect(res.status).toBe(200);
  const stream = sseReader(res);
  await stream.next('unread');
  return stream;
};

async function refused(who: { raw: Member['raw'] }, path = '/v1/notifications/stream') {
  const res = await who.raw(path);
  const body = (await res.json()) as { error: { code: string } };
  return { status: res.status, code: body.error.code, retryAfter: res.headers.get('retry-after') };
}

/** The stream has ended: the server closed it. */
async function ended(stream: Reader) {
  await stream.drain(300);
  return stream.ended;
}

describe('open streams', () => {
  it('caps the streams of one session, then of one member across sessions, room and notification streams', async () => {
    const alice = await member('alice');
    const { body: room } = await alice.post('/v1/rooms', { topic: 'Podcasts', mode: 'open' });
    const open: Reader[] = [];
    const roomRes = await alice.raw(`/v1/rooms/${room.id}/events`);
    expect(roomRes.status).toBe(200);
    open.push(sseReader(roomRes));
    for (let i = 0; i < 3; i++) open.push(await notificationStream(alice));
    expect(await refused(alice)).toEqual({ status: 429, code: 'stream.too_many', retryAfter: '30' });
    expect(await refused(alice, `/v1/rooms/${room.id}/events`)).toMatchObject({ status: 429 });

    const laptop = await secondDevice(alice);
    open.push(await notificationStream(laptop));
    open.push(await notificationStream(laptop));
    expect(await refused(laptop)).toMatchObject({ status: 429, code: 'stream.too_many' });
    expect(streams.count({ userId: alice.id })).toBe(6);

    // Someone else is not affected.
    const bob = await member('bob');
    const bobs = await notificationStream(bob);

    // A closed tab gives its place back.
    await open.shift()?.close();
    await expect.poll(() => streams.count({ userId: alice.id })).toBe(5);
    open.push(await notificationStream(laptop));
    for (const stream of [...open, bobs]) await stream.close();
    await expect.poll(() => streams.count()).toBe(0);
  });

  it('closes the streams of a session that expired, was signed out, or whose account was suspended', async () => {
    const alice = await member('alice');
    const bob = await member('bob');
    const carol = await member('carol');
    const aliceStream = await notificationStream(alice);
    const bobStream = await notificationStream(bob);
    const carolStream = await notificationStream(carol);
    expect(await streams.sweep()).toBe(0);

    expect((await bob.post('/v1/auth/logout')).status).toBe(204);
    await t.database.db
      .update(schema.users)
      .set({ status: 'suspended', suspendedUntil: new Date('2027-01-01T00:00:00Z') })
      .where(eq(schema.users.id, carol.id));
    expect(await streams.sweep()).toBe(2);
    expect(await ended(bobStream)).toBe(true);
    expect(await ended(carolStream)).toBe(true);
    expect(await ended(aliceStream)).toBe(false);

    t.clock.advance(t.config.sessions.idleDays * 86_400_000 + 1000);
    expect(await streams.sweep()).toBe(1);
    expect(await ended(aliceStream)).toBe(true);
    expect(streams.count()).toBe(0);
  });

  it('closes the stream of a room that ended, even when the news of it was not heard', async () => {
    const alice = await member('alice');
    const { body: room } = await alice.post('/v1/rooms', { topic: 'Podcasts', mode: 'open' });
    const stream = sseReader(await alice.raw(`/v1/rooms/${room.id}/events`));
    await stream.next('snapshot');
    // Ended behind the hub's back: no NOTIFY.
    await t.database.db.update(schema.rooms).set({ status: 'ended' }).where(eq(schema.rooms.id, room.id));
    expect(await streams.sweep()).toBe(1);
    expect(await ended(stream)).toBe(true);
  });
});
