import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { schema } from '@salon/db';
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../http/errors';
import { createTestApp, testSecrets } from '../testing';
import { memberFactory } from '../testing/client';
import {
  openRecording,
  RECORDING_LIFETIME_MS,
  type Recording,
  recordingsDir,
  startRecording,
} from './pipeline';
import { run, speechPcm, tonePcm } from './test-audio';

const SECONDS = 10;
let speech: Int16Array;
let t: Awaited<ReturnType<typeof createTestApp>>;
let dataDir: string;
let roomId: string;
let speakerId: string;
const scratch = mkdtempSync(join(tmpdir(), 'salon-recorder-test-'));

beforeAll(() => {
  speech = speechPcm(SECONDS);
  expect(speech.length).toBe(SECONDS * 48_000);
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'salon-recorder-data-'));
  t = await createTestApp({ DATA_DIR: dataDir });
  const member = memberFactory(t);
  const host = await member('alice');
  speakerId = host.id;
  const { body } = await host.post('/v1/rooms', { topic: 'Vélo en ville', mode: 'open' });
  roomId = body.id;
});
afterEach(async () => {
  await t.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Pushes PCM through a recording in 10 ms frames, as LiveKit's AudioStream delivers it. */
async function record(pcm: Int16Array, deps = t) {
  const startedAt = deps.clock.now();
  const sink = await startRecording(deps, { roomId, speakerId, trackSid: 'TR_AMtest', startedAt });
  for (let at = 0; at < pcm.length; at += 480) await sink.write(pcm.subarray(at, at + 480));
  return sink.close(new Date(startedAt.getTime() + (pcm.length / 48_000) * 1000));
}

async function plaintext(row: Recording, deps = t) {
  const parts: Uint8Array[] = [];
  for await (const part of openRecording(deps, row)) parts.push(part);
  return Buffer.concat(parts);
}

const codeOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    return error instanceof AppError ? error.code : `not an AppError: ${(error as Error).message}`;
  }
  return 'no error';
};

/** Pearson correlation of two equally long signals, shifted by `lag` samples. */
function correlation(a: Int16Array, b: Int16Array, lag: number, from: number, length: number) {
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = from; i < from + length; i++) {
    const x = a[i] as number;
    const y = b[i + lag] as number;
    sab += x * y;
    saa += x * x;
    sbb += y * y;
  }
  return sab / Math.sqrt(saa * sbb);
}

