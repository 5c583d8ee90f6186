import {
  addPage,
  applyDiff,
  type Bands,
  bandsOf,
  changesBetween,
  type RoomChange,
  type Roster,
  rosterOf,
  type ViewState,
} from './roster';
import type { HandsQueue, ListenerBand, Reaction, RosterEntry, StreamEvent, StreamRoom } from './types';
import { REACTIONS } from './types';

/** Reads more of a band after `cursor` (the API's audience pages); null when it could not. */
export type PageReader = (
  band: ListenerBand,
  cursor: string | null,
) => Promise<{ entries: RosterEntry[]; nextCursor: string | null } | null>;

/** Listeners asked for at a time when the viewer wants more of a band. */
export const MORE = 96;

/** How long received reactions stay on screen. */
export const REACTION_SHOW_MS = 4000;
/** How long one floating reaction rises, and how many float up per emoji and batch at most. */
export const FLOAT_MS = 2200;
const FLOAT_MAX = 3;

export interface Floater {
  id: number;
  emoji: Reaction;
  /** Where across the lane it rises, 0–1, so a batch spreads out. */
  lane: number;
}

/**
 * The live state of one room as its stream tells it: the room's facts, the stage, the start of
 * each listener band with the band's size (a room of thousands is never held whole: the viewer
 * reads more as they ask for it), the viewer's own entry, the moderators' queue of hands and the
 * reactions of the last few seconds. The page owns one per visit and feeds it every stream event;
 * what changed for the viewer comes back from `apply` to be announced.
 */
export class LiveRoom {
  readonly #myId: string;
  readonly #readPage: PageReader | undefined;
  room = $state.raw<StreamRoom | null>(null);
  /** The stage and the listeners held so far. */
  roster = $state.raw<Roster>(new Map());
  /** How many listeners each band has in all, held or not. */
  counts = $state.raw<Record<ListenerBand, number>>({ followed: 0, audience: 0 });
  /** Where each band's next page starts. */
  #cursors: Record<ListenerBand, string | null> = { followed: null, audience: null };
  /** A band whose next page is being read, or could not be. */
  loading = $state.raw<Partial<Record<ListenerBand, 'loading' | 'failed'>>>({});
  /** Moderators: the oldest raised hands and how many in all. */
  handsQueue = $state.raw<HandsQueue>({ entries: [], count: 0 });
  /** The viewer as they see themselves; null when not in the room. */
  you = $state.raw<RosterEntry | null>(null);
  /** True once a snapshot arrived: before that the roster is unknown, not empty. */
  ready = $state(false);
  ended = $state(false);
  /** Reactions received in the last REACTION_SHOW_MS, per emoji. */
  reactions = $state.raw<Partial<Record<Reaction, number>>>({});
  /** Reactions floating up right now: a few per batch received, whatever its size. */
  floating = $state.raw<Floater[]>([]);
  #nextFloater = 0;
  #timers = new Set<ReturnType<typeof setTimeout>>();
  /** Bumped by every snapshot: a page read for an older one is not mixed into a newer one. */
  #generation = 0;

  /** The bands, the viewer's own tile as they see it (their own hand shows). */
  readonly bands = $derived.by<Bands>(() => {
    const you = this.you;
    if (!you || !this.roster.has(you.userId)) return bandsOf(this.roster);
    return bandsOf(new Map(this.roster).set(you.userId, you));
  });
  readonly hands = $derived<RosterEntry[]>(this.handsQueue.entries);
  readonly isModerator = $derived(this.you?.role === 'moderator');
  readonly onStage = $derived(this.you !== null && this.you.role !== 'listener');
  /** Everyone in the room: the stage and both listener bands. */
  readonly count = $derived(this.bands.stage.length + this.counts.followed + this.counts.audience);

  constructor(myId: string, readPage?: PageReader) {
    this.#myId = myId;
    this.#readPage = readPage;
  }

