import { type Clock, type Database, schema } from '@salon/db';
import { eq } from 'drizzle-orm';
import { type SseFrame, sseFrame, sseFrameAround, sseFrameWhole, sseTail } from '../../http/sse';
import type { Logger } from '../../logger';
import { ROOM_CHANNEL } from './rooms.service';
import {
  BAND_PAGE,
  cursorAfter,
  HANDS_PAGE,
  loadRoomState,
  RELOAD_EVERY_MS,
  type RoomFacts,
  type RoomState,
  type RosterEntry,
  refreshRoomState,
  sameEntry,
  visibleTo,
} from './roster';

export type RoomStreamEvent = 'snapshot' | 'roster' | 'room' | 'reactions' | 'ended' | 'removed';

/** A listener band as a snapshot carries it: its first BAND_PAGE entries, its size, where to read on. */
export interface BandPage {
  entries: RosterEntry[];
  count: number;
  /** Pass to `GET /v1/rooms/:id/audience?cursor=` for the rest; null when the band is empty. */
  nextCursor: string | null;
}

/** Raised hands, for moderators: the oldest HANDS_PAGE and how many in all. */
export interface HandsQueue {
  entries: RosterEntry[];
  count: number;
}

/**
 * The first message of a stream (and of a fresh start). Its size does not grow with the audience:
 * the stage whole, the first page of each listener band with its count, the head of the hands
 * queue for moderators, and the viewer's own entry.
 */
export interface Snapshot {
  /** The viewer as they see themselves (their own hand and invitation included); null when not in the room. */
  you: RosterEntry | null;
  room: RoomFacts;
  stage: RosterEntry[];
  followed: BandPage;
  audience: BandPage;
  /** Null for anyone who is not a moderator of the room. */
  hands: HandsQueue | null;
}

/**
 * A `roster` message: what changed since the previous one. Listeners appear in it only where a
 * viewer can have them — any change to someone already listed, and arrivals into the first page
 * of a band; arrivals beyond it show in `counts` and are read with the audience pages.
 */
export interface RosterDiff {
  /** Present when the viewer's own entry changed: as they see it, or null once they are out. */
  you?: RosterEntry | null;
  upserts: RosterEntry[];
  removals: string[];
  counts: { followed: number; audience: number };
  /** Moderators only, when the queue changed. */
  hands?: HandsQueue;
}

type View = 'public' | 'moderator';

/** One stream of a room (a class: thousands are open at once, and closures would cost each more). */
class Subscriber {
  constructor(
    readonly userId: string,
    public view: View,
    readonly send: (frame: SseFrame) => void,
    readonly close: () => void,
    private readonly room: LiveRoom,
  ) {}

  /** The stream ended: the room is forgotten with its last stream. */
  leave() {
    this.room.subscribers.delete(this);
    this.room.forget(this.room);
  }
}

interface LiveRoom {
  /** Drops the room from the hub once no stream is open or opening. */
  forget(room: LiveRoom): void;
  subscribers: Set<Subscriber>;
  state: RoomState | undefined;
  /** The first read of the room, shared by every stream that opens meanwhile. */
  loading: Promise<RoomState | undefined> | undefined;
  /** Streams waiting for that read: the room is not forgotten under them. */
  pending: number;
  dirty: boolean;
  reactions: Map<string, number>;
  /** The band sizes each view was last sent, and when. */
  counted: Record<View, { followed: number; audience: number; at: number }>;
  /** A batch held sizes back (see COUNTS_EVERY_MS): one is due for them. */
  countsDue: NodeJS.Timeout | undefined;
  /** The next batch reads the room whole (see RELOAD_EVERY_MS). */
  reloadDue: boolean;
}

/** What the hub has serialised and sent, for tests and the benchmark. */
export interface HubStats {
  /** JSON serialisations of shared payloads: per batch and per view, whatever the number of streams. */
  serialisations: number;
  /** Small per-viewer prefixes (`you`) put in front of a shared payload. */
  personal: number;
  /** Frames handed to streams. */
  frames: number;
}

const EMPTY = '{}';
/** How long a change waits for others of the same moment before it goes out. */
const COALESCE_MS = 20;
/**
 * How often the audience's size alone is sent: during a join storm every batch changes it, and
 * 5,000 streams need not hear of each. Changes to who is listed go out with every batch.
 */
const COUNTS_EVERY_MS = 1000;

/**
 * Fans room changes out to the streams of this API instance. Every instance LISTENs on one
 * Postgres channel; a change anywhere marks the room dirty here, and every `batchMs` the room is
 * read once and the differences are sent. Each payload is serialised and encoded once per batch
 * and per view (moderators, everyone else) and the same bytes go to every stream; only a viewer
 * whose own entry changed gets a few bytes of their own in front. A stream that opens is given
 * the snapshot of the room as last read (one read shared by all the streams of a room), so 5,000
 * streams opening cost one read, not 5,000.
 */
