// `npm run bench`: throughput figures reported in the README. Run on an idle machine; each
// benchmark prints its own line. PostgreSQL figures need the server on 127.0.0.1:5432
// (or BENCH_DATABASE_URL) and are skipped without it.
import { randomBytes } from 'node:crypto';
import { createDb, createQueue, type Database, systemClock } from '@salon/db';
import postgres from 'postgres';
import { createApp } from '../api/src/app';
import { crypto } from '../api/src/crypto';
import { loadConfig } from '../api/src/env';
import { createLiveKit } from '../api/src/livekit/livekit';
import { createLogger } from '../api/src/logger';
import { capturingSms, testSecrets } from '../api/src/testing';
import { roomStreamBench } from './room-stream';

const JOBS = 2000;
const REQUESTS = 5000;

async function timed(label: string, count: number, unit: string, work: () => Promise<void>) {
  const started = performance.now();
  await work();
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `${label.padEnd(46)} ${String(Math.round(count / seconds)).padStart(8)} ${unit}/s  (${count} in ${seconds.toFixed(2)} s)`,
  );
}

async function queueBench(name: string, database: Database) {
  await database.migrate();
  const queue = createQueue({
    db: database.db,
    clock: systemClock,
    handlers: { noop: async () => {} },
    batchSize: 50,
  });
  await timed(`job queue enqueue (${name})`, JOBS, 'jobs', async () => {
    for (let i = 0; i < JOBS; i++) await queue.enqueue('noop', { i });
  });
  await timed(`job queue claim+run+finish (${name})`, JOBS, 'jobs', async () => {
    const report = await queue.runDue();
    if (report.done !== JOBS) throw new Error(`ran ${report.done} of ${JOBS}`);
  });
}

async function withServerDatabase(run: (database: Database) => Promise<void>) {
  const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const admin = postgres(adminUrl, { max: 1, connect_timeout: 2, onnotice: () => {} });
  try {
    await admin`select 1`;
  } catch {
    console.log('PostgreSQL server not reachable: server figures skipped');
    await admin.end();
    return;
  }
  const name = `salon_bench_${randomBytes(4).toString('hex')}`;
  await admin.unsafe(`create database "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = await createDb({ url: url.toString() });
  try {
    await run(database);
  } finally {
    await database.close();
    await admin.unsafe(`drop database "${name}" with (force)`);
    await admin.end();
  }
}

const pglite = await createDb({ dataDir: 'memory://' });
await queueBench('PGlite', pglite);

await timed('GET /healthz in-process (PGlite)', REQUESTS, 'req', async () => {
  const config = loadConfig({ NODE_ENV: 'test' });
  const secrets = await testSecrets();
  const logger = createLogger({ level: 'silent' });
  const app = createApp({
    database: pglite,
    config,
    secrets,
    logger,
    clock: systemClock,
    crypto: await crypto(),
    sms: capturingSms(),
    livekit: createLiveKit({ config, secrets, logger }),
  });
  for (let i = 0; i < REQUESTS; i++) {
    const res = await app.request('/healthz');
    if (res.status !== 200) throw new Error(`status ${res.status}`);
  }
});
await roomStreamBench('PGlite', pglite);
await pglite.close();

await withServerDatabase(async (database) => {
  await queueBench('PostgreSQL', database);
  await roomStreamBench('PostgreSQL', database);
});