  #view(): ViewState {
    return { room: this.room, roster: this.roster, you: this.you, hands: this.handsQueue };
  }

  /** Applies one stream event; returns what changed for the viewer. */
  apply(event: StreamEvent): RoomChange[] {
    const before = this.#view();
    const wasReady = this.ready;
    switch (event.type) {
      case 'snapshot': {
        const { room, stage, followed, audience, hands, you } = event.data;
        this.#generation++;
        this.room = room;
        this.roster = rosterOf([...stage, ...followed.entries, ...audience.entries]);
        this.counts = { followed: followed.count, audience: audience.count };
        this.#cursors = { followed: followed.nextCursor, audience: audience.nextCursor };
        this.loading = {};
        this.handsQueue = hands ?? { entries: [], count: 0 };
        this.you = you;
        this.ready = true;
        if (room.status === 'ended') this.ended = true;
        break;
      }
      case 'roster':
        this.roster = applyDiff(this.roster, event.data);
        this.counts = event.data.counts;
        if (event.data.hands) this.handsQueue = event.data.hands;
        if (event.data.you !== undefined) this.you = event.data.you;
        else if (this.you && event.data.removals.includes(this.#myId)) this.you = null;
        break;
      case 'room':
        if (this.room) this.room = { ...this.room, ...event.data };
        if (event.data.status === 'ended') this.ended = true;
        break;
      case 'reactions':
        this.#receive(event.data.counts);
        return [];
      case 'removed':
        // The server took the viewer out: coming back (a join) tells why.
        return [{ kind: 'gone' }];
      case 'ended':
        if (this.ended) return [];
        this.ended = true;
        if (this.room) this.room = { ...this.room, status: 'ended' };
        return [{ kind: 'ended' }];
    }
    if (!wasReady) return [];
    return changesBetween(before, this.#view(), event.type === 'snapshot');
  }

  /** Whether a band has listeners not held yet. */
  hasMore(band: ListenerBand): boolean {
    return this.counts[band] > this.bands[band].length;
  }

  /**
   * Reads the next page of a band (the viewer scrolled to its end, or asked for more). One read
   * per band at a time; a failure is kept for the page to offer another try.
   */
  async loadMore(band: ListenerBand): Promise<void> {
    if (!this.#readPage || this.loading[band] === 'loading' || !this.hasMore(band)) return;
    const generation = this.#generation;
    this.loading = { ...this.loading, [band]: 'loading' };
    // The cursor may lag behind what the stream brought (people who moved up into the first
    // page): pages already held are read past, a few at most.
    let gained = 0;
    for (let pages = 0; pages < 4 && gained < MORE && this.hasMore(band); pages++) {
      const page = await this.#readPage(band, this.#cursors[band]).catch(() => null);
      if (generation !== this.#generation) return;
      if (!page) {
        this.loading = { ...this.loading, [band]: 'failed' };
        return;
      }
      const held = this.roster.size;
      this.roster = addPage(
        this.roster,
        page.entries.filter((e) => e.band === band && e.role === 'listener'),
      );
      gained += this.roster.size - held;
      if (page.nextCursor) this.#cursors = { ...this.#cursors, [band]: page.nextCursor };
      if (page.entries.length === 0) break;
    }
    this.loading = { ...this.loading, [band]: undefined };
  }

  #receive(counts: Partial<Record<string, number>>) {
    const added: Partial<Record<Reaction, number>> = {};
    for (const emoji of REACTIONS) {
      const n = counts[emoji];
      if (n) added[emoji] = n;
    }
    if (Object.keys(added).length === 0) return;
    this.reactions = sum(this.reactions, added, 1);
    const batch: Floater[] = [];
    for (const emoji of REACTIONS) {
      for (let i = 0; i < Math.min(added[emoji] ?? 0, FLOAT_MAX); i++)
        batch.push({ id: this.#nextFloater++, emoji, lane: Math.random() });
    }
    this.floating = [...this.floating, ...batch];
    const ids = new Set(batch.map((f) => f.id));
    const done = setTimeout(() => {
      this.#timers.delete(done);
      this.floating = this.floating.filter((f) => !ids.has(f.id));
    }, FLOAT_MS);
    this.#timers.add(done);
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      this.reactions = sum(this.reactions, added, -1);
    }, REACTION_SHOW_MS);
    this.#timers.add(timer);
  }

  /** Stops the reaction timers; call when the page goes away. */
  destroy(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }
}

function sum(
  current: Partial<Record<Reaction, number>>,
  delta: Partial<Record<Reaction, number>>,
  sign: 1 | -1,
): Partial<Record<Reaction, number>> {
  const next: Partial<Record<Reaction, number>> = { ...current };
  for (const emoji of REACTIONS) {
    const n = (next[emoji] ?? 0) + sign * (delta[emoji] ?? 0);
    if (n > 0) next[emoji] = n;
    else delete next[emoji];
  }
  return next;
}
