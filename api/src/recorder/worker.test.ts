import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { schema } from '@salon/db';
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp } from '../testing';
import { memberFactory } from '../testing/client';
import { openRecording, type Recording } from './pipeline';
import { disposeRtc, rtcConnector } from './rtc';
import { tonePcm } from './test-audio';
import { type AudioFeed, createRecorderWorker, type LiveConnector } from './worker';

/**
 * An async iterable fed by hand: what a LiveKit audio track looks like to the worker. The worker
 * asks for a frame only once it has written the one before, so `drained()` — resolved when it asks
 * and nothing is left — means every frame pushed so far is in the recording.
 */
function channel() {
  const queue: Int16Array[] = [];
  let ended = false;
  let wake: (() => void) | undefined;
  let idle: (() => void) | undefined;
  const iterable: AsyncIterable<Int16Array> = {
    [Symbol.asyncIterator]: () => ({
      async next() {
        for (;;) {
          const value = queue.shift();
          if (value) return { value, done: false };
          if (ended) return { value: undefined, done: true };
          idle?.();
          idle = undefined;
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
        }
      },
      async return() {
        ended = true;
        return { value: undefined, done: true };
      },
    }),
  };
  const poke = () => {
    wake?.();
    wake = undefined;
  };
  return {
    iterable,
    push(pcm: Int16Array) {
      for (let at = 0; at < pcm.length; at += 480) queue.push(pcm.slice(at, at + 480));
      poke();
    },
    end() {
      ended = true;
      poke();
    },
    /** Resolves once the worker has taken every frame pushed so far and waits for the next. */
    drained() {
      return new Promise<void>((resolve) => {
        idle = resolve;
      });
    },
    get ended() {
      return ended;
    },
  };
}

/** LiveKit in memory: rooms the worker joined, tracks published into them, failures on demand. */
function memoryLiveKit() {
  const joined = new Map<
    string,
    { token: string; onTrack: (feed: AudioFeed) => void; drop: (reason: string) => void; left: boolean }
  >();
  const attempts: string[] = [];
  let unreachable = false;
  const connector: LiveConnector = {
    async join(roomId, token, onTrack) {
      attempts.push(roomId);
      if (unreachable) throw new Error('connect ECONNREFUSED');
      let settle: (reason: string) => void = () => {};
      const closed = new Promise<string>((resolve) => {
        settle = resolve;
      });
      const drop = (reason: string) => {
        joined.delete(roomId);
        settle(reason);
      };
      const entry = { token, onTrack, drop, left: false };
      joined.set(roomId, entry);
      return {
        closed,
        async leave() {
          entry.left = true;
          drop('left');
        },
      };
    },
  };
  return {
    connector,
    joined,
    attempts,
    set unreachable(value: boolean) {
      unreachable = value;
    },
    publish(roomId: string, sid: string, participantId: string) {
      const room = joined.get(roomId);
      if (!room) throw new Error(`recorder is not in ${roomId}`);
      const feed = channel();
      room.onTrack({ sid, participantId, frames: feed.iterable });
      return feed;
    },
  };
}

let t: Awaited<ReturnType<typeof createTestApp>>;
let dataDir: string;
let live: ReturnType<typeof memoryLiveKit>;
let worker: ReturnType<typeof createRecorderWorker>;
let alice: Awaited<ReturnType<ReturnType<typeof memberFactory>>>;
let bob: Awaited<ReturnType<ReturnType<typeof memberFactory>>>;
let roomId: string;

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'salon-recorder-worker-'));
  t = await createTestApp({ DATA_DIR: dataDir, LIVEKIT_URL: 'ws://127.0.0.1:9' });
  const member = memberFactory(t);
  alice = await member('alice');
  bob = await member('bob');
  const { body } = await alice.post('/v1/rooms', { topic: 'Vélo en ville', mode: 'open' });
  roomId = body.id;
  live = memoryLiveKit();
  worker = createRecorderWorker(t, live.connector, {
    pollMs: 3_600_000,
    backoff: { initialMs: 1000, maxMs: 8000 },
  });
});
afterEach(async () => {
  await worker.stop();
  await t.close();
  rmSync(dataDir, { recursive: true, force: true });
});
afterAll(async () => {
  await disposeRtc();
});

