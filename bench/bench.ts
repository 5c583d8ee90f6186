// Every benchmark of `npm run bench`, callable from a test: `runBench({ smoke: true })` is the
// CI-sized variant that bench.test.ts runs inside `npm test`, so this code cannot rot.
import { createDb, createQueue, type Database, systemClock } from '@salon/db';
import { loadDataMap } from '@salon/policies';
import postgres from 'postgres';
import { createApp } from '../api/src/app';
import { crypto } from '../api/src/crypto';
import { loadConfig } from '../api/src/env';
import { createLiveKit } from '../api/src/livekit/livekit';
import { createLogger } from '../api/src/logger';
import { capturingSms, testSecrets } from '../api/src/testing';
import { roomStreamBench } from './room-stream';
import { type Row, scaleBench } from './scale';
import { FULL, SMOKE } from './seed';

export interface BenchReport {
  rows: Row[];
  table: string;
  problems: string[];
  explain: string[];
}

export async function runBench(options: {
  smoke: boolean;
  /** An admin URL of the PostgreSQL server (databases are created and dropped); none: PGlite rows only. */
  serverUrl: string | undefined;
  explain?: boolean;
  scaleOnly?: boolean;
  log: (line: string) => void;
}): Promise<BenchReport> {
  const { smoke, log } = options;
  const jobs = smoke ? 200 : 2000;
  const requests = smoke ? 200 : 5000;
  const rows: Row[] = [];
  const problems: string[] = [];
  const explain: string[] = [];

  const timed = async (label: string, count: number, unit: string, work: () => Promise<void>) => {
    const started = performance.now();
    await work();
    const seconds = (performance.now() - started) / 1000;
    log(
      `${label.padEnd(46)} ${String(Math.round(count / seconds)).padStart(8)} ${unit}/s  (${count} in ${seconds.toFixed(2)} s)`,
    );
    rows.push({
      name: label,
      figure: `${Math.round(count / seconds).toLocaleString('en-US')} ${unit}/s`,
      baseline: '—',
      ratio: '—',
      target: '—',
      met: null,
    });
  };

  const queueBench = async (name: string, database: Database) => {
    await database.migrate();
    const queue = createQueue({
      db: database.db,
      clock: systemClock,
      handlers: { noop: async () => {} },
      batchSize: 50,
    });
    await timed(`job queue enqueue (${name})`, jobs, 'jobs', async () => {
      for (let i = 0; i < jobs; i++) await queue.enqueue('noop', { i });
    });
    await timed(`job queue claim+run+finish (${name})`, jobs, 'jobs', async () => {
      const report = await queue.runDue();
      if (report.done !== jobs) throw new Error(`ran ${report.done} of ${jobs}`);
    });
  };

  if (!options.scaleOnly) {
    const pglite = await createDb({ dataDir: 'memory://' });
    await queueBench('PGlite', pglite);
    await timed('GET /healthz in-process (PGlite)', requests, 'req', async () => {
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
        dataMap: loadDataMap(),
      });
      for (let i = 0; i < requests; i++) {
        const res = await app.request('/healthz');
        if (res.status !== 200) throw new Error(`status ${res.status}`);
      }
    });
    if (!smoke) rows.push(...(await roomStreamBench('PGlite', pglite, log, 5000, 100)));
    await pglite.close();
  }

  const adminUrl = options.serverUrl;
  if (adminUrl) {
    if (!options.scaleOnly) {
      await withServerDatabase(adminUrl, async (database) => {
        await queueBench('PostgreSQL', database);
        rows.push(
          ...(await roomStreamBench(
            'PostgreSQL',
            database,
            log,
            smoke ? 300 : 5000,
            smoke ? 50 : 200,
            smoke,
          )),
        );
      });
    }
    const scale = await scaleBench({
      adminUrl,
      sizes: smoke ? SMOKE : FULL,
      requests: smoke
        ? { baseline: 500, hallway: 100, hallwayAlone: 20, search: 100 }
        : { baseline: 20_000, hallway: 2000, hallwayAlone: 200, search: 2000 },
      explain: options.explain ?? false,
      smoke,
      log,
    });
    rows.push(...scale.rows);
    problems.push(...scale.problems);
    explain.push(...scale.explain);
  } else {
    log('PostgreSQL server not reachable: server figures skipped');
  }
  return { rows, problems, explain, table: table(rows, smoke) };
}

export async function reachable(adminUrl: string) {
  const admin = postgres(adminUrl, { max: 1, connect_timeout: 2, onnotice: () => {} });
  try {
    await admin`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await admin.end();
  }
}

async function withServerDatabase(adminUrl: string, run: (database: Database) => Promise<void>) {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  const name = `salon_bench_${process.pid}_${Date.now().toString(36)}`;
  await admin.unsafe(`create database "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = await createDb({ url: url.toString() });
  try {
    await run(database);
  } finally {
    await database.close();
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end();
  }
}

function table(rows: Row[], smoke: boolean) {
  const head = ['benchmark', 'figure', 'baseline', 'ratio', 'target', 'met'];
  const cells = rows.map((r) => [
    r.name,
    r.figure,
    r.baseline,
    r.ratio,
    r.target,
    r.met === null ? '—' : smoke ? '(smoke)' : r.met ? 'yes' : 'NO',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: string[]) => `| ${c.map((x, i) => x.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join('\n');
}
