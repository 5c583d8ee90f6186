import { schema } from '@salon/db';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BAD_CURSOR } from '../../http/keyset';
import { createTestApp } from '../../testing';
import { memberFactory, testClient } from '../../testing/client';

let t: Awaited<ReturnType<typeof createTestApp>>;
let member: ReturnType<typeof memberFactory>;
beforeEach(async () => {
  t = await createTestApp();
  member = memberFactory(t);
});
afterEach(async () => {
  await t.close();
});

const newClub = (
  who: Awaited<ReturnType<ReturnType<typeof memberFactory>>>,
  body: Record<string, unknown> = {},
) =>
  who.post('/v1/clubs', {
    name: 'Anciens de Centrale',
    slug: 'anciens-centrale',
    joinPolicy: 'approval',
    ...body,
  });

describe('clubs', () => {
  it('creates a club with its creator as admin, and validates the address', async () => {
    const alice = await member('alice');
    const created = await newClub(alice, { description: 'Promo 2010 et suivantes', rules: 'Bienveillance.' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      slug: 'anciens-centrale',
      memberCount: 1,
      me: { role: 'admin', status: 'active' },
    });
    expect((await newClub(alice)).body.error.code).toBe('club.slug_taken');
    expect((await newClub(alice, { slug: 'Bad Slug!' })).body.error.details[0].message).toBe(
      'club.slug_format',
    );
    expect((await newClub(alice, { slug: 'admin' })).body.error.details[0].message).toBe(
      'club.slug_reserved',
    );
  });

  it('admits by join policy: open at once, approval after an admin says yes, invite-only by invitation', async () => {
    const alice = await member('alice');
    const bob = await member('bob');
    const carol = await member('carol');
    await newClub(alice);
    expect((await bob.post('/v1/clubs/anciens-centrale/join')).body.me).toMatchObject({
      status: 'pending',
      role: null,
    });
    expect((await bob.get('/v1/clubs/anciens-centrale')).body.members).toBeNull();
    const forAdmin = await alice.get('/v1/clubs/anciens-centrale');
    expect(
      forAdmin.body.members.map((m: { username: string; status: string }) => [m.username, m.status]),
    ).toEqual([
      ['alice', 'active'],
      ['bob', 'pending'],
    ]);
    await alice.patch('/v1/clubs/anciens-centrale/members/bob', { status: 'active' });
    expect((await bob.get('/v1/clubs/anciens-centrale')).body).toMatchObject({
      memberCount: 2,
      me: { role: 'member' },
    });

    await alice.patch('/v1/clubs/anciens-centrale', { joinPolicy: 'invite' });
    expect((await carol.post('/v1/clubs/anciens-centrale/join')).body.error.code).toBe('club.invite_only');
    expect(
      (await bob.post('/v1/clubs/anciens-centrale/invites', { username: 'carol' })).body.error.code,
    ).toBe('club.not_host');
    await alice.post('/v1/clubs/anciens-centrale/invites', { username: 'carol' });
    expect((await carol.post('/v1/clubs/anciens-centrale/join')).body.me.status).toBe('active');

    await alice.patch('/v1/clubs/anciens-centrale', { joinPolicy: 'open' });
    const dave = await member('dave');
    expect((await dave.post('/v1/clubs/anciens-centrale/join')).body.me.status).toBe('active');
  });

  it('always keeps one admin, and lets admins hand over, remove and delete', async () => {
    const alice = await member('alice');
    const bob = await member('bob');
    await newClub(alice, { joinPolicy: 'open' });
    await bob.post('/v1/clubs/anciens-centrale/join');
    expect((await alice.post('/v1/clubs/anciens-centrale/leave')).body.error.code).toBe('club.last_admin');
    expect(
      (await alice.patch('/v1/clubs/anciens-centrale/members/alice', { role: 'member' })).body.error.code,
    ).toBe('club.last_admin');
    expect(
      (await bob.patch('/v1/clubs/anciens-centrale/members/bob', { role: 'admin' })).body.error.code,
    ).toBe('club.not_admin');
    await alice.patch('/v1/clubs/anciens-centrale/members/bob', { role: 'admin' });
    expect((await alice.post('/v1/clubs/anciens-centrale/leave')).status).toBe(200);
    expect((await bob.delete('/v1/clubs/anciens-centrale')).status).toBe(204);
    expect((await bob.get('/v1/clubs/anciens-centrale')).body.error.code).toBe('club.not_found');
  });

  it('shows club rooms and the member list to members only, or to followers when the club allows it', async () => {
    const alice = await member('alice');
    const follower = await member('bob');
    const outsider = await member('carol');
    const { body: club } = await newClub(alice);
    await follower.put('/v1/clubs/anciens-centrale/follow');
    const room = await alice.post('/v1/rooms', { topic: 'Réunion de promo', mode: 'club', clubId: club.id });
    expect(room.status).toBe(201);
    expect(room.body.club).toEqual({ slug: 'anciens-centrale', name: 'Anciens de Centrale' });
    await alice.post(`/v1/rooms/${room.body.id}/join`);

    for (const who of [follower, outsider]) {
      const page = await who.get('/v1/clubs/anciens-centrale');
      expect(page.body).toMatchObject({ members: null, rooms: [], memberCount: 1 });
      expect((await who.get(`/v1/rooms/${room.body.id}`)).status).toBe(404);
      expect((await who.post(`/v1/rooms/${room.body.id}/join`)).body.error.code).toBe('room.not_found');
      expect((await who.get('/v1/hallway')).body.live).toEqual([]);
    }
    await alice.patch('/v1/clubs/anciens-centrale', { roomVisibility: 'followers' });
    expect(
      (await follower.get('/v1/clubs/anciens-centrale')).body.rooms.map((r: { id: string }) => r.id),
    ).toEqual([room.body.id]);
    expect((await follower.get('/v1/clubs/anciens-centrale')).body.members).toBeNull();
    expect((await follower.get('/v1/hallway')).body.live[0]).toMatchObject({
      id: room.body.id,
      fromMyClubs: true,
      club: { slug: 'anciens-centrale', name: 'Anciens de Centrale' },
    });
    expect((await follower.post(`/v1/rooms/${room.body.id}/join`)).status).toBe(200);
    expect((await outsider.post(`/v1/rooms/${room.body.id}/join`)).body.error.code).toBe('room.not_found');
    // Only admins and leaders open club rooms.
    expect(
      (await follower.post('/v1/rooms', { topic: 'x', mode: 'club', clubId: club.id })).body.error.code,
    ).toBe('club.not_host');
  });

  it('is found by name and listed on its members’ profiles', async () => {
    const alice = await member('alice');
    await newClub(alice, { name: 'Chorale Émile Zola', slug: 'chorale-zola' });
    const found = await alice.get('/v1/search?q=emile');
    expect(found.body.clubs).toEqual([
      expect.objectContaining({ slug: 'chorale-zola', name: 'Chorale Émile Zola' }),
    ]);
    expect((await testClient(t).get('/v1/users/alice')).body.clubs).toEqual([
      { slug: 'chorale-zola', name: 'Chorale Émile Zola' },
    ]);
    expect((await alice.get('/v1/clubs')).body.member).toEqual([
      { slug: 'chorale-zola', name: 'Chorale Émile Zola', role: 'admin' },
    ]);
  });

  it('lists the clubs I belong to a page at a time, by name, clubs of the same name included', async () => {
    const alice = await member('alice');
    const now = t.clock.now();
    // 120 clubs on 12 names: pages of 50 end inside groups of clubs that share a name.
    const rows = await t.database.db
      .insert(schema.clubs)
      .values(
        Array.from({ length: 120 }, (_, i) => ({
          slug: `club-${i}`,
          name: `Club ${String.fromCharCode(65 + (i % 12))}`,
          searchName: `club ${String.fromCharCode(97 + (i % 12))}`,
          joinPolicy: 'open' as const,
          roomVisibility: 'members' as const,
          createdAt: now,
        })),
      )
      .returning({ id: schema.clubs.id, slug: schema.clubs.slug, name: schema.clubs.name });
    await t.database.db.insert(schema.clubMembers).values(
      rows.map((club) => ({
        clubId: club.id,
        userId: alice.id,
        role: 'member' as const,
        status: 'active' as const,
        createdAt: now,
      })),
    );
    const first = await alice.get('/v1/clubs');
    expect(first.body.member).toHaveLength(50);
    expect(first.body.nextCursor.following).toBeNull();
    const seen: { slug: string; name: string }[] = [...first.body.member];
    let cursor: string | null = first.body.nextCursor.member;
    while (cursor) {
      const next = await alice.get(`/v1/clubs?list=member&cursor=${cursor}`);
      expect(next.status, JSON.stringify(next.body)).toBe(200);
      expect(next.body.following).toEqual([]);
      seen.push(...next.body.member);
      cursor = next.body.nextCursor.member;
    }
    expect(seen.map((club) => club.slug).sort()).toEqual(rows.map((club) => club.slug).sort());
    const names = seen.map((club) => club.name);
    expect(names).toEqual([...names].sort());
    // A cursor continues the list it came with, and only one of ours.
    expect((await alice.get(`/v1/clubs?cursor=${first.body.nextCursor.member}`)).status).toBe(400);
    const forged = await alice.get('/v1/clubs?list=member&cursor=Club%20B');
    expect([forged.status, forged.body.error.details[0].message]).toEqual([400, BAD_CURSOR]);
  });
});
