import { schema } from '@salon/db';
import { and, eq } from 'drizzle-orm';
import type { AppDeps } from '../http/app-env';
import { ROOM_CHANNEL } from '../modules/rooms/rooms.service';
import { type RecordingSink, startRecording } from './pipeline';

/**
 * The recorder's orchestration, independent of LiveKit's SDK: which rooms to be in, one recording
 * per speaker track, closing recordings when tracks, participants or rooms go. The connection
 * itself is a `LiveConnector` (rtc.ts for LiveKit; tests use an in-memory one).
 */

/** One remote audio track: 48 kHz mono PCM until the track goes away. */
export interface AudioFeed {
  /** LiveKit's track sid. */
  sid: string;
  /** The participant identity: a Salon user id for every member (tokens are minted that way). */
  participantId: string;
  /** Ends when the track is unpublished or unsubscribed, its participant leaves, or the link closes. */
  frames: AsyncIterable<Int16Array>;
}

export interface RoomLink {
  /** Leaves the room: every feed of it ends. */
  leave(): Promise<void>;
  /** Settles with a reason when the link ends, whoever ended it. */
  readonly closed: Promise<string>;
}

export interface LiveConnector {
  /** Joins `roomId` as a hidden recorder; `onTrack` is called for every subscribed audio track. */
  join(roomId: string, token: string, onTrack: (feed: AudioFeed) => void): Promise<RoomLink>;
}

export type WorkerDeps = Pick<
  AppDeps,
  'database' | 'config' | 'secrets' | 'crypto' | 'logger' | 'clock' | 'livekit'
>;

export interface WorkerOptions {
  /** How often the rooms to record are re-read, besides every room change notified. */
  pollMs?: number;
  /** Back-off between attempts to join a room LiveKit refused or dropped. */
  backoff?: { initialMs: number; maxMs: number };
}

const RATE = 48_000;
/** Frames arriving this much later than the wall clock says are a gap (mute, network): filled with silence. */
const GAP_MS = 500;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SILENCE = new Int16Array(RATE);
const ABORTED = Symbol('aborted');

interface TrackTask {
  stop(): void;
  done: Promise<void>;
}

interface RoomState {
  link: RoomLink | undefined;
  tracks: Map<string, TrackTask>;
  leaving: boolean;
  joinedAt: number;
}