export function createRoomHub(deps: { database: Database; clock: Clock; logger: Logger }, batchMs = 250) {
  const live = new Map<string, LiveRoom>();
  const stats: HubStats = { serialisations: 0, personal: 0, frames: 0 };
  /** The snapshot of a state per view, minus its opening brace: shared by every stream it starts. */
  const snapshots = new WeakMap<RoomState, Partial<Record<View, Uint8Array>>>();
  let listening: Promise<() => Promise<void>> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let flushing = Promise.resolve();

  const serialise = (value: unknown) => {
    stats.serialisations++;
    return JSON.stringify(value);
  };
  const deliver = (sub: Subscriber, frame: SseFrame) => {
    stats.frames++;
    sub.send(frame);
  };

  let timerAt = 0;
  let lastFlush = 0;
  function run() {
    timer = undefined;
    lastFlush = Date.now();
    flushing = flushing
      .then(flush)
      .catch((error) => deps.logger.error({ err: error }, 'room stream flush failed'));
  }
  /**
   * A change after a quiet moment goes out at once (the few milliseconds let the NOTIFYs of one
   * moment arrive together); changes that follow within `batchMs` of a batch wait for the next.
   * Reactions are never urgent: they wait a whole window, to be counted together.
   */
  function schedule(urgent = true) {
    const now = Date.now();
    const at = urgent ? Math.max(now + COALESCE_MS, lastFlush + batchMs) : now + batchMs;
    if (timer && timerAt <= at) return;
    if (timer) clearTimeout(timer);
    timerAt = at;
    timer = setTimeout(run, at - now);
  }

  function onNotify(payload: string) {
    let message: { roomId?: string; reaction?: string };
    try {
      message = JSON.parse(payload);
    } catch {
      return;
    }
    const room = message.roomId ? live.get(message.roomId) : undefined;
    if (!room) return;
    if (message.reaction) {
      room.reactions.set(message.reaction, (room.reactions.get(message.reaction) ?? 0) + 1);
      schedule(false);
    } else {
      room.dirty = true;
      schedule();
    }
  }

  const viewOf = (state: RoomState, userId: string): View =>
    state.roster.get(userId)?.role === 'moderator' ? 'moderator' : 'public';
  const projection = (view: View) =>
    view === 'moderator' ? (e: RosterEntry) => e : (e: RosterEntry) => visibleTo(e, '', false);

  function handsOf(state: RoomState): HandsQueue {
    return { entries: state.order.hands.slice(0, HANDS_PAGE), count: state.order.hands.length };
  }

  function snapshotTail(state: RoomState, view: View): Uint8Array {
    let cached = snapshots.get(state);
    if (!cached) {
      cached = {};
      snapshots.set(state, cached);
    }
    const known = cached[view];
    if (known) return known;
    const project = projection(view);
    const band = (entries: RosterEntry[]) => {
      const first = entries.slice(0, BAND_PAGE);
      const last = first.at(-1);
      return {
        entries: first.map(project),
        count: entries.length,
        nextCursor: last ? cursorAfter(last) : null,
      };
    };
    const body: Omit<Snapshot, 'you'> = {
      room: state.room,
      stage: state.order.stage.map(project),
      followed: band(state.order.followed),
      audience: band(state.order.audience),
      hands: view === 'moderator' ? handsOf(state) : null,
    };
    const tail = sseTail(serialise(body).slice(1));
    cached[view] = tail;
    return tail;
  }

  /** `{"you":…,` in front of a shared payload: the only bytes of a message that are the viewer's own. */
  function withYou(state: RoomState, userId: string) {
    stats.personal++;
    return `{"you":${JSON.stringify(state.roster.get(userId) ?? null)},`;
  }

  function snapshotFrame(state: RoomState, userId: string, view: View): SseFrame {
    return sseFrameAround(
      'snapshot',
      String(state.lastEventId),
      withYou(state, userId),
      snapshotTail(state, view),
    );
  }

  /** Which of the room's viewers were removed from it: their streams end (the room is closed to them). */
  async function removedFrom(roomId: string) {
    const { roomRemovals } = schema;
    const rows = await deps.database.db
      .select({ userId: roomRemovals.userId })
      .from(roomRemovals)
      .where(eq(roomRemovals.roomId, roomId));
    return new Set(rows.map((r) => r.userId));
  }

  function fanOut(room: LiveRoom, before: RoomState, after: RoomState, removed: Set<string>) {
    const id = String(after.lastEventId);
    const diff = difference(before, after);
    const roomChanged = JSON.stringify(before.room) !== JSON.stringify(after.room);
    const ended = after.room.status === 'ended';
    // Built on first use, once per batch and view, and shared by every stream of that view.
    const built: Partial<Record<View, { tail: Uint8Array; frame: SseFrame; afresh: boolean }>> = {};
    const roster = (view: View) => {
      const known = built[view];
      if (known) return known;
      const payload: Omit<RosterDiff, 'you'> = {
        upserts: diff.upserts[view],
        removals: diff.removals,
        counts: diff.counts,
        ...(view === 'moderator' && diff.hands ? { hands: diff.hands } : {}),
      };
      const tail = sseTail(serialise(payload).slice(1));
      // A change that touches most of the first pages (a stage whose follows reshuffle the bands)
      // costs less as a fresh snapshot, which is bounded, than as a diff, which is not.
      const afresh = tail.byteLength > 8192 && tail.byteLength > snapshotTail(after, view).byteLength;
      const made = { tail, frame: sseFrameWhole('roster', id, '{', tail), afresh };
      built[view] = made;
      return made;
    };
    const now = Date.now();
    const recount = (view: View) => {
      const sent = room.counted[view];
      return sent.followed !== diff.counts.followed || sent.audience !== diff.counts.audience;
    };
    const listed = (view: View) =>
      diff.upserts[view].length > 0 ||
      diff.removals.length > 0 ||
      (view === 'moderator' && diff.hands !== undefined);
    const send: Record<View, boolean> = { public: false, moderator: false };
    for (const view of ['public', 'moderator'] as const) {
      send[view] = listed(view) || (recount(view) && now - room.counted[view].at >= COUNTS_EVERY_MS);
      if (send[view]) room.counted[view] = { ...diff.counts, at: now };
      else if (recount(view) && !room.countsDue) {
        room.countsDue = setTimeout(() => {
          room.countsDue = undefined;
          room.dirty = true;
          schedule();
        }, COUNTS_EVERY_MS).unref();
      }
    }
    const roomFrame = roomChanged ? sseFrame('room', id, serialise(after.room)) : undefined;
    const removedFrame = sseFrame('removed', id, EMPTY);
    const endedFrame = sseFrame('ended', id, EMPTY);

    for (const sub of room.subscribers) {
      if (removed.has(sub.userId)) {
        deliver(sub, removedFrame);
        sub.close();
        continue;
      }
      const view = viewOf(after, sub.userId);
      if (view !== sub.view) {
        // Becoming (or ceasing to be) a moderator changes what one may see: start afresh.
        sub.view = view;
        deliver(sub, snapshotFrame(after, sub.userId, view));
      } else {
        if (roomFrame) deliver(sub, roomFrame);
        const own = diff.changedSelf.has(sub.userId);
        if (own || send[view]) {
          const { tail, frame, afresh } = roster(view);
          if (afresh) deliver(sub, snapshotFrame(after, sub.userId, view));
          else if (own) deliver(sub, sseFrameAround('roster', id, withYou(after, sub.userId), tail));
          else deliver(sub, frame);
        }
      }
      if (ended) {
        deliver(sub, endedFrame);
        sub.close();
      }
    }
  }

  async function flush() {
    for (const [roomId, room] of live) {
      if (room.reactions.size > 0) {
        const frame = sseFrame(
          'reactions',
          undefined,
          serialise({ counts: Object.fromEntries(room.reactions) }),
        );
        room.reactions.clear();
        for (const sub of room.subscribers) deliver(sub, frame);
      }
      if (!room.dirty || !room.state) continue;
      room.dirty = false;
      const before = room.state;
      const now = deps.clock.now();
      const whole = room.reloadDue;
      room.reloadDue = false;
      const after = whole
        ? await loadRoomState(deps.database.db, roomId, now)
        : await refreshRoomState(deps.database.db, before, now);
      if (!after) continue;
      // Read whole now and then, but not in the way of a change: in a batch of its own, next.
      if (!whole && now.getTime() - after.loadedAt > RELOAD_EVERY_MS) {
        room.reloadDue = true;
        room.dirty = true;
        schedule(false);
      }
      const removed = await removedFrom(roomId);
      // From here to the last send nothing waits: a stream opening meanwhile gets either the
      // old snapshot and this diff, or the new snapshot and not this diff.
      room.state = after;
      fanOut(room, before, after, removed);
    }
  }

  async function load(roomId: string, room: LiveRoom) {
    try {
      const state = await loadRoomState(deps.database.db, roomId, deps.clock.now());
      if (!room.state && state) {
        room.state = state;
        // Every stream opens with these sizes in its snapshot.
        const counts = { followed: state.order.followed.length, audience: state.order.audience.length };
        room.counted = { public: { ...counts, at: 0 }, moderator: { ...counts, at: 0 } };
      }
      // A change heard while reading may not be in what was read.
      if (room.dirty) schedule();
      return room.state;
    } finally {
      room.loading = undefined;
    }
  }

  return {
    /**
     * Starts a stream for one viewer. With the `lastEventId` they last saw and nothing missed
     * since, the stream resumes without a snapshot; otherwise it starts with a fresh one (there is
     * no replay of missed diffs: a snapshot is bounded, and as cheap to send).
     */
    async subscribe(
      roomId: string,
      userId: string,
      send: (frame: SseFrame) => void,
      close: () => void,
      lastEventId?: string,
    ) {
      listening ??= deps.database.listen(ROOM_CHANNEL, onNotify);
      await listening;
      let room = live.get(roomId);
      if (!room) {
        room = {
          forget: (r) => {
            if (r.subscribers.size === 0 && r.pending === 0 && live.get(roomId) === r) live.delete(roomId);
          },
          subscribers: new Set(),
          state: undefined,
          loading: undefined,
          pending: 0,
          dirty: false,
          reactions: new Map(),
          counted: {
            public: { followed: -1, audience: -1, at: 0 },
            moderator: { followed: -1, audience: -1, at: 0 },
          },
          countsDue: undefined,
          reloadDue: false,
        };
        live.set(roomId, room);
      }
      room.pending++;
      try {
        if (!room.state) {
          room.loading ??= load(roomId, room);
          await room.loading;
        }
      } catch (error) {
        room.pending--;
        room.forget(room);
        throw error;
      }
      room.pending--;
      const state = room.state;
      const sub = new Subscriber(userId, state ? viewOf(state, userId) : 'public', send, close, room);
      room.subscribers.add(sub);
      if (state && lastEventId !== String(state.lastEventId))
        deliver(sub, snapshotFrame(state, userId, sub.view));
      if (state?.room.status === 'ended') {
        deliver(sub, sseFrame('ended', String(state.lastEventId), EMPTY));
        close();
      }
      return sub.leave.bind(sub);
    },
    stats: (): HubStats & { rooms: number; streams: number } => ({
      ...stats,
      rooms: live.size,
      streams: [...live.values()].reduce((n, r) => n + r.subscribers.size, 0),
    }),
    async close() {
      if (timer) clearTimeout(timer);
      const unlisten = await listening;
      await unlisten?.();
    },
  };
}

