import { schema } from '@salon/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../testing';
import { memberFactory } from '../../testing/client';
import { RESTRICTED_MEMBER_MAY } from './access';
import { createSession } from './sessions';

let t: Awaited<ReturnType<typeof createTestApp>>;
type Member = Awaited<ReturnType<ReturnType<typeof memberFactory>>>;
let bob: Member;
let carol: Member;
let exportId: string;
let otherSessionId: string;
const NO_SUCH = '00000000-0000-4000-8000-000000000000';

beforeAll(async () => {
  t = await createTestApp();
  const member = memberFactory(t);
  bob = await member('bob');
  carol = await member('carol');
  await member('alice');
  exportId = (await bob.post('/v1/me/export')).body.exportId;
  // A second device of Bob's, to see and to sign out.
  otherSessionId = (
    await createSession(t.database.db, t, {
      userId: bob.id,
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
      now: t.clock.now(),
    })
  ).sessionId;
  const until = new Date(t.clock.now().getTime() + 7 * 86_400_000);
  await t.database.db
    .update(schema.users)
    .set({ status: 'suspended', suspendedUntil: until })
    .where(eq(schema.users.id, bob.id));
  await t.database.db.update(schema.users).set({ status: 'banned' }).where(eq(schema.users.id, carol.id));
});
afterAll(async () => {
  await t.close();
});

/** A concrete request for each route a restricted member keeps. */
const allowed = (): Record<string, () => ReturnType<Member['request']>> => ({
  'GET /v1/me': () => bob.get('/v1/me'),
  'GET /v1/privacy/me': () => bob.get('/v1/privacy/me'),
  'POST /v1/me/export': () => bob.post('/v1/me/export'),
  'GET /v1/me/exports/:id': () => bob.get(`/v1/me/exports/${exportId}`),
  'GET /v1/me/exports/:id/download': () => bob.get(`/v1/me/exports/${exportId}/download`),
  'GET /v1/me/sessions': () => bob.get('/v1/me/sessions'),
  'DELETE /v1/me/sessions/:id': () => bob.delete(`/v1/me/sessions/${NO_SUCH}`),
  'GET /v1/me/decisions': () => bob.get('/v1/me/decisions'),
  'POST /v1/me/decisions/:id/appeal': () =>
    bob.post(`/v1/me/decisions/${NO_SUCH}/appeal`, { text: 'This decision is a mistake, here is why.' }),
  'POST /v1/me/deletion/cancel': () => bob.post('/v1/me/deletion/cancel'),
  // A wrong assertion: the route is reached and refuses the proof, not the member.
  'DELETE /v1/me': () =>
    bob.request('DELETE', '/v1/me', {
      response: { id: 'x', rawId: 'x', type: 'public-key', response: { clientDataJSON: 'x' } },
    }),
});

describe('what a suspended or banned member keeps', () => {
  it('is one declared list, naming only routes that exist', () => {
    const routes = new Set(t.app.routes.map((r) => `${r.method} ${r.path}`));
    for (const entry of RESTRICTED_MEMBER_MAY) expect(routes, entry).toContain(entry);
    expect([...RESTRICTED_MEMBER_MAY].sort()).toEqual(Object.keys(allowed()).sort());
  });

  it.each(Object.keys(allowed()))('%s stays open to a suspended member', async (route) => {
    const res = await allowed()[route]?.();
    expect(res?.status, `${route}: ${JSON.stringify(res?.body)}`).not.toBe(403);
    expect(res?.status).not.toBe(401);
  });

  it('lets them see their devices and sign one out', async () => {
    const listed = await bob.get('/v1/me/sessions');
    expect(listed.status).toBe(200);
    expect(listed.body.sessions.length).toBeGreaterThan(0);
    expect(listed.body.sessions.map((s: { id: string }) => s.id)).toContain(otherSessionId);
    expect((await bob.delete(`/v1/me/sessions/${otherSessionId}`)).status).toBe(204);
    const after = (await bob.get('/v1/me/sessions')).body.sessions.map((s: { id: string }) => s.id);
    expect(after).not.toContain(otherSessionId);
  });

  it.each([
    ['GET', '/v1/hallway'],
    ['GET', '/v1/notifications'],
    ['GET', '/v1/clubs'],
    ['GET', '/v1/search?q=al'],
    ['GET', '/v1/me/passkeys'],
    ['GET', '/v1/me/invites'],
    ['POST', '/v1/me/invites'],
    ['PATCH', '/v1/me', { bio: 'Nouvelle bio' }],
    ['POST', '/v1/rooms', { topic: 'Encore', mode: 'open' }],
    ['PUT', '/v1/users/alice/follow'],
    [
      'POST',
      '/v1/reports',
      { userId: NO_SUCH, category: 'spam_scam', description: 'Spam everywhere, all day.' },
    ],
  ] as const)('%s %s stays closed', async (method, path, body?: unknown) => {
    const suspended = await bob.request(method, path, body);
    expect(suspended.status, JSON.stringify(suspended.body)).toBe(403);
    expect(suspended.body.error.code).toBe('account.suspended');
    const banned = await carol.request(method, path, body);
    expect(banned.body.error.code).toBe('account.banned');
  });

  it('keeps the same rights for a banned member', async () => {
    for (const path of ['/v1/me', '/v1/privacy/me', '/v1/me/sessions', '/v1/me/decisions']) {
      expect((await carol.get(path)).status, path).toBe(200);
    }
  });
});
