import { describe, expect, it } from 'vitest';
import { negotiateLocale } from './negotiate';

const available = ['en', 'fr'] as const;

describe('negotiateLocale', () => {
  it.each([
    ['fr-FR', 'fr'],
    ['fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7', 'fr'],
    ['en-GB,en;q=0.9,fr;q=0.8', 'en'],
    ['FR-ca', 'fr'],
    ['de-DE,de;q=0.9,fr;q=0.5,en;q=0.4', 'fr'],
    ['en;q=0.5, fr;q=0.8', 'fr'],
    ['en, fr', 'en'],
    ['fr;q=0, en;q=0.1', 'en'],
    ['*;q=0.5, fr;q=0.4', 'fr'],
    [' fr-BE ; q=0.8 ', 'fr'],
  ])('picks the best match for %j', (header, expected) => {
    expect(negotiateLocale(header, available)).toBe(expected);
  });

  it.each([
    [null],
    [undefined],
    [''],
    ['de-DE,de;q=0.9'],
    ['*'],
    ['fr;q=0'],
    ['fr;q=abc'],
    ['fr;q=2'],
    ['french'],
  ])('finds nothing acceptable in %j', (header) => {
    expect(negotiateLocale(header, available)).toBeUndefined();
  });
});
