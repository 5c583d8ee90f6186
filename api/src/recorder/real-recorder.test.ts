import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dispose } from '@livekit/rtc-node';
import { schema } from '@salon/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, testSecrets } from '../testing';
import { memberFactory } from '../testing/client';
import { describeWithLiveKit, lateBoundServer, startRealLiveKit } from '../testing/real-livekit';
import { eventually, joinRtc, type RtcParticipant, rms } from '../testing/rtc-participant';
import { openRecording } from './pipeline';
import { run, speechPcm } from './test-audio';

/**
 * `npm run recorder` against the real livekit-server: a speaker's real speech (espeak-ng) goes
 * through LiveKit into a sealed file whose decrypted Ogg Opus decodes to audio of the same length
 * and the same energy envelope; clients see `room.isRecording` only while the recorder is in.
 * The recorder is its own process on the same PostgreSQL database, as in a deployment.
 */
const root = fileURLToPath(new URL('../../..', import.meta.url));
const SECONDS = 6;
const WINDOW = 4800; // 100 ms

let t: Awaited<ReturnType<typeof createTestApp>>;
let lk: Awaited<ReturnType<typeof startRealLiveKit>>;
let http: Awaited<ReturnType<typeof lateBoundServer>>;
let recorder: ChildProcess | undefined;
let host: RtcParticipant | undefined;
const dataDir = mkdtempSync(join(tmpdir(), 'salon-recorder-real-'));

describeWithLiveKit('the recorder on the real LiveKit server', () => {
  beforeAll(async () => {
    const secrets = await testSecrets();
    http = await lateBoundServer();
    lk = await startRealLiveKit(secrets, { webhookUrl: `${http.url}/v1/livekit/webhook` });
    t = await createTestApp({ LIVEKIT_URL: lk.url, DATA_DIR: dataDir }, { secrets });
    http.serve(t.app);
  }, 60_000);

  afterAll(async () => {
    if (recorder?.pid && recorder.exitCode === null) process.kill(-recorder.pid, 'SIGKILL');
    await host?.leave().catch(() => {});
    await dispose();
    await lk?.stop();
    await http?.close();
    await t?.close();
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('records real speech into a sealed Ogg Opus file with the same length and energy envelope', async (context) => {
    if (!t.database.url) {
      // The recorder is a second process: PGlite opens in one process only.
      context.skip('the recorder needs the PostgreSQL server (TEST_DATABASE_URL or 127.0.0.1:5432)');
      return;
    }
    const member = memberFactory(t);
    const alice = await member('alice');
    const created = await alice.post('/v1/rooms', { topic: 'Le vélo en ville', mode: 'open' });
    expect(created.status).toBe(201);
    const roomId = created.body.id as string;
    const joined = await alice.post(`/v1/rooms/${roomId}/join`);
    host = await joinRtc(joined.body.livekitUrl, joined.body.token);
    // No recorder yet: nobody may be told the room is being recorded.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(host.room.isRecording).toBe(false);

    recorder = spawn('npm', ['run', 'recorder'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
      env: { ...process.env, ...recorderEnv(t, lk.url, dataDir), LOG_LEVEL: 'warn' },
    });
    let output = '';
    recorder.stdout?.on('data', (chunk) => {
      output += chunk;
    });
    recorder.stderr?.on('data', (chunk) => {
      output += chunk;
    });
    await eventually(
      'clients see the recorder (room.isRecording)',
      () => host?.room.isRecording === true,
      30_000,
    ).catch((error) => {
      throw new Error(`${(error as Error).message}\nrecorder output:\n${output}`);
    });

    const speech = speechPcm(SECONDS);
    const publishedAt = Date.now();
    await host.publish(speech);
    await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000));
    await host.unpublish();
    const unpublishedAt = Date.now();

    const recordings = schema.recordings;
    await eventually(
      'the recording is closed',
      async () => {
        const [row] = await t.database.db.select().from(recordings).where(eq(recordings.roomId, roomId));
        return row?.status === 'complete';
      },
      20_000,
    );
    const [row] = await t.database.db.select().from(recordings).where(eq(recordings.roomId, roomId));
    if (!row?.endedAt) throw new Error('no closed recording');
    expect(row.speakerId).toBe(alice.id);
    const recordedMs = row.endedAt.getTime() - row.startedAt.getTime();
    expect(Math.abs(recordedMs - (unpublishedAt - publishedAt))).toBeLessThan(1000);

    // Decrypt as a moderator's playback does, and decode with a real decoder.
    const parts: Uint8Array[] = [];
    for await (const part of openRecording(t, row)) parts.push(part);
    const ogg = join(dataDir, 'decrypted.opus');
    writeFileSync(ogg, Buffer.concat(parts));
    expect(run('opusinfo', [ogg]).code).toBe(0);
    const probed = Number(
      run('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', ogg]).stdout,
    );
    expect(Math.abs(probed * 1000 - recordedMs) / recordedMs).toBeLessThan(0.02);
    const raw = join(dataDir, 'decoded.raw');
    expect(
      run('ffmpeg', ['-v', 'error', '-y', '-i', ogg, '-f', 's16le', '-ac', '1', '-ar', '48000', raw]).code,
    ).toBe(0);
    const bytes = readFileSync(raw);
    const decoded = new Int16Array(bytes.buffer, bytes.byteOffset, bytes.length / 2);

    // The energy envelope (RMS per 100 ms) of what was spoken is found in the recording. The
    // recording starts when the recorder subscribes: align the two within ±2 s, in 10 ms steps.
    const spoken = envelope(speech);
    let best = { lagMs: 0, r: -1 };
    for (let lag = -200; lag <= 200; lag++) {
      const offset = lag * 480;
      const heard = envelope(offset >= 0 ? decoded.subarray(offset) : decoded);
      const said = offset >= 0 ? spoken : envelope(speech.subarray(-offset));
      const r = pearson(said, heard);
      if (r > best.r) best = { lagMs: lag * 10, r };
    }
    console.info(
      `recording: ${recordedMs} ms for ${unpublishedAt - publishedAt} ms spoken, ffprobe ${probed.toFixed(2)} s, ` +
        `envelope correlation ${best.r.toFixed(3)} at ${best.lagMs} ms`,
    );
    expect(best.r).toBeGreaterThan(0.8);

    // As a supervisor stops it: SIGTERM to the process group (npm does not forward signals).
    process.kill(-(recorder.pid ?? 0), 'SIGTERM');
    await eventually(
      'the recorder leaves: isRecording goes false',
      () => host?.room.isRecording === false,
      30_000,
    );
  });
});

