import { describe, expect, it } from 'vitest';
import { clubAdminPath, clubPath, newClubRoomPath, slugProblem, suggestSlug } from './slug';

describe('suggestSlug', () => {
  it.each([
    ['Chorale d’Évian', 'chorale-d-evian'],
    ['  Les Amis du Jazz  ', 'les-amis-du-jazz'],
    ['Straße & Œuvre', 'strasse-oeuvre'],
    ['ÉCOLE 42 — Alumni', 'ecole-42-alumni'],
    ['!!!', ''],
  ])('%s → %s', (name, slug) => {
    expect(suggestSlug(name)).toBe(slug);
  });

  it('keeps to 40 characters without a trailing hyphen', () => {
    const slug = suggestSlug('Association des anciens élèves du lycée Jean-Moulin de Lyon');
    expect(slug.length).toBeLessThanOrEqual(40);
    expect(slug).not.toMatch(/-$/);
    expect(slugProblem(slug)).toBeNull();
  });
});

describe('slugProblem', () => {
  it.each([
    ['jazz-lyon', null],
    ['JAZZ-Lyon ', null],
    ['', 'empty'],
    ['   ', 'empty'],
    ['ab', 'format'],
    ['-jazz', 'format'],
    ['jazz-', 'format'],
    ['jazz_lyon', 'format'],
    ['é-cole', 'format'],
    ['a'.repeat(41), 'format'],
    ['new', 'reserved'],
    ['admin', 'reserved'],
  ])('%j → %s', (slug, problem) => {
    expect(slugProblem(slug)).toBe(problem);
  });
});

describe('club paths', () => {
  it('builds the club, admin and new-room addresses', () => {
    expect(clubPath('jazz-lyon')).toBe('/clubs/jazz-lyon');
    expect(clubAdminPath('jazz-lyon')).toBe('/clubs/jazz-lyon/admin');
    expect(newClubRoomPath('jazz-lyon')).toBe('/rooms/new?club=jazz-lyon');
  });
});
