import { schema } from '@salon/db';
import { and, eq, gt, inArray } from 'drizzle-orm';
import type { Context } from 'hono';
import type { AppDeps } from './app-env';
import { AppError } from './errors';
import {
  DEFAULT_MAX_QUEUED_BYTES,
  type SseFrame,
  type SseMessage,
  type SseObserver,
  type SseOptions,
  type SseStream,
  sse,
} from './sse';

const { sessions, users, rooms, roomRemovals } = schema;
const DAY_MS = 86_400_000;

export interface StreamLimits {
  /** Open streams one session (one browser) may hold: a few tabs, each with its streams. */
  perSession: number;
  /** Open streams one member may hold across all their sessions, room and notification streams alike. */
  perMember: number;
  /** How often open streams are checked against their session and room. */
  checkEveryMs: number;
  /** Retry-After of a refused stream: by then a closed tab's stream has gone. */
  retryAfterSeconds: number;
  /**
   * The most one stream may hold for a client that does not read (see sse.ts): beyond it the
   * stream is dropped and the client reconnects. Room snapshots are at most ~50 KB, and the same
   * bytes are shared by every stream they go to, so this bounds memory per stream without
   * dropping a client that merely paused.
   */
  queueBytes: number;
}

export const DEFAULT_STREAM_LIMITS: StreamLimits = {
  perSession: 4,
  perMember: 6,
  checkEveryMs: 60_000,
  retryAfterSeconds: 30,
  queueBytes: DEFAULT_MAX_QUEUED_BYTES,
};

export interface StreamOwner {
  userId: string;
  sessionId: string;
}

/** One open stream, as the registry counts it. */
class OpenStream implements SseObserver {
  #stream: SseStream | undefined;
  constructor(
    readonly userId: string,
    readonly sessionId: string,
    readonly roomId: string | undefined,
    private readonly release: (stream: OpenStream) => void,
  ) {}

  opened(stream: SseStream) {
    this.#stream = stream;
  }

  closed() {
    this.release(this);
  }

  close() {
    this.#stream?.close();
  }

  queued() {
    return this.#stream?.queued() ?? 0;
  }
}

export const streamErrors = {
  tooMany: (retryAfterSeconds: number) =>
    new AppError(
      429,
      'stream.too_many',
      'Too many live connections are open for this account. Close a tab or try again shortly.',
      [{ retryAfterSeconds }],
      retryAfterSeconds,
    ),
};

/**
 * Every Server-Sent Events stream this API instance holds open. A stream costs a socket and
 * memory for as long as it lasts, so each member gets a few (per session and in all) and a
 * stream lasts only while it is still owed: a periodic sweep closes the streams whose session
 * expired, was signed out or whose account was restricted, and the room streams of rooms that
 * ended or that their member was removed from (the room hub closes those at once when it hears
 * of it; the sweep is the backstop for a NOTIFY never heard).
 */
