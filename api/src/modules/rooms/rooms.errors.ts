import type { ErrorCode } from '../../http/error-codes';
import { AppError } from '../../http/errors';

/** Why a stage change does not apply (`stage.<reason>`, error-codes.ts). */
export type StageReason = Extract<ErrorCode, `stage.${string}`> extends `stage.${infer R}` ? R : never;

export const roomErrors = {
  notFound: () => new AppError(404, 'room.not_found', 'This room does not exist or is not open to you.'),
  notAllowed: () => new AppError(403, 'room.not_allowed', 'This room is open only to people the host chose.'),
  removed: () => new AppError(403, 'room.removed', 'A moderator removed you from this room.'),
  full: (capacity: number) =>
    new AppError(409, 'room.full', `This room is full (${capacity} people).`, [{ capacity }]),
  ended: () => new AppError(409, 'room.ended', 'This room has ended.'),
  notLive: () => new AppError(409, 'room.not_live', 'This room has not started yet.'),
  notModerator: () => new AppError(403, 'room.not_moderator', 'Only the room’s moderators can do this.'),
  notHost: () => new AppError(403, 'room.not_host', 'Only the host can do this.'),
  notPresent: () => new AppError(409, 'room.not_present', 'Join the room first.'),
  stage: (reason: StageReason) =>
    new AppError(409, `stage.${reason}` as const, 'This change does not apply to this person now.'),
  clubUnavailable: () => new AppError(400, 'club.not_found', 'No such club.'),
  scheduleInPast: () => new AppError(400, 'room.schedule_in_past', 'Choose a time in the future.'),
};
