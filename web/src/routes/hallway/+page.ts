import { redirect } from '@sveltejs/kit';
import { callApi, createApiClient } from '$lib/api';
import { summarizeFailure } from '$lib/errors/explain';
import { HALLWAY_DEPENDENCY } from '$lib/rooms/paths';
import { loginPath } from '$lib/session';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ parent, url, fetch, depends }) => {
  const { me } = await parent();
  if (!me) redirect(307, loginPath(url.pathname));
  depends(HALLWAY_DEPENDENCY);
  const result = await callApi(createApiClient(fetch).v1.hallway.$get({ query: {} }));
  // A hallway that cannot be loaded is a state of the page, with a way to try again.
  return result.ok
    ? { hallway: result.data, problem: null }
    : { hallway: null, problem: summarizeFailure(result.error) };
};
