import {
  type BandPage,
  type HandsQueue,
  ROOM_MODES,
  type RosterDiff,
  type RosterEntry,
  type StreamEvent,
  type StreamRoom,
} from './types';

/** Listeners per band in a snapshot (the API's BAND_PAGE): below it, arrivals come on the stream. */
export const PAGE = 48;

/** Everyone in the room by user id. Replaced, never mutated, so a change is one assignment. */
export type Roster = ReadonlyMap<string, RosterEntry>;

export interface Bands {
  /** Moderators first, then speakers, each in the order they went on stage. */
  stage: RosterEntry[];
  /** Listeners someone on stage follows. */
  followed: RosterEntry[];
  /** Everyone else, in the order they came in. */
  audience: RosterEntry[];
}

export function rosterOf(entries: readonly RosterEntry[]): Roster {
  return new Map(entries.map((entry) => [entry.userId, entry]));
}

/**
 * The roster after a `roster` event: entries added or replaced, people who left removed. The
 * viewer holds the stage and the start of each listener band (its first page, and whatever pages
 * they loaded since); a listener not held yet is taken in only where they belong to that start —
 * in the first page, or before the last one held — so each band stays the room's order without a
 * gap. The others are counted, and come with the next page.
 */
export function applyDiff(roster: Roster, diff: Pick<RosterDiff, 'upserts' | 'removals'>): Roster {
  if (diff.upserts.length === 0 && diff.removals.length === 0) return roster;
  const next = new Map(roster);
  for (const id of diff.removals) next.delete(id);
  for (const entry of diff.upserts) {
    if (next.has(entry.userId) || entry.role !== 'listener' || belongs(next, entry))
      next.set(entry.userId, entry);
  }
  return next;
}

function belongs(roster: Roster, entry: RosterEntry): boolean {
  let earlier = 0;
  for (const other of roster.values()) {
    if (other.role !== 'listener' || other.band !== entry.band) continue;
    if (byArrival(other, entry) < 0) earlier++;
    else return true;
  }
  return earlier < PAGE;
}

/** The roster with a page of listeners added (the stream's version of anyone already held wins). */
export function addPage(roster: Roster, entries: readonly RosterEntry[]): Roster {
  const next = new Map(roster);
  for (const entry of entries) if (!next.has(entry.userId)) next.set(entry.userId, entry);
  return next;
}

const time = (iso: string | null) => (iso ? Date.parse(iso) || 0 : 0);

function byStage(a: RosterEntry, b: RosterEntry): number {
  const rank = (e: RosterEntry) => (e.role === 'moderator' ? 0 : 1);
  return (
    rank(a) - rank(b) ||
    time(a.stageSince) - time(b.stageSince) ||
    time(a.joinedAt) - time(b.joinedAt) ||
    a.userId.localeCompare(b.userId)
  );
}

/** Arrival, then id compared as the API compares it (code units, not the locale's collation). */
function byArrival(a: RosterEntry, b: RosterEntry): number {
  return time(a.joinedAt) - time(b.joinedAt) || (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0);
}

/** The three bands the room shows. The role decides the stage, whatever band the server sent. */
export function bandsOf(roster: Roster): Bands {
  const bands: Bands = { stage: [], followed: [], audience: [] };
  for (const entry of roster.values()) {
    if (entry.role !== 'listener') bands.stage.push(entry);
    else if (entry.band === 'followed') bands.followed.push(entry);
    else bands.audience.push(entry);
  }
  bands.stage.sort(byStage);
  bands.followed.sort(byArrival);
  bands.audience.sort(byArrival);
  return bands;
}

// ---------------------------------------------------------------------------------------------
// Stream payloads are checked before use: a malformed message is dropped, never half-applied.

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const ROLES = ['moderator', 'speaker', 'listener'] as const;
const BANDS = ['stage', 'followed', 'audience'] as const;
const STATUSES = ['scheduled', 'live', 'ended'] as const;

function oneOf<T extends string>(values: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (values as readonly string[]).includes(value);
}

export function parseEntry(value: unknown): RosterEntry | null {
  if (!isRecord(value)) return null;
  const { userId, username, displayName, role, band, joinedAt, stageSince } = value;
  if (typeof userId !== 'string' || typeof username !== 'string' || typeof displayName !== 'string') {
    return null;
  }
  if (!oneOf(ROLES, role) || !oneOf(BANDS, band) || typeof joinedAt !== 'string') return null;
  return {
    userId,
    username,
    displayName,
    isNew: value.isNew === true,
    role,
    band,
    joinedAt,
    stageSince: typeof stageSince === 'string' ? stageSince : null,
    handRaised: value.handRaised === true,
    handRaisedAt: typeof value.handRaisedAt === 'string' ? value.handRaisedAt : null,
    invitedToSpeak: value.invitedToSpeak === true,
  };
}

function parseEntries(value: unknown): RosterEntry[] | null {
  if (!Array.isArray(value)) return null;
  const entries = value.map(parseEntry);
  return entries.every((e) => e !== null) ? (entries as RosterEntry[]) : null;
}

function count(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : null;
}

function parseBand(value: unknown): BandPage | null {
  if (!isRecord(value)) return null;
  const entries = parseEntries(value.entries);
  const size = count(value.count);
  if (!entries || size === null) return null;
  return { entries, count: size, nextCursor: typeof value.nextCursor === 'string' ? value.nextCursor : null };
}

function parseHands(value: unknown): HandsQueue | null {
  if (!isRecord(value)) return null;
  const entries = parseEntries(value.entries);
  const size = count(value.count);
  return entries && size !== null ? { entries, count: size } : null;
}

