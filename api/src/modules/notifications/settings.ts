import { z } from 'zod';

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'notifications.time_format' });
const timeZone = z.string().refine(
  (zone) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'notifications.time_zone' },
);

/**
 * What a member wants to hear about. `fewer` keeps only what concerns them directly and rooms
 * opened by people they follow; a pause and quiet hours keep notifications in the list but never
 * announce them live.
 */
export const notificationSettings = z.strictObject({
  level: z.enum(['all', 'fewer', 'paused']).default('all'),
  pausedUntil: z.iso.datetime({ offset: true }).nullable().default(null),
  mutedUsers: z.array(z.uuid()).max(500).default([]),
  mutedClubs: z.array(z.uuid()).max(500).default([]),
  quietHours: z.strictObject({ start: time, end: time, timeZone }).nullable().default(null),
});
export type NotificationSettings = z.infer<typeof notificationSettings>;

/** Stored settings are parsed leniently: anything unreadable falls back to the defaults. */
export function readSettings(stored: unknown): NotificationSettings {
  const parsed = notificationSettings.safeParse(stored ?? {});
  return parsed.success ? parsed.data : notificationSettings.parse({});
}

export function isPaused(settings: NotificationSettings, now: Date) {
  if (settings.level !== 'paused') return false;
  return settings.pausedUntil === null || new Date(settings.pausedUntil) > now;
}

/** Whether `now` falls in the member's quiet hours, read in their own time zone. */
export function inQuietHours(settings: NotificationSettings, now: Date) {
  const quiet = settings.quietHours;
  if (!quiet) return false;
  const local = new Intl.DateTimeFormat('en-GB', {
    timeZone: quiet.timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(now);
  return quiet.start <= quiet.end
    ? local >= quiet.start && local < quiet.end
    : local >= quiet.start || local < quiet.end;
}
