import { schema } from '@salon/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceLabel } from '../modules/auth/sessions';
import { createTestApp } from '../testing';
import { memberFactory } from '../testing/client';
import { isStorableText, unstorableTextPaths } from './text';

let t: Awaited<ReturnType<typeof createTestApp>>;
let alice: Awaited<ReturnType<ReturnType<typeof memberFactory>>>;
let roomId: string;
beforeAll(async () => {
  t = await createTestApp();
  alice = await memberFactory(t)('alice');
  await alice.post('/v1/clubs', { name: 'Jazz à Lyon', slug: 'jazz-lyon' });
  roomId = (await alice.post('/v1/rooms', { topic: 'Le vélo en ville', mode: 'open' })).body.id;
});
afterAll(async () => {
  await t.close();
});

const NUL = '\u0000';
const LONE = '\ud800';

describe('the text rule', () => {
  it('refuses NUL and lone surrogates, keeps everything else people write', () => {
    for (const ok of ['', 'Chez Zoé', '🎷 jazz', 'مرحبا', '日本語', 'a\tb\nc'])
      expect(isStorableText(ok)).toBe(true);
    for (const bad of [NUL, `a${NUL}b`, LONE, `x${LONE}`, '\udc00', '\udc00\ud800'])
      expect(isStorableText(bad)).toBe(false);
  });

  it('keeps a User-Agent that breaks it out of the device names stored with sessions', () => {
    expect(deviceLabel(`Fo${NUL}o/1.0 (X${LONE}Y)`)).toBe('Unknown device');
    expect(deviceLabel('Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0')).toBe(
      'Firefox on Android',
    );
  });

  it('names every bad string, nested or as a key', () => {
    expect(unstorableTextPaths({ a: 'ok', b: [1, `x${NUL}`], [`k${LONE}`]: 1, c: { d: LONE } })).toEqual([
      'b.1',
      `k${LONE}`,
      'c.d',
    ]);
  });
});

type Answer = { status: number; body: { error?: { code: string; details: unknown[] } } };
const refused = (res: Answer, label: string) => {
  expect(res.status, `${label}: ${JSON.stringify(res.body)}`).toBe(400);
  expect(res.body.error?.code, label).toBe('request.invalid_text');
};

async function anonymous(method: string, path: string, body?: string) {
  const res = await t.app.request(path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body }),
  });
  return { status: res.status, body: (await res.json()) as Answer['body'] };
}

describe('NUL and ill-formed Unicode are refused at validation, never reach the database', () => {
  it('in every path parameter of every route, before signing in', async () => {
    const seen = new Set<string>();
    const walked: string[] = [];
    for (const route of t.app.routes) {
      if (route.method === 'ALL' || !route.path.includes('/:')) continue;
      const key = `${route.method} ${route.path}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const path = route.path.replace(/:[A-Za-z]+/g, '%00');
      refused(await anonymous(route.method, path), key);
      walked.push(key);
    }
    // The routes the outside probe found, among the others.
    expect(walked).toEqual(
      expect.arrayContaining([
        'GET /v1/users/:username',
        'GET /v1/invites/:code',
        'PATCH /v1/me/passkeys/:id',
        'GET /v1/clubs/:slug',
        'POST /v1/clubs/:slug/join',
        'PUT /v1/mod/staff/:username',
      ]),
    );
    expect(walked.length).toBeGreaterThan(30);
  });

  it.each([
    ['GET', '/v1/search?q=%00'],
    ['GET', '/v1/search?q=abc&cursor=%00'],
    ['GET', '/v1/notifications?cursor=%00'],
    ['GET', '/v1/mod/reports?cursor=%00'],
    ['GET', '/v1/privacy/notice?lang=%00'],
    ['GET', '/v1/hallway?cursor=%00'],
  ])('in the query: %s %s', async (method, path) => {
    refused(await alice.request(method, path), path);
    refused(await anonymous(method, path), path);
  });

  it.each([
    ['POST', '/v1/auth/otp/start', { phone: `06${NUL}11111111` }],
    ['POST', '/v1/auth/signup', { ticket: 'x'.repeat(30), inviteCode: 'ABCD', displayName: `Al${LONE}` }],
    ['PATCH', '/v1/me', { bio: `a${NUL}b` }],
    ['PATCH', '/v1/me', { displayName: `Alice${LONE}` }],
    ['POST', '/v1/rooms', { topic: LONE, mode: 'open' }],
    ['POST', '/v1/clubs', { name: `Club${NUL}`, slug: 'club-x' }],
    [
      'POST',
      '/v1/reports',
      { userId: '00000000-0000-4000-8000-000000000000', category: 'spam', description: `${LONE}`.repeat(20) },
    ],
    ['POST', '/v1/notifications/read', { ids: [NUL] }],
    [
      'POST',
      '/v1/auth/passkeys/login/verify',
      { response: { id: 'a', rawId: 'a', type: 'public-key', response: { clientDataJSON: NUL } } },
    ],
    ['POST', '/v1/clubs/jazz-lyon/invites', { username: `bob${NUL}` }],
    // A key that is not even expected is refused for its characters first.
    ['PATCH', '/v1/me', { [`bio${NUL}`]: 'x' }],
  ])('in a JSON body: %s %s', async (method, path, body) => {
    refused(await alice.request(method, path, body), `${method} ${path}`);
  });

  it('in a room topic, whether opening or renaming it; nothing is stored as “�”', async () => {
    refused(await alice.post('/v1/rooms', { topic: `Jazz ${LONE}`, mode: 'open' }), 'POST /v1/rooms');
    refused(await alice.patch(`/v1/rooms/${roomId}`, { topic: LONE }), 'PATCH /v1/rooms/:id');
    const topics = (await t.database.db.select({ topic: schema.rooms.topic }).from(schema.rooms)).map(
      (r) => r.topic,
    );
    expect(topics).toEqual(['Le vélo en ville']);
    expect(topics.join('')).not.toContain('\ufffd');
  });

  it('answers in the error envelope, naming where', async () => {
    const res = await alice.patch('/v1/me', { bio: `a${NUL}b` });
    expect(res.body).toEqual({
      error: {
        code: 'request.invalid_text',
        message: expect.any(String),
        details: [{ in: 'json', path: 'bio', message: 'text.invalid_characters' }],
      },
      requestId: expect.any(String),
    });
    expect((await alice.get('/v1/me')).body.bio).not.toContain(NUL);
  });
});
