import { schema } from '@salon/db';
import { and, count, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { type LiveKitDouble, startLiveKitDouble } from '../../../../tests/livekit/livekit-double';
import { createJobs } from '../../jobs';
import { createTestApp, testSecrets } from '../../testing';
import { memberFactory, testClient } from '../../testing/client';
import { sessionCookieName } from '../auth/sessions';
import { HALLWAY_PAGE, hallwayCursor } from './hallway.service';

/**
 * The rooms' rules in the database, with no LiveKit (the app answers `livekitUrl: null` and the
 * stage service has nothing to call): what LiveKit does with each change is proven on the real
 * server in livekit/real-server.test.ts. The protocol test double appears only where a fault is
 * injected: LiveKit down, forged and replayed webhooks.
 */
let t: Awaited<ReturnType<typeof createTestApp>>;
let member: ReturnType<typeof memberFactory>;

beforeEach(async () => {
  t = await createTestApp({ ROOM_CAPACITY: '4' });
  member = memberFactory(t);
});
afterEach(async () => {
  await t.close();
});

async function openRoom(
  host: Awaited<ReturnType<ReturnType<typeof memberFactory>>>,
  body: Record<string, unknown> = {},
) {
  const res = await host.post('/v1/rooms', { topic: 'Le vélo en ville', mode: 'open', ...body });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

async function join(who: Awaited<ReturnType<ReturnType<typeof memberFactory>>>, roomId: string) {
  const res = await who.post(`/v1/rooms/${roomId}/join`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { livekitUrl: string | null; token: string | null; role: string };
}

/** The same rules with the protocol test double standing in for LiveKit, to inject its faults. */
async function withLiveKitDouble() {
  await t.close();
  const secrets = await testSecrets();
  const lk: LiveKitDouble = await startLiveKitDouble(secrets.livekitApiKey, secrets.livekitApiSecret);
  t = await createTestApp({ LIVEKIT_URL: lk.url.replace('http', 'ws'), ROOM_CAPACITY: '4' }, { secrets });
  member = memberFactory(t);
  onTestFinished(() => lk.close());
  return lk;
}

const stage = (
  who: Awaited<ReturnType<ReturnType<typeof memberFactory>>>,
  roomId: string,
  target: string,
  action: string,
) => who.post(`/v1/rooms/${roomId}/stage/${target}`, { action });

describe('opening and joining rooms', () => {
  it('answers without sound when no LiveKit is configured, and keeps one presence per person', async () => {
    const host = await member('alice');
    const guest = await member('bob');
    const roomId = await openRoom(host);
    expect(await join(host, roomId)).toEqual({ livekitUrl: null, token: null, role: 'moderator' });
    expect((await join(guest, roomId)).role).toBe('listener');
    await join(guest, roomId);
    expect((await guest.get(`/v1/rooms/${roomId}`)).body.participantCount).toBe(2);
  });

  it('validates the topic and the mode', async () => {
    const host = await member('alice');
    const long = await host.post('/v1/rooms', { topic: 'x'.repeat(61), mode: 'open' });
    expect(long.body.error.details[0]).toMatchObject({ path: 'topic', message: 'topic.too_long' });
    expect((await host.post('/v1/rooms', { topic: '   ', mode: 'open' })).body.error.details[0].message).toBe(
      'topic.empty',
    );
    expect((await host.post('/v1/rooms', { topic: 'ok', mode: 'secret' })).status).toBe(400);
    expect((await host.post('/v1/rooms', { topic: 'ok', mode: 'club' })).body.error.code).toBe(
      'club.not_found',
    );
    expect((await testClient(t).post('/v1/rooms', { topic: 'ok', mode: 'open' })).status).toBe(401);
  });

  it('lets only followed people into a social room, and hides it from others', async () => {
    const host = await member('alice');
    const friend = await member('bob');
    const stranger = await member('carol');
    await host.put('/v1/users/bob/follow');
    const roomId = await openRoom(host, { mode: 'social' });
    await join(friend, roomId);
    const refused = await stranger.post(`/v1/rooms/${roomId}/join`);
    // Told as for a room that does not exist: a refusal would say that it does.
    expect(refused.body.error.code).toBe('room.not_found');
    expect((await stranger.get(`/v1/rooms/${roomId}`)).status).toBe(404);
    expect((await stranger.get('/v1/hallway')).body.live).toEqual([]);
    expect((await friend.get('/v1/hallway')).body.live.map((r: { id: string }) => r.id)).toEqual([roomId]);
  });

  it('lets only invited people into a closed room', async () => {
    const host = await member('alice');
    const invited = await member('bob');
    const other = await member('carol');
    const roomId = await openRoom(host, { mode: 'closed', invitees: ['BOB'] });
    await join(invited, roomId);
    expect((await other.post(`/v1/rooms/${roomId}/join`)).body.error.code).toBe('room.not_found');
    await join(host, roomId);
    expect((await host.post(`/v1/rooms/${roomId}/invites`, { username: 'carol' })).status).toBe(204);
    await join(other, roomId);
  });

  it('keeps people inside when the mode gets stricter, and applies it to newcomers', async () => {
    const host = await member('alice');
    const early = await member('bob');
    const late = await member('carol');
    const roomId = await openRoom(host);
    await join(host, roomId);
    await join(early, roomId);
    const changed = await host.patch(`/v1/rooms/${roomId}`, { mode: 'closed', topic: 'Vélo, suite' });
    expect(changed.body).toMatchObject({ mode: 'closed', topic: 'Vélo, suite' });
    expect((await early.patch(`/v1/rooms/${roomId}`, { mode: 'open' })).body.error.code).toBe(
      'room.not_moderator',
    );
    expect((await early.get(`/v1/rooms/${roomId}`)).body.me).toMatchObject({ present: true });
    await early.post(`/v1/rooms/${roomId}/leave`);
    await join(early, roomId); // was let in before: may come back
    expect((await late.post(`/v1/rooms/${roomId}/join`)).body.error.code).toBe('room.not_found');
  });

  it('enforces the capacity', async () => {
    const host = await member('alice');
    const roomId = await openRoom(host);
    await join(host, roomId);
    for (const name of ['bob', 'carol', 'dave']) await join(await member(name), roomId);
    const full = await (await member('erin')).post(`/v1/rooms/${roomId}/join`);
    expect(full.body.error).toMatchObject({ code: 'room.full', details: [{ capacity: 4 }] });
  });
});

describe('the stage', () => {
  it('puts a listener on stage only when a moderator invited and the listener accepted', async () => {
    const host = await member('alice');
    const bob = await member('bob');
    const roomId = await openRoom(host);
    await join(host, roomId);
    await join(bob, roomId);
    expect((await bob.put(`/v1/rooms/${roomId}/hand`)).status).toBe(204);
    expect((await stage(bob, roomId, bob.id, 'accept')).body.error.code).toBe('stage.not_invited');
    expect((await stage(bob, roomId, host.id, 'invite')).body.error.code).toBe('room.not_moderator');
    expect((await stage(host, roomId, bob.id, 'invite')).status).toBe(204);
    expect((await bob.get(`/v1/rooms/${roomId}`)).body.me).toMatchObject({
      role: 'listener',
      invitedToSpeak: true,
      handRaised: true,
    });
    expect((await stage(bob, roomId, bob.id, 'accept')).status).toBe(204);
    expect((await bob.get(`/v1/rooms/${roomId}`)).body.me).toMatchObject({
      role: 'speaker',
      handRaised: false,
    });
  });

  it('mutes, moves back to the audience, promotes and removes — acting on the target', async () => {
    const host = await member('alice');
    const bob = await member('bob');
    const carol = await member('carol');
    const roomId = await openRoom(host);
    await join(host, roomId);
    await join(bob, roomId);
    await join(carol, roomId);
    await stage(host, roomId, bob.id, 'invite');
    await stage(bob, roomId, bob.id, 'accept');

    expect((await stage(host, roomId, bob.id, 'mute')).status).toBe(204);
    expect((await stage(host, roomId, bob.id, 'moderator')).status).toBe(204);
    expect((await bob.get(`/v1/rooms/${roomId}`)).body.me.role).toBe('moderator');
    expect((await stage(bob, roomId, host.id, 'audience')).body.error.code).toBe('room.host_protected');
    expect((await stage(bob, roomId, bob.id, 'speaker')).status).toBe(204);
    expect((await stage(bob, roomId, bob.id, 'audience')).status).toBe(204); // anyone may step down

    expect((await stage(carol, roomId, bob.id, 'remove')).body.error.code).toBe('room.not_moderator');
    expect((await stage(host, roomId, carol.id, 'remove')).status).toBe(204);
    expect((await carol.post(`/v1/rooms/${roomId}/join`)).body.error.code).toBe('room.removed');
    const events = await t.database.db
      .select()
      .from(schema.roomEvents)
      .where(eq(schema.roomEvents.roomId, roomId));
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining([
        'stage.invited',
        'stage.joined',
        'stage.muted',
        'moderator.added',
        'stage.left',
        'participant.removed',
      ]),
    );
  });

  it('hands moderation to the longest-serving speaker when the host leaves', async () => {
    const host = await member('alice');
    const bob = await member('bob');
    const carol = await member('carol');
    const roomId = await openRoom(host);
    for (const who of [host, bob, carol]) await join(who, roomId);
    for (const who of [bob, carol]) {
      await stage(host, roomId, who.id, 'invite');
      await stage(who, roomId, who.id, 'accept');
      t.clock.advance(1000);
    }
    expect((await host.post(`/v1/rooms/${roomId}/leave`)).status).toBe(204);
    expect((await bob.get(`/v1/rooms/${roomId}`)).body.me.role).toBe('moderator');
    expect((await carol.get(`/v1/rooms/${roomId}`)).body.me.role).toBe('speaker');
    expect((await stage(bob, roomId, carol.id, 'mute')).status).toBe(204);
  });

  it('keeps working without LiveKit: the database decides, LiveKit catches up', async () => {
    const lk = await withLiveKitDouble();
    const host = await member('alice');
    const bob = await member('bob');
    const roomId = await openRoom(host);
    await join(host, roomId);
    await join(bob, roomId);
    lk.setDown(true);
    await stage(host, roomId, bob.id, 'invite');
    expect((await stage(bob, roomId, bob.id, 'accept')).status).toBe(204);
    const rejoin = await bob.post(`/v1/rooms/${roomId}/join`);
    expect(rejoin.body.role).toBe('speaker');
    lk.setDown(false);
    expect((await lk.connect(rejoin.body.token)).video?.canPublish).toBe(true);
    expect(t.log.text()).toContain('livekit out of sync');
  });
});

describe('ending rooms', () => {
  it('ends a room for everyone when a moderator says so', async () => {
    const host = await member('alice');
    const bob = await member('bob');
    const roomId = await openRoom(host);
    await join(host, roomId);
    await join(bob, roomId);
    expect((await bob.post(`/v1/rooms/${roomId}/end`)).body.error.code).toBe('room.not_moderator');
    expect((await host.post(`/v1/rooms/${roomId}/end`)).status).toBe(204);
    expect((await bob.get(`/v1/rooms/${roomId}`)).body).toMatchObject({
      status: 'ended',
      participantCount: 0,
    });
    expect((await bob.post(`/v1/rooms/${roomId}/join`)).body.error.code).toBe('room.ended');
  });

  it('ends an empty room after the timeout', async () => {
    const host = await member('alice');
    const roomId = await openRoom(host);
    await join(host, roomId);
    await host.post(`/v1/rooms/${roomId}/leave`);
    const jobs = createJobs(t);
    t.clock.advance(4 * 60_000);
    await jobs.queue.runDue();
    expect((await host.get(`/v1/rooms/${roomId}`)).body.status).toBe('live');
    t.clock.advance(60_000);
    await jobs.queue.runDue();
    expect((await host.get(`/v1/rooms/${roomId}`)).body.status).toBe('ended');
  });

  it('does not end a room someone came back to', async () => {
    const host = await member('alice');
    const roomId = await openRoom(host);
    await join(host, roomId);
    await host.post(`/v1/rooms/${roomId}/leave`);
    t.clock.advance(60_000);
    await join(host, roomId);
    t.clock.advance(10 * 60_000);
    await createJobs(t).queue.runDue();
    expect((await host.get(`/v1/rooms/${roomId}`)).body.status).toBe('live');
  });
});

describe('scheduled rooms', () => {
  it('schedules a weekly show, opens it and schedules the next one', async () => {
    const host = await member('alice');
    const fan = await member('bob');
    const created = await host.post('/v1/rooms', {
      topic: 'Vendredi midi',
      mode: 'open',
      scheduledFor: '2026-11-27T11:00:00.000Z',
      recurrence: 'weekly',
    });
    expect(created.body).toMatchObject({ status: 'scheduled', recurrence: 'weekly' });
    expect((await fan.post(`/v1/rooms/${created.body.id}/join`)).body.error.code).toBe('room.not_live');
    expect((await fan.get('/v1/hallway')).body.upcoming.map((r: { id: string }) => r.id)).toEqual([
      created.body.id,
    ]);
    expect((await fan.post(`/v1/rooms/${created.body.id}/start`)).body.error.code).toBe('room.not_host');
    t.clock.set('2026-11-27T11:00:00.000Z');
    await host.logIn();
    expect((await host.post(`/v1/rooms/${created.body.id}/start`)).body.status).toBe('live');
    const rows = await t.database.db
      .select()
      .from(schema.rooms)
      .where(eq(schema.rooms.seriesId, created.body.id));
    expect(rows.map((r) => [r.status, r.scheduledFor?.toISOString() ?? null]).sort()).toEqual([
      ['live', '2026-11-27T11:00:00.000Z'],
      ['scheduled', '2026-12-04T11:00:00.000Z'],
    ]);
    expect(
      (await host.post('/v1/rooms', { topic: 'x', mode: 'open', scheduledFor: '2020-01-01T00:00:00Z' })).body
        .error.code,
    ).toBe('room.schedule_in_past');
  });
});

describe('reactions', () => {
  it('are limited to a fixed set and rate-limited', async () => {
    const host = await member('alice');
    const roomId = await openRoom(host);
    await join(host, roomId);
    expect((await host.post(`/v1/rooms/${roomId}/reactions`, { emoji: '💩' })).status).toBe(400);
    for (let i = 0; i < 5; i++)
      expect((await host.post(`/v1/rooms/${roomId}/reactions`, { emoji: '👏' })).status).toBe(204);
    expect((await host.post(`/v1/rooms/${roomId}/reactions`, { emoji: '👏' })).body.error.code).toBe(
      'reaction.rate_limited',
    );
    const outsider = await member('bob');
    expect((await outsider.post(`/v1/rooms/${roomId}/reactions`, { emoji: '👏' })).body.error.code).toBe(
      'room.not_present',
    );
  });
});

describe('LiveKit webhooks', () => {
  it('accept only LiveKit’s signature, handle each event once, and keep presence honest', async () => {
    // Forged, tampered and replayed deliveries are faults to inject: the double signs them.
    const lk = await withLiveKitDouble();
    const host = await member('alice');
    const bob = await member('bob');
    const roomId = await openRoom(host);
    await join(host, roomId);
    await join(bob, roomId);
    const send = async (hook: { body: string; authorization: string }) =>
      t.app.request('/v1/livekit/webhook', {
        method: 'POST',
        body: hook.body,
        headers: { authorization: hook.authorization },
      });

    const left = await lk.webhook({
      id: 'EV_1',
      event: 'participant_left',
      room: { name: roomId },
      participant: { identity: bob.id },
    });
    expect(await (await send(left)).json()).toEqual({ handled: true });
    expect((await bob.get(`/v1/rooms/${roomId}`)).body.me.present).toBe(false);
    expect(await (await send(left)).json()).toEqual({ handled: false, reason: 'duplicate' });

    const forged = await lk.webhook({ id: 'EV_2', event: 'room_finished', room: { name: roomId } });
    const tampered = await send({
      body: forged.body.replace('room_finished', 'room_started'),
      authorization: forged.authorization,
    });
    expect(tampered.status).toBe(401);
    expect((await send({ body: forged.body, authorization: 'not-a-jwt' })).status).toBe(401);

    const back = await lk.webhook({
      id: 'EV_3',
      event: 'participant_joined',
      room: { name: roomId },
      participant: { identity: bob.id },
    });
    await send(back);
    expect((await bob.get(`/v1/rooms/${roomId}`)).body.me.present).toBe(true);
    await send(forged);
    expect((await bob.get(`/v1/rooms/${roomId}`)).body.status).toBe('ended');
  });
});

describe('hallway', () => {
  it('ranks live rooms by followed people on stage, then shared interests, then size', async () => {
    const viewer = await member('vera');
    await viewer.patch('/v1/me', { interests: ['music', 'science'] });
    const followedHost = await member('alice');
    const musicHost = await member('bob');
    const bigHost = await member('carol');
    await viewer.put('/v1/users/alice/follow');
    const followedRoom = await openRoom(followedHost, { topic: 'Chez Alice' });
    const musicRoom = await openRoom(musicHost, { topic: 'Jazz', interests: ['music'] });
    const bigRoom = await openRoom(bigHost, { topic: 'Grand débat' });
    await join(followedHost, followedRoom);
    await join(musicHost, musicRoom);
    await join(bigHost, bigRoom);
    for (const name of ['dan', 'eve']) await join(await member(name), bigRoom);
    const { body } = await viewer.get('/v1/hallway');
    expect(body.live.map((r: { topic: string }) => r.topic)).toEqual(['Chez Alice', 'Jazz', 'Grand débat']);
    expect(body.live[0]).toMatchObject({ followedOnStage: 1, host: { username: 'alice' } });
    expect(body.live[1], JSON.stringify(body.live[1])).toMatchObject({ sharedInterests: 1 });
    expect(body.live[2]).toMatchObject({ participantCount: 3 });
    expect(body.nextCursor).toBeNull();
  });
});

describe('the host’s authority', () => {
  it('lets the host end or edit their room without being in it', async () => {
    const host = await member('alice');
    const roomId = await openRoom(host);
    expect((await host.patch(`/v1/rooms/${roomId}`, { topic: 'Vélo, deuxième' })).status).toBe(200);
    expect((await host.post(`/v1/rooms/${roomId}/end`)).status).toBe(204);
  });
});

describe('moderation hand-over', () => {
  it('passes moderation to another speaker when the last moderator steps down to speaker', async () => {
    const host = await member('alice');
    const bob = await member('bob');
    const carol = await member('carol');
    const roomId = await openRoom(host);
    for (const who of [host, bob, carol]) await join(who, roomId);
    for (const who of [bob, carol]) {
      await stage(host, roomId, who.id, 'invite');
      await stage(who, roomId, who.id, 'accept');
    }
    await stage(host, roomId, bob.id, 'moderator');
    await host.post(`/v1/rooms/${roomId}/leave`);
    expect((await stage(bob, roomId, bob.id, 'speaker')).status).toBe(204);
    expect((await bob.get(`/v1/rooms/${roomId}`)).body.me.role).toBe('speaker');
    expect((await carol.get(`/v1/rooms/${roomId}`)).body.me.role).toBe('moderator');
  });
});

/**
 * Many members at once, written straight into the database (signing 60 people up through the API
 * would be the slow part of these tests), each with a signed-in client.
 */
async function crowd(size: number, prefix = 'm') {
  const now = new Date('2026-11-21T12:00:00Z');
  const users = await t.database.db
    .insert(schema.users)
    .values(
      Array.from({ length: size }, (_, i) => ({
        username: `${prefix}${i}`,
        displayName: `Member ${prefix}${i}`,
        searchName: `member ${prefix}${i}`,
        phoneHash: `hash-${prefix}${i}`,
        phoneKeyVersion: 1,
        webauthnUserId: `handle-${prefix}${i}`,
        adultAttestedAt: now,
        createdAt: now,
      })),
    )
    .returning({ id: schema.users.id });
  const tokens = users.map((u) => `${u.id}-token`);
  await t.database.db.insert(schema.sessions).values(
    users.map((u, i) => ({
      userId: u.id,
      tokenHash: t.crypto.hash(tokens[i] ?? ''),
      label: 'Test',
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + 86_400_000),
    })),
  );
  return users.map((u, i) => {
    const client = testClient(t);
    client.jar.set(sessionCookieName(t.config), tokens[i] ?? '');
    return Object.assign(client, { id: u.id });
  });
}

/** The counter the database keeps, and the rows it counts. */
async function presence(roomId: string) {
  const db = t.database.db;
  const [room] = await db
    .select({ counter: schema.rooms.presentCount })
    .from(schema.rooms)
    .where(eq(schema.rooms.id, roomId));
  const [rows] = await db
    .select({ n: count() })
    .from(schema.roomParticipants)
    .where(and(eq(schema.roomParticipants.roomId, roomId), eq(schema.roomParticipants.present, true)));
  return { counter: room?.counter, rows: rows?.n };
}

describe('joining at scale', () => {
  it('holds the capacity exactly when 60 people join a room of 20 at once', async () => {
    const roomId = await openRoom(await member('alice'));
    await t.database.db.update(schema.rooms).set({ capacity: 20 }).where(eq(schema.rooms.id, roomId));
    const people = await crowd(60);
    const answers = await Promise.all(people.map((p) => p.post(`/v1/rooms/${roomId}/join`)));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(20);
    const refused = answers.filter((a) => a.status !== 200);
    expect(refused).toHaveLength(40);
    for (const answer of refused) expect(answer.body.error.code).toBe('room.full');
    expect(await presence(roomId)).toEqual({ counter: 20, rows: 20 });

    // One place frees up: of ten people trying at once, exactly one gets it.
    const inside = people.filter((_, i) => answers[i]?.status === 200);
    await inside[0]?.post(`/v1/rooms/${roomId}/leave`);
    const outside = people.filter((_, i) => answers[i]?.status !== 200).slice(0, 10);
    const second = await Promise.all(outside.map((p) => p.post(`/v1/rooms/${roomId}/join`)));
    expect(second.filter((a) => a.status === 200)).toHaveLength(1);
    expect(await presence(roomId)).toEqual({ counter: 20, rows: 20 });
    expect((await outside[0]?.get(`/v1/rooms/${roomId}`))?.body.participantCount).toBe(20);
  });

  it('keeps the count in step with every way in and out, and refuses a removed member', async () => {
    const host = await member('alice');
    const roomId = await openRoom(host);
    const [bob, carol, dave] = await crowd(3);
    if (!bob || !carol || !dave) throw new Error('no crowd');
    for (const who of [host, bob, carol]) await join(who, roomId);
    expect(await presence(roomId)).toEqual({ counter: 3, rows: 3 });
    // Joining twice, concurrently, is still one presence.
    await Promise.all([join(dave, roomId), join(dave, roomId)]);
    expect(await presence(roomId)).toEqual({ counter: 4, rows: 4 });
    await bob.post(`/v1/rooms/${roomId}/leave`);
    await bob.post(`/v1/rooms/${roomId}/leave`);
    expect(await presence(roomId)).toEqual({ counter: 3, rows: 3 });
    await join(bob, roomId);
    expect(await presence(roomId)).toEqual({ counter: 4, rows: 4 });
    expect((await stage(host, roomId, carol.id, 'remove')).status).toBe(204);
    expect(await presence(roomId)).toEqual({ counter: 3, rows: 3 });
    expect((await carol.post(`/v1/rooms/${roomId}/join`)).body.error.code).toBe('room.removed');
    expect(await presence(roomId)).toEqual({ counter: 3, rows: 3 });
    // An erased member leaves the count with their rows.
    await t.database.db.delete(schema.users).where(eq(schema.users.id, dave.id));
    expect(await presence(roomId)).toEqual({ counter: 2, rows: 2 });
    expect((await host.post(`/v1/rooms/${roomId}/end`)).status).toBe(204);
    expect(await presence(roomId)).toEqual({ counter: 0, rows: 0 });
    expect((await bob.post(`/v1/rooms/${roomId}/join`)).body.error.code).toBe('room.ended');
  });

  it('refuses presence the database cannot admit, whoever writes it', async () => {
    const roomId = await openRoom(await member('alice'));
    const [bob] = await crowd(1);
    if (!bob) throw new Error('no crowd');
    await join(bob, roomId);
    await bob.post(`/v1/rooms/${roomId}/leave`);
    await t.database.db
      .update(schema.rooms)
      .set({ status: 'ended', endedAt: new Date() })
      .where(eq(schema.rooms.id, roomId));
    // Not through the join route: the rule holds for any writer.
    const back = t.database.db
      .update(schema.roomParticipants)
      .set({ present: true })
      .where(eq(schema.roomParticipants.userId, bob.id))
      .execute();
    await expect(back).rejects.toMatchObject({ cause: { code: 'SR002' } });
    expect(await presence(roomId)).toEqual({ counter: 0, rows: 0 });
  });
});

describe('the hallway at scale', () => {
  it('pages through rooms with the full ranking, and never shows a room the member may not enter', async () => {
    const db = t.database.db;
    const now = new Date('2026-11-21T12:00:00Z');
    const [viewer, followed, ...people] = await crowd(60);
    if (!viewer || !followed) throw new Error('no crowd');
    await viewer.patch('/v1/me', { interests: ['music', 'science'] });
    await viewer.put(`/v1/users/${'m1'}/follow`);
    const [club] = await db
      .insert(schema.clubs)
      .values({
        slug: 'chorale',
        name: 'Chorale',
        searchName: 'chorale',
        joinPolicy: 'open',
        roomVisibility: 'members',
        createdAt: now,
      })
      .returning();
    if (!club) throw new Error('no club');
    await db
      .insert(schema.clubMembers)
      .values({ clubId: club.id, userId: viewer.id, role: 'member', status: 'active', createdAt: now });
    // 30 open rooms of sizes 1..30, plus rooms the ranking or the rules single out.
    const room = async (i: number, values: Partial<typeof schema.rooms.$inferInsert> = {}) => {
      const [row] = await db
        .insert(schema.rooms)
        .values({
          hostId: people[i]?.id ?? null,
          topic: `Room ${i}`,
          mode: 'open',
          status: 'live',
          capacity: 100,
          createdAt: now,
          startedAt: new Date(now.getTime() - i * 60_000),
          ...values,
        })
        .returning({ id: schema.rooms.id });
      if (!row) throw new Error('no room');
      return row.id;
    };
    const fill = async (roomId: string, size: number, speaker?: string) => {
      const rows: (typeof schema.roomParticipants.$inferInsert)[] = people
        .slice(0, size)
        .map((p) => ({ roomId, userId: p.id, role: 'listener', present: true, joinedAt: now }));
      if (speaker) rows.push({ roomId, userId: speaker, role: 'speaker', present: true, joinedAt: now });
      await db.insert(schema.roomParticipants).values(rows);
    };
    const open: string[] = [];
    for (let i = 0; i < 30; i++) {
      const id = await room(i);
      await fill(id, i + 1);
      open.push(id);
    }
    const onStage = await room(40);
    await fill(onStage, 1, followed.id);
    const ofMyClub = await room(41, { mode: 'club', clubId: club.id });
    const ofMyInterest = await room(42, { interests: ['science'] });
    const strangersSocial = await room(43, { mode: 'social' });
    await fill(strangersSocial, 50);
    const closed = await room(44, { mode: 'closed' });
    await fill(closed, 55);
    const invited = await room(45, { mode: 'closed' });
    await db.insert(schema.roomInvites).values({ roomId: invited, userId: viewer.id, createdAt: now });
    const removedFrom = await room(46);
    await fill(removedFrom, 58);
    await db.insert(schema.roomRemovals).values({ roomId: removedFrom, userId: viewer.id, createdAt: now });
    await room(47, { status: 'ended', endedAt: now });

    const first = (await viewer.get('/v1/hallway')).body;
    const second = (await viewer.get(`/v1/hallway?cursor=${first.nextCursor}`)).body;
    const ids = [...first.live, ...second.live].map((r: { id: string }) => r.id);
    const bySize = [...open].reverse();
    expect(first.live).toHaveLength(HALLWAY_PAGE);
    expect(hallwayCursor.parse(first.nextCursor).key).toBe(HALLWAY_PAGE);
    expect(second.nextCursor).toBeNull();
    // Followed on stage, then the club's, then a shared interest, then size (the invited closed
    // room is empty, so it comes last).
    expect(ids).toEqual([onStage, ofMyClub, ofMyInterest, ...bySize, invited]);
    expect(first.live[0]).toMatchObject({ followedOnStage: 1, participantCount: 2 });
    expect(first.live[1]).toMatchObject({ fromMyClubs: true, club: { slug: 'chorale' } });
    expect(first.live[2]).toMatchObject({ sharedInterests: 1 });
    expect(first.live[3]).toMatchObject({ participantCount: 30 });
    for (const hidden of [strangersSocial, closed, removedFrom]) expect(ids).not.toContain(hidden);
  });
});
