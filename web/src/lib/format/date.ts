export type DateFormat = 'date' | 'dateTime' | 'monthYear';

/**
 * One way to write dates per language, on every page: "8 December 2026" and "8 December 2026,
 * 18:30" in en-GB, "8 décembre 2026, 18:30" in French. The regional variant (en-GB against
 * en-US) comes from the reader's browser (see rooms/time.ts regionalLocale).
 */
const DATE: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'long', year: 'numeric' };
const TIME: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit' };
const MONTH_YEAR: Intl.DateTimeFormatOptions = { month: 'long', year: 'numeric' };

/**
 * A date in the reader's language. `timeZone` is the reader's own unless given: server
 * rendering passes 'UTC' (it cannot know the reader's zone) and the browser re-renders it.
 */
export function formatDate(iso: string, format: DateFormat, locale: string, timeZone?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const zone = timeZone ? { timeZone } : {};
  const write = (options: Intl.DateTimeFormatOptions) =>
    new Intl.DateTimeFormat(locale, { ...options, ...zone }).format(date);
  if (format === 'monthYear') return write(MONTH_YEAR);
  if (format === 'date') return write(DATE);
  return `${write(DATE)}, ${write(TIME)}`;
}
