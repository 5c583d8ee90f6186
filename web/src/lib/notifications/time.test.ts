import { describe, expect, it } from 'vitest';
import { timeAgo } from './time';

const now = Date.parse('2025-05-12T12:00:00Z');
const ago = (seconds: number) => new Date(now - seconds * 1000).toISOString();

describe('timeAgo', () => {
  it.each([
    [10, 'en', 'now'],
    [5 * 60, 'en', '5 minutes ago'],
    [3 * 3600, 'en', '3 hours ago'],
    [86_400, 'en', 'yesterday'],
    [3 * 86_400, 'en', '3 days ago'],
    [5 * 60, 'fr', 'il y a 5 minutes'],
    [86_400, 'fr', 'hier'],
    [-60, 'fr', 'maintenant'],
  ])('%i s in %s → %s', (seconds, locale, text) => {
    expect(timeAgo(ago(seconds), now, locale)).toBe(text);
  });

  it('says nothing of a date it cannot read', () => {
    expect(timeAgo('soon', now, 'en')).toBe('');
  });
});
