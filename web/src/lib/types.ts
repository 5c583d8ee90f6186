import type { InferResponseType } from 'hono/client';
import type { ApiClient } from './api';

type Ok<T> = InferResponseType<T, 200>;

/** The signed-in member (`GET /v1/me`). */
export type Me = Ok<ApiClient['v1']['me']['$get']>;
/** A public profile (`GET /v1/users/:username`). */
export type Profile = Ok<ApiClient['v1']['users'][':username']['$get']>;
export type InviteCheck = Ok<ApiClient['v1']['invites'][':code']['$get']>;
export type Inviter = NonNullable<InviteCheck['inviter']>;
export type Passkey = Ok<ApiClient['v1']['me']['passkeys']['$get']>['passkeys'][number];
export type Session = Ok<ApiClient['v1']['me']['sessions']['$get']>['sessions'][number];
export type InviteList = Ok<ApiClient['v1']['me']['invites']['$get']>;
export type Invite = InviteList['invites'][number];
export type Meta = Ok<ApiClient['v1']['meta']['$get']>;
export type SearchPage = Ok<ApiClient['v1']['search']['$get']>;
export type Person = SearchPage['people'][number];
export type CreationOptions = Ok<ApiClient['v1']['auth']['signup']['$post']>;
export type RecoveryStart = Ok<ApiClient['v1']['auth']['recovery']['$post']>;
