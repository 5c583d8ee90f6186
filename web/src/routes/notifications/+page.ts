import { redirect } from '@sveltejs/kit';
import { callApi, createApiClient } from '$lib/api';
import { summarizeFailure } from '$lib/errors/explain';
import { loginPath } from '$lib/session';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ parent, url, fetch }) => {
  const { me } = await parent();
  if (!me) redirect(307, loginPath(url.pathname));
  const result = await callApi(createApiClient(fetch).v1.notifications.$get({ query: {} }));
  return result.ok
    ? { first: result.data, problem: null }
    : { first: null, problem: summarizeFailure(result.error) };
};
