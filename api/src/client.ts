/**
 * What the web app takes from the API, as types only (`import type`): nothing here reaches the
 * browser bundle. `AppType` types the `hc` client; the rest are the vocabularies a client matches
 * on, declared once on the API side.
 */
export type { AppType } from './app';
export type { ErrorCode } from './http/error-codes';
export type { Band, ListenerBand, RosterEntry } from './modules/rooms/roster';
export type { BandPage, HandsQueue, RosterDiff } from './modules/rooms/stream';
export type { RoomSnapshot, RoomStreamMessage, StreamRoom } from './modules/rooms/stream.messages';
