import { describe, expect, it } from 'vitest';
import { initials } from './initials';

describe('initials', () => {
  it.each([
    ['Éloïse Martin', 'ÉM'],
    ['éloïse martin', 'ÉM'],
    ['Jean-Pierre Dupont', 'JD'],
    ['Anne', 'A'],
    ['Marie Claire de la Tour', 'MT'],
    ["Sinéad O'Brien", 'SO'],
    ['  ', ''],
  ])('%j → %j', (name, expected) => {
    expect(initials(name)).toBe(expected);
  });
});
