import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));

/** Runs `npm run salon -- …` the way an operator does, on a throw-away embedded database. */
async function salon(dataDir: string, ...args: string[]) {
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'api/src/cli.ts', ...args], {
      cwd: root,
      env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'silent' },
    });
    return { code: 0, stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('salon admin CLI', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'salon-cli-'));

  it('applies migrations and reports where', async () => {
    const result = await salon(dataDir, 'db', 'migrate', '--json');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: true, database: 'pglite' });
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
