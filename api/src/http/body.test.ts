import { uniqueSymbol } from 'hono-openapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../testing';
import { memberFactory } from '../testing/client';

let t: Awaited<ReturnType<typeof createTestApp>>;
type Member = Awaited<ReturnType<ReturnType<typeof memberFactory>>>;
let alice: Member;
let bob: Member;
let roomId: string;
let passkeyId: string;
beforeAll(async () => {
  t = await createTestApp();
  const member = memberFactory(t);
  alice = await member('alice');
  bob = await member('bob');
  expect(
    (await alice.post('/v1/clubs', { name: 'Jazz à Lyon', slug: 'jazz-lyon', joinPolicy: 'open' })).status,
  ).toBe(201);
  await bob.post('/v1/clubs/jazz-lyon/join');
  roomId = (await alice.post('/v1/rooms', { topic: 'Le vélo en ville', mode: 'open' })).body.id;
  passkeyId = (await alice.get('/v1/me/passkeys')).body.passkeys[0].id;
});
afterAll(async () => {
  await t.close();
});

/** Every route whose body is validated as JSON, from the validators' own metadata. */
function jsonRoutes() {
  const found = new Map<string, { method: string; path: string }>();
  for (const route of t.app.routes) {
    const meta = (route.handler as unknown as Record<symbol, { target?: string } | undefined>)[uniqueSymbol];
    if (meta?.target === 'json') found.set(`${route.method} ${route.path}`, route);
  }
  return [...found.values()];
}

describe('a PATCH with nothing to change', () => {
  const patches = () => [
    `/v1/me`,
    `/v1/me/passkeys/${passkeyId}`,
    `/v1/clubs/jazz-lyon`,
    `/v1/clubs/jazz-lyon/members/bob`,
    `/v1/rooms/${roomId}`,
  ];

  it('is one rule for every PATCH route: 400, nothing written', async () => {
    const listed = patches().map((p) => p.replace(passkeyId, ':id').replace(roomId, ':id'));
    const all = t.app.routes.filter((r) => r.method === 'PATCH').map((r) => r.path);
    const normalised = [...new Set(all)].map((p) =>
      p.replace(/:slug/, 'jazz-lyon').replace(/:username/, 'bob'),
    );
    expect(listed.sort()).toEqual(normalised.sort());

    const before = (await alice.get('/v1/clubs/jazz-lyon')).body;
    for (const path of patches()) {
      const res = await alice.patch(path, {});
      expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBe(400);
      expect(res.body.error.code, path).toBe('request.invalid');
    }
    expect((await alice.get('/v1/clubs/jazz-lyon')).body).toEqual(before);
  });

  it('says so in the details, for the web to show', async () => {
    const res = await alice.patch('/v1/clubs/jazz-lyon', {});
    expect(res.body.error.details).toEqual([{ in: 'json', path: '', message: 'request.nothing_to_change' }]);
    // A real change still goes through.
    const renamed = await alice.patch('/v1/clubs/jazz-lyon', { description: 'Le jeudi soir' });
    expect(renamed.status).toBe(200);
    expect(renamed.body.description).toBe('Le jeudi soir');
  });
});

describe('a body that is not JSON on a JSON route', () => {
  /** Signed out: validation answers before any route asks who is there. */
  const send = async (method: string, path: string, type: string | undefined, body: string) => {
    const headers: Record<string, string> = type ? { 'content-type': type } : {};
    const res = await t.app.request(path, { method, headers, body });
    return { status: res.status, body: (await res.json()) as { error: { code: string } } };
  };

  it.each([
    ['text/plain', '{"name":"Jazz"}'],
    ['application/x-www-form-urlencoded', 'name=Jazz'],
    ['multipart/form-data; boundary=x', '--x--'],
    [undefined, '{"name":"Jazz"}'],
  ])('answers 415 on PATCH /v1/clubs/:slug (%s)', async (type, body) => {
    const res = await alice.request(
      'PATCH',
      '/v1/clubs/jazz-lyon',
      undefined,
      type ? { 'content-type': type } : {},
    );
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('request.unsupported_media_type');
    const anonymous = await send('PATCH', '/v1/clubs/jazz-lyon', type, body);
    expect(anonymous.status).toBe(415);
  });

  it('answers 415 on every JSON route, whatever it is', async () => {
    const routes = jsonRoutes();
    expect(routes.length).toBeGreaterThan(20);
    for (const { method, path } of routes) {
      const concrete = path.replace(/:(\w+)/g, (_, name: string) =>
        /id$/i.test(name) ? '00000000-0000-4000-8000-000000000000' : 'abcd',
      );
      const res = await send(method, concrete, 'text/plain', '{}');
      expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(415);
      expect(res.body.error.code).toBe('request.unsupported_media_type');
    }
  });

  it('still takes JSON with a charset or a +json type', async () => {
    for (const type of ['application/json; charset=utf-8', 'application/merge-patch+json']) {
      const res = await alice.request('PATCH', '/v1/clubs/jazz-lyon', undefined, { 'content-type': type });
      // No body was sent: malformed, not unsupported.
      expect(res.status, type).toBe(400);
    }
  });
});
