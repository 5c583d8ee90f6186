import { redirect } from '@sveltejs/kit';
import { loginPath } from '$lib/session';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ parent, url }) => {
  const { me } = await parent();
  if (!me) redirect(307, loginPath(url.pathname));
  return {};
};
