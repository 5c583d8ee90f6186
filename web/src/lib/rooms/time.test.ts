import { describe, expect, it } from 'vitest';
import { formatDate } from '$lib/format/date';
import { regionalLocale } from './time';

describe('regionalLocale', () => {
  it('takes the browser’s regional variant of the page’s language', () => {
    expect(regionalLocale('en', ['fr-FR', 'en-GB', 'en-US'])).toBe('en-GB');
    expect(regionalLocale('fr', ['fr-BE', 'fr'])).toBe('fr-BE');
  });

  it('keeps the page’s language when the browser prefers only others', () => {
    expect(regionalLocale('fr', ['de-DE', 'en'])).toBe('fr');
    expect(regionalLocale('en', [])).toBe('en');
  });

  it('skips tags it cannot use', () => {
    expect(regionalLocale('en', ['en-', 'en-IE'])).toBe('en-IE');
  });

  it('writes a British time the British way', () => {
    const text = formatDate('2026-11-23T18:30:00Z', 'dateTime', regionalLocale('en', ['en-GB']), 'UTC');
    expect(text).toContain('18:30');
  });
});
