import { describe, expect, it } from 'vitest';
import { type ClubDetails, checkDetails, cleanName, createBody, updateBody } from './form';

const details = (patch: Partial<ClubDetails> = {}): ClubDetails => ({
  name: 'Jazz à Lyon',
  slug: 'jazz-lyon',
  description: '',
  rules: '',
  joinPolicy: 'approval',
  roomVisibility: 'members',
  ...patch,
});

describe('checkDetails', () => {
  it('accepts a complete club', () => {
    expect(checkDetails(details(), true)).toEqual({});
  });

  it('counts the name as the API does', () => {
    expect(checkDetails(details({ name: '  a  ' }), true)).toEqual({ name: 'club_error_name_too_short' });
    expect(checkDetails(details({ name: 'x'.repeat(61) }), true)).toEqual({
      name: 'club_error_name_too_long',
    });
    expect(cleanName('  Jazz   à\nLyon ')).toBe('Jazz à Lyon');
  });

  it('checks the address only when creating', () => {
    expect(checkDetails(details({ slug: '' }), true)).toEqual({ slug: 'club_error_slug_empty' });
    expect(checkDetails(details({ slug: 'Jazz Lyon' }), true)).toEqual({ slug: 'club_error_slug_format' });
    expect(checkDetails(details({ slug: 'settings' }), true)).toEqual({ slug: 'club_error_slug_reserved' });
    expect(checkDetails(details({ slug: '' }), false)).toEqual({});
  });

  it('limits the description and the rules', () => {
    expect(checkDetails(details({ description: 'x'.repeat(501) }), false)).toEqual({
      description: 'club_error_description_too_long',
    });
    expect(checkDetails(details({ rules: `${'x'.repeat(2000)}   ` }), false)).toEqual({});
    expect(checkDetails(details({ rules: 'x'.repeat(2001) }), false)).toEqual({
      rules: 'club_error_rules_too_long',
    });
  });
});

describe('request bodies', () => {
  it('sends a clean name and a lower-case address', () => {
    expect(createBody(details({ name: ' Jazz  à Lyon ', slug: ' Jazz-Lyon ' }))).toMatchObject({
      name: 'Jazz à Lyon',
      slug: 'jazz-lyon',
    });
  });

  it('never sends the address when editing', () => {
    expect(updateBody(details())).not.toHaveProperty('slug');
  });
});
