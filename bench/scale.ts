// The scale rows: a join storm into one room (one API instance, then two behind the same
// PostgreSQL), the hallway and search at 100k members / 1M follows / 2,000 live rooms, and the
// export of a heavy account. The API runs as `npm start` runs it and is reached over real HTTP with
// the same client as the bare-Hono baseline measured in the same run.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { createDb, schema, systemClock } from '@salon/db';
import { loadDataMap } from '@salon/policies';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { crypto } from '../api/src/crypto';
import { loadConfig } from '../api/src/env';
import { searchPeople } from '../api/src/modules/people/people.service';
import { exportForOperator } from '../api/src/modules/rights/export.service';
import { hallway } from '../api/src/modules/rooms/hallway.service';
import type { Deps } from '../api/src/modules/rooms/rooms.service';
import { fanOutBench } from './fan-out';
import { type Call, type LoadResult, load } from './load';
import { describe, observe } from './observe';
import { actorNumber, actorSessions, heavyNumber, memberId, type Sizes, seed, stormRooms } from './seed';
import { type Server, startApi, startHello } from './servers';

export interface Row {
  name: string;
  figure: string;
  baseline: string;
  ratio: string;
  target: string;
  /** null when the row has no target. */
  met: boolean | null;
}

export interface ScaleReport {
  rows: Row[];
  /** Problems found while measuring (wrong statuses, capacity not exact): always a failure. */
  problems: string[];
  explain: string[];
}

const SEARCHES = [
  'mar',
  'jean',
  'du',
  'lef',
  'camille m',
  'm123',
  '@m45',
  'zo',
  'nguy',
  'eloise',
  'th',
  'ber',
];

const n0 = (x: number) => Math.round(x).toLocaleString('en-US');
const ms = (x: number) => (x < 10 ? `${x.toFixed(1)} ms` : `${n0(x)} ms`);
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

