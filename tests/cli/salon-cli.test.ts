import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));

/** Runs `npm run salon -- …` the way an operator does, on a throw-away embedded database. */
async function salon(dataDir: string, ...args: string[]) {
  return salonWith({}, dataDir, ...args);
}

async function salonWith(env: Record<string, string>, dataDir: string, ...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'api/src/cli.ts', ...args], {
      cwd: root,
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        DATABASE_URL: '',
        PUBLIC_URL: '',
        PORT: '',
        LOG_LEVEL: 'silent',
        ...env,
      },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('salon admin CLI', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'salon-cli-'));

  it('creates an embedded database only when asked, and says which database it opened', async () => {
    const refused = await salon(dataDir, 'db', 'migrate', '--json');
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout)).toEqual({
      ok: false,
      error: expect.stringContaining(`There is no Salon database in ${join(dataDir, 'pglite')}`),
    });
    expect(JSON.parse(refused.stdout).error).toContain('--create');
    expect(existsSync(join(dataDir, 'pglite'))).toBe(false);

    const result = await salon(dataDir, 'db', 'migrate', '--create', '--json');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: true, database: 'pglite' });
    expect(result.stderr).toContain(
      `salon: created a new, empty database: PGlite in ${join(dataDir, 'pglite')}`,
    );
    const again = await salon(dataDir, 'db', 'migrate');
    expect(again.code).toBe(0);
    expect(again.stderr).toContain(`salon: database: PGlite in ${join(dataDir, 'pglite')}`);
  }, 60_000);

  it('refuses a DATA_DIR that holds no database, creating nothing there', async () => {
    const elsewhere = join(mkdtempSync(join(tmpdir(), 'salon-cli-typo-')), 'data');
    for (const args of [
      ['invites', 'mint', '1'],
      ['staff', 'list'],
    ]) {
      const result = await salon(elsewhere, ...args);
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stderr).toContain(`salon: There is no Salon database in ${join(elsewhere, 'pglite')}`);
      expect(result.stderr).toContain('run the same command with --create');
      // Not even the folder (nor generated secrets in it).
      expect(existsSync(elsewhere), args.join(' ')).toBe(false);
    }
  }, 60_000);

  it('makes links with the URL the server last started with, unless told otherwise', async () => {
    const served = mkdtempSync(join(tmpdir(), 'salon-cli-served-'));
    expect((await salon(served, 'db', 'migrate', '--create')).code).toBe(0);
    // What `npm start` records at start (api/src/env.ts recordPublicUrl), here on port 3399.
    writeFileSync(join(served, 'server.json'), JSON.stringify({ publicUrl: 'http://localhost:3399/' }));
    const link = async (env: Record<string, string>) => {
      const result = await salonWith(env, served, 'invites', 'mint', '1', '--json');
      return (JSON.parse(result.stdout) as { invites: { link: string }[] }).invites[0]?.link;
    };
    expect(await link({})).toMatch(/^http:\/\/localhost:3399\/join\/[0-9A-Z-]{11}$/);
    expect(await link({ PORT: '3000' })).toMatch(/^http:\/\/localhost:3000\/join\//);
    expect(await link({ PUBLIC_URL: 'https://salon.example' })).toMatch(/^https:\/\/salon\.example\/join\//);
  }, 60_000);

  it('mints bootstrap invites as codes and links', async () => {
    const result = await salon(dataDir, 'invites', 'mint', '3', '--json');
    expect(result.code).toBe(0);
    const { invites } = JSON.parse(result.stdout) as {
      invites: { code: string; link: string; status: string }[];
    };
    expect(invites).toHaveLength(3);
    for (const invite of invites) {
      expect(invite.status).toBe('active');
      expect(invite.link).toBe(`http://localhost:3000/join/${invite.code}`);
    }
    expect(new Set(invites.map((i) => i.code)).size).toBe(3);
  }, 60_000);

  it('applies retention as of a given time', async () => {
    const result = await salon(dataDir, 'retention', 'run', '--now', '2027-06-01T00:00:00Z', '--json');
    expect(result.code).toBe(0);
    // The three invites minted above expired at the end of December and are 30 days past expiry.
    expect(JSON.parse(result.stdout)).toEqual({
      ok: true,
      message: expect.stringContaining('invites: 3'),
      now: '2027-06-01T00:00:00.000Z',
      removed: { invites: 3 },
    });
    const bad = await salon(dataDir, 'retention', 'run', '--now', 'yesterday', '--json');
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout).error).toContain('--now takes an ISO 8601 time');
  }, 60_000);

  it('refuses bad input with a clear message and a non-zero exit', async () => {
    const bad = await salon(dataDir, 'invites', 'mint', 'lots', '--json');
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout)).toEqual({ ok: false, error: 'invites mint takes a number from 1 to 100' });
    const unknown = await salon(dataDir, 'drop', 'everything');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Usage: npm run salon');
  }, 60_000);
});
