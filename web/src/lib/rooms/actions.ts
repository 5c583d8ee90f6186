import { type ApiResult, browserApi, callApi } from '$lib/api';
import type {
  AudiencePage,
  CreateRoomInput,
  JoinGrant,
  ListenerBand,
  Reaction,
  Room,
  RoomMode,
  StageAction,
} from './types';

/**
 * The room writes, made from the browser (the API accepts cookie-authenticated writes only with
 * this site's Origin). Like callApi they never throw: each returns `{ ok, data }` or `{ ok, error }`.
 */
const rooms = () => browserApi().v1.rooms;
const param = (id: string) => ({ param: { id } });

/**
 * `key` is the same for every attempt at one form's submission: a retry after a lost answer gets
 * the room already made instead of a second one (the API's Idempotency-Key).
 */
export function createRoom(json: CreateRoomInput, key: string): Promise<ApiResult<Room>> {
  return callApi(rooms().$post({ json, header: { 'idempotency-key': key } })) as Promise<ApiResult<Room>>;
}

export function joinRoom(id: string): Promise<ApiResult<JoinGrant>> {
  return callApi(rooms()[':id'].join.$post(param(id)));
}

export function leaveRoom(id: string): Promise<ApiResult<undefined>> {
  return callApi(rooms()[':id'].leave.$post(param(id))) as Promise<ApiResult<undefined>>;
}

/**
 * Leaving when the tab closes or reloads: a keepalive request outlives the page, and being
 * same-origin it carries the Origin header the API wants. Best effort: LiveKit's webhooks and the
 * empty-room timeout catch whatever it misses.
 */
export function leaveRoomOnUnload(id: string): void {
  try {
    void fetch(`/v1/rooms/${encodeURIComponent(id)}/leave`, {
      method: 'POST',
      keepalive: true,
      credentials: 'same-origin',
    }).catch(() => {});
  } catch {
    // The page is going away; nothing left to tell anyone.
  }
}

export function setHand(id: string, raised: boolean): Promise<ApiResult<undefined>> {
  const hand = rooms()[':id'].hand;
  return callApi(raised ? hand.$put(param(id)) : hand.$delete(param(id))) as Promise<ApiResult<undefined>>;
}

export function stageAction(id: string, userId: string, action: StageAction): Promise<ApiResult<undefined>> {
  return callApi(
    rooms()[':id'].stage[':userId'].$post({ param: { id, userId }, json: { action } }),
  ) as Promise<ApiResult<undefined>>;
}

export function react(id: string, emoji: Reaction): Promise<ApiResult<undefined>> {
  return callApi(rooms()[':id'].reactions.$post({ ...param(id), json: { emoji } })) as Promise<
    ApiResult<undefined>
  >;
}

/** More listeners of a band, after `cursor` (the stream carries the first page). */
export function readAudience(
  id: string,
  band: ListenerBand,
  cursor: string | null,
  limit: number,
): Promise<ApiResult<AudiencePage>> {
  return callApi(
    rooms()[':id'].audience.$get({
      ...param(id),
      query: { band, limit: String(limit), ...(cursor ? { cursor } : {}) },
    }),
  ) as Promise<ApiResult<AudiencePage>>;
}

export function updateRoom(id: string, patch: { topic?: string; mode?: RoomMode }): Promise<ApiResult<Room>> {
  return callApi(rooms()[':id'].$patch({ ...param(id), json: patch })) as Promise<ApiResult<Room>>;
}

export function startRoom(id: string): Promise<ApiResult<Room>> {
  return callApi(rooms()[':id'].start.$post(param(id))) as Promise<ApiResult<Room>>;
}

export function endRoom(id: string): Promise<ApiResult<undefined>> {
  return callApi(rooms()[':id'].end.$post(param(id))) as Promise<ApiResult<undefined>>;
}

export function letIntoRoom(id: string, username: string): Promise<ApiResult<undefined>> {
  return callApi(rooms()[':id'].invites.$post({ ...param(id), json: { username } })) as Promise<
    ApiResult<undefined>
  >;
}

/**
 * What to do when a room's page opens right after the form that made it: enter the room just
 * created (its host need not press Join after pressing Start), or say that it is scheduled.
 * Kept in memory only, so a reload simply shows the page.
 */
const arrivals = new Map<string, 'enter' | 'scheduled'>();

export function enterOnArrivalAt(id: string): void {
  arrivals.set(id, 'enter');
}

export function noteScheduled(id: string): void {
  arrivals.set(id, 'scheduled');
}

/** The arrival noted for a room, once. */
export function takeArrival(id: string): 'enter' | 'scheduled' | null {
  const arrival = arrivals.get(id) ?? null;
  arrivals.delete(id);
  return arrival;
}
