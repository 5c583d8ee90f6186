import {
  applyDiff,
  type Bands,
  bandsOf,
  changesBetween,
  type RoomChange,
  type Roster,
  raisedHands,
  rosterOf,
  type ViewState,
} from './roster';
import type { Reaction, RosterEntry, StreamEvent, StreamRoom } from './types';
import { REACTIONS } from './types';

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
 * The live state of one room as its stream tells it: the room's facts, everyone in it, the
 * viewer's own entry and the reactions of the last few seconds. The page owns one per visit and
 * feeds it every stream event; what changed for the viewer comes back from `apply` to be announced.
 */
export class LiveRoom {
  readonly #myId: string;
  room = $state.raw<StreamRoom | null>(null);
  roster = $state.raw<Roster>(new Map());
  /** The snapshot's `you`, until the roster itself has the viewer. */
  #snapshotYou = $state.raw<RosterEntry | null>(null);
  /** True once a snapshot arrived: before that the roster is unknown, not empty. */
  ready = $state(false);
  ended = $state(false);
  /** Reactions received in the last REACTION_SHOW_MS, per emoji. */
  reactions = $state.raw<Partial<Record<Reaction, number>>>({});
  /** Reactions floating up right now: a few per batch received, whatever its size. */
  floating = $state.raw<Floater[]>([]);
  #nextFloater = 0;
  #timers = new Set<ReturnType<typeof setTimeout>>();

  readonly you = $derived.by<RosterEntry | null>(() => this.roster.get(this.#myId) ?? this.#snapshotYou);
  readonly bands = $derived<Bands>(bandsOf(this.roster));
  readonly hands = $derived<RosterEntry[]>(raisedHands(this.roster));
  readonly isModerator = $derived(this.you?.role === 'moderator');
  readonly onStage = $derived(this.you !== null && this.you.role !== 'listener');
  readonly count = $derived(this.roster.size);

  constructor(myId: string) {
    this.#myId = myId;
  }

  #view(): ViewState {
    return { room: this.room, roster: this.roster, you: this.roster.get(this.#myId) ?? this.#snapshotYou };
  }

  /** Applies one stream event; returns what changed for the viewer. */
  apply(event: StreamEvent): RoomChange[] {
    const before = this.#view();
    const wasReady = this.ready;
    switch (event.type) {
      case 'snapshot':
        this.room = event.data.room;
        this.roster = rosterOf(event.data.roster);
        this.#snapshotYou = event.data.you;
        this.ready = true;
        if (event.data.room.status === 'ended') this.ended = true;
        break;
      case 'roster':
        this.roster = applyDiff(this.roster, event.data);
        // From now on the roster speaks for the viewer, including their absence.
        this.#snapshotYou = null;
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