function parseRoomFields(value: unknown): Omit<StreamRoom, 'id'> | null {
  if (!isRecord(value)) return null;
  const { topic, mode, status } = value;
  if (typeof topic !== 'string' || !oneOf(ROOM_MODES, mode) || !oneOf(STATUSES, status)) return null;
  return { topic, mode, status, recording: value.recording === true };
}

/** One Server-Sent Event of the room stream, or null when it is not one we understand. */
export function parseStreamEvent(type: string, raw: string): StreamEvent | null {
  if (type === 'ended') return { type: 'ended' };
  if (type === 'removed') return { type: 'removed' };
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return null;
  }
  if (!isRecord(data)) return null;
  switch (type) {
    case 'snapshot': {
      const room = parseRoomFields(data.room);
      const stage = parseEntries(data.stage);
      const followed = parseBand(data.followed);
      const audience = parseBand(data.audience);
      const hands = data.hands === null || data.hands === undefined ? null : parseHands(data.hands);
      const id = isRecord(data.room) ? data.room.id : undefined;
      if (!room || !stage || !followed || !audience || typeof id !== 'string') return null;
      if (hands === null && data.hands) return null;
      const you = data.you === null || data.you === undefined ? null : parseEntry(data.you);
      return { type, data: { room: { id, ...room }, stage, followed, audience, hands, you } };
    }
    case 'roster': {
      const upserts = parseEntries(data.upserts);
      const removals = Array.isArray(data.removals)
        ? data.removals.filter((r) => typeof r === 'string')
        : null;
      const counts = isRecord(data.counts)
        ? { followed: count(data.counts.followed), audience: count(data.counts.audience) }
        : null;
      if (!upserts || !removals || counts?.followed == null || counts.audience == null) return null;
      const diff: RosterDiff = {
        upserts,
        removals,
        counts: { followed: counts.followed, audience: counts.audience },
      };
      if (data.hands !== undefined) {
        const hands = parseHands(data.hands);
        if (!hands) return null;
        diff.hands = hands;
      }
      if ('you' in data) diff.you = data.you === null ? null : parseEntry(data.you);
      return { type, data: diff };
    }
    case 'room': {
      const room = parseRoomFields(data);
      return room ? { type, data: room } : null;
    }
    case 'reactions': {
      if (!isRecord(data.counts)) return null;
      const counts: Record<string, number> = {};
      for (const [emoji, n] of Object.entries(data.counts)) {
        if (typeof n === 'number' && Number.isFinite(n) && n > 0) counts[emoji] = n;
      }
      return { type, data: { counts } };
    }
    default:
      return null;
  }
}

// ---------------------------------------------------------------------------------------------
// What changed for the viewer, so the page can say it (aria-live) rather than leave it to be noticed.

export type RoomChange =
  | { kind: 'on_stage' }
  | { kind: 'to_audience' }
  | { kind: 'now_moderator' }
  | { kind: 'no_longer_moderator' }
  | { kind: 'invited' }
  | { kind: 'gone' }
  | { kind: 'hand_raised'; name: string }
  | { kind: 'topic'; topic: string }
  | { kind: 'mode'; mode: StreamRoom['mode'] }
  | { kind: 'ended' }
  /** Coming back after `gone` failed: removed by a moderator, or out for another reason. */
  | { kind: 'removed' }
  | { kind: 'left' };

export interface ViewState {
  room: StreamRoom | null;
  roster: Roster;
  /** The viewer's own entry; null when they are not (or no longer) in the room. */
  you: RosterEntry | null;
  /** Moderators: the head of the queue of raised hands, and its length. */
  hands: HandsQueue;
}

/**
 * The changes worth telling the viewer about between two states. `fresh` marks a snapshot that
 * replaced everything (a reconnection, or becoming a moderator): hands already up then are not news.
 */
export function changesBetween(before: ViewState, after: ViewState, fresh: boolean): RoomChange[] {
  const changes: RoomChange[] = [];
  const was = before.you;
  const now = after.you;
  if (was && !now) {
    if (after.room?.status !== 'ended') changes.push({ kind: 'gone' });
  } else if (was && now) {
    if (was.role === 'listener' && now.role !== 'listener') changes.push({ kind: 'on_stage' });
    if (was.role !== 'listener' && now.role === 'listener') changes.push({ kind: 'to_audience' });
    if (was.role !== 'moderator' && now.role === 'moderator') changes.push({ kind: 'now_moderator' });
    if (was.role === 'moderator' && now.role === 'speaker') changes.push({ kind: 'no_longer_moderator' });
    if (!was.invitedToSpeak && now.invitedToSpeak) changes.push({ kind: 'invited' });
  } else if (!was && now?.invitedToSpeak) {
    changes.push({ kind: 'invited' });
  }
  if (before.room && after.room) {
    if (before.room.topic !== after.room.topic) changes.push({ kind: 'topic', topic: after.room.topic });
    if (before.room.mode !== after.room.mode) changes.push({ kind: 'mode', mode: after.room.mode });
    if (before.room.status !== 'ended' && after.room.status === 'ended') changes.push({ kind: 'ended' });
  }
  if (!fresh && now?.role === 'moderator') {
    // As many hands are news as the queue grew by, the latest new to its head: one that only
    // moved up into the head as older hands were dealt with is not.
    const had = new Set(before.hands.entries.map((e) => e.userId));
    const raised = after.hands.entries
      .filter((e) => e.userId !== now.userId && !had.has(e.userId))
      .sort((a, b) => time(b.handRaisedAt) - time(a.handRaisedAt))
      .slice(0, Math.max(0, after.hands.count - before.hands.count))
      .reverse();
    for (const entry of raised) changes.push({ kind: 'hand_raised', name: entry.displayName });
  }
  return changes;
}