export function createRecorderWorker(
  deps: WorkerDeps,
  connector: LiveConnector,
  options: WorkerOptions = {},
) {
  const { logger, clock } = deps;
  const pollMs = options.pollMs ?? 10_000;
  const backoff = options.backoff ?? { initialMs: 1_000, maxMs: 60_000 };
  const rooms = new Map<string, RoomState>();
  const failures = new Map<string, { count: number; retryAt: number }>();
  const pending = new Set<Promise<unknown>>();
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;
  let unlisten: (() => Promise<void>) | undefined;
  let reconciling: Promise<void> | undefined;
  let again = false;
  let nudged: NodeJS.Timeout | undefined;
  const retries = new Set<NodeJS.Timeout>();

  const track = <T>(promise: Promise<T>) => {
    pending.add(promise);
    void promise.finally(() => pending.delete(promise)).catch(() => {});
    return promise;
  };

  function backOff(roomId: string, reset: boolean) {
    const count = reset ? 1 : (failures.get(roomId)?.count ?? 0) + 1;
    const delay = Math.min(backoff.maxMs, backoff.initialMs * 2 ** (count - 1));
    failures.set(roomId, { count, retryAt: clock.now().getTime() + delay });
    // Try again when the wait is over rather than at the next poll.
    if (!stopping && delay < pollMs) {
      const retry = setTimeout(() => {
        retries.delete(retry);
        void reconcile();
      }, delay + 10);
      retry.unref();
      retries.add(retry);
    }
    return delay;
  }

  /** Reads which rooms should be recorded, joins the missing ones, leaves the others. */
  async function reconcileOnce() {
    if (stopping) return;
    const live = await deps.database.db
      .select({ id: schema.rooms.id })
      .from(schema.rooms)
      .where(and(eq(schema.rooms.status, 'live'), eq(schema.rooms.recording, true)));
    const wanted = new Set(live.map((r) => r.id));
    for (const [roomId, state] of rooms) {
      if (!wanted.has(roomId) && !state.leaving) track(leaveRoom(roomId, 'room ended or recording off'));
    }
    for (const id of failures.keys()) if (!wanted.has(id)) failures.delete(id);
    const now = clock.now().getTime();
    for (const roomId of wanted) {
      if (rooms.has(roomId) || stopping) continue;
      const failed = failures.get(roomId);
      if (failed && failed.retryAt > now) continue;
      track(joinRoom(roomId));
    }
  }

  /** Runs reconcileOnce, never two at a time; a request during a run triggers one more. */
  function reconcile(): Promise<void> {
    if (reconciling) {
      again = true;
      return reconciling;
    }
    reconciling = (async () => {
      try {
        do {
          again = false;
          await reconcileOnce();
        } while (again && !stopping);
      } catch (error) {
        logger.error({ err: error }, 'recorder: could not read the rooms to record');
      } finally {
        reconciling = undefined;
      }
    })();
    return reconciling;
  }

  async function joinRoom(roomId: string) {
    const state: RoomState = { link: undefined, tracks: new Map(), leaving: false, joinedAt: 0 };
    rooms.set(roomId, state);
    try {
      const token = await deps.livekit.token({
        roomId,
        userId: 'recorder',
        name: 'Salon recorder',
        role: 'recorder',
      });
      state.link = await connector.join(roomId, token, (feed) => onTrack(roomId, state, feed));
    } catch (error) {
      state.leaving = true;
      if (rooms.get(roomId) === state) rooms.delete(roomId);
      await stopTracks(state);
      const delay = backOff(roomId, false);
      logger.warn({ roomId, err: error, retryInMs: delay }, 'recorder: could not join the room');
      return;
    }
    state.joinedAt = clock.now().getTime();
    logger.info({ roomId }, 'recorder: joined room');
    void state.link.closed.then((reason) => onClosed(roomId, state, reason));
    // Asked to leave (room ended, stopping) while the connection was being made.
    if (stopping || state.leaving) await leave(roomId, state, 'left while joining');
  }

  function onClosed(roomId: string, state: RoomState, reason: string) {
    if (state.leaving) return;
    state.leaving = true;
    // LiveKit dropped us (server restart, network, room deleted): close what was recorded, and
    // try again later if the room is still live.
    const stable = clock.now().getTime() - state.joinedAt > backoff.maxMs;
    const delay = backOff(roomId, stable);
    logger.warn({ roomId, reason, retryInMs: delay }, 'recorder: disconnected from the room');
    track(
      stopTracks(state).finally(() => {
        if (rooms.get(roomId) === state) rooms.delete(roomId);
      }),
    );
  }

  async function leaveRoom(roomId: string, reason: string) {
    const state = rooms.get(roomId);
    if (state) await leave(roomId, state, reason);
  }

  async function leave(roomId: string, state: RoomState, reason: string) {
    state.leaving = true;
    await stopTracks(state);
    try {
      await state.link?.leave();
    } catch (error) {
      logger.warn({ roomId, err: error }, 'recorder: leaving the room failed');
    }
    if (rooms.get(roomId) === state) rooms.delete(roomId);
    if (state.link) logger.info({ roomId, reason }, 'recorder: left room');
  }

  async function stopTracks(state: RoomState) {
    const tasks = [...state.tracks.values()];
    for (const task of tasks) task.stop();
    await Promise.all(tasks.map((task) => task.done));
  }

  function onTrack(roomId: string, state: RoomState, feed: AudioFeed) {
    if (state.leaving || stopping || state.tracks.has(feed.sid)) {
      // Not recorded: let the feed go rather than leave it buffering.
      void feed.frames[Symbol.asyncIterator]().return?.();
      return;
    }
    const task = recordTrack(roomId, feed);
    state.tracks.set(feed.sid, task);
    void task.done.finally(() => {
      if (state.tracks.get(feed.sid) === task) state.tracks.delete(feed.sid);
    });
  }

  function recordTrack(roomId: string, feed: AudioFeed): TrackTask {
    let abort: (value: typeof ABORTED) => void = () => {};
    const aborted = new Promise<typeof ABORTED>((resolve) => {
      abort = resolve;
    });
    const done = (async () => {
      const startedAt = clock.now();
      const speakerId = UUID.test(feed.participantId) ? feed.participantId : null;
      const frames = feed.frames[Symbol.asyncIterator]();
      let sink: RecordingSink;
      try {
        sink = await startRecording(deps, { roomId, speakerId, trackSid: feed.sid, startedAt });
      } catch (error) {
        logger.error({ roomId, trackSid: feed.sid, err: error }, 'recorder: could not start a recording');
        void frames.return?.();
        return;
      }
      logger.info({ roomId, recordingId: sink.id, trackSid: feed.sid }, 'recording started');
      let samples = 0;
      try {
        for (;;) {
          const next = await Promise.race([frames.next(), aborted]);
          if (next === ABORTED || next.done) break;
          // Keep the recording on the wall clock: a gap (muted microphone, lost packets) becomes
          // silence, so a moment reported at time T is at T − start in the recording.
          const behind = Math.floor(((clock.now().getTime() - startedAt.getTime()) * RATE) / 1000) - samples;
          if (behind - next.value.length > (GAP_MS * RATE) / 1000) {
            for (let left = behind - next.value.length; left > 0; left -= SILENCE.length) {
              const chunk = SILENCE.subarray(0, Math.min(left, SILENCE.length));
              await sink.write(chunk);
              samples += chunk.length;
            }
          }
          await sink.write(next.value);
          samples += next.value.length;
        }
        const row = await sink.close(clock.now());
        logger.info(
          { roomId, recordingId: sink.id, bytes: row.sizeBytes, seconds: Math.round(samples / RATE) },
          'recording complete',
        );
      } catch (error) {
        logger.error({ roomId, recordingId: sink.id, err: error }, 'recording failed');
        await sink.fail(clock.now()).catch(() => {});
      } finally {
        void Promise.resolve(frames.return?.()).catch(() => {});
      }
    })();
    return { stop: () => abort(ABORTED), done };
  }

  return {
    reconcile,
    /** Rooms the recorder is in (or joining), and their tracks being recorded. */
    status: () =>
      [...rooms].map(([roomId, state]) => ({
        roomId,
        tracks: [...state.tracks.keys()],
        leaving: state.leaving,
      })),
    async start() {
      // Recordings a previous run left open (crash, kill -9) can never be finished.
      const stale = await deps.database.db
        .update(schema.recordings)
        .set({ status: 'failed' })
        .where(eq(schema.recordings.status, 'recording'))
        .returning({ id: schema.recordings.id });
      if (stale.length > 0)
        logger.warn({ count: stale.length }, 'recorder: unfinished recordings marked failed');
      // Every room change is notified (reactions too): coalesced into one look every 250 ms at most.
      unlisten = await deps.database.listen(ROOM_CHANNEL, () => {
        nudged ??= setTimeout(() => {
          nudged = undefined;
          void reconcile();
        }, 250);
      });
      timer = setInterval(() => void reconcile(), pollMs);
      await reconcile();
    },
    /** Closes every open recording properly, leaves every room. */
    async stop() {
      stopping = true;
      if (timer) clearInterval(timer);
      if (nudged) clearTimeout(nudged);
      for (const retry of retries) clearTimeout(retry);
      await unlisten?.().catch(() => {});
      await reconciling;
      await Promise.all([...rooms.keys()].map((roomId) => leaveRoom(roomId, 'stopping')));
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
  };
}
