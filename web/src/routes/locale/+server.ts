import { error, json, redirect } from '@sveltejs/kit';
import { LOCALE_COOKIE, localeCookieOptions, safeRedirectPath } from '$lib/i18n/locale-cookie';
import { isLocale } from '$lib/paraglide/runtime';
import type { RequestHandler } from './$types';

/**
 * The language switcher posts here. A plain form post (no JavaScript) is redirected back to
 * the page it came from; a script asking for JSON gets JSON and switches the page in place.
 */
export const POST: RequestHandler = async ({ request, cookies, url }) => {
  const form = await request.formData().catch(() => null);
  const locale = form?.get('locale');
  if (typeof locale !== 'string' || !isLocale(locale)) error(400, 'Unknown language');

  cookies.set(LOCALE_COOKIE, locale, localeCookieOptions(url));

  if (request.headers.get('accept')?.includes('application/json')) {
    return json({ locale }, { headers: { 'cache-control': 'no-store' } });
  }
  redirect(303, safeRedirectPath(form?.get('redirectTo'), url));
};
