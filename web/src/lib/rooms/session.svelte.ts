import { getContext, setContext } from 'svelte';
import { joinRoom, leaveRoom, leaveRoomOnUnload, readAudience } from './actions';
import { RoomAudio } from './audio.svelte';
import type { RoomMessage } from './errors';
import { summarizeRoomFailure } from './errors';
import { LiveRoom, MORE } from './live-room.svelte';
import type { RoomChange } from './roster';
import { openRoomStream, type StreamStatus } from './stream';
import type { JoinGrant, Room, RoomRole } from './types';

export type Phase = 'outside' | 'joining' | 'inside' | 'left' | 'removed';

export type EnterOutcome =
  | { ok: true }
  | { ok: false; reason: 'removed' | 'ended' }
  | { ok: false; reason: 'failed'; problem: RoomMessage };

/**
 * The room the member is in, kept by the root layout across pages and language switches: the
 * LiveKit connection, the room stream and the live roster live here, not in the room's page, so
 * the member keeps listening while browsing (the mini-player) and only "leave" or closing the tab
 * leaves. One room at a time: entering another leaves the first.
 */
export class RoomSession {
  /** The room as its page loaded it (topic, host, club); null when in no room. */
  room = $state.raw<Room | null>(null);
  phase = $state<Phase>('outside');
  live = $state.raw<LiveRoom | null>(null);
  readonly audio = new RoomAudio();
  streamStatus = $state<StreamStatus>('closed');
  /** The role the join answered with, until the stream lists the member. */
  grantRole = $state<RoomRole | null>(null);
  /** The room ended while the member was in it. */
  ended = $state(false);
  /** Why coming back after being dropped from the roster did not work. */
  leftProblem = $state<RoomMessage | null>(null);
  /** The last thing said about the room (the page and the mini-player both show it). */
  notice = $state('');
  #meId: string | null = null;
  #closeStream: (() => void) | null = null;
  /** What changed for the member, for whoever shows the room (announced there). */
  onchanges: (changes: RoomChange[]) => void = () => {};

  readonly roomId = $derived(this.room?.id ?? null);
  readonly topic = $derived(this.live?.room?.topic ?? this.room?.topic ?? '');
  readonly you = $derived(this.live?.you ?? null);
  readonly myRole = $derived<RoomRole | null>(this.you?.role ?? (this.live ? this.grantRole : null));
  readonly onStage = $derived(this.myRole === 'moderator' || this.myRole === 'speaker');
  readonly isModerator = $derived(this.myRole === 'moderator');
  readonly inside = $derived(this.phase === 'inside');

  /** The same room, still entered: its page shows this visit instead of starting another. */
  isIn(roomId: string): boolean {
    return this.room?.id === roomId && this.phase === 'inside';
  }

  /** Shows a room's page state for `room` (outside unless this is the room the member is in). */
  phaseFor(roomId: string): Phase {
    return this.room?.id === roomId ? this.phase : 'outside';
  }

  async enter(room: Room, meId: string): Promise<EnterOutcome> {
    if (this.isIn(room.id)) return { ok: true };
    if (this.room && this.room.id !== room.id && this.phase === 'inside') await this.leave();
    this.#reset();
    this.room = room;
    this.#meId = meId;
    this.phase = 'joining';
    const result = await joinRoom(room.id);
    if (this.room?.id !== room.id) return { ok: false, reason: 'ended' };
    if (!result.ok) {
      if (result.error.code === 'room.removed') {
        this.phase = 'removed';
        return { ok: false, reason: 'removed' };
      }
      this.phase = 'outside';
      if (result.error.code === 'room.ended') {
        this.ended = true;
        return { ok: false, reason: 'ended' };
      }
      return { ok: false, reason: 'failed', problem: summarizeRoomFailure(result.error) };
    }
    this.#start(result.data);
    return { ok: true };
  }

