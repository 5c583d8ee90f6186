import type { ApiFailure } from '$lib/api';
import { explainFailure, type MessageRef } from '$lib/errors/explain';
import type { NotificationLevel, NotificationSettings } from './types';

/**
 * The notification settings form, as the person edits it. Dates and times are what the inputs
 * hold: `pauseUntil` is a `datetime-local` value in the reader's own time zone, quiet hours are
 * `HH:MM` read in `timeZone` (the API compares them in that zone, whatever the device's).
 */
export interface SettingsForm {
  level: NotificationLevel;
  pauseUntil: string;
  quiet: boolean;
  quietStart: string;
  quietEnd: string;
  timeZone: string;
}

export type SettingsField = 'pauseUntil' | 'quietStart' | 'quietEnd' | 'timeZone';

export const SETTINGS_ERROR_KEYS = [
  'notif_settings_error_pause_missing',
  'notif_settings_error_pause_past',
  'notif_settings_error_time',
  'notif_settings_error_same_times',
  'notif_settings_error_zone',
] as const;
export type SettingsErrorKey = (typeof SETTINGS_ERROR_KEYS)[number];

export type SettingsProblems = Partial<Record<SettingsField, SettingsErrorKey>>;

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;
export const DEFAULT_QUIET_START = '22:00';
export const DEFAULT_QUIET_END = '08:00';

const pad = (n: number) => String(n).padStart(2, '0');

/** A moment as a `datetime-local` value, in this device's time zone. */
export function toLocalInput(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** A `datetime-local` value (this device's time zone) as a moment, or null if it is not one. */
export function fromLocalInput(value: string): Date | null {
  const parts = LOCAL_DATE_TIME.exec(value.trim());
  if (!parts) return null;
  const [year, month, day, hour, minute] = parts.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const date = new Date(year, month - 1, day, hour, minute);
  // 31 February and the like roll over: refuse them rather than guess.
  if (date.getMonth() !== month - 1 || date.getDate() !== day) return null;
  return date;
}

/** A pause's default end: tomorrow morning at 8. */
export function defaultPauseUntil(now: Date): string {
  const tomorrow = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1, 8, 0);
  return toLocalInput(tomorrow);
}

export function isTimeZone(zone: string): boolean {
  if (!zone) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * The form for saved settings. A pause whose date has passed no longer applies (the API then
 * notifies as usual), so the form shows "all" rather than a pause in the past.
 */
export function formFromSettings(
  settings: NotificationSettings,
  now: Date,
  browserZone: string,
): SettingsForm {
  const pausedUntil = settings.pausedUntil ? new Date(settings.pausedUntil) : null;
  const pauseOver = settings.level === 'paused' && pausedUntil !== null && pausedUntil <= now;
  const quiet = settings.quietHours;
  return {
    level: pauseOver ? 'all' : settings.level,
    pauseUntil: !pauseOver && pausedUntil && settings.level === 'paused' ? toLocalInput(pausedUntil) : '',
    quiet: quiet !== null,
    quietStart: quiet?.start ?? DEFAULT_QUIET_START,
    quietEnd: quiet?.end ?? DEFAULT_QUIET_END,
    timeZone: quiet?.timeZone ?? (isTimeZone(browserZone) ? browserZone : 'UTC'),
  };
}

/** What is wrong with the form, by field; empty when it can be saved. */
export function checkForm(form: SettingsForm, now: Date): SettingsProblems {
  const problems: SettingsProblems = {};
  if (form.level === 'paused') {
    const until = form.pauseUntil.trim() === '' ? null : fromLocalInput(form.pauseUntil);
    if (form.pauseUntil.trim() === '') problems.pauseUntil = 'notif_settings_error_pause_missing';
    else if (!until) problems.pauseUntil = 'notif_settings_error_pause_missing';
    else if (until <= now) problems.pauseUntil = 'notif_settings_error_pause_past';
  }
  if (form.quiet) {
    if (!TIME.test(form.quietStart)) problems.quietStart = 'notif_settings_error_time';
    if (!TIME.test(form.quietEnd)) problems.quietEnd = 'notif_settings_error_time';
    if (!problems.quietStart && !problems.quietEnd && form.quietStart === form.quietEnd) {
      problems.quietEnd = 'notif_settings_error_same_times';
    }
    if (!isTimeZone(form.timeZone)) problems.timeZone = 'notif_settings_error_zone';
  }
  return problems;
}

/**
 * The full settings object PATCH /v1/me expects. Mutes come from `base`, the latest saved
 * settings, so that saving this form never brings back someone unmuted elsewhere.
 */
export function settingsFromForm(form: SettingsForm, base: NotificationSettings): NotificationSettings {
  const until = form.level === 'paused' ? fromLocalInput(form.pauseUntil) : null;
  return {
    level: form.level,
    pausedUntil: until ? until.toISOString() : null,
    mutedUsers: [...base.mutedUsers],
    mutedClubs: [...base.mutedClubs],
    quietHours: form.quiet ? { start: form.quietStart, end: form.quietEnd, timeZone: form.timeZone } : null,
  };
}

/** The API's validation problems, by field, when the browser's check let something through. */
export function explainSettingsFailure(failure: ApiFailure): {
  fields: SettingsProblems;
  summary: MessageRef | null;
} {
  const fields: SettingsProblems = {};
  if (failure.code === 'request.invalid') {
    for (const detail of failure.details) {
      if (typeof detail !== 'object' || detail === null) continue;
      const { path, message } = detail as { path?: unknown; message?: unknown };
      if (typeof path !== 'string') continue;
      if (path.endsWith('quietHours.start')) fields.quietStart = 'notif_settings_error_time';
      else if (path.endsWith('quietHours.end')) fields.quietEnd = 'notif_settings_error_time';
      else if (path.endsWith('quietHours.timeZone') || message === 'notifications.time_zone') {
        fields.timeZone = 'notif_settings_error_zone';
      } else if (path.endsWith('pausedUntil')) fields.pauseUntil = 'notif_settings_error_pause_missing';
    }
    if (Object.keys(fields).length > 0) return { fields, summary: null };
  }
  const general = explainFailure(failure);
  return { fields, summary: general.summary ?? { key: 'error_unknown' } };
}

/** Adds or removes an id from a mute list, keeping the others in order. */
export function toggled(list: readonly string[], id: string, on: boolean): string[] {
  const without = list.filter((item) => item !== id);
  return on ? [...without, id] : without;
}
