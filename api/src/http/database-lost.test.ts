import { createServer } from 'node:net';
import { createDb } from '@salon/db';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app';
import { createTestApp } from '../testing';
import { databaseUnavailable } from './errors';

let t: Awaited<ReturnType<typeof createTestApp>>;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

/** A port nothing listens on: taken from the system, then let go. */
async function closedPort() {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Requests that each need the database: with and without a session cookie, reads and writes. */
async function expectUnavailable(app: ReturnType<typeof createApp>) {
  const origin = t.config.publicUrl.origin;
  const requests: [string, RequestInit][] = [
    ['/v1/me', { headers: { cookie: 'salon_session=whatever' } }],
    ['/v1/hallway', { headers: { cookie: 'salon_session=whatever' } }],
    [
      '/v1/auth/otp/start',
      {
        method: 'POST',
        headers: { origin, 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.7' },
        body: JSON.stringify({ phone: '06 12 34 56 78' }),
      },
    ],
  ];
  for (const [path, init] of requests) {
    const res = await app.request(path, init);
    const body = (await res.json()) as { error: { code: string }; requestId: string };
    expect({ path, status: res.status, code: body.error.code }).toEqual({
      path,
      status: 503,
      code: 'service.unavailable',
    });
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(body.requestId).toBe(res.headers.get('x-request-id'));
  }
}

describe('a lost database', () => {
  it('answers 503 with Retry-After, never a 500, when the server refuses connections', {
    timeout: 30_000,
  }, async () => {
    const port = await closedPort();
    const database = await createDb({ url: `postgres://postgres@127.0.0.1:${port}/salon`, max: 1 });
    try {
      await expectUnavailable(createApp({ ...t, database }));
    } finally {
      await database.close();
    }
    expect(t.log.text()).not.toContain('"status":500');
  });

  it('answers 503 with Retry-After once its database is dropped under a running app', {
    timeout: 60_000,
  }, async () => {
    const lost = await createTestApp();
    try {
      if (!lost.database.url) return; // PGlite lives in this process: it cannot be lost apart from it
      const adminUrl = new URL(lost.database.url);
      const name = adminUrl.pathname.slice(1);
      adminUrl.pathname = '/postgres';
      // Connections open and in use before the database goes.
      expect((await lost.app.request('/v1/me', { headers: { cookie: 'salon_session=x' } })).status).toBe(401);
      const admin = postgres(adminUrl.toString(), { max: 1, onnotice: () => {} });
      await admin.unsafe(`drop database "${name}" with (force)`);
      await admin.end({ timeout: 5 });
      await expectUnavailable(lost.app);
      expect(lost.log.text()).not.toContain('"status":500');
    } finally {
      await lost.close();
    }
  });

  it('recognises connection loss however the driver reports it', () => {
    const wrapped = (cause: unknown) => Object.assign(new Error('Failed query: select 1'), { cause });
    const lost = [
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      Object.assign(new Error('write CONNECTION_CLOSED'), { code: 'CONNECTION_CLOSED' }),
      Object.assign(new Error('write CONNECTION_ENDED'), { code: 'CONNECTION_ENDED' }),
      Object.assign(new Error('write CONNECTION_DESTROYED'), { code: 'CONNECTION_DESTROYED' }),
      Object.assign(new Error('write CONNECT_TIMEOUT'), { code: 'CONNECT_TIMEOUT' }),
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
      Object.assign(new Error('the database system is starting up'), { code: '57P03' }),
      Object.assign(new Error('connection failure'), { code: '08006' }),
      Object.assign(new Error('database "x" does not exist'), { code: '3D000' }),
      new AggregateError([Object.assign(new Error('refused'), { code: 'ECONNREFUSED' })]),
    ];
    for (const error of lost) {
      expect(databaseUnavailable(error), String(error)).toBe(true);
      expect(databaseUnavailable(wrapped(error)), String(error)).toBe(true);
    }
    const notLost = [
      new Error('boom'),
      Object.assign(new Error('duplicate key'), { code: '23505' }),
      Object.assign(new Error('syntax'), { code: '42601' }),
      'a string',
      undefined,
    ];
    for (const error of notLost) expect(databaseUnavailable(wrapped(error))).toBe(false);
  });
});
