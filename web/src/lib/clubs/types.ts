import type { InferResponseType } from 'hono/client';
import type { ApiClient } from '$lib/api';

type Ok<T> = InferResponseType<T, 200>;

/** `GET /v1/clubs`: the clubs I belong to and the ones I follow. */
export type MyClubs = Ok<ApiClient['v1']['clubs']['$get']>;
/** `GET /v1/clubs/:slug`: a club as the signed-in member may see it. */
export type ClubPage = Ok<ApiClient['v1']['clubs'][':slug']['$get']>;
export type ClubMember = NonNullable<ClubPage['members']>[number];
export type ClubRoom = ClubPage['rooms'][number];
export type JoinPolicy = ClubPage['joinPolicy'];
export type RoomVisibility = ClubPage['roomVisibility'];
export type ClubRole = 'admin' | 'leader' | 'member';

export const JOIN_POLICIES = ['open', 'approval', 'invite'] as const satisfies readonly JoinPolicy[];
export const ROOM_VISIBILITIES = ['members', 'followers'] as const satisfies readonly RoomVisibility[];
export const CLUB_ROLES = ['admin', 'leader', 'member'] as const satisfies readonly ClubRole[];
