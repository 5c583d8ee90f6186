import { AppError } from '../../http/errors';

export const modErrors = {
  reportNotFound: () => new AppError(404, 'report.not_found', 'No such report.'),
  alreadyClaimed: () =>
    new AppError(409, 'mod.already_claimed', 'Another moderator is working on this report.'),
  notClaimed: () => new AppError(403, 'mod.not_claimed', 'Claim this report first.'),
  reportClosed: () => new AppError(409, 'mod.report_closed', 'This report has already been decided.'),
  conflict: () =>
    new AppError(
      403,
      'mod.conflict_of_interest',
      'You made this report or it is about you: another moderator must handle it.',
    ),
  recordingNotFound: () => new AppError(404, 'recording.not_found', 'No such recording for this report.'),
  recordingShredded: () =>
    new AppError(410, 'recording.shredded', 'This recording has been destroyed (30-day retention).'),
  recordingNotReady: () =>
    new AppError(409, 'recording.not_ready', 'This recording is still being made or did not complete.'),
  playbackInvalid: () =>
    new AppError(403, 'playback.invalid', 'This playback link has expired or is not yours. Start it again.'),
  subjectRequired: () =>
    new AppError(400, 'decision.subject_required', 'This decision needs the person it is about.'),
  subjectUnrelated: () =>
    new AppError(
      400,
      'decision.subject_unrelated',
      'A decision can only be about the reported person or someone who was in the reported room.',
    ),
  roomRequired: () => new AppError(400, 'decision.room_required', 'This decision needs a reported room.'),
  roomEnded: () => new AppError(409, 'decision.room_ended', 'This room has already ended.'),
  durationRequired: () =>
    new AppError(400, 'decision.duration_required', 'A suspension needs a duration (1 to 365 days).'),
  subjectBanned: () => new AppError(409, 'decision.subject_banned', 'This account is already banned.'),
  decisionNotFound: () => new AppError(404, 'decision.not_found', 'No such decision about you.'),
  appealExists: () => new AppError(409, 'appeal.exists', 'You have already appealed this decision.'),
  appealWindowClosed: () =>
    new AppError(410, 'appeal.window_closed', 'Appeals are possible for six months after a decision.'),
  appealNotFound: () => new AppError(404, 'appeal.not_found', 'No such appeal.'),
  appealClosed: () => new AppError(409, 'appeal.closed', 'This appeal has already been decided.'),
  sameModerator: () =>
    new AppError(403, 'appeal.same_moderator', 'An appeal is decided by a different moderator.'),
};
