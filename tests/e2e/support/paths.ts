import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const e2ePort = Number(process.env.E2E_PORT ?? 3210);
/** Stable across Playwright's processes (config, runner, workers); emptied by support/server.mjs. */
export const e2eDataDir = join(tmpdir(), `salon-e2e-${e2ePort}`);

/**
 * The app under test runs on a fresh database of the PostgreSQL server (TEST_DATABASE_URL, else
 * 127.0.0.1:5432), created by support/server.mjs: unlike the embedded PGlite folder, which only
 * one process may open, a server lets the tests use the admin CLI and read the database while
 * the app runs.
 */
const adminUrl = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
export const e2eDatabaseName = `salon_e2e_${e2ePort}`;
export const e2eAdminUrl = adminUrl.toString();
export const e2eDatabaseUrl = Object.assign(new URL(adminUrl), {
  pathname: `/${e2eDatabaseName}`,
}).toString();

/** The environment the app runs with; the admin CLI needs the same to act on its data. */
export function e2eEnv(): Record<string, string> {
  return {
    DATABASE_URL: e2eDatabaseUrl,
    DATA_DIR: e2eDataDir,
    PUBLIC_URL: `http://localhost:${e2ePort}`,
  };
}