export async function scaleBench(options: {
  adminUrl: string;
  sizes: Sizes;
  /** Requests per baseline run and per read row. */
  requests: { baseline: number; hallway: number; hallwayAlone: number; search: number };
  explain: boolean;
  /** Small counts: no comparison with the figures of before. */
  smoke?: boolean;
  log: (line: string) => void;
}): Promise<ScaleReport> {
  const { sizes, log } = options;
  const rows: Row[] = [];
  const problems: string[] = [];
  const explain: string[] = [];
  const admin = postgres(options.adminUrl, { max: 1, onnotice: () => {} });
  const name = `salon_bench_scale_${process.pid}_${Date.now().toString(36)}`;
  await admin.unsafe(`create database "${name}"`);
  const url = new URL(options.adminUrl);
  url.pathname = `/${name}`;
  const database = await createDb({ url: url.toString() });
  const seeding = postgres(url.toString(), { max: 1, onnotice: () => {} });
  const dataDir = mkdtempSync(join(tmpdir(), 'salon-bench-'));
  const servers: Server[] = [];
  try {
    const [server] = await admin<{ version: string }[]>`select current_setting('server_version') as version`;
    log(
      `machine: ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ` +
        `PostgreSQL ${server?.version} at ${url.host}, Node ${process.version}, load average ${loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')}`,
    );
    await database.migrate();
    let started = performance.now();
    await seed(seeding, sizes);
    const c = await crypto();
    const tokens = await actorSessions(seeding, sizes, c.hash);
    const [warmRoom, stormOne, stormTwo] = await stormRooms(seeding, sizes.actors);
    if (!warmRoom || !stormOne || !stormTwo) throw new Error('no storm rooms');
    const [counts] = await seeding<{ users: number; follows: number; live: number }[]>`
      select (select count(*) from users)::int as users, (select count(*) from follows)::int as follows,
             (select count(*) from rooms where status = 'live')::int as live`;
    log(
      `seeded ${n0(counts?.users ?? 0)} members, ${n0(counts?.follows ?? 0)} follows, ` +
        `${n0(counts?.live ?? 0)} live rooms in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );

    // The baseline, alone on the machine while it is measured, at both concurrencies used below.
    const hello = await startHello();
    const helloCalls = (count: number) =>
      Array.from({ length: count }, (): Call => ({ method: 'GET', path: '/', port: hello.port }));
    await load(helloCalls(Math.min(2000, options.requests.baseline)), 100); // warm-up
    const bare100 = await load(helloCalls(options.requests.baseline), 100);
    const bare10 = await load(helloCalls(options.requests.baseline), 10);
    await hello.stop();
    log(
      `bare Hono hello-world: ${n0(bare100.perSecond)} req/s, p99 ${ms(bare100.p99)} at c=100; ` +
        `${n0(bare10.perSecond)} req/s, p99 ${ms(bare10.p99)} at c=10`,
    );

    const env = {
      DATABASE_URL: url.toString(),
      DATA_DIR: dataDir,
      // Tokens are minted as in production; a join makes no call to LiveKit.
      LIVEKIT_URL: 'ws://127.0.0.1:9',
      ROOM_CAPACITY: String(sizes.actors),
    };
    const first = await startApi({ ...env, RUN_JOBS: 'true' });
    servers.push(first);
    const second = await startApi({ ...env, RUN_JOBS: 'false' });
    servers.push(second);
    const cookie = (i: number) => ({ cookie: `salon_session=${tokens[i % tokens.length]}` });
    const joinCall = (roomId: string, i: number, port: number): Call => ({
      method: 'POST',
      path: `/v1/rooms/${roomId}/join`,
      port,
      headers: { ...cookie(i), origin: `http://localhost:${port}` },
    });
    const get = (path: string, i: number, port: number): Call => ({
      method: 'GET',
      path,
      port,
      headers: cookie(i),
    });
    const expectOk = (label: string, result: LoadResult) => {
      const wrong = Object.entries(result.statuses).filter(([status]) => status !== '200');
      if (wrong.length > 0) problems.push(`${label}: statuses ${JSON.stringify(result.statuses)}`);
    };

    // Warm-up on both instances (JIT, connection pools, prepared statements), in a room of its own.
    const warm = Math.min(200, tokens.length);
    for (const server of [first, second]) {
      await load(
        Array.from({ length: warm }, (_, i) => joinCall(warmRoom, i, server.port)),
        20,
      );
      await load(
        Array.from({ length: warm }, (_, i) => get('/v1/hallway', i, server.port)),
        10,
      );
    }

    const apiPids = (ports: number[]) => servers.filter((s) => ports.includes(s.port)).map((s) => s.pid);
    const storm = async (label: string, roomId: string, ports: number[]) => {
      const calls = tokens.map((_, i) => joinCall(roomId, i, ports[i % ports.length] ?? first.port));
      const { result, observation } = await observe(admin, name, apiPids(ports), calls.length, () =>
        load(calls, 100),
      );
      expectOk(label, result);
      const [present] = await seeding<{ rows: number; counter: number }[]>`
        select (select count(*) from room_participants where room_id = ${roomId} and present)::int as rows,
               (select present_count from rooms where id = ${roomId}) as counter`;
      if (present?.rows !== tokens.length || present.counter !== tokens.length)
        problems.push(`${label}: ${JSON.stringify(present)} present, expected ${tokens.length}`);
      log(
        `${label}: ${n0(result.perSecond)} joins/s, p50 ${ms(result.p50)}, p99 ${ms(result.p99)}, ` +
          `max ${ms(result.max)}, ${JSON.stringify(result.statuses)}\n  ${describe(observation)}`,
      );
      return result;
    };
    const joinRows = (label: string, result: LoadResult) => {
      const ratio = result.perSecond / bare100.perSecond;
      rows.push({
        name: `${label}: joins/s`,
        figure: `${n0(result.perSecond)} /s`,
        baseline: `${n0(bare100.perSecond)} req/s`,
        ratio: pct(ratio),
        target: '≥ 1,000 /s and ≥ 25%',
        met: result.perSecond >= 1000 && ratio >= 0.25,
      });
      rows.push({
        name: `${label}: p50 / p99`,
        figure: `${ms(result.p50)} / ${ms(result.p99)}`,
        baseline: `${ms(bare100.p50)} / ${ms(bare100.p99)}`,
        ratio: `${(result.p99 / bare100.p99).toFixed(1)}×`,
        target: 'p99 < 250 ms',
        met: result.p99 < 250,
      });
    };
    const actors = tokens.length;
    joinRows(
      `join storm, ${n0(actors)} members → 1 room, c=100, 1 API`,
      await storm('join storm, one instance', stormOne, [first.port]),
    );
    joinRows(
      `join storm, ${n0(actors)} members → 1 room, c=100, 2 APIs`,
      await storm('join storm, two instances', stormTwo, [first.port, second.port]),
    );

    // The storms wrote 10,000 presences and events: let the tables settle as autovacuum would
    // (here at once), so the read rows measure reads, not a vacuum running beside them.
    await seeding.unsafe('vacuum analyze rooms, room_participants, room_events');

    // The room stream of the first storm's room, every actor in it: one stream each, on an API
    // instance of their own (its memory is the streams'), then stage changes to all of them.
    const streamsApi = await startApi({ ...env, RUN_JOBS: 'false' });
    servers.push(streamsApi);
    rows.push(
      ...(await fanOutBench({
        api: streamsApi,
        changer: first,
        seeding,
        roomId: stormOne,
        members: tokens.map((token, i) => ({ token, userId: memberId(actorNumber(sizes, i)) })),
        changes: options.smoke ? 3 : 5,
        smoke: options.smoke ?? false,
        log,
      })),
    );
    await streamsApi.stop();
    servers.splice(servers.indexOf(streamsApi), 1);

    const reads = async (label: string, path: (i: number) => string, count: number, concurrency: number) => {
      const { result, observation } = await observe(admin, name, [first.pid], count, () =>
        load(
          Array.from({ length: count }, (_, i) => get(path(i), i, first.port)),
          concurrency,
        ),
      );
      expectOk(label, result);
      log(
        `${label}: ${n0(result.perSecond)} req/s, p50 ${ms(result.p50)}, p99 ${ms(result.p99)}, ` +
          `max ${ms(result.max)}\n  ${describe(observation)}`,
      );
      return result;
    };
    const alone = await reads('GET /v1/hallway, c=1', () => '/v1/hallway', options.requests.hallwayAlone, 1);
    rows.push({
      name: 'GET /v1/hallway alone: p50',
      figure: ms(alone.p50),
      baseline: '—',
      ratio: '—',
      target: '—',
      met: null,
    });
    const readRow = (label: string, result: LoadResult) =>
      rows.push({
        name: `${label}: p99 (p50)`,
        figure: `${ms(result.p99)} (${ms(result.p50)})`,
        baseline: `${ms(bare10.p99)} (${ms(bare10.p50)})`,
        ratio: `${(result.p99 / bare10.p99).toFixed(1)}×`,
        target: 'p99 < 50 ms',
        met: result.p99 < 50,
      });
    readRow(
      'GET /v1/hallway, c=10',
      await reads('GET /v1/hallway, c=10', () => '/v1/hallway', options.requests.hallway, 10),
    );
    readRow(
      'GET /v1/search, c=10',
      await reads(
        'GET /v1/search, c=10',
        (i) => `/v1/search?q=${encodeURIComponent(SEARCHES[i % SEARCHES.length] ?? 'a')}`,
        options.requests.search,
        10,
      ),
    );

    // The export of the heavy account, in this process: time and how much the RSS grows.
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 5);
    let bytes = 0;
    started = performance.now();
    const exported = await exportForOperator(
      {
        database,
        crypto: c,
        clock: systemClock,
        config: loadConfig({ DATABASE_URL: url.toString(), DATA_DIR: dataDir }),
        dataMap: loadDataMap(),
      },
      `m${heavyNumber(sizes)}`,
      join(dataDir, 'heavy-export.zip'),
    );
    bytes = exported.bytes;
    const exportSeconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    const grown = (peak - before) / 1024 / 1024;
    log(
      `export of the heavy account: ${exportSeconds.toFixed(2)} s, ${n0(bytes / 1024)} KiB, RSS +${grown.toFixed(0)} MB`,
    );
    rows.push({
      name: `export (${n0(sizes.heavy.follows)} follows, ${n0(sizes.heavy.notifications)} notifications, ${sizes.heavy.rooms} rooms)`,
      figure: `${exportSeconds.toFixed(2)} s, RSS +${grown.toFixed(0)} MB`,
      baseline: '1.1 s, +17 MB (before)',
      ratio: `${(exportSeconds / 1.1).toFixed(2)}×`,
      target: '≤ 2 s, RSS ≤ +50 MB',
      met: exportSeconds <= 2 && grown <= 50,
    });

    if (options.explain) explain.push(...(await plans(url.toString(), sizes)));
  } finally {
    for (const server of servers) await server.stop();
    await seeding.end();
    await database.close();
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return { rows, problems, explain };
}