describe('recording pipeline: PCM → Opus → Ogg → secretstream', { timeout: 60_000 }, () => {
  it('records 10 s of speech into a sealed file that decrypts to a valid Ogg Opus stream of the same length', async () => {
    const row = await record(speech);
    const files = readdirSync(recordingsDir(t));
    expect(files).toEqual([`${row.id}.opus.sealed`]);
    expect(row).toMatchObject({
      roomId,
      speakerId,
      trackSid: 'TR_AMtest',
      status: 'complete',
      kekId: 'test',
      file: `${row.id}.opus.sealed`,
      shreddedAt: null,
    });
    expect(row.expiresAt.getTime() - row.startedAt.getTime()).toBe(RECORDING_LIFETIME_MS);
    expect(row.endedAt?.getTime()).toBe(row.startedAt.getTime() + SECONDS * 1000);
    const sealed = readFileSync(join(recordingsDir(t), row.file));
    expect(row.sizeBytes).toBe(sealed.length);
    // Plaintext never reached the disk: no Ogg capture pattern, no Opus header in the file.
    expect(sealed.includes('OggS')).toBe(false);
    expect(sealed.includes('OpusHead')).toBe(false);
    expect(statSync(join(recordingsDir(t), row.file)).mode & 0o777).toBe(0o600);

    const ogg = await plaintext(row);
    expect(ogg.subarray(0, 4).toString()).toBe('OggS');
    const hash = t.crypto.hasher();
    hash.update(ogg);
    expect(hash.digest()).toBe(row.contentHash);
    // ~24 kbit/s: 10 s is about 30 kB of Opus, far below the 960 kB of PCM.
    expect(ogg.length).toBeGreaterThan(15_000);
    expect(ogg.length).toBeLessThan(60_000);

    const file = join(scratch, `${row.id}.opus`); // plaintext only in the test's own temp folder
    writeFileSync(file, ogg);
    const info = run('opusinfo', [file]);
    expect(info.code, info.stdout + info.stderr).toBe(0);
    expect(info.stdout + info.stderr).not.toMatch(/WARNING|ERROR/i);
    expect(info.stdout).toMatch(/Channels: 1/);
    expect(info.stdout).toMatch(/Pre-skip: 312/);
    const played = info.stdout.match(/Playback length: (\d+)m:([\d.]+)s/);
    expect(Math.abs(Number(played?.[1]) * 60 + Number(played?.[2]) - SECONDS) / SECONDS).toBeLessThan(0.01);

    const probe = run('ffprobe', [
      '-v',
      'error',
      '-show_entries',
      'stream=codec_name,sample_rate,channels:format=format_name,duration',
      '-of',
      'json',
      file,
    ]);
    expect(probe.code, probe.stderr).toBe(0);
    const probed = JSON.parse(probe.stdout);
    expect(probed.format.format_name).toBe('ogg');
    expect(probed.streams).toEqual([{ codec_name: 'opus', sample_rate: '48000', channels: 1 }]);
    expect(Math.abs(Number(probed.format.duration) - SECONDS) / SECONDS).toBeLessThan(0.01);

    // Decoded, it is the speech that went in: exactly as many samples, aligned (pre-skip right),
    // and the same waveform.
    const decoded = execFileSync(
      'ffmpeg',
      ['-v', 'error', '-i', file, '-f', 's16le', '-ac', '1', '-ar', '48000', '-'],
      {
        maxBuffer: 1 << 24,
      },
    );
    const out = new Int16Array(decoded.buffer, decoded.byteOffset, decoded.length / 2);
    expect(out.length).toBe(speech.length);
    const window = { from: 48_000, length: 4 * 48_000 };
    let best = { lag: 0, r: -1 };
    for (let lag = -400; lag <= 400; lag += 1) {
      const r = correlation(speech, out, lag, window.from, window.length);
      if (r > best.r) best = { lag, r };
    }
    // A pre-skip off by the lookahead would show as a 312-sample lag; the codec's own phase
    // response accounts for a sample or two.
    expect(Math.abs(best.lag)).toBeLessThanOrEqual(4);
    expect(best.r).toBeGreaterThan(0.85);
  });

  it('detects a flipped byte, a dropped chunk, a wrong key-encryption key and an unknown key id', async () => {
    // 40 s of speech (then tone): the sealed file then has more than one 64 KiB chunk.
    const row = await record(speechPcm(40));
    const path = join(recordingsDir(t), row.file);
    const original = readFileSync(path);
    expect(original.length).toBeGreaterThan(24 + 4 + 65_536 + 17 + 1000); // two chunks at least
    expect((await plaintext(row)).length).toBeGreaterThan(65_536);

    const flipped = Buffer.from(original);
    flipped[70_000] = (flipped[70_000] ?? 0) ^ 0x01;
    writeFileSync(path, flipped);
    expect(await codeOf(plaintext(row))).toBe('recording.corrupt');

    // Header (24 bytes), then chunks of 4 + 65,536 + 17 bytes: drop the first one.
    const chunk = 4 + 65_536 + 17;
    writeFileSync(path, Buffer.concat([original.subarray(0, 24), original.subarray(24 + chunk)]));
    expect(await codeOf(plaintext(row))).toBe('recording.corrupt');
    writeFileSync(path, original.subarray(0, 24 + chunk)); // truncated at a chunk boundary
    expect(await codeOf(plaintext(row))).toBe('recording.corrupt');
    writeFileSync(path, original);

    const otherKek = { ...t, secrets: { ...(await testSecrets()), recordingKekId: 'test' } };
    expect(await codeOf(plaintext(row, otherKek))).toBe('recording.key_invalid');
    const rotated = { ...t, secrets: { ...t.secrets, recordingKekId: 'k2' } };
    expect(await codeOf(plaintext(row, rotated))).toBe('recording.unknown_kek');
    // Another recording's key (wrapped by the right KEK) does not open this file either.
    const other = await record(tonePcm(1));
    expect(await codeOf(plaintext({ ...row, wrappedKey: other.wrappedKey }))).toBe('recording.corrupt');
    // The content hash is checked too.
    expect(await codeOf(plaintext({ ...row, contentHash: other.contentHash }))).toBe('recording.corrupt');
    // Untouched, it still opens.
    expect((await plaintext(row)).subarray(0, 4).toString()).toBe('OggS');
  });

  it('refuses a shredded, failed or unfinished recording before reading anything', async () => {
    const sink = await startRecording(t, { roomId, speakerId, trackSid: 'TR_x', startedAt: t.clock.now() });
    await sink.write(tonePcm(0.5));
    const [live] = await t.database.db
      .select()
      .from(schema.recordings)
      .where(eq(schema.recordings.id, sink.id));
    expect(live?.status).toBe('recording');
    expect(await codeOf(plaintext(live as Recording))).toBe('recording.not_ready');
    await sink.fail(t.clock.now());
    await expect(sink.write(tonePcm(0.1))).rejects.toThrow(/failed/);
    const [failed] = await t.database.db
      .select()
      .from(schema.recordings)
      .where(eq(schema.recordings.id, sink.id));
    expect(failed?.status).toBe('failed');
    expect(await codeOf(plaintext(failed as Recording))).toBe('recording.not_ready');

    const row = await record(tonePcm(1));
    expect(await codeOf(plaintext({ ...row, status: 'shredded', wrappedKey: null }))).toBe(
      'recording.shredded',
    );
  });

  it('buffers writes of any length into 20 ms frames and keeps partial frames, so nothing is lost', async () => {
    const pcm = tonePcm(3.337, 300);
    const startedAt = t.clock.now();
    const sink = await startRecording(t, { roomId, speakerId: null, trackSid: 'TR_y', startedAt });
    const sizes = [1, 7, 479, 960, 961, 2000, 13];
    for (let at = 0, i = 0; at < pcm.length; i++) {
      const n = sizes[i % sizes.length] as number;
      await sink.write(pcm.subarray(at, at + n));
      at += n;
    }
    const row = await sink.close(t.clock.now());
    expect(row.speakerId).toBeNull();
    const file = join(scratch, 'odd.opus');
    writeFileSync(file, await plaintext(row));
    const decoded = execFileSync('ffmpeg', [
      '-v',
      'error',
      '-i',
      file,
      '-f',
      's16le',
      '-ac',
      '1',
      '-ar',
      '48000',
      '-',
    ]);
    expect(decoded.length / 2).toBe(pcm.length);
    await expect(sink.close(t.clock.now())).rejects.toThrow(/closed/);
  });
});
