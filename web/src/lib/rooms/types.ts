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
// these mirror api/src/modules/rooms/roster.ts and stream.ts (Snapshot, RosterDiff).

export type Band = 'stage' | 'followed' | 'audience';

export interface RosterEntry {
  userId: string;
  username: string;
  displayName: string;
  isNew: boolean;
  role: RoomRole;
  band: Band;
  joinedAt: string;
  stageSince: string | null;
  /** Seen only by moderators and by the person themselves. */
  handRaised: boolean;
  /** When the hand went up; null when it is down or not visible to the viewer. */
  handRaisedAt: string | null;
  invitedToSpeak: boolean;
}

export interface StreamRoom {
  id: string;
  topic: string;
  mode: RoomMode;
  status: RoomStatus;
  recording: boolean;
}

/** The bands of listeners, which come a page at a time; the stage always comes whole. */
export type ListenerBand = Exclude<Band, 'stage'>;

/** A listener band as a snapshot carries it: its first page, its size, where to read on from. */
export interface BandPage {
  entries: RosterEntry[];
  count: number;
  nextCursor: string | null;
}

/** Raised hands, oldest first (moderators only): the head of the queue and its length. */
export interface HandsQueue {
  entries: RosterEntry[];
  count: number;
}

export interface Snapshot {
  room: StreamRoom;
  stage: RosterEntry[];
  followed: BandPage;
  audience: BandPage;
  /** Null for anyone who is not a moderator. */
  hands: HandsQueue | null;
  /** The viewer as they see themselves (their own hand included); null when not in the room. */
  you: RosterEntry | null;
}

export interface RosterDiff {
  upserts: RosterEntry[];
  removals: string[];
  counts: { followed: number; audience: number };
  /** Moderators, when the queue changed. */
  hands?: HandsQueue;
  /** When the viewer's own entry changed: as they see it, or null once they are out. */
  you?: RosterEntry | null;
}

/** `GET /v1/rooms/:id/audience`: more of a listener band. */
export type AudiencePage = Ok<ApiClient['v1']['rooms'][':id']['audience']['$get']>;

export type RoomPatch = Omit<StreamRoom, 'id'>;

export type StreamEvent =
  | { type: 'snapshot'; data: Snapshot }
  | { type: 'roster'; data: RosterDiff }
  | { type: 'room'; data: RoomPatch }
  | { type: 'reactions'; data: { counts: Partial<Record<string, number>> } }
  | { type: 'ended' }
  /** The viewer was removed from the room: the stream ends; a new join says so. */
  | { type: 'removed' };
