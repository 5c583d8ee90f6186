import { loadMe, ME_DEPENDENCY } from '$lib/session';
import type { LayoutLoad } from './$types';

/**
 * Who is signed in, asked once for every page (again only when ME_DEPENDENCY is invalidated:
 * after signing in, signing up or signing out). A 401, or an API that cannot answer, is "nobody".
 */
export const load: LayoutLoad = async ({ fetch, depends }) => {
  depends(ME_DEPENDENCY);
  return { me: await loadMe(fetch) };
};
