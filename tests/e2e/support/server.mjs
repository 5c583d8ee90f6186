// The app the browser tests drive: a fresh data folder, a few bootstrap invites minted with the
// admin CLI (as an operator would), then `npm start`'s server on embedded PGlite.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const dataDir = process.env.DATA_DIR;
if (!dataDir) throw new Error('DATA_DIR is required');
rmSync(dataDir, { recursive: true, force: true });
mkdirSync(dataDir, { recursive: true });

const mint = spawnSync(
  process.execPath,
  ['--import', 'tsx', 'api/src/cli.ts', 'invites', 'mint', '30', '--json'],
  {
    cwd: root,
    encoding: 'utf8',
  },
);
if (mint.status !== 0) throw new Error(`minting invites failed: ${mint.stderr || mint.stdout}`);
const { invites } = JSON.parse(mint.stdout);
writeFileSync(join(dataDir, 'e2e-invites.json'), JSON.stringify(invites.map((i) => i.code)));

await import('../../../scripts/start.mjs');