  #start(grant: JoinGrant) {
    if (!this.room || !this.#meId) return;
    const roomId = this.room.id;
    const store = new LiveRoom(this.#meId, async (band, cursor) => {
      const result = await readAudience(roomId, band, cursor, MORE);
      return result.ok ? result.data : null;
    });
    this.live = store;
    this.grantRole = grant.role;
    this.phase = 'inside';
    this.notice = '';
    this.#closeStream = openRoomStream(roomId, {
      onevent: (event) => this.#changed(store.apply(event)),
      onstatus: (next) => {
        this.streamStatus = next;
      },
    });
    void this.audio.connect(grant.livekitUrl, grant.token);
  }

  #changed(changes: RoomChange[]) {
    for (const change of changes) {
      if (change.kind === 'to_audience') void this.audio.stopMicrophone();
      if (change.kind === 'gone') void this.#regain();
      if (change.kind === 'ended') this.#end();
    }
    this.onchanges(changes);
  }

  /** Leaves quietly; the stream closes first, so leaving is not mistaken for being taken out. */
  async leave(): Promise<RoomMessage | null> {
    const id = this.room?.id;
    this.#stop();
    this.phase = 'left';
    if (!id) return null;
    const result = await leaveRoom(id);
    // Already gone for the server (ended, removed meanwhile): that is leaving all the same.
    if (!result.ok && result.error.status === 0) return summarizeRoomFailure(result.error);
    return null;
  }

  /**
   * The tab is closing or navigating away: a request that outlives the page, then the stream and
   * the sound stop, so nothing seen meanwhile (the member leaving the roster) brings them back.
   */
  leaveOnUnload(): void {
    if (this.phase !== 'inside' || !this.room) return;
    leaveRoomOnUnload(this.room.id);
    this.#stop();
    this.phase = 'left';
  }

  /** Forgets a room the member already left (the mini-player's close, or another room's page). */
  forget(): void {
    if (this.phase === 'inside') return;
    this.#reset();
  }

  /** The stream stopped listing the member without their leaving: come back, or learn why not. */
  async #regain() {
    const id = this.room?.id;
    if (!id) return;
    const result = await joinRoom(id);
    if (result.ok) {
      this.grantRole = result.data.role;
      if (this.audio.status !== 'connected')
        void this.audio.connect(result.data.livekitUrl, result.data.token);
      return;
    }
    this.#stop();
    if (result.error.code === 'room.removed') this.phase = 'removed';
    else if (result.error.code === 'room.ended') this.#end();
    else {
      this.phase = 'left';
      this.leftProblem = summarizeRoomFailure(result.error);
    }
    this.onchanges([{ kind: result.error.code === 'room.removed' ? 'removed' : 'left' }]);
  }

  /** A fresh token for the current role and a new connection (LiveKit missed a role change). */
  async reconnect(): Promise<void> {
    const id = this.room?.id;
    if (!id) return;
    const grant = await joinRoom(id);
    if (grant.ok) await this.audio.connect(grant.data.livekitUrl, grant.data.token);
  }

  /** The member ended the room (a moderator): no need to wait for the stream to say so. */
  markEnded(): void {
    if (this.phase === 'inside') this.#end();
    this.onchanges([{ kind: 'ended' }]);
  }

  #end() {
    this.ended = true;
    this.#stop();
  }

  #stop() {
    this.#closeStream?.();
    this.#closeStream = null;
    this.audio.disconnect();
    this.live?.destroy();
    this.live = null;
  }

  #reset() {
    this.#stop();
    this.room = null;
    this.phase = 'outside';
    this.grantRole = null;
    this.ended = false;
    this.leftProblem = null;
    this.notice = '';
    this.streamStatus = 'closed';
  }
}

const KEY = Symbol('room-session');

export function provideRoomSession(session: RoomSession): RoomSession {
  setContext(KEY, session);
  return session;
}

export function useRoomSession(): RoomSession {
  const session = getContext<RoomSession | undefined>(KEY);
  if (!session) throw new Error('RoomSession is provided by the root layout');
  return session;
}
