import { schema } from '@salon/db';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { type LiveKitDouble, startLiveKitDouble } from '../../../../tests/livekit/livekit-double';
import { createJobs } from '../../jobs';
import { createTestApp, testSecrets } from '../../testing';
import { memberFactory, testClient } from '../../testing/client';

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
