import { basename, join } from 'node:path';
import { type Db, schema } from '@salon/db';
import { and, eq } from 'drizzle-orm';
import type { AppDeps } from '../http/app-env';
import { AppError } from '../http/errors';
import { sealedReader, sealedWriter } from '../storage/sealed-file';
import { OggOpusWriter, OPUS_RATE } from './ogg';
import { createOpusEncoder, FRAME_SAMPLES } from './opus';

const { recordings } = schema;
export type Recording = typeof recordings.$inferSelect;
export type RecorderDeps = Pick<AppDeps, 'database' | 'config' | 'secrets' | 'crypto'>;

/** How long a recording can be listened to: its key is destroyed 30 days after it started. */
export const RECORDING_LIFETIME_MS = 30 * 86_400_000;
const VENDOR = 'Salon recorder (libopus via opusscript)';

export const recordingsDir = (deps: Pick<AppDeps, 'config'>) => join(deps.config.dataDir, 'recordings');

/**
 * An erased member's voice, shredded now rather than at 30 days: each row holds the only copy of
 * its file's key, so deleting it makes the file unreadable. Returns the files, to remove once the
 * transaction has committed.
 */
export async function shredVoiceOf(tx: Db, deps: Pick<AppDeps, 'config'>, speakerId: string) {
  const voice = await tx
    .delete(recordings)
    .where(eq(recordings.speakerId, speakerId))
    .returning({ file: recordings.file });
  return voice.map((r) => join(recordingsDir(deps), basename(r.file)));
}

export const recordingErrors = {
  shredded: () =>
    new AppError(
      410,
      'recording.shredded',
      'This recording has been destroyed (its retention period ended).',
    ),
  notReady: (status: string) =>
    new AppError(409, 'recording.not_ready', `This recording cannot be played (status: ${status}).`),
  unknownKey: (kekId: string) =>
    new AppError(
      500,
      'recording.unknown_kek',
      `This recording's key is wrapped by key-encryption key "${kekId}", which this server does not hold.`,
    ),
  badKey: () =>
    new AppError(
      500,
      'recording.key_invalid',
      'The recording key cannot be unwrapped with the configured key-encryption key.',
    ),
  corrupt: (reason: string) =>
    new AppError(500, 'recording.corrupt', `The recording file failed its integrity check (${reason}).`),
};

export interface RecordingSink {
  readonly id: string;
  /** 48 kHz mono PCM, any number of samples; encoded in 20 ms frames as they fill. */
  write(pcm: Int16Array): Promise<void>;
  /** Ends the stream properly (last page, final sealed chunk) and marks the row complete. */
  close(endedAt: Date): Promise<Recording>;
  /** The recording cannot go on (disk or encoder error): stops writing and marks the row failed. */
  fail(endedAt: Date): Promise<void>;
}

/**
 * One speaker track's recording: PCM → Opus (20 ms frames) → Ogg pages → secretstream, written as
 * it comes, so plaintext audio never reaches the disk. The row exists (with its wrapped key and its
 * expiry) before the first byte of the file, so the retention sweeper always knows about a file.
 */
