import { describe, expect, it } from 'vitest';
import { match } from './handle';

describe('the @handle route matcher', () => {
  it.each(['@eloise', '@e_m_2024', '@abc', `@${'a'.repeat(30)}`, '@Eloise'])('matches %s', (param) => {
    expect(match(param)).toBe(true);
  });

  it.each(['eloise', '@ab', `@${'a'.repeat(31)}`, '@éloïse', '@eloise.m', '@', 'join', '@eloise/x'])(
    'leaves %s to other routes',
    (param) => {
      expect(match(param)).toBe(false);
    },
  );
});
