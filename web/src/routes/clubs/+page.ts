import { redirect } from '@sveltejs/kit';
import { callApi, createApiClient } from '$lib/api';
import { summarizeFailure } from '$lib/errors/explain';
import { loginPath } from '$lib/session';
import type { PageLoad } from './$types';

/** Members only: my clubs and the ones I follow. */
export const load: PageLoad = async ({ parent, url, fetch }) => {
  const { me } = await parent();
  if (!me) redirect(307, loginPath(url.pathname));
  const result = await callApi(createApiClient(fetch).v1.clubs.$get({ query: {} }));
  return result.ok
    ? { clubs: result.data, problem: null }
    : { clubs: null, problem: summarizeFailure(result.error) };
};