export async function startRecording(
  deps: RecorderDeps,
  input: { roomId: string; speakerId: string | null; trackSid: string; startedAt: Date },
): Promise<RecordingSink> {
  const { crypto, secrets } = deps;
  const db = deps.database.db;
  const id = uuidFrom(crypto.randomBytes(16));
  const file = `${id}.opus.sealed`;
  const key = crypto.newStreamKey();
  await db.insert(recordings).values({
    id,
    roomId: input.roomId,
    speakerId: input.speakerId,
    trackSid: input.trackSid,
    status: 'recording',
    startedAt: input.startedAt,
    wrappedKey: crypto.wrapKey(key, secrets.recordingKek),
    kekId: secrets.recordingKekId,
    file,
    expiresAt: new Date(input.startedAt.getTime() + RECORDING_LIFETIME_MS),
  });

  let encoder: ReturnType<typeof createOpusEncoder> | undefined;
  let out: Awaited<ReturnType<typeof sealedWriter>> | undefined;
  try {
    encoder = createOpusEncoder();
    out = await sealedWriter(join(recordingsDir(deps), file), key, crypto);
  } catch (error) {
    encoder?.close();
    await db
      .update(recordings)
      .set({ status: 'failed', endedAt: input.startedAt })
      .where(eq(recordings.id, id));
    throw error;
  }
  const opus = encoder;
  const sealed = out;
  const hash = crypto.hasher();
  const ogg = new OggOpusWriter({
    serial: new DataView(crypto.randomBytes(4).buffer).getUint32(0),
    channels: 1,
    preSkip: opus.lookahead,
    inputSampleRate: OPUS_RATE,
    vendor: VENDOR,
  });
  const frame = new Int16Array(FRAME_SAMPLES);
  let filled = 0;
  /** Real samples received (the duration), and samples encoded (with padding). */
  let received = 0;
  let encoded = 0;
  let state: 'open' | 'closed' | 'failed' = 'open';
  // Calls are serialised: a write never overtakes the one before, close waits for them all.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const next = queue.then(task);
    queue = next.catch(() => {});
    return next;
  };

  const emit = async (pages: Uint8Array[]) => {
    for (const page of pages) {
      hash.update(page);
      await sealed.write(page);
    }
  };
  const encodeFrame = async () => {
    const packet = opus.encode(frame);
    encoded += FRAME_SAMPLES;
    filled = 0;
    await emit(ogg.packet(packet, FRAME_SAMPLES));
  };
  const ensureOpen = () => {
    if (state !== 'open') throw new Error(`recording ${id} is ${state}`);
  };

  const markFailed = (endedAt: Date) =>
    db
      .update(recordings)
      .set({ status: 'failed', endedAt })
      .where(and(eq(recordings.id, id), eq(recordings.status, 'recording')));

  try {
    await emit(ogg.headers());
  } catch (error) {
    opus.close();
    await sealed.close().catch(() => {});
    await markFailed(input.startedAt);
    throw error;
  }

  return {
    id,
    write: (pcm) =>
      serial(async () => {
        ensureOpen();
        received += pcm.length;
        let offset = 0;
        while (offset < pcm.length) {
          const take = Math.min(FRAME_SAMPLES - filled, pcm.length - offset);
          frame.set(pcm.subarray(offset, offset + take), filled);
          filled += take;
          offset += take;
          if (filled === FRAME_SAMPLES) await encodeFrame();
        }
      }),
    close: (endedAt) =>
      serial(async () => {
        ensureOpen();
        state = 'closed';
        try {
          // Silence after the last sample flushes the encoder's lookahead; the last page's granule
          // position then trims it, so players play exactly the samples received.
          while (filled > 0 || encoded < received + opus.lookahead) {
            frame.fill(0, filled);
            await encodeFrame();
          }
          await emit([ogg.end(received)]);
          opus.close();
          const size = await sealed.close();
          const [row] = await db
            .update(recordings)
            .set({ status: 'complete', endedAt, sizeBytes: size, contentHash: hash.digest() })
            .where(and(eq(recordings.id, id), eq(recordings.status, 'recording')))
            .returning();
          // Shredded (or deleted with its room) while it was being written: the next retention
          // run removes the file, which no key opens any more.
          if (!row) throw new Error(`recording ${id} was shredded or deleted while it was written`);
          return row;
        } catch (error) {
          state = 'failed';
          opus.close();
          await markFailed(endedAt);
          throw error;
        }
      }),
    fail: (endedAt) =>
      serial(async () => {
        if (state !== 'open') return;
        state = 'failed';
        opus.close();
        // Seals what is buffered so the file handle is released; the row says the stream is
        // incomplete, and playback refuses it. Its key and file go at expiry like any other.
        await sealed.close().catch(() => {});
        await markFailed(endedAt);
      }),
  };
}

/**
 * The plaintext Ogg Opus stream of a complete recording, decrypted as it is read (for the
 * moderation console). Throws a clear AppError before the first byte if the recording was
 * shredded, is not complete, or its key cannot be unwrapped; while reading, a tampered, truncated
 * or reordered file fails authentication, and the content hash is checked at the end.
 */
export function openRecording(deps: RecorderDeps, row: Recording): AsyncIterable<Uint8Array> {
  if (row.status === 'shredded' || row.wrappedKey === null) throw recordingErrors.shredded();
  if (row.status !== 'complete') throw recordingErrors.notReady(row.status);
  if (row.kekId !== deps.secrets.recordingKekId) throw recordingErrors.unknownKey(row.kekId);
  let key: Uint8Array;
  try {
    key = deps.crypto.unwrapKey(row.wrappedKey, deps.secrets.recordingKek);
  } catch {
    throw recordingErrors.badKey();
  }
  const path = join(recordingsDir(deps), row.file);
  const { crypto } = deps;
  return {
    async *[Symbol.asyncIterator]() {
      const hash = crypto.hasher();
      try {
        for await (const chunk of sealedReader(path, key, crypto)) {
          hash.update(chunk);
          yield chunk;
        }
      } catch (error) {
        throw recordingErrors.corrupt((error as Error).message);
      }
      if (!row.contentHash || !crypto.equal(hash.digest(), row.contentHash))
        throw recordingErrors.corrupt('content hash mismatch');
    },
  };
}

/** An RFC 9562 version 4 UUID from 16 random bytes. */
function uuidFrom(bytes: Uint8Array) {
  const b = Uint8Array.from(bytes);
  b[6] = ((b[6] as number) & 0x0f) | 0x40;
  b[8] = ((b[8] as number) & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
