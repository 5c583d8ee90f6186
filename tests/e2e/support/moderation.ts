import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { e2eDatabaseUrl, e2eEnv } from './paths';

/** Moderation helpers for browser tests: the admin CLI, a real recording, the audit log. */

const root = fileURLToPath(new URL('../../..', import.meta.url));

/** The environment of the app under test (same database and data folder, hence same secrets). */
function appEnv(): NodeJS.ProcessEnv {
  return { ...process.env, ...e2eEnv(), LOG_LEVEL: 'warn' };
}

/** `npm run salon -- staff grant <username> <role>`, as an operator would, on the e2e app's data. */
export function grantStaffRole(username: string, role: 'moderator' | 'admin'): void {
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'api/src/cli.ts', 'staff', 'grant', username, role],
    {
      cwd: root,
      env: appEnv(),
      encoding: 'utf8',
    },
  );
  if (run.status !== 0) throw new Error(`staff grant failed: ${run.stderr || run.stdout}`);
}

/**
 * The recorder's own path minus LiveKit: a tone made by sox (48 kHz mono 16-bit PCM, what
 * LiveKit's AudioStream hands the recorder) goes through `startRecording` → Opus → Ogg →
 * secretstream into DATA_DIR/recordings, with its row in the database, exactly as the recorder
 * worker (a separate process sharing the database and the data folder) writes it.
 * Run in a child process with the app's environment: the app reads the secrets from DATA_DIR.
 */
const RECORD_SCRIPT = `
const [roomId, username, seconds] = process.argv.slice(1);
const { execFileSync } = await import('node:child_process');
const { default: postgres } = await import('postgres');
const { boot } = await import('./api/src/boot.ts');
const { crypto } = await import('./api/src/crypto.ts');
const { startRecording } = await import('./api/src/recorder/pipeline.ts');
const lookup = postgres(process.env.DATABASE_URL, { max: 1, onnotice: () => {} });
const [speaker] = await lookup.unsafe('select id from users where username = $1', [username]);
const [room] = await lookup.unsafe('select started_at from rooms where id = $1', [roomId]);
await lookup.end();
if (!speaker || !room || !room.started_at) throw new Error('no such speaker or started room');
const { config, secrets, database } = await boot({ needSecrets: true, logToStderr: true });
// From the room's start until now, so the recording covers what happened in the room so far.
const startedAt = new Date(room.started_at);
const raw = execFileSync('sox', ['-n', '-r', '48000', '-c', '1', '-b', '16', '-e', 'signed-integer', '-t', 'raw', '-',
  'synth', String(seconds), 'sine', '440', 'vol', '0.3']);
const pcm = new Int16Array(raw.buffer, raw.byteOffset, raw.length / 2);
const deps = { database, config, secrets, crypto: await crypto() };
const sink = await startRecording(deps, { roomId, speakerId: speaker.id, trackSid: 'TR_e2e_' + Date.now(), startedAt });
for (let i = 0; i < pcm.length; i += 4800) await sink.write(pcm.slice(i, i + 4800));
const done = await sink.close(new Date());
process.stdout.write(JSON.stringify({ id: done.id, status: done.status, sizeBytes: done.sizeBytes }));
process.exit(0);
`;

export interface MadeRecording {
  id: string;
  status: string;
  sizeBytes: number;
}

export function recordTone(roomId: string, speakerUsername: string, seconds = 4): MadeRecording {
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', RECORD_SCRIPT, roomId, speakerUsername, String(seconds)],
    { cwd: root, env: appEnv(), encoding: 'utf8' },
  );
  if (run.status !== 0) throw new Error(`recording failed: ${run.stderr || run.stdout}`);
  return JSON.parse(run.stdout) as MadeRecording;
}

/** The audit log's `recording.played` events (pseudonymous: ids and the reason only). */
export async function playbackAudits(): Promise<{ action: string; data: Record<string, unknown> }[]> {
  const sql = postgres(e2eDatabaseUrl, { max: 1, onnotice: () => {} });
  try {
    return await sql<{ action: string; data: Record<string, unknown> }[]>`
      select action, data from audit_events where action = 'recording.played' order by id`;
  } finally {
    await sql.end();
  }
}
