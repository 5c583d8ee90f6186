import { describe, expect, it } from 'vitest';
import { normalizeUsername, usernameShapeOk } from './username';

describe('normalizeUsername', () => {
  it('keeps what the API compares: lower case, without the @ people often type', () => {
    expect(normalizeUsername('  @Eloise_M ')).toBe('eloise_m');
    expect(normalizeUsername('ELOISE')).toBe('eloise');
  });
});

describe('usernameShapeOk', () => {
  it.each(['eloise', 'e_m_2024', 'abc', 'a'.repeat(30)])('accepts %s', (name) => {
    expect(usernameShapeOk(name)).toBe(true);
  });

  it.each(['ab', 'a'.repeat(31), 'éloïse', 'eloise.m', 'eloise-m', 'Eloise', 'el oise', ''])(
    'refuses %j',
    (name) => {
      expect(usernameShapeOk(name)).toBe(false);
    },
  );
});
