import { AppError } from '../../http/errors';

/** Errors about a room's place in time: its summary, its calendar event and its reminder. */
export const scheduleErrors = {
  notEnded: () => new AppError(409, 'room.not_ended', 'This room has not ended yet.'),
  notScheduled: () =>
    new AppError(409, 'room.not_scheduled', 'This room is not scheduled: it has already started or ended.'),
  reminderTooLate: () =>
    new AppError(
      409,
      'room.reminder_too_late',
      'This room starts in less than 10 minutes: there is no time left for a reminder.',
    ),
};
