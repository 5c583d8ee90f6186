import { redirect } from '@sveltejs/kit';
import { loginPath } from '$lib/session';
import type { LayoutLoad } from './$types';

/**
 * The moderation console, for Salon's staff only (moderators and admins). Each page's load
 * refuses everyone else with a 403 (`requireStaff`), so ./+error.svelte answers them in their
 * language inside this layout; the API refuses them (`mod.forbidden`) all the same.
 */
export const load: LayoutLoad = async ({ parent, url }) => {
  const { me } = await parent();
  if (!me) redirect(307, loginPath(`${url.pathname}${url.search}`));
  return { staffRole: me.staff ?? null };
};
