import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import * as schema from './schema';

export * from './clock';
export * from './prepared';
export * from './queue';
export * from './search-name';
export { schema };

/** The Drizzle handle every service receives; identical API on PGlite and on PostgreSQL. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Database {
  db: Db;
  /** `pglite` for the embedded default, `postgres` for a server reached through DATABASE_URL. */
  driver: 'pglite' | 'postgres';
  migrate(): Promise<void>;
  /** true when a trivial query answers; used by /healthz. */
  ping(): Promise<boolean>;
  /**
   * Postgres LISTEN: `handler` receives the payload of every NOTIFY on `channel`, from this process
   * or any other API instance. Send with `notify()` inside the transaction that made the change,
   * so listeners hear of it only once it is committed. Returns the function that stops listening.
   */
  listen(channel: string, handler: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface CreateDbOptions {
  /** A postgres:// URL. Without one, PGlite is opened in `dataDir`. */
  url?: string | undefined;
  /** Folder for PGlite's files, or `memory://` for a throw-away database. */
  dataDir?: string | undefined;
  /** Pool size for postgres.js. */
  max?: number | undefined;
}

/** How long a connection attempt to PostgreSQL may take before it counts as failed. */
export const CONNECT_TIMEOUT_SECONDS = 5;

export const migrationsFolder = fileURLToPath(new URL('../migrations', import.meta.url));

export async function createDb(options: CreateDbOptions): Promise<Database> {
  if (options.url) {
    const client = postgres(options.url, {
      max: options.max ?? 10,
      onnotice: () => {},
      // After a lost server: give up a connection attempt within seconds, and try again at most a
      // second apart. The driver's own back-off grows to 20 s across the pool (3^n/100 s, one
      // count shared by every connection), so requests queued during a short outage still waited
      // long after the server was back (measured: > 10 s after a 3.6 s restart).
      connect_timeout: CONNECT_TIMEOUT_SECONDS,
      backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 1),
      // Named prepared statements (Drizzle's `.prepare()`) are kept for hot paths whose plan does
      // not depend on the values: plan them once, not again for every request (PostgreSQL would
      // keep re-planning the hallway's, whose generic plan it misjudges as dearer). Unnamed
      // statements, i.e. every other query, are planned per execution as before.
      connection: { plan_cache_mode: 'force_generic_plan' },
    });
    const db = drizzlePostgres(client, { schema });
    return {
      db,
      driver: 'postgres',
      migrate: () => migratePostgres(db, { migrationsFolder }),
      ping: () => ping(db),
      async listen(channel, handler) {
        const { unlisten } = await client.listen(channel, handler);
        return unlisten;
      },
      close: () => client.end({ timeout: 5 }),
    };
  }
  const dataDir = options.dataDir ?? 'memory://';
  const inMemory = dataDir.startsWith('memory://');
  const releaseLock = inMemory ? () => {} : lockDataDir(dataDir);
  // pg_trgm backs the search index (users_search_name_trgm_idx), as on the server.
  const client = await PGlite.create(dataDir, { extensions: { pg_trgm } });
  const db = drizzlePglite(client, { schema });
  return {
    db,
    driver: 'pglite',
    migrate: () => migratePglite(db, { migrationsFolder }),
    ping: () => ping(db),
    async listen(channel, handler) {
      const unlisten = await client.listen(channel, handler);
      return async () => unlisten();
    },
    async close() {
      await client.close();
      releaseLock();
    },
  };
}

/**
 * PGlite is single-process: a second process opening the same folder would corrupt it.
 * A pid file turns that mistake (say, the admin CLI while `npm start` runs) into a clear error.
 */
export class DatabaseInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `The embedded database in ${dataDir} is in use by process ${pid}. ` +
        'Stop that process first, or use a PostgreSQL server through DATABASE_URL.',
    );
  }
}

function lockDataDir(dataDir: string) {
  mkdirSync(dataDir, { recursive: true });
  const lockFile = join(dataDir, 'salon.pid');
  let holder = Number.NaN;
  try {
    holder = Number(readFileSync(lockFile, 'utf8'));
  } catch {
    // no lock file: the folder is free
  }
  if (Number.isInteger(holder) && holder !== process.pid && isAlive(holder)) {
    throw new DatabaseInUseError(dataDir, holder);
  }
  writeFileSync(lockFile, String(process.pid));
  return () => rmSync(lockFile, { force: true });
}

function isAlive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** NOTIFY through the given handle (a transaction delivers it at commit). */
export async function notify(db: Db, channel: string, payload: string) {
  await db.execute(sql`select pg_notify(${channel}, ${payload})`);
}

async function ping(db: Db): Promise<boolean> {
  try {
    await db.execute(sql`select 1`);
    return true;
  } catch {
    return false;
  }
}
