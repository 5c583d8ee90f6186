import { describe, expect, it } from 'vitest';
import { formatClock, formatDuration, secondsUntil } from './duration';

describe('secondsUntil', () => {
  it('counts whole seconds up to the deadline, rounding up', () => {
    expect(secondsUntil(30_000, 0)).toBe(30);
    expect(secondsUntil(30_000, 100)).toBe(30);
    expect(secondsUntil(30_000, 29_001)).toBe(1);
  });

  it('stops at zero once the deadline has passed', () => {
    expect(secondsUntil(30_000, 30_000)).toBe(0);
    expect(secondsUntil(30_000, 95_000)).toBe(0);
  });
});

describe('formatClock', () => {
  it.each([
    [0, '0:00'],
    [5, '0:05'],
    [28, '0:28'],
    [60, '1:00'],
    [245, '4:05'],
    [3660, '61:00'],
    [-3, '0:00'],
    [29.2, '0:30'],
  ])('%d seconds read %s', (seconds, expected) => {
    expect(formatClock(seconds)).toBe(expected);
  });
});

describe('formatDuration', () => {
  it.each([
    [1, 'en', '1 second'],
    [28, 'en', '28 seconds'],
    [60, 'en', '1 minute'],
    [90, 'en', '2 minutes'],
    [3600, 'en', '1 hour'],
    [3601, 'en', '2 hours'],
    [28, 'fr', '28 secondes'],
    [120, 'fr', '2 minutes'],
    [3600, 'fr', '1 heure'],
    [0, 'en', '1 second'],
  ])('%d seconds in %s read “%s”', (seconds, locale, expected) => {
    // French puts a no-break space between a number and its unit; compare with plain spaces.
    expect(formatDuration(seconds, locale).replace(/[\u00a0\u202f]/g, ' ')).toBe(expected);
  });
});