function envelope(pcm: Int16Array): number[] {
  const out: number[] = [];
  for (let at = 0; at + WINDOW <= pcm.length; at += WINDOW) out.push(rms(pcm.subarray(at, at + WINDOW)));
  return out;
}

function pearson(a: number[], b: number[]): number {
  const n = Math.min(a.length, b.length);
  const mean = (x: number[]) => x.slice(0, n).reduce((s, v) => s + v, 0) / n;
  const [ma, mb] = [mean(a), mean(b)];
  let [sab, saa, sbb] = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    const x = (a[i] as number) - ma;
    const y = (b[i] as number) - mb;
    sab += x * y;
    saa += x * x;
    sbb += y * y;
  }
  return sab / Math.sqrt(saa * sbb);
}

/** The recorder's environment: the same database, data folder, LiveKit and secrets as the app. */
function recorderEnv(app: typeof t, livekitUrl: string, dir: string): Record<string, string> {
  const b64 = (bytes: Uint8Array) => app.crypto.toBase64(bytes);
  return {
    NODE_ENV: 'test',
    DATABASE_URL: app.database.url ?? '',
    DATA_DIR: dir,
    LIVEKIT_URL: livekitUrl,
    PHONE_HASH_KEY: b64(app.secrets.phoneHashKey),
    RECORDING_KEK: b64(app.secrets.recordingKek),
    RECORDING_KEK_ID: app.secrets.recordingKekId,
    AUDIT_SIGNING_KEY: b64(app.secrets.auditSigningSeed),
    LIVEKIT_API_KEY: app.secrets.livekitApiKey,
    LIVEKIT_API_SECRET: app.secrets.livekitApiSecret,
  };
}
