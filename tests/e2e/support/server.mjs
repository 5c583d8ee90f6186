// The app the browser tests drive: a fresh data folder and a fresh database on the PostgreSQL
// server, a few bootstrap invites minted with the admin CLI (as an operator would), then
// `npm start`'s server. DATABASE_URL and DATA_DIR come from the Playwright config (support/paths.ts).
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const { DATA_DIR: dataDir, DATABASE_URL: databaseUrl, E2E_ADMIN_DATABASE_URL: adminUrl } = process.env;
if (!dataDir || !databaseUrl || !adminUrl)
  throw new Error('DATA_DIR, DATABASE_URL and E2E_ADMIN_DATABASE_URL are required');
rmSync(dataDir, { recursive: true, force: true });
mkdirSync(dataDir, { recursive: true });

const name = new URL(databaseUrl).pathname.slice(1);
if (!/^salon_e2e_\d+$/.test(name)) throw new Error(`refusing to recreate database ${name}`);
const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
try {
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.unsafe(`create database ${name}`);
} catch (error) {
  throw new Error(
    `The browser tests need the PostgreSQL server (${new URL(adminUrl).host}): ${error.message}`,
  );
} finally {
  await admin.end();
}

const mint = spawnSync(
  process.execPath,
  ['--import', 'tsx', 'api/src/cli.ts', 'invites', 'mint', '30', '--json'],
  { cwd: root, encoding: 'utf8' },
);
if (mint.status !== 0) throw new Error(`minting invites failed: ${mint.stderr || mint.stdout}`);
const { invites } = JSON.parse(mint.stdout);
writeFileSync(join(dataDir, 'e2e-invites.json'), JSON.stringify(invites.map((i) => i.code)));

await import('../../../scripts/start.mjs');