const recordings = () => t.database.db.select().from(schema.recordings).orderBy(schema.recordings.trackSid);

/** Waits for asynchronous work the worker started (closing files, updating rows). */
async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function decodedSamples(row: Recording) {
  const parts: Uint8Array[] = [];
  for await (const part of openRecording(t, row)) parts.push(part);
  const file = join(dataDir, `${row.id}.test.opus`);
  writeFileSync(file, Buffer.concat(parts));
  const pcm = execFileSync('ffmpeg', [
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
  rmSync(file);
  return pcm.length / 2;
}

function grantsOf(token: string) {
  const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString());
  return { identity: payload.sub as string, video: payload.video as Record<string, unknown> };
}

describe('recorder worker (orchestration, with an in-memory LiveKit)', { timeout: 30_000 }, () => {
  it('joins live rooms with recording on as a hidden recorder, and only those', async () => {
    const { body: quiet } = await bob.post('/v1/rooms', { topic: 'Sans enregistrement', mode: 'open' });
    await t.database.db.update(schema.rooms).set({ recording: false }).where(eq(schema.rooms.id, quiet.id));
    await worker.reconcile();
    await until(
      async () => [...live.joined.keys()],
      (keys) => keys.length === 1,
    );
    expect([...live.joined.keys()]).toEqual([roomId]);
    const grants = grantsOf(live.joined.get(roomId)?.token ?? '');
    expect(grants.identity).toBe('recorder');
    expect(grants.video).toMatchObject({
      room: roomId,
      roomJoin: true,
      hidden: true,
      recorder: true,
      canPublish: false,
    });
    await worker.reconcile();
    expect(live.attempts).toEqual([roomId]); // not joined twice
  });

  it('records one file per speaker track, closing each when its track ends', async () => {
    await worker.reconcile();
    await until(async () => live.joined.has(roomId), Boolean);
    const a = live.publish(roomId, 'TR_alice', alice.id);
    const b = live.publish(roomId, 'TR_bob', bob.id);
    a.push(tonePcm(2, 300));
    b.push(tonePcm(1, 500));
    b.end(); // Bob leaves the stage: his recording is closed, Alice's goes on
    const [, bobsRow] = await until(recordings, (rows) => rows.some((r) => r.status === 'complete'));
    expect(bobsRow).toMatchObject({ trackSid: 'TR_bob', speakerId: bob.id, roomId, status: 'complete' });
    expect(await decodedSamples(bobsRow as Recording)).toBe(48_000);
    a.push(tonePcm(1, 300));
    a.end();
    const rows = await until(recordings, (r) => r.every((row) => row.status === 'complete'));
    expect(rows.map((r) => [r.trackSid, r.speakerId])).toEqual([
      ['TR_alice', alice.id],
      ['TR_bob', bob.id],
    ]);
    expect(await decodedSamples(rows[0] as Recording)).toBe(3 * 48_000);
    expect(worker.status()).toEqual([{ roomId, tracks: [], leaving: false }]);
  });

  it('leaves a room that ended and closes its open recordings', async () => {
    await worker.reconcile();
    await until(async () => live.joined.has(roomId), Boolean);
    const feed = live.publish(roomId, 'TR_alice', alice.id);
    feed.push(tonePcm(1.5));
    await until(recordings, (rows) => rows.length === 1);
    expect((await alice.post(`/v1/rooms/${roomId}/end`)).status).toBeLessThan(300);
    await worker.reconcile();
    const [row] = await until(recordings, (rows) => rows[0]?.status === 'complete');
    expect(live.joined.size).toBe(0);
    expect(feed.ended).toBe(true);
    expect(await decodedSamples(row as Recording)).toBe(72_000);
    expect(worker.status()).toEqual([]);
  });

  it('keeps the recording on the wall clock: a gap in the audio becomes silence', async () => {
    await worker.reconcile();
    await until(async () => live.joined.has(roomId), Boolean);
    const feed = live.publish(roomId, 'TR_alice', alice.id);
    await until(recordings, (rows) => rows.length === 1);
    const written = feed.drained();
    feed.push(tonePcm(1));
    await written;
    t.clock.advance(5_000); // muted for four seconds
    feed.push(tonePcm(1));
    feed.end();
    const [row] = await until(recordings, (rows) => rows[0]?.status === 'complete');
    // The frame that arrived at +5 s ends at +5 s; the rest of that second follows it.
    expect(await decodedSamples(row as Recording)).toBe(5 * 48_000 + 48_000 - 480);
  });

  it('rejoins with back-off when LiveKit is unreachable or drops the connection', async () => {
    live.unreachable = true;
    await worker.reconcile();
    await until(
      async () => live.attempts.length,
      (n) => n === 1,
    );
    await until(
      async () => worker.status(),
      (s) => s.length === 0,
    );
    await worker.reconcile();
    expect(live.attempts.length).toBe(1); // still backing off (1 s)
    t.clock.advance(1_001);
    await worker.reconcile();
    await until(
      async () => live.attempts.length,
      (n) => n === 2,
    );
    await until(
      async () => worker.status(),
      (s) => s.length === 0,
    );
    t.clock.advance(1_001);
    await worker.reconcile();
    expect(live.attempts.length).toBe(2); // the second failure doubled the wait (2 s)
    t.clock.advance(1_000);
    live.unreachable = false;
    await worker.reconcile();
    await until(async () => live.joined.has(roomId), Boolean);

    const feed = live.publish(roomId, 'TR_alice', alice.id);
    feed.push(tonePcm(1));
    await until(recordings, (rows) => rows.length === 1);
    live.joined.get(roomId)?.drop('disconnected (SERVER_SHUTDOWN)');
    const [row] = await until(recordings, (rows) => rows[0]?.status === 'complete');
    expect(await decodedSamples(row as Recording)).toBe(48_000);
    await until(
      async () => worker.status(),
      (s) => s.length === 0,
    );
    t.clock.advance(10_000);
    await worker.reconcile();
    await until(async () => live.joined.has(roomId), Boolean);
    expect(live.attempts).toHaveLength(4);
  });

  it('on stop, closes every open recording properly and leaves every room', async () => {
    await worker.reconcile();
    await until(async () => live.joined.has(roomId), Boolean);
    const a = live.publish(roomId, 'TR_alice', alice.id);
    const b = live.publish(roomId, 'TR_bob', 'not-a-member');
    const written = Promise.all([a.drained(), b.drained()]);
    a.push(tonePcm(1));
    b.push(tonePcm(0.5));
    await until(recordings, (rows) => rows.length === 2);
    await written;
    await worker.stop();
    const rows = await recordings();
    expect(rows.map((r) => r.status)).toEqual(['complete', 'complete']);
    expect(rows[1]?.speakerId).toBeNull(); // an identity that is not a member's id is kept out
    expect(live.joined.size).toBe(0);
    expect(await decodedSamples(rows[0] as Recording)).toBe(48_000);
    await worker.reconcile();
    expect(live.joined.size).toBe(0); // stopped means stopped
  });

  it('marks recordings a previous run left open as failed when it starts', async () => {
    await worker.reconcile();
    await until(async () => live.joined.has(roomId), Boolean);
    live.publish(roomId, 'TR_alice', alice.id).push(tonePcm(0.2));
    await until(recordings, (rows) => rows.length === 1);
    // A second worker starting now (the first one "crashed" without closing anything).
    const next = createRecorderWorker(t, memoryLiveKit().connector, { pollMs: 3_600_000 });
    await next.start();
    await next.stop();
    expect((await recordings())[0]?.status).toBe('failed');
  });
});

describe('rtc-node binding', { timeout: 30_000 }, () => {
  it('loads the native SDK, and a LiveKit that cannot be reached is a failed join the worker backs off from', async () => {
    const real = createRecorderWorker(t, rtcConnector('ws://127.0.0.1:9'), {
      pollMs: 3_600_000,
      backoff: { initialMs: 60_000, maxMs: 60_000 },
    });
    await real.reconcile();
    await until(
      async () => t.log.text(),
      (text) => text.includes('could not join the room'),
      20_000,
    );
    expect(real.status()).toEqual([]);
    await real.stop();
  });
});
