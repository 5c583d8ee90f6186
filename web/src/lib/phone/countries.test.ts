import { describe, expect, it } from 'vitest';
import { CALLING_CODES, countryOptions, DEFAULT_COUNTRY, isCountryCode, phoneKey } from './countries';

describe('countryOptions', () => {
  it('lists the 33 countries of the API’s default allow-list, France included', () => {
    expect(Object.keys(CALLING_CODES)).toHaveLength(33);
    expect(DEFAULT_COUNTRY).toBe('FR');
  });

  it('names each country in the page’s language, with its calling code', () => {
    const fr = countryOptions('fr');
    expect(fr.find((c) => c.code === 'DE')?.label).toBe('Allemagne (+49)');
    expect(countryOptions('en').find((c) => c.code === 'DE')?.label).toBe('Germany (+49)');
  });

  it('sorts as the language sorts (accents do not push a name to the end)', () => {
    const names = countryOptions('fr').map((c) => c.code);
    expect(names.indexOf('EE')).toBeLessThan(names.indexOf('FI'));
    expect(names.indexOf('EE')).toBeGreaterThan(names.indexOf('DK'));
  });
});

describe('isCountryCode', () => {
  it('accepts listed codes only', () => {
    expect(isCountryCode('FR')).toBe(true);
    expect(isCountryCode('US')).toBe(false);
    expect(isCountryCode('toString')).toBe(false);
  });
});

describe('phoneKey', () => {
  it('ignores how the number was spaced or punctuated', () => {
    expect(phoneKey('FR', '06 12 34 56 78')).toBe(phoneKey('FR', '06.12.34.56.78'));
    expect(phoneKey('FR', '+33 6 12 34 56 78')).toBe('FR:+33612345678');
  });

  it('tells different numbers and countries apart', () => {
    expect(phoneKey('FR', '0612345678')).not.toBe(phoneKey('FR', '0612345679'));
    expect(phoneKey('FR', '0612345678')).not.toBe(phoneKey('BE', '0612345678'));
  });
});
