import { defineCustomServerStrategy, isLocale, locales } from '$lib/paraglide/runtime';
import { LOCALE_COOKIE, readCookie } from './locale-cookie';
import { negotiateLocale } from './negotiate';

/** The locale of a request: the language cookie if valid, otherwise the best Accept-Language match. */
export function localeForRequest(headers: Headers): string | undefined {
  const chosen = readCookie(headers.get('cookie'), LOCALE_COOKIE);
  if (chosen && isLocale(chosen)) return chosen;
  return negotiateLocale(headers.get('accept-language'), locales);
}

/** Lets paraglideMiddleware resolve the locale; "baseLocale" (English) comes after it. */
export function registerServerLocaleStrategy(): void {
  defineCustomServerStrategy('custom-request', {
    getLocale: (request) => (request ? localeForRequest(request.headers) : undefined),
  });
}
