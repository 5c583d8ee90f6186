import { describe, expect, it } from 'vitest';
import type { ApiFailure } from '$lib/api';
import {
  checkForm,
  DEFAULT_QUIET_END,
  DEFAULT_QUIET_START,
  defaultPauseUntil,
  explainSettingsFailure,
  formFromSettings,
  fromLocalInput,
  type SettingsForm,
  settingsFromForm,
  toggled,
  toLocalInput,
} from './settings-form';
import type { NotificationSettings } from './types';

// Dates are built in this machine's own zone, as the browser builds them in the reader's.
const now = new Date(2025, 4, 12, 12, 0);
const settings = (patch: Partial<NotificationSettings> = {}): NotificationSettings => ({
  level: 'all',
  pausedUntil: null,
  mutedUsers: [],
  mutedClubs: [],
  quietHours: null,
  ...patch,
});
const form = (patch: Partial<SettingsForm> = {}): SettingsForm => ({
  level: 'all',
  pauseUntil: '',
  quiet: false,
  quietStart: DEFAULT_QUIET_START,
  quietEnd: DEFAULT_QUIET_END,
  timeZone: 'Europe/Paris',
  ...patch,
});

describe('local date-time inputs', () => {
  it('go back and forth', () => {
    expect(toLocalInput(new Date(2025, 0, 5, 7, 3))).toBe('2025-01-05T07:03');
    expect(fromLocalInput('2025-01-05T07:03')?.getTime()).toBe(new Date(2025, 0, 5, 7, 3).getTime());
  });

  it('refuse what is not a date', () => {
    expect(fromLocalInput('2025-02-31T10:00')).toBeNull();
    expect(fromLocalInput('tomorrow')).toBeNull();
  });

  it('a pause ends tomorrow at 8 by default', () => {
    expect(defaultPauseUntil(now)).toBe('2025-05-13T08:00');
  });
});

describe('formFromSettings', () => {
  it('starts with quiet hours off, in the browser’s zone', () => {
    expect(formFromSettings(settings(), now, 'Europe/Berlin')).toEqual(form({ timeZone: 'Europe/Berlin' }));
  });

  it('shows saved quiet hours in their own zone', () => {
    const saved = settings({ quietHours: { start: '23:00', end: '07:30', timeZone: 'America/Montreal' } });
    expect(formFromSettings(saved, now, 'Europe/Paris')).toMatchObject({
      quiet: true,
      quietStart: '23:00',
      quietEnd: '07:30',
      timeZone: 'America/Montreal',
    });
  });

  it('shows a running pause, and not one that is over', () => {
    const until = new Date(2025, 4, 14, 9, 30);
    expect(
      formFromSettings(settings({ level: 'paused', pausedUntil: until.toISOString() }), now, 'UTC'),
    ).toMatchObject({
      level: 'paused',
      pauseUntil: '2025-05-14T09:30',
    });
    const over = new Date(2025, 4, 10, 9, 30).toISOString();
    expect(formFromSettings(settings({ level: 'paused', pausedUntil: over }), now, 'UTC')).toMatchObject({
      level: 'all',
      pauseUntil: '',
    });
  });

  it('falls back on UTC when the browser names no usable zone', () => {
    expect(formFromSettings(settings(), now, 'Mars/Olympus').timeZone).toBe('UTC');
  });
});

describe('checkForm', () => {
  it('accepts the defaults', () => {
    expect(checkForm(form(), now)).toEqual({});
    expect(checkForm(form({ quiet: true }), now)).toEqual({});
  });

  it('wants a pause to end in the future', () => {
    expect(checkForm(form({ level: 'paused' }), now)).toEqual({
      pauseUntil: 'notif_settings_error_pause_missing',
    });
    expect(checkForm(form({ level: 'paused', pauseUntil: '2025-05-12T11:59' }), now)).toEqual({
      pauseUntil: 'notif_settings_error_pause_past',
    });
    expect(checkForm(form({ level: 'paused', pauseUntil: '2025-05-12T12:30' }), now)).toEqual({});
  });

  it('checks quiet hours only when they are on', () => {
    expect(checkForm(form({ quietStart: 'late' }), now)).toEqual({});
    expect(checkForm(form({ quiet: true, quietStart: '24:00', quietEnd: '' }), now)).toEqual({
      quietStart: 'notif_settings_error_time',
      quietEnd: 'notif_settings_error_time',
    });
    expect(checkForm(form({ quiet: true, quietStart: '22:00', quietEnd: '22:00' }), now)).toEqual({
      quietEnd: 'notif_settings_error_same_times',
    });
    expect(checkForm(form({ quiet: true, timeZone: 'Europe/Atlantis' }), now)).toEqual({
      timeZone: 'notif_settings_error_zone',
    });
  });
});

describe('settingsFromForm', () => {
  const base = settings({ mutedUsers: ['u1'], mutedClubs: ['c1'] });

  it('sends the whole object, with the latest mutes', () => {
    expect(settingsFromForm(form({ level: 'fewer', quiet: true }), base)).toEqual({
      level: 'fewer',
      pausedUntil: null,
      mutedUsers: ['u1'],
      mutedClubs: ['c1'],
      quietHours: { start: '22:00', end: '08:00', timeZone: 'Europe/Paris' },
    });
  });

  it('sends a pause as an instant', () => {
    const saved = settingsFromForm(form({ level: 'paused', pauseUntil: '2025-05-13T08:00' }), base);
    expect(saved.pausedUntil).toBe(new Date(2025, 4, 13, 8, 0).toISOString());
    expect(saved.quietHours).toBeNull();
  });

  it('forgets the pause date when not paused', () => {
    expect(
      settingsFromForm(form({ level: 'all', pauseUntil: '2025-05-13T08:00' }), base).pausedUntil,
    ).toBeNull();
  });
});

describe('explainSettingsFailure', () => {
  it('puts the API’s validation problems next to the fields', () => {
    const failure: ApiFailure = {
      status: 400,
      code: 'request.invalid',
      details: [
        { in: 'json', path: 'notificationSettings.quietHours.timeZone', message: 'notifications.time_zone' },
        { in: 'json', path: 'notificationSettings.quietHours.start', message: 'notifications.time_format' },
      ],
      retryAfterSeconds: null,
      requestId: null,
    };
    expect(explainSettingsFailure(failure)).toEqual({
      fields: { timeZone: 'notif_settings_error_zone', quietStart: 'notif_settings_error_time' },
      summary: null,
    });
  });

  it('says anything else for the whole form', () => {
    const failure: ApiFailure = {
      status: 0,
      code: 'network.unreachable',
      details: [],
      retryAfterSeconds: null,
      requestId: null,
    };
    expect(explainSettingsFailure(failure)).toEqual({ fields: {}, summary: { key: 'error_network' } });
  });
});

describe('toggled', () => {
  it('adds once and removes', () => {
    expect(toggled(['a'], 'b', true)).toEqual(['a', 'b']);
    expect(toggled(['a', 'b'], 'b', true)).toEqual(['a', 'b']);
    expect(toggled(['a', 'b'], 'a', false)).toEqual(['b']);
  });
});
