/** A length of time to show to people, e.g. the wait before another code can be sent. */
export interface Duration {
  seconds: number;
}

/** Whole seconds left until `deadlineMs`, never negative (a countdown's value). */
export function secondsUntil(deadlineMs: number, nowMs: number): number {
  return Math.max(0, Math.ceil((deadlineMs - nowMs) / 1000));
}

/** `m:ss`, the way a countdown reads in both languages ("0:28", "4:05", "61:00"). */
export function formatClock(totalSeconds: number): string {
  const seconds = Math.max(0, Math.ceil(totalSeconds));
  const minutes = Math.floor(seconds / 60);
  return `${minutes}:${String(seconds % 60).padStart(2, '0')}`;
}

/**
 * A wait in words, in the reader's language and rounded up to the unit that matters:
 * "28 seconds", "2 minutes", "1 hour" / "28 secondes", "2 minutes", "1 heure".
 */
export function formatDuration(totalSeconds: number, locale: string): string {
  const seconds = Math.max(1, Math.ceil(totalSeconds));
  const [value, unit] =
    seconds < 60
      ? [seconds, 'second']
      : seconds < 3600
        ? [Math.ceil(seconds / 60), 'minute']
        : [Math.ceil(seconds / 3600), 'hour'];
  return new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'long' }).format(value);
}
