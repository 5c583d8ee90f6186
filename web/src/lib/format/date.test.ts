import { describe, expect, it } from 'vitest';
import { formatDate } from './date';

const at = '2026-03-14T09:05:00.000Z';

/** ICU versions differ on (narrow) no-break spaces before AM/PM; compare with plain spaces. */
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');

describe('formatDate', () => {
  it('writes a date the way each language does', () => {
    expect(formatDate(at, 'date', 'en-GB', 'UTC')).toBe('14 March 2026');
    expect(formatDate(at, 'date', 'en', 'UTC')).toBe('March 14, 2026');
    expect(formatDate(at, 'date', 'fr', 'UTC')).toBe('14 mars 2026');
  });

  it('writes one date and time per language, in the given zone', () => {
    expect(plain(formatDate('2026-12-08T17:30:00Z', 'dateTime', 'en-GB', 'Europe/Paris'))).toBe(
      '8 December 2026, 18:30',
    );
    expect(plain(formatDate(at, 'dateTime', 'fr', 'Europe/Paris'))).toBe('14 mars 2026, 10:05');
    expect(plain(formatDate(at, 'dateTime', 'en', 'Europe/London'))).toBe('March 14, 2026, 09:05 AM');
  });

  it('writes month and year for “member since”', () => {
    expect(formatDate(at, 'monthYear', 'fr', 'UTC')).toBe('mars 2026');
    expect(formatDate(at, 'monthYear', 'en', 'UTC')).toBe('March 2026');
  });

  it('gives nothing for a date it cannot read', () => {
    expect(formatDate('not a date', 'date', 'en')).toBe('');
  });
});
