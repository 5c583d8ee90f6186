import type { RoomStreamMessage, StreamRoom } from '@salon/api/client';
import type { InferRequestType, InferResponseType } from 'hono/client';
import type { ApiClient } from '$lib/api';

type Ok<T> = InferResponseType<T, 200>;

/** `GET /v1/hallway`. */
export type HallwayPage = Ok<ApiClient['v1']['hallway']['$get']>;
export type LiveCard = HallwayPage['live'][number];
export type UpcomingCard = HallwayPage['upcoming'][number];

/** `GET /v1/rooms/:id`: the room as the viewer may see it. */
export type Room = Ok<ApiClient['v1']['rooms'][':id']['$get']>;
export type RoomMode = Room['mode'];
export type RoomStatus = Room['status'];
export type RoomRole = NonNullable<Room['me']>['role'];

/** `POST /v1/rooms` body. */
export type CreateRoomInput = InferRequestType<ApiClient['v1']['rooms']['$post']>['json'];

/** `POST /v1/rooms/:id/join`. */
export type JoinGrant = Ok<ApiClient['v1']['rooms'][':id']['join']['$post']>;

/** `POST /v1/rooms/:id/stage/:userId` actions. */
export type StageAction = InferRequestType<
  ApiClient['v1']['rooms'][':id']['stage'][':userId']['$post']
>['json']['action'];

/** `GET /v1/clubs`. */
export type MyClubs = Ok<ApiClient['v1']['clubs']['$get']>;

export const ROOM_MODES = ['open', 'social', 'closed', 'club'] as const satisfies readonly RoomMode[];

/** The fixed reactions the API accepts, in the order the bar shows them. */
export const REACTIONS = ['👏', '❤️', '😂', '🔥', '👍', '🙌'] as const;
export type Reaction = (typeof REACTIONS)[number];

export const TOPIC_MAX = 60;

/** One entry of a person's moderator menu. */
export interface MenuItem {
  id: string;
  label: string;
  danger?: boolean;
}
export const INTERESTS_MAX = 3;

// ---------------------------------------------------------------------------------------------
// The room stream (`GET /v1/rooms/:id/events`, Server-Sent Events) is not typed by the client:
// its messages are the API's own types (api/src/client.ts, from rooms/stream.ts and roster.ts).

export type {
  Band,
  BandPage,
  HandsQueue,
  ListenerBand,
  RoomSnapshot as Snapshot,
  RosterDiff,
  RosterEntry,
  StreamRoom,
} from '@salon/api/client';

/** `GET /v1/rooms/:id/audience`: more of a listener band. */
export type AudiencePage = Ok<ApiClient['v1']['rooms'][':id']['audience']['$get']>;

/** A change of the room's facts, as the page keeps it (the room's id does not change). */
export type RoomPatch = Omit<StreamRoom, 'id'>;

/** A stream message as the page reads it: the API's, with a room change kept as a patch. */
export type StreamEvent = Exclude<RoomStreamMessage, { type: 'room' }> | { type: 'room'; data: RoomPatch };
