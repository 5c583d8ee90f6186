import type { Cookies } from '@sveltejs/kit';

type CookieOptions = Parameters<Cookies['set']>[2];

/** The one cookie the public site sets (DESIGN.md §1, invariant 8: strictly necessary). */
export const LOCALE_COOKIE = 'salon_locale';

/** Where the language switcher posts; handled by src/routes/locale/+server.ts. */
export const LOCALE_ENDPOINT = '/locale';

const ONE_YEAR_IN_SECONDS = 60 * 60 * 24 * 365;

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Attributes of the language cookie. `Secure` is dropped only for plain http on a loopback
 * host (local development and tests), where a browser would otherwise refuse to store it.
 */
export function localeCookieOptions(url: URL): CookieOptions {
  const insecureLocalhost = url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: !insecureLocalhost,
    maxAge: ONE_YEAR_IN_SECONDS,
  };
}

/** Reads one cookie from a `Cookie` request header. */
export function readCookie(header: string | null, name: string): string | undefined {
  if (!header) return undefined;
  for (const pair of header.split(';')) {
    const separator = pair.indexOf('=');
    if (separator === -1 || pair.slice(0, separator).trim() !== name) continue;
    const value = pair.slice(separator + 1).trim();
    try {
      return decodeURIComponent(value);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * Where to send the browser back to after a language change: a path on this site only,
 * so the form cannot be used as an open redirect.
 */
export function safeRedirectPath(target: unknown, siteUrl: URL): string {
  if (typeof target !== 'string' || !target.startsWith('/')) return '/';
  try {
    const resolved = new URL(target, siteUrl);
    if (resolved.origin !== siteUrl.origin) return '/';
    return `${resolved.pathname}${resolved.search}${resolved.hash}`;
  } catch {
    return '/';
  }
}
