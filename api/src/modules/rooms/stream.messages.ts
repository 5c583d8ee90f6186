import type { roomModes, roomStatuses } from '@salon/db/schema';
import type { RoomFacts } from './roster';
import type { RoomStreamEvent, RosterDiff, Snapshot } from './stream';

/**
 * The messages of a room's stream (`GET /v1/rooms/:id/events`, Server-Sent Events) as a client
 * reads them: each event name with its data. The shapes are stream.ts's and roster.ts's; this
 * only pairs them with their names, for the web app (through api/src/client.ts, as types only).
 */

/** The room's facts, with the values its mode and status can take. */
export type StreamRoom = RoomFacts & {
  mode: (typeof roomModes)[number];
  status: (typeof roomStatuses)[number];
};

export type RoomSnapshot = Omit<Snapshot, 'room'> & { room: StreamRoom };

/** What each event carries; `undefined` for the events that carry nothing. */
interface MessageData {
  snapshot: RoomSnapshot;
  roster: RosterDiff;
  room: StreamRoom;
  /** Reactions of the last moment, by emoji. */
  reactions: { counts: Partial<Record<string, number>> };
  ended: undefined;
  /** The viewer was removed from the room: the stream ends. */
  removed: undefined;
}

/** One message of the stream; an event stream.ts sends without an entry above does not compile. */
export type RoomStreamMessage = {
  [E in RoomStreamEvent]: MessageData[E] extends undefined ? { type: E } : { type: E; data: MessageData[E] };
}[RoomStreamEvent];
