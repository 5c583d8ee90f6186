export type DateFormat = 'date' | 'dateTime' | 'monthYear';

const OPTIONS: Record<DateFormat, Intl.DateTimeFormatOptions> = {
  date: { dateStyle: 'medium' },
  dateTime: { dateStyle: 'full', timeStyle: 'short' },
  monthYear: { month: 'long', year: 'numeric' },
};

/**
 * A date in the reader's language. `timeZone` is the reader's own unless given: server
 * rendering passes 'UTC' (it cannot know the reader's zone) and the browser re-renders it.
 */
export function formatDate(iso: string, format: DateFormat, locale: string, timeZone?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat(locale, { ...OPTIONS[format], ...(timeZone ? { timeZone } : {}) }).format(
    date,
  );
}
