import { describe, expect, it } from 'vitest';
import { loginPath, profilePath, safeNext } from './session';

describe('safeNext', () => {
  const site = new URL('https://salon.example/login?next=x');

  it('keeps a path on this site, with its query', () => {
    expect(safeNext('/settings', site)).toBe('/settings');
    expect(safeNext('/search?q=eloise', site)).toBe('/search?q=eloise');
    expect(safeNext('/@eloise', site)).toBe('/@eloise');
  });

  it.each([null, undefined, '', 'settings', '//evil.example/', '/\\evil.example', 'https://evil.example/'])(
    'refuses %j',
    (raw) => {
      expect(safeNext(raw, site)).toBeNull();
    },
  );
});

describe('paths', () => {
  it('builds the sign-in link that returns to where the person was', () => {
    expect(loginPath('/search?q=é')).toBe('/login?next=%2Fsearch%3Fq%3D%C3%A9');
  });

  it('builds the shareable profile path', () => {
    expect(profilePath('eloise')).toBe('/@eloise');
  });
});
