import { defineCustomClientStrategy } from '$lib/paraglide/runtime';
import { LOCALE_ENDPOINT } from './locale-cookie';

/**
 * Asks the server to remember `locale`. Only the server can write the language cookie:
 * it is HttpOnly, so scripts can neither read nor forge it.
 */
export async function persistLocale(locale: string): Promise<void> {
  const response = await fetch(LOCALE_ENDPOINT, {
    method: 'POST',
    headers: { accept: 'application/json' },
    body: new URLSearchParams({ locale }),
  });
  if (!response.ok) throw new Error(`Saving the language failed with HTTP ${response.status}`);
}

/**
 * In the browser the locale is whatever the server rendered into `<html lang>`, so hydration
 * always sees the same language as the HTML did. `setLocale()` persists through the server.
 */
export function registerClientLocaleStrategy(): void {
  defineCustomClientStrategy('custom-document', {
    getLocale: () => document.documentElement.lang || undefined,
    setLocale: async (locale) => {
      // Paraglide calls this once on start-up with the locale it just read: nothing to save.
      if (locale === document.documentElement.lang) return;
      await persistLocale(locale);
      document.documentElement.lang = locale;
    },
  });
}
