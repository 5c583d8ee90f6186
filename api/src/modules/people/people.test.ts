import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../testing';
import { testClient } from '../../testing/client';

let t: Awaited<ReturnType<typeof createTestApp>>;
let alice: ReturnType<typeof testClient>;
let bob: ReturnType<typeof testClient>;
beforeAll(async () => {
  t = await createTestApp();
  alice = testClient(t, { ip: '192.0.2.1' });
  await alice.signUp({ phone: '0611111111', username: 'alice', displayName: 'Alice Durand' });
  bob = testClient(t, { ip: '192.0.2.2' });
  await bob.signUp({ phone: '0622222222', username: 'eloise_m', displayName: 'Éloïse Martin-Lefèvre' });
});
afterAll(async () => {
  await t.close();
});

describe('profiles', () => {
  it('shows a public profile with a shareable link and the new-member badge for 8 days', async () => {
    const visitor = testClient(t);
    const profile = await visitor.get('/v1/users/ELOISE_M');
    expect(profile.body).toMatchObject({
      username: 'eloise_m',
      displayName: 'Éloïse Martin-Lefèvre',
      bio: '',
      isNew: true,
      followers: 0,
      following: 0,
      followedByMe: false,
      url: 'http://localhost:3000/@eloise_m',
    });
    expect(Object.keys(profile.body)).not.toContain('phoneHash');
    t.clock.advance(8 * 86_400_000);
    expect((await visitor.get('/v1/users/eloise_m')).body.isNew).toBe(false);
    expect((await visitor.get('/v1/users/nobody')).body.error.code).toBe('user.not_found');
  });

  it('edits my profile with bounded bio and interests from the fixed list', async () => {
    const ok = await bob.patch('/v1/me', {
      bio: '  Podcasts, vélo et philosophie.  ',
      interests: ['philosophy', 'sport', 'sport'],
    });
    expect(ok.body).toMatchObject({
      bio: 'Podcasts, vélo et philosophie.',
      interests: ['philosophy', 'sport'],
    });
    const long = await bob.patch('/v1/me', { bio: 'x'.repeat(161) });
    expect(long.body.error.details[0]).toMatchObject({ path: 'bio', message: 'bio.too_long' });
    const unknown = await bob.patch('/v1/me', { interests: ['crypto-trading'] });
    expect(unknown.body.error.code).toBe('request.invalid');
    const noEmail = await bob.patch('/v1/me', { email: 'bob@example.org' });
    expect(noEmail.body.error.code).toBe('request.invalid');
    expect((await bob.get('/v1/me')).body.bio).toBe('Podcasts, vélo et philosophie.');
  });
});

describe('follows', () => {
  it('follows and unfollows, with counts on both sides', async () => {
    const followed = await alice.put('/v1/users/eloise_m/follow');
    expect(followed.body).toMatchObject({ followers: 1, followedByMe: true });
    await alice.put('/v1/users/eloise_m/follow'); // idempotent
    expect((await alice.get('/v1/users/alice')).body.following).toBe(1);
    expect((await alice.put('/v1/users/alice/follow')).body.error.code).toBe('follow.self');
    expect((await alice.delete('/v1/users/eloise_m/follow')).body).toMatchObject({
      followers: 0,
      followedByMe: false,
    });
    expect((await testClient(t).put('/v1/users/eloise_m/follow')).status).toBe(401);
  });
});

describe('search', () => {
  it('finds members by any word prefix of their name or @username, ignoring accents and case', async () => {
    for (const q of ['eloise', 'ÉLO', 'martin', 'lefevre', '@eloise_', 'Eloïse M']) {
      const res = await alice.get(`/v1/search?q=${encodeURIComponent(q)}`);
      expect(
        res.body.people.map((p: { username: string }) => p.username),
        q,
      ).toEqual(['eloise_m']);
    }
    expect((await alice.get('/v1/search?q=artin')).body.people).toEqual([]);
    expect((await alice.get('/v1/search?q=%25')).body.people).toEqual([]); // LIKE wildcards are literal
    expect((await testClient(t).get('/v1/search?q=eloise')).status).toBe(401);
    expect((await alice.get('/v1/search?q=')).status).toBe(400);
  });

  it('pages through results', async () => {
    for (let i = 0; i < 23; i++) {
      const member = testClient(t, { ip: `198.51.100.${i}` });
      await member.signUp({
        phone: `06987654${String(i).padStart(2, '0')}`,
        username: `dupont${String(i).padStart(2, '0')}`,
        displayName: `Jean Dupont`,
      });
    }
    const first = await alice.get('/v1/search?q=dupont');
    expect(first.body.people).toHaveLength(20);
    const second = await alice.get(`/v1/search?q=dupont&cursor=${first.body.nextCursor}`);
    expect(second.body.people).toHaveLength(3);
    expect(second.body.nextCursor).toBeNull();
    const all = [...first.body.people, ...second.body.people].map((p: { username: string }) => p.username);
    expect(new Set(all).size).toBe(23);
  });

  it('is rate-limited per member', async () => {
    let last = 0;
    for (let i = 0; i < 61; i++) last = (await alice.get('/v1/search?q=a')).status;
    expect(last).toBe(429);
  });
});
