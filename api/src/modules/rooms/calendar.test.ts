import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp } from '../../testing';
import { memberFactory } from '../../testing/client';
import { escapeText, foldLine, writeCalendar } from './calendar';

let t: Awaited<ReturnType<typeof createTestApp>>;
let member: ReturnType<typeof memberFactory>;

beforeEach(async () => {
  t = await createTestApp({ PUBLIC_URL: 'https://salon.example' });
  member = memberFactory(t);
});
afterEach(async () => {
  await t.close();
});

const octets = (line: string) => Buffer.byteLength(line, 'utf8');

/**
 * Reads an iCalendar text as a calendar app does: CRLF only, physical lines of at most 75 octets,
 * unfolded, BEGIN/END properly nested, each property's value unescaped.
 */
function parseIcs(text: string) {
  expect(text.endsWith('\r\n')).toBe(true);
  expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  const physical = text.slice(0, -2).split('\r\n');
  for (const line of physical) expect(octets(line), line).toBeLessThanOrEqual(75);
  const logical: string[] = [];
  for (const line of physical) {
    if (line.startsWith(' ')) logical[logical.length - 1] += line.slice(1);
    else logical.push(line);
  }
  const stack: string[] = [];
  const components: { name: string; props: Record<string, string> }[] = [];
  for (const line of logical) {
    const colon = line.indexOf(':');
    expect(colon, line).toBeGreaterThan(0);
    const name = line.slice(0, colon);
    const value = line.slice(colon + 1);
    if (name === 'BEGIN') {
      stack.push(value);
      components.push({ name: value, props: {} });
    } else if (name === 'END') {
      expect(stack.pop()).toBe(value);
    } else {
      const current = components.findLast((c) => stack.includes(c.name));
      if (!current) throw new Error(`property outside any component: ${line}`);
      current.props[name] = value;
    }
  }
  expect(stack).toEqual([]);
  return { physical, components };
}

const unescapeText = (value = '') =>
  value.replace(/\\([\\;,nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));

describe('a scheduled room as a calendar event', () => {
  it('is one RFC 5545 VEVENT, folded at 75 octets, escaped, with no personal data but the topic', async () => {
    const alice = await member('alice');
    await alice.patch('/v1/me', { locale: 'fr' });
    const topic = 'Été, thé; café — échos à Genève, Noël à Montréal, brûlé';
    const { body: room } = await alice.post('/v1/rooms', {
      topic,
      mode: 'open',
      scheduledFor: '2026-11-27T19:30:00+01:00',
      recurrence: 'weekly',
    });
    const res = await alice.raw(`/v1/rooms/${room.id}/calendar.ics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="salon-room.ics"');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const text = await res.text();
    const { physical, components } = parseIcs(text);
    expect(physical.some((line) => line.startsWith(' '))).toBe(true); // something was folded
    expect(components.map((c) => c.name)).toEqual(['VCALENDAR', 'VEVENT']);
    expect(components[0]?.props).toMatchObject({ VERSION: '2.0', PRODID: expect.any(String) });
    const event = components[1]?.props ?? {};
    expect(event).toMatchObject({
      UID: `${room.id}@salon.example`,
      DTSTAMP: '20261121T120000Z',
      DTSTART: '20261127T183000Z',
      DURATION: 'PT1H',
      RRULE: 'FREQ=WEEKLY',
      URL: `https://salon.example/rooms/${room.id}`,
    });
    expect(event.SUMMARY).toContain('Été\\, thé\\; café');
    expect(unescapeText(event.SUMMARY)).toBe(topic);
    expect(unescapeText(event.DESCRIPTION)).toMatch(/Salon/);
    for (const personal of ['alice', 'Alice', alice.id]) expect(text).not.toContain(personal);
    expect(text).not.toMatch(/ORGANIZER|ATTENDEE/);
  });

  it('repeats only for weekly rooms, and answers only for a scheduled room the viewer may see', async () => {
    const alice = await member('alice');
    const bob = await member('bob');
    const once = await alice.post('/v1/rooms', {
      topic: 'Une fois',
      mode: 'open',
      scheduledFor: '2026-11-22T10:00:00Z',
    });
    const text = await (await bob.raw(`/v1/rooms/${once.body.id}/calendar.ics`)).text();
    expect(parseIcs(text).components[1]?.props).not.toHaveProperty('RRULE');

    const social = await alice.post('/v1/rooms', {
      topic: 'Amis',
      mode: 'social',
      scheduledFor: '2026-11-22T10:00:00Z',
    });
    const hidden = await bob.get(`/v1/rooms/${social.body.id}/calendar.ics`);
    expect(hidden.status).toBe(404);
    expect(hidden.body.error.code).toBe('room.not_found');

    const live = await alice.post('/v1/rooms', { topic: 'Maintenant', mode: 'open' });
    const refused = await bob.get(`/v1/rooms/${live.body.id}/calendar.ics`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('room.not_scheduled');
  });
});

describe('the iCalendar writer', () => {
  it('folds long lines at 75 octets without splitting a character', () => {
    for (const char of ['a', 'é', '€', '🎷']) {
      const line = `SUMMARY:${char.repeat(200)}`;
      const folded = foldLine(line).split('\r\n');
      for (const part of folded) {
        expect(octets(part)).toBeLessThanOrEqual(75);
        expect(Buffer.from(part, 'utf8').toString('utf8')).toBe(part);
        expect(part).not.toContain('\uFFFD');
      }
      expect(folded.map((p, i) => (i === 0 ? p : p.slice(1))).join('')).toBe(line);
      expect(folded.slice(1).every((p) => p.startsWith(' '))).toBe(true);
    }
    expect(foldLine('SHORT:line')).toBe('SHORT:line');
  });

  it('escapes backslashes, semicolons, commas and new lines in text, and drops control characters', () => {
    expect(escapeText('a\\b;c,d\ne\r\nf\u0007')).toBe('a\\\\b\\;c\\,d\\ne\\nf');
    const text = writeCalendar({
      uid: 'x@y',
      stamp: new Date('2026-01-01T00:00:00Z'),
      start: new Date('2026-01-02T08:05:09.123Z'),
      summary: 'Line one\nline two',
      description: 'd',
      url: 'https://y/rooms/x',
      weekly: false,
    });
    expect(text).toContain('\r\nDTSTART:20260102T080509Z\r\n');
    expect(text).toContain('\r\nSUMMARY:Line one\\nline two\r\n');
  });
});
