import type { InferRequestType, InferResponseType } from 'hono/client';
import type { ApiClient } from '$lib/api';

/**
 * The moderation API's shapes (reports, decisions, appeals, staff), read from the typed client:
 * what the routes return is what the pages get, with no second copy to keep in step. `api.ts` is
 * the only place that calls those endpoints.
 */

type Ok<T> = InferResponseType<T, 200>;
type Created<T> = InferResponseType<T, 201>;
type Mod = ApiClient['v1']['mod'];
type MeApi = ApiClient['v1']['me'];

/** `GET /v1/mod/reports`: a page of the queue. */
export type ReportQueuePage = Ok<Mod['reports']['$get']>;
export type ReportSummary = ReportQueuePage['reports'][number];
/** `GET /v1/mod/reports/:id`: a report with its evidence. */
export type ReportCase = Ok<Mod['reports'][':id']['$get']>;
export type ReportDetail = ReportCase['report'];
export type TimelineEvent = ReportCase['timeline'][number];
export type Recording = ReportCase['recordings'][number];
/** Someone in a room's timeline or recordings; `id` lets a decision be about them. */
export type RoomPerson = NonNullable<Recording['speaker']>;

/** A decision and its statement of reasons (DSA art. 17), as the person it is about sees it. */
export type Decision = Ok<MeApi['decisions']['$get']>['decisions'][number];
export type Appeal = NonNullable<Decision['appeal']>;
/** `GET /v1/me/reports`: a report the member made. */
export type MyReport = Ok<MeApi['reports']['$get']>['reports'][number];
export type StaffAppeal = Ok<Mod['appeals']['$get']>['appeals'][number];
export type StaffMember = Ok<Mod['staff']['$get']>['staff'][number];
export type Playback = Created<Mod['reports'][':id']['playbacks']['$post']>;

export type NewReport = InferRequestType<ApiClient['v1']['reports']['$post']>['json'];
export type NewDecision = InferRequestType<Mod['reports'][':id']['decision']['$post']>['json'];

export type ReportCategory = NewReport['category'];
export type DecisionAction = NewDecision['action'];
export type Ground = NewDecision['ground'];
export type ReportStatus = ReportSummary['status'];
export type AppealStatus = StaffAppeal['status'];
export type AppealOutcome = InferRequestType<Mod['appeals'][':id']['decision']['$post']>['json']['outcome'];
export type StaffRole = StaffMember['role'];

/** The values of a union as a list, in the order given; a missing or unknown value fails the type check. */
const allOf =
  <T extends string>() =>
  <const L extends readonly T[]>(
    list: L & ([T] extends [L[number]] ? unknown : { missing: Exclude<T, L[number]> }),
  ): L =>
    list;

// In the order the forms offer them.
export const REPORT_CATEGORIES = allOf<ReportCategory>()([
  'illegal',
  'harassment',
  'hate',
  'violence',
  'sexual',
  'spam_scam',
  'impersonation',
  'other',
]);
export const DECISION_ACTIONS = allOf<DecisionAction>()([
  'dismiss',
  'warn',
  'remove_from_room',
  'end_room',
  'suspend',
  'ban',
]);
export const GROUNDS = allOf<Ground>()(['law', 'terms']);

/** Limits the API enforces (checked here first, so people hear about them before sending). */
export const LIMITS = {
  law: { min: 1, max: 200 },
  description: { min: 10, max: 2000 },
  appeal: { min: 10, max: 2000 },
  playbackReason: { min: 5, max: 500 },
  facts: { min: 10, max: 5000 },
  groundDetail: { min: 3, max: 500 },
  scope: { min: 3, max: 300 },
  durationDays: { min: 1, max: 365 },
  appealReasons: { min: 10, max: 2000 },
} as const;

export interface QueueFilters {
  status: ReportStatus;
  category: ReportCategory | '';
  claim: 'any' | 'mine' | 'unclaimed';
}