export function createStreamRegistry(
  deps: Pick<AppDeps, 'database' | 'clock' | 'config' | 'logger'>,
  limits: Partial<StreamLimits> = {},
) {
  const { perSession, perMember, checkEveryMs, retryAfterSeconds, queueBytes } = {
    ...DEFAULT_STREAM_LIMITS,
    ...limits,
  };
  const open = new Set<OpenStream>();
  /** Streams dropped because their client did not read them, and what they held then. */
  const dropped = { streams: 0, largestQueue: 0 };
  const sseOptions: SseOptions = {
    maxQueuedBytes: queueBytes,
    onDrop(held, observer) {
      dropped.streams++;
      dropped.largestQueue = Math.max(dropped.largestQueue, held);
      const roomId = observer instanceof OpenStream ? observer.roomId : undefined;
      deps.logger.info({ queuedBytes: held, roomId }, 'slow stream dropped');
    },
  };
  const bySession = new Map<string, number>();
  const byMember = new Map<string, number>();
  let timer: NodeJS.Timeout | undefined;

  const bump = (counts: Map<string, number>, key: string, by: number) => {
    const n = (counts.get(key) ?? 0) + by;
    if (n > 0) counts.set(key, n);
    else counts.delete(key);
  };

  function acquire(stream: OpenStream) {
    if (
      (bySession.get(stream.sessionId) ?? 0) >= perSession ||
      (byMember.get(stream.userId) ?? 0) >= perMember
    ) {
      throw streamErrors.tooMany(retryAfterSeconds);
    }
    open.add(stream);
    bump(bySession, stream.sessionId, 1);
    bump(byMember, stream.userId, 1);
    if (!timer) {
      timer = setInterval(() => {
        sweep().catch((error) => deps.logger.warn({ err: error }, 'stream sweep failed'));
      }, checkEveryMs);
      timer.unref();
    }
  }

  function release(stream: OpenStream) {
    if (!open.delete(stream)) return;
    bump(bySession, stream.sessionId, -1);
    bump(byMember, stream.userId, -1);
    if (open.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  }

  /** Closes the streams no longer owed; returns how many. */
  async function sweep(): Promise<number> {
    const streams = [...open];
    if (streams.length === 0) return 0;
    const db = deps.database.db;
    const now = deps.clock.now();
    const idleCutoff = new Date(now.getTime() - deps.config.sessions.idleDays * DAY_MS);
    const sessionIds = [...new Set(streams.map((s) => s.sessionId))];
    const valid = await db
      .select({ id: sessions.id })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(
        and(
          inArray(sessions.id, sessionIds),
          gt(sessions.expiresAt, now),
          gt(sessions.lastSeenAt, idleCutoff),
          eq(users.status, 'active'),
        ),
      );
    const validSessions = new Set(valid.map((r) => r.id));
    const roomIds = [...new Set(streams.flatMap((s) => (s.roomId ? [s.roomId] : [])))];
    const ended = new Set<string>();
    const removed = new Set<string>();
    if (roomIds.length > 0) {
      const over = await db
        .select({ id: rooms.id })
        .from(rooms)
        .where(and(inArray(rooms.id, roomIds), eq(rooms.status, 'ended')));
      for (const r of over) ended.add(r.id);
      const out = await db
        .select({ roomId: roomRemovals.roomId, userId: roomRemovals.userId })
        .from(roomRemovals)
        .where(
          and(
            inArray(roomRemovals.roomId, roomIds),
            inArray(roomRemovals.userId, [...new Set(streams.map((s) => s.userId))]),
          ),
        );
      for (const r of out) removed.add(`${r.roomId}:${r.userId}`);
    }
    let closed = 0;
    for (const stream of streams) {
      const owed =
        validSessions.has(stream.sessionId) &&
        !(stream.roomId && (ended.has(stream.roomId) || removed.has(`${stream.roomId}:${stream.userId}`)));
      if (!owed && open.has(stream)) {
        stream.close();
        release(stream);
        closed++;
      }
    }
    return closed;
  }

  return {
    /**
     * Answers with a stream for this owner, or 429 `stream.too_many` before anything is sent.
     * `roomId` marks a room's stream, closed when the room ends or its member is removed.
     */
    serve(
      c: Context,
      owner: StreamOwner,
      options: { roomId?: string },
      subscribe: (send: (message: SseMessage | SseFrame) => void, close: () => void) => Promise<() => void>,
    ) {
      const stream = new OpenStream(owner.userId, owner.sessionId, options.roomId, release);
      acquire(stream);
      return sse(c, subscribe, sseOptions, stream);
    },
    sweep,
    /** Open streams now, for tests and metrics. */
    count: (owner?: Partial<StreamOwner>) =>
      owner?.sessionId
        ? (bySession.get(owner.sessionId) ?? 0)
        : owner?.userId
          ? (byMember.get(owner.userId) ?? 0)
          : open.size,
    /**
     * What the open streams hold for their clients now (bytes not yet taken by their sockets), and
     * the streams dropped so far for not reading: the evidence that no client makes this buffer
     * without bound.
     */
    queues() {
      let total = 0;
      let largest = 0;
      for (const stream of open) {
        const held = stream.queued();
        total += held;
        largest = Math.max(largest, held);
      }
      return { total, largest, limit: queueBytes, dropped: { ...dropped } };
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}

export type StreamRegistry = ReturnType<typeof createStreamRegistry>;