export type RoomHub = ReturnType<typeof createRoomHub>;

const publicOf = (entry: RosterEntry) => visibleTo(entry, '', false);

/** The first page of each listener band, by id. */
function heads(state: RoomState) {
  const ids = new Set<string>();
  for (const e of state.order.followed.slice(0, BAND_PAGE)) ids.add(e.userId);
  for (const e of state.order.audience.slice(0, BAND_PAGE)) ids.add(e.userId);
  return ids;
}

/** What changed between two reads of a room, for each view. */
export function difference(before: RoomState, after: RoomState) {
  const headBefore = heads(before);
  const headAfter = heads(after);
  const upserts: Record<View, RosterEntry[]> = { public: [], moderator: [] };
  /** People whose own entry changed (appeared, changed, went): they get theirs in `you`. */
  const changedSelf = new Set<string>();
  for (const [id, entry] of after.roster) {
    const old = before.roster.get(id);
    if (!old) {
      changedSelf.add(id);
      if (entry.role !== 'listener' || headAfter.has(id)) {
        upserts.public.push(publicOf(entry));
        upserts.moderator.push(entry);
      }
      continue;
    }
    // Someone moving up into a first page (another left it) is news to every viewer of that page.
    const entersHead = headAfter.has(id) && !headBefore.has(id);
    const sameForModerators = sameEntry(old, entry, true);
    if (!sameForModerators) changedSelf.add(id);
    if (!sameForModerators || entersHead) upserts.moderator.push(entry);
    if (entersHead || (!sameForModerators && !sameEntry(old, entry, false)))
      upserts.public.push(publicOf(entry));
  }
  const removals: string[] = [];
  for (const id of before.roster.keys()) {
    if (after.roster.has(id)) continue;
    removals.push(id);
    changedSelf.add(id);
  }
  const counts = { followed: after.order.followed.length, audience: after.order.audience.length };
  const handsBefore = before.order.hands;
  const handsAfter = after.order.hands;
  let handsChanged = handsBefore.length !== handsAfter.length;
  for (let i = 0; !handsChanged && i < Math.min(HANDS_PAGE, handsAfter.length); i++) {
    const a = handsBefore[i];
    const b = handsAfter[i];
    handsChanged = !a || !b || a.userId !== b.userId || !sameEntry(a, b, true);
  }
  const hands = handsChanged
    ? { entries: handsAfter.slice(0, HANDS_PAGE), count: handsAfter.length }
    : undefined;
  return { upserts, removals, counts, hands, changedSelf };
}
