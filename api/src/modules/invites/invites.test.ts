import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp } from '../../testing';
import { testClient } from '../../testing/client';

let t: Awaited<ReturnType<typeof createTestApp>>;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

describe('invites', () => {
  it('gives each member two invites, as a code and a link; revoking gives the place back', async () => {
    const alice = testClient(t);
    await alice.signUp({ phone: '0611111111', username: 'alice', displayName: 'Alice Durand' });
    const first = await alice.post('/v1/me/invites');
    expect(first.body).toMatchObject({
      status: 'active',
      code: expect.stringMatching(/^[0-9A-Z]{5}-[0-9A-Z]{5}$/),
    });
    expect(first.body.link).toBe(`http://localhost:3000/join/${first.body.code}`);
    expect(first.body.expiresAt).toBe('2026-12-21T12:00:00.000Z');
    expect((await alice.post('/v1/me/invites')).status).toBe(201);
    const third = await alice.post('/v1/me/invites');
    expect(third.body.error).toMatchObject({ code: 'invite.quota', details: [{ perMember: 2 }] });
    expect((await alice.delete(`/v1/me/invites/${first.body.id}`)).body.status).toBe('revoked');
    expect((await alice.post('/v1/me/invites')).status).toBe(201);
    const list = await alice.get('/v1/me/invites');
    expect(list.body.invites.map((i: { status: string }) => i.status).sort()).toEqual([
      'active',
      'active',
      'revoked',
    ]);
    expect((await testClient(t).get(`/v1/invites/${first.body.code}`)).body.error.code).toBe(
      'invite.invalid',
    );
  });

  it('expires invites and never lets a member revoke someone else’s', async () => {
    const alice = testClient(t);
    await alice.signUp({ phone: '0611111111', username: 'alice', displayName: 'Alice Durand' });
    const bob = testClient(t, { ip: '192.0.2.2' });
    await bob.signUp({ phone: '0622222222', username: 'bob', displayName: 'Bob Lefèvre' });
    const invite = await alice.post('/v1/me/invites');
    expect((await bob.delete(`/v1/me/invites/${invite.body.id}`)).status).toBe(404);
    t.clock.advance(31 * 86_400_000);
    expect((await testClient(t).get(`/v1/invites/${invite.body.code}`)).body.error.code).toBe(
      'invite.invalid',
    );
    await alice.logIn(); // a month away ends the idle session
    const list = await alice.get('/v1/me/invites');
    expect(list.body.invites[0].status).toBe('expired');
  });
});
