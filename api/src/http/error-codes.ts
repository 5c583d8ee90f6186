import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * Every error code the API answers (`{ error: { code } }`) and the HTTP status it comes with: the
 * one list. AppError accepts no other code and no other status for it, the OpenAPI document lists
 * each route's codes from here, and the web app matches on the `ErrorCode` type exported to it
 * (api/src/client.ts), so a code renamed or dropped here breaks the build where it is still used.
 *
 * Types only may be imported from this file by the web app: it stays free of server code anyway.
 */
export const ERROR_STATUS = {
  // The request itself (validate.ts, middleware.ts)
  'request.invalid': 400,
  'request.invalid_text': 400,
  'request.malformed': 400,
  'request.too_large': 413,
  'request.unsupported_media_type': 415,
  /** Another 4xx raised by the framework itself, passed on with its own status. */
  'request.rejected': 400 as ContentfulStatusCode,
  'route.not_found': 404,

  // Who is asking (sessions.ts, access.ts)
  'auth.required': 401,
  'auth.forbidden': 403,
  'csrf.origin_mismatch': 403,
  'account.suspended': 403,
  'account.banned': 403,
  'account.pending_deletion': 403,
  'account.unavailable': 403,
  'account.exists': 409,

  // The server's state
  'service.unavailable': 503,
  internal: 500,
  'sms.unavailable': 502,
  'stream.too_many': 429,

  // Budgets (ratelimit/rate-limit.ts and the services that count)
  'otp.rate_limited': 429,
  'otp.cooldown': 429,
  'otp.locked': 429,
  'otp_verify.rate_limited': 429,
  'username_check.rate_limited': 429,
  'signup.rate_limited': 429,
  'recovery.rate_limited': 429,
  'login.rate_limited': 429,
  'invite.rate_limited': 429,
  'search.rate_limited': 429,
  'report.rate_limited': 429,
  'reaction.rate_limited': 429,
  'export.too_soon': 429,

  // Phone check, sign-up, passkeys, recovery
  'phone.invalid': 400,
  'phone.not_mobile': 400,
  'phone.unsupported_country': 400,
  'otp.expired': 400,
  'otp.wrong_code': 400,
  'ticket.invalid': 400,
  'dev.sms_not_found': 404,
  'signup.refused': 403,
  'username.taken': 409,
  'passkey.ceremony_expired': 400,
  'passkey.not_verified': 400,
  'passkey.unknown': 401,
  'passkey.not_found': 404,
  'passkey.last': 409,
  'recovery.no_account': 404,
  'session.not_found': 404,

  // Invites, people
  'invite.invalid': 400,
  'invite.not_found': 404,
  'invite.quota': 409,
  'user.not_found': 404,
  'follow.self': 400,

  // Rights: export and deletion
  'export.not_found': 404,
  'export.not_ready': 409,
  'deletion.wrong_passkey': 403,
  'deletion.not_pending': 409,

  // Clubs
  'club.not_found': 404,
  'club.not_admin': 403,
  'club.not_host': 403,
  'club.invite_only': 403,
  'club.member_not_found': 404,
  'club.slug_taken': 409,
  'club.last_admin': 409,

  // Rooms
  'room.not_found': 404,
  'room.not_allowed': 403,
  'room.removed': 403,
  'room.not_moderator': 403,
  'room.not_host': 403,
  'room.host_protected': 403,
  'room.schedule_in_past': 400,
  'room.full': 409,
  'room.ended': 409,
  'room.not_live': 409,
  'room.not_present': 409,
  'room.not_ended': 409,
  'room.not_scheduled': 409,
  'room.reminder_too_late': 409,
  'stage.already_on_stage': 409,
  'stage.not_invited': 409,
  'stage.no_hand': 409,
  'stage.not_on_stage': 409,
  'stage.self': 409,
  'stage.already_moderator': 409,
  'stage.not_moderator': 409,
  'stage.host': 409,

  // Reports, moderation, appeals
  'report.target_required': 400,
  'report.law_required': 400,
  'report.at_requires_room': 400,
  'report.at_outside_room': 400,
  'report.self': 400,
  'report.target_not_found': 404,
  'report.not_found': 404,
  'mod.forbidden': 403,
  'mod.not_claimed': 403,
  'mod.conflict_of_interest': 403,
  'mod.already_claimed': 409,
  'mod.report_closed': 409,
  'decision.subject_required': 400,
  'decision.subject_unrelated': 400,
  'decision.room_required': 400,
  'decision.duration_required': 400,
  'decision.not_found': 404,
  'decision.room_ended': 409,
  'decision.subject_banned': 409,
  'appeal.same_moderator': 403,
  'appeal.not_found': 404,
  'appeal.exists': 409,
  'appeal.closed': 409,
  'appeal.window_closed': 410,
  'recording.not_found': 404,
  'recording.not_ready': 409,
  'recording.shredded': 410,
  'recording.unknown_kek': 500,
  'recording.key_invalid': 500,
  'recording.corrupt': 500,
  'playback.invalid': 403,
  'staff.user_not_found': 404,
  'staff.not_staff': 404,
  'staff.last_admin': 409,

  // LiveKit's webhooks
  'livekit.bad_signature': 401,
} as const satisfies Record<string, ContentfulStatusCode>;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** Codes some route answers with another status too (kept: clients already rely on them). */
export const OTHER_STATUSES = {
  /** Opening a room in a club that does not exist is a bad request, not a missing page. */
  'club.not_found': [400],
} as const satisfies Partial<Record<ErrorCode, readonly ContentfulStatusCode[]>>;

/** The status (or statuses) an error code comes with. */
export type ErrorStatus<C extends ErrorCode> =
  | (typeof ERROR_STATUS)[C]
  | (C extends keyof typeof OTHER_STATUSES ? (typeof OTHER_STATUSES)[C][number] : never);
/** The codes that always come with `status`, e.g. every 429. */
export type CodeWithStatus<S extends ContentfulStatusCode> = {
  [C in ErrorCode]: ErrorStatus<C> extends S ? C : never;
}[ErrorCode];
export type RateLimitCode = CodeWithStatus<429>;

export const ERROR_CODES = Object.keys(ERROR_STATUS) as ErrorCode[];
