import { redirect } from '@sveltejs/kit';
import type { PageLoad } from './$types';

/** The "type your code" form is a GET to /join?code=…: send it on to the invite link's page. */
export const load: PageLoad = ({ url }) => {
  const code = url.searchParams.get('code')?.trim().toUpperCase();
  if (code) redirect(303, `/join/${encodeURIComponent(code)}`);
  return {};
};