/**
 * EXPLAIN ANALYZE of the queries the hallway and search services send, captured from the services
 * themselves (a Drizzle logger), for one ordinary member. Each runs as the API runs it: prepared
 * with its generic plan (see db/src/index.ts), or planned for its values when it is not prepared.
 */
async function plans(url: string, sizes: Sizes) {
  const client = postgres(url, { max: 1, onnotice: () => {} });
  const captured: { query: string; params: unknown[] }[] = [];
  const db = drizzle(client, {
    schema,
    logger: { logQuery: (query, params) => void captured.push({ query, params }) },
  });
  const deps = {
    database: { db },
    config: loadConfig({ DATABASE_URL: url }),
    clock: systemClock,
  } as unknown as Deps;
  const literal = (value: unknown) =>
    typeof value === 'number' ? String(value) : `'${String(value).replaceAll("'", "''")}'`;
  const out: string[] = [];
  const explainAll = async (label: string, prepared: boolean) => {
    for (const { query, params } of captured.splice(0)) {
      const explain = 'explain (analyze, buffers, costs off)';
      let plan: { 'QUERY PLAN': string }[];
      if (prepared) {
        await client.unsafe('set plan_cache_mode = force_generic_plan');
        await client.unsafe(`prepare bench_plan as ${query}`);
        plan = await client.unsafe(`${explain} execute bench_plan(${params.map(literal).join(', ')})`);
        await client.unsafe('deallocate bench_plan');
      } else {
        plan = await client.unsafe(`${explain} ${query}`, params as postgres.ParameterOrJSON<never>[]);
      }
      out.push(`-- ${label}\n${plan.map((r) => r['QUERY PLAN']).join('\n')}\n`);
    }
  };
  await hallway(deps, memberId(actorNumber(sizes, 7)), 0);
  await explainAll('GET /v1/hallway (prepared, generic plan)', true);
  for (const q of ['mar', 'nguy', 'm123']) {
    await searchPeople(deps, { q });
    await explainAll(`GET /v1/search?q=${q}`, false);
  }
  await client.end();
  return out;
}
