import { describe, expect, it } from 'vitest';
import { LOCALE_COOKIE, localeCookieOptions, readCookie, safeRedirectPath } from './locale-cookie';

describe('localeCookieOptions', () => {
  it('is an HttpOnly, SameSite=Lax, Secure, site-wide cookie kept for a year', () => {
    expect(localeCookieOptions(new URL('https://salon.example/'))).toEqual({
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: true,
      maxAge: 31_536_000,
    });
  });

  it.each(['http://localhost:5173/', 'http://127.0.0.1:3000/fr', 'http://[::1]:3000/'])(
    'drops Secure only for plain http on loopback (%s)',
    (url) => {
      expect(localeCookieOptions(new URL(url)).secure).toBe(false);
    },
  );

  it.each(['http://salon.example/', 'http://192.168.1.20:3000/', 'https://localhost:3000/'])(
    'keeps Secure everywhere else (%s)',
    (url) => {
      expect(localeCookieOptions(new URL(url)).secure).toBe(true);
    },
  );

  it('uses the agreed cookie name', () => {
    expect(LOCALE_COOKIE).toBe('salon_locale');
  });
});

describe('readCookie', () => {
  it('finds the named cookie among others', () => {
    expect(readCookie('a=1; salon_locale=fr; b=2', 'salon_locale')).toBe('fr');
  });

  it('does not match a cookie whose name merely ends the same way', () => {
    expect(readCookie('not_salon_locale=fr', 'salon_locale')).toBeUndefined();
  });

  it('survives a missing header and malformed values', () => {
    expect(readCookie(null, 'salon_locale')).toBeUndefined();
    expect(readCookie('salon_locale=%E0%A4%A', 'salon_locale')).toBeUndefined();
  });
});

describe('safeRedirectPath', () => {
  const site = new URL('https://salon.example/locale');

  it('keeps a path, query and fragment on this site', () => {
    expect(safeRedirectPath('/rooms?tab=live#now', site)).toBe('/rooms?tab=live#now');
  });

  it.each([
    'https://evil.example/',
    '//evil.example/',
    '/\\evil.example/',
    'javascript:alert(1)',
    'rooms',
    '',
    null,
    42,
  ])('falls back to the home page for %j', (target) => {
    expect(safeRedirectPath(target, site)).toBe('/');
  });
});
