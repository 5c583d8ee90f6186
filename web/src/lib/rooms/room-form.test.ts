import { describe, expect, it } from 'vitest';
import {
  checkSchedule,
  checkTopic,
  localDateTimeValue,
  normaliseTopic,
  parseInvitees,
  parseUsername,
} from './room-form';

describe('the topic', () => {
  it('is counted as the API counts it', () => {
    expect(normaliseTopic('  Le   vélo\n en ville ')).toBe('Le vélo en ville');
    expect(checkTopic('   ')).toBe('room_error_topic_empty');
    expect(checkTopic('x'.repeat(60))).toBeNull();
    expect(checkTopic(` ${'x'.repeat(60)} `)).toBeNull();
    expect(checkTopic('x'.repeat(61))).toBe('room_error_topic_too_long');
  });
});

describe('the schedule', () => {
  const now = new Date('2026-11-21T12:00:00');

  it('turns the local date and time into an instant in the future', () => {
    const result = checkSchedule('2026-11-28T12:00', now);
    expect(result).toEqual({ iso: new Date('2026-11-28T12:00').toISOString() });
  });

  it('says what is wrong', () => {
    expect(checkSchedule('', now)).toEqual({ problem: 'room_error_schedule_missing' });
    expect(checkSchedule('next friday', now)).toEqual({ problem: 'room_error_schedule_invalid' });
    expect(checkSchedule('2026-11-21T11:59', now)).toEqual({ problem: 'room_error_schedule_in_past' });
  });

  it('writes a date back as a datetime-local value', () => {
    expect(localDateTimeValue(new Date(2026, 0, 5, 9, 7))).toBe('2026-01-05T09:07');
  });
});

describe('invitees', () => {
  it('reads @usernames separated any way, once each', () => {
    expect(parseInvitees('@Eloise, bastien\n@eloise;dora')).toEqual({
      usernames: ['eloise', 'bastien', 'dora'],
    });
  });

  it('needs at least one, well formed', () => {
    expect(parseInvitees(' , ')).toEqual({ problem: 'room_error_invitees_missing' });
    expect(parseInvitees('@ab')).toEqual({ problem: 'room_error_invitees_format' });
    expect(parseInvitees('élodie')).toEqual({ problem: 'room_error_invitees_format' });
  });

  it('reads one username for letting someone in', () => {
    expect(parseUsername(' @Dora ')).toBe('dora');
    expect(parseUsername('no spaces please')).toBeNull();
  });
});
