import { schema } from '@salon/db';
import { eq } from 'drizzle-orm';
import type { Deps } from './rooms.service';
import { visibleRoom } from './rooms.service';
import { scheduleErrors } from './schedule.errors';

/**
 * A scheduled room as an iCalendar event (RFC 5545), for the member's own calendar app.
 *
 * Written by hand rather than with an npm package: `ics` folds lines at 75 characters, not 75
 * octets (an accented topic then breaks the limit), and `ical-generator` writes DTEND where a
 * room has a DURATION; the subset a single event needs is a few lines, tested line by line.
 * The event holds the topic and the link only: no host name, no attendee.
 */
const DURATION = 'PT1H';
const LINE_OCTETS = 75;

const DESCRIPTION = {
  en: 'A live audio room on Salon. Open the link to join it when it starts.',
  fr: 'Un salon audio en direct sur Salon. Ouvrez le lien pour y entrer quand il commence.',
} as const;

export interface CalendarEvent {
  uid: string;
  stamp: Date;
  start: Date;
  summary: string;
  description: string;
  url: string;
  weekly: boolean;
}

/** 2026-11-27T11:00:00.000Z → 20261127T110000Z (a UTC DATE-TIME). */
export function icsDateTime(date: Date) {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters RFC 5545 TEXT forbids.
const FORBIDDEN_IN_TEXT = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

/** TEXT value escaping (RFC 5545 §3.3.11); control characters have no place in it and are dropped. */
export function escapeText(text: string) {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(FORBIDDEN_IN_TEXT, '')
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\n/g, '\\n');
}

/**
 * Folds a content line so that no physical line exceeds 75 octets (RFC 5545 §3.1): continuation
 * lines start with one space, which counts; a character's UTF-8 bytes are never split.
 */
export function foldLine(line: string) {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = Buffer.byteLength(char, 'utf8');
    const limit = parts.length === 0 ? LINE_OCTETS : LINE_OCTETS - 1;
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

export function writeCalendar(event: CalendarEvent) {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Salon//Rooms//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    'BEGIN:VEVENT',
    `UID:${event.uid}`,
    `DTSTAMP:${icsDateTime(event.stamp)}`,
    `DTSTART:${icsDateTime(event.start)}`,
    `DURATION:${DURATION}`,
    ...(event.weekly ? ['RRULE:FREQ=WEEKLY'] : []),
    `SUMMARY:${escapeText(event.summary)}`,
    `DESCRIPTION:${escapeText(event.description)}`,
    `URL:${event.url}`,
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return `${lines.map(foldLine).join('\r\n')}\r\n`;
}

/** The calendar file of a scheduled room the viewer may see, described in the viewer's language. */
export async function roomCalendar(
  deps: Pick<Deps, 'database' | 'config' | 'clock'>,
  roomId: string,
  viewerId: string,
) {
  const db = deps.database.db;
  const room = await visibleRoom(db, roomId, viewerId);
  if (room.status !== 'scheduled' || !room.scheduledFor) throw scheduleErrors.notScheduled();
  const [viewer] = await db
    .select({ locale: schema.users.locale })
    .from(schema.users)
    .where(eq(schema.users.id, viewerId));
  const publicUrl = deps.config.publicUrl;
  return writeCalendar({
    uid: `${room.id}@${publicUrl.host}`,
    stamp: deps.clock.now(),
    start: room.scheduledFor,
    summary: room.topic,
    description: DESCRIPTION[viewer?.locale === 'en' ? 'en' : 'fr'],
    url: `${publicUrl.origin}/rooms/${room.id}`,
    weekly: room.recurrence === 'weekly',
  });
}
