import { schema } from '@salon/db';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp } from '../../testing';
import { memberFactory } from '../../testing/client';

let t: Awaited<ReturnType<typeof createTestApp>>;
let member: ReturnType<typeof memberFactory>;
type Member = Awaited<ReturnType<ReturnType<typeof memberFactory>>>;

beforeEach(async () => {
  t = await createTestApp();
  member = memberFactory(t);
});
afterEach(async () => {
  await t.close();
});

const onStage = async (host: Member, roomId: string, who: Member) => {
  expect((await host.post(`/v1/rooms/${roomId}/stage/${who.id}`, { action: 'invite' })).status).toBe(204);
  expect((await who.post(`/v1/rooms/${roomId}/stage/${who.id}`, { action: 'accept' })).status).toBe(204);
};

describe('the summary of a room that has ended', () => {
  it('gives the duration, who went on stage in order, the club and the next weekly occurrence', async () => {
    const alice = await member('alice');
    const bob = await member('bob');
    const carol = await member('carol');
    const dave = await member('dave');
    const { body: club } = await alice.post('/v1/clubs', {
      name: 'Vélo à Lyon',
      slug: 'velo',
      joinPolicy: 'open',
    });
    const scheduled = await alice.post('/v1/rooms', {
      topic: 'Le vélo du samedi',
      mode: 'open',
      clubId: club.id,
      scheduledFor: '2026-11-21T15:00:00.000Z',
      recurrence: 'weekly',
    });
    const roomId = scheduled.body.id as string;
    expect((await dave.get(`/v1/rooms/${roomId}/summary`)).body.error.code).toBe('room.not_ended');

    t.clock.set('2026-11-21T15:00:00.000Z');
    expect((await alice.post(`/v1/rooms/${roomId}/start`)).body.status).toBe('live');
    for (const who of [alice, bob, carol, dave])
      expect((await who.post(`/v1/rooms/${roomId}/join`)).status).toBe(200);
    await onStage(alice, roomId, carol);
    await onStage(alice, roomId, bob);
    // Back to the audience and on stage again: still named once, where they first came up.
    await carol.post(`/v1/rooms/${roomId}/stage/${carol.id}`, { action: 'audience' });
    await onStage(alice, roomId, carol);
    expect((await dave.get(`/v1/rooms/${roomId}/summary`)).body.error.code).toBe('room.not_ended');
    await dave.put('/v1/users/carol/follow');
    await dave.put('/v1/clubs/velo/follow');

    t.clock.advance(45 * 60_000 + 30_000);
    expect((await alice.post(`/v1/rooms/${roomId}/end`)).status).toBe(204);
    const res = await dave.get(`/v1/rooms/${roomId}/summary`);
    expect(res.status).toBe(200);
    const next = await t.database.db.select().from(schema.rooms);
    const nextId = next.find((r) => r.status === 'scheduled')?.id;
    expect(res.body).toEqual({
      startedAt: '2026-11-21T15:00:00.000Z',
      endedAt: '2026-11-21T15:45:30.000Z',
      durationSeconds: 2730,
      speakers: [
        { userId: alice.id, username: 'alice', displayName: 'Alice', followedByMe: false },
        { userId: carol.id, username: 'carol', displayName: 'Carol', followedByMe: true },
        { userId: bob.id, username: 'bob', displayName: 'Bob', followedByMe: false },
      ],
      club: { slug: 'velo', name: 'Vélo à Lyon', followedByMe: true },
      next: { id: nextId, topic: 'Le vélo du samedi', scheduledFor: '2026-11-28T15:00:00.000Z' },
    });

    // A speaker who deletes their account leaves the summary at once.
    const options = await carol.post('/v1/auth/passkeys/login/options');
    const deletion = await carol.request('DELETE', '/v1/me', {
      response: carol.authenticator.authenticate(options.body),
    });
    expect(deletion.status).toBe(202);
    expect(
      (await dave.get(`/v1/rooms/${roomId}/summary`)).body.speakers.map(
        (s: { username: string }) => s.username,
      ),
    ).toEqual(['alice', 'bob']);
  });

  it('answers 404 to whoever could not see the room, and has no next occurrence for a one-off room', async () => {
    const alice = await member('alice');
    const bob = await member('bob');
    const stranger = await member('carol');
    await alice.put('/v1/users/bob/follow');
    const { body: room } = await alice.post('/v1/rooms', { topic: 'Entre amis', mode: 'social' });
    await alice.post(`/v1/rooms/${room.id}/join`);
    await bob.post(`/v1/rooms/${room.id}/join`);
    await alice.post(`/v1/rooms/${room.id}/end`);
    const seen = await bob.get(`/v1/rooms/${room.id}/summary`);
    expect(seen.body).toMatchObject({ club: null, next: null, durationSeconds: 0 });
    expect(seen.body.speakers.map((s: { username: string }) => s.username)).toEqual(['alice']);
    const hidden = await stranger.get(`/v1/rooms/${room.id}/summary`);
    expect(hidden.status).toBe(404);
    expect(hidden.body.error.code).toBe('room.not_found');
    expect((await stranger.get('/v1/rooms/00000000-0000-4000-8000-000000000000/summary')).status).toBe(404);
    expect((await stranger.get('/v1/rooms/not-a-uuid/summary')).status).toBe(400);
  });

  it('names the host even when they never came in, and at most 50 people', async () => {
    const alice = await member('alice');
    const bob = await member('bob');
    const { body: room } = await alice.post('/v1/rooms', { topic: 'Grand plateau', mode: 'open' });
    const many = await t.database.db
      .insert(schema.users)
      .values(
        Array.from({ length: 60 }, (_, i) => ({
          username: `speaker_${i}`,
          displayName: `Speaker ${i}`,
          searchName: `speaker ${i}`,
          phoneHash: `hash-${i}`,
          phoneKeyVersion: 1,
          webauthnUserId: `handle-${i}`,
          adultAttestedAt: t.clock.now(),
          createdAt: t.clock.now(),
        })),
      )
      .returning({ id: schema.users.id });
    await t.database.db.insert(schema.roomEvents).values(
      many.map((u, i) => ({
        roomId: room.id,
        at: new Date(t.clock.now().getTime() + i * 1000),
        type: 'stage.joined',
        subjectId: u.id,
      })),
    );
    await alice.post(`/v1/rooms/${room.id}/end`);
    const { body } = await bob.get(`/v1/rooms/${room.id}/summary`);
    expect(body.speakers).toHaveLength(50);
    expect(body.speakers[0].username).toBe('alice');
    expect(body.speakers[1].username).toBe('speaker_0');
    expect(body.speakers[49].username).toBe('speaker_48');
  });

  it('is described with its response schema in the OpenAPI document', async () => {
    const doc = (await (await t.app.request('/v1/openapi.json')).json()) as {
      paths: Record<
        string,
        Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>
      >;
    };
    const route = doc.paths['/v1/rooms/{id}/summary']?.get;
    const schemaText = JSON.stringify(route?.responses['200']?.content?.['application/json']);
    for (const field of ['durationSeconds', 'speakers', 'followedByMe', 'next'])
      expect(schemaText).toContain(field);
    expect(doc.paths['/v1/rooms/{id}/calendar.ics']?.get?.responses['200']?.content).toHaveProperty(
      'text/calendar',
    );
  });
});
