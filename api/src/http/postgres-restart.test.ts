import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { createDb, type Database } from '@salon/db';
import { rooms } from '@salon/db/schema';
import { inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app';
import { createTestApp } from '../testing';
import { memberFactory } from '../testing/client';
import { type PrivatePostgres, startPrivatePostgres } from '../testing/private-postgres';
import { createHttpServer } from './node-server';

/**
 * PostgreSQL crashes twice (`pg_ctl stop -m immediate`, then started again) while members
 * create rooms through the HTTP API. A client that gets no success retries with the same
 * Idempotency-Key, as the web app does. Afterwards every acknowledged room is in the database,
 * no retry made a second room, the same app process serves again without a restart, and the only
 * failures were 503s (with Retry-After) while the database was away.
 */
const WORKERS = 6;
const OUTAGE_MS = 1_500;
/** After `pg_ctl start` returns, the pool may still hand out a connection that died with the old server. */
const RECOVERY_GRACE_MS = 5_000;

let t: Awaited<ReturnType<typeof createTestApp>>;
let cluster: PrivatePostgres;
let database: Database;
let server: ReturnType<typeof createHttpServer>;
let base: string;
const cookies: string[] = [];

beforeAll(async () => {
  t = await createTestApp();
  cluster = await startPrivatePostgres();
  database = await createDb({ url: cluster.url, max: 5 });
  await database.migrate();
  const app = createApp({ ...t, database });
  const member = memberFactory({
    ...t,
    database: Object.assign(database, { url: cluster.url, drop: async () => {} }),
    app,
  });
  for (let i = 0; i < WORKERS; i++) {
    const client = await member(`writer${String.fromCharCode(97 + i)}`);
    cookies.push([...client.jar].map(([k, v]) => `${k}=${v}`).join('; '));
  }
  server = createHttpServer(getRequestListener(app.fetch));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 120_000);

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await database?.close();
  cluster?.destroy();
  await t?.close();
});

type Answer = { at: number; status: number; retryAfter: string | null; ms: number };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('PostgreSQL restarted twice under a write load', () => {
  it('loses no acknowledged write, makes no duplicate, and answers 503 only while it is down', {
    timeout: 180_000,
  }, async () => {
    const origin = t.config.publicUrl.origin;
    const answers: Answer[] = [];
    const acknowledged = new Map<string, string>();
    const outages: { from: number; to: number }[] = [];
    let running = true;

    /** One room per key: the first answer that is a success is the acknowledgement; anything else is retried. */
    async function create(worker: number, key: string) {
      for (;;) {
        const started = performance.now();
        let status = 0;
        let retryAfter: string | null = null;
        let id: string | undefined;
        try {
          const res = await fetch(`${base}/v1/rooms`, {
            method: 'POST',
            headers: {
              origin,
              cookie: cookies[worker] ?? '',
              'content-type': 'application/json',
              'idempotency-key': key,
            },
            body: JSON.stringify({
              topic: `Écoute ${key}`,
              mode: 'open',
              scheduledFor: '2026-12-24T18:00:00Z',
            }),
            signal: AbortSignal.timeout(10_000),
          });
          status = res.status;
          retryAfter = res.headers.get('retry-after');
          id = ((await res.json()) as { id?: string }).id;
        } catch {
          status = -1; // no answer at all within 10 s
        }
        answers.push({ at: started, status, retryAfter, ms: performance.now() - started });
        if ((status === 200 || status === 201) && id) {
          acknowledged.set(key, id);
          return;
        }
        await sleep(100);
      }
    }

    const load = Array.from({ length: WORKERS }, async (_, worker) => {
      for (let n = 0; running; n++) await create(worker, `w${worker}-${n}`);
    });

    const health: { at: number; status: number; ms: number }[] = [];
    const probe = (async () => {
      while (running) {
        const started = performance.now();
        const res = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(10_000) }).catch(() => null);
        health.push({ at: started, status: res?.status ?? -1, ms: performance.now() - started });
        await res?.body?.cancel();
        await sleep(250);
      }
    })();

    await sleep(2_000);
    for (let restart = 0; restart < 2; restart++) {
      const from = performance.now();
      cluster.crash();
      await sleep(OUTAGE_MS);
      cluster.start();
      outages.push({ from, to: performance.now() });
      await sleep(3_000);
    }
    running = false;
    await Promise.all([...load, probe]);

    // 1. Every acknowledged room is there, each key made exactly one room.
    const ids = [...acknowledged.values()];
    const stored = await database.db
      .select({ id: rooms.id, topic: rooms.topic })
      .from(rooms)
      .where(inArray(rooms.id, ids));
    expect(stored.length).toBe(ids.length);
    const all = await database.db.select({ topic: rooms.topic }).from(rooms);
    expect(all.length, 'rooms in the database vs acknowledged keys').toBe(acknowledged.size);

    // 2. Failures: only 503 with Retry-After, only during an outage (or just after, while the pool reconnects).
    // A request in flight when the server crashed counts too: it met the outage.
    const during = (a: Answer) =>
      outages.some((o) => a.at + a.ms >= o.from && a.at <= o.to + RECOVERY_GRACE_MS);
    const failures = answers.filter((a) => a.status !== 200 && a.status !== 201);
    for (const f of failures) {
      expect({ status: f.status, retryAfter: Number(f.retryAfter) > 0 }).toEqual({
        status: 503,
        retryAfter: true,
      });
      expect(during(f), `a ${f.status} outside an outage`).toBe(true);
    }
    expect(failures.length, 'some requests met the outage').toBeGreaterThan(0);

    // 3. The health check answers at once while the database is away, and healthy again after.
    const healthDuring = health.filter((h) =>
      outages.some((o) => h.at >= o.from + 100 && h.at <= o.to - 100),
    );
    expect(healthDuring.length).toBeGreaterThan(0);
    for (const h of healthDuring) expect(h.ms).toBeLessThan(3_000);
    expect(healthDuring.some((h) => h.status === 503)).toBe(true);
    expect(health.at(-1)?.status).toBe(200);

    // 4. The same app process recovered after each restart: a success soon after each start.
    const recoveries = outages.map((o) => {
      const first = answers.find((a) => a.at >= o.to && (a.status === 200 || a.status === 201));
      return first ? Math.round(first.at + first.ms - o.to) : Number.POSITIVE_INFINITY;
    });
    for (const ms of recoveries) expect(ms).toBeLessThan(RECOVERY_GRACE_MS);
    expect(t.log.text()).not.toContain('"status":500');

    console.info(
      `restart test: ${answers.length} room creations, ${acknowledged.size} acknowledged, ${stored.length} stored, ` +
        `${failures.length} answered 503 during outages, first success ${recoveries.join(' ms and ')} ms after each start`,
    );
  });
});
