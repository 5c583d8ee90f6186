import { redirect } from '@sveltejs/kit';
import { callApi, createApiClient } from '$lib/api';
import { summarizeFailure } from '$lib/errors/explain';
import { loginPath } from '$lib/session';
import type { PageLoad } from './$types';

/** Members only: search is how people find each other, and would be how a scraper lists them. */
export const load: PageLoad = async ({ parent, url, fetch }) => {
  const { me } = await parent();
  if (!me) redirect(307, loginPath(`${url.pathname}${url.search}`));

  const q = url.searchParams.get('q')?.trim() ?? '';
  if (!q) return { q, results: null, problem: null };
  const result = await callApi(createApiClient(fetch).v1.search.$get({ query: { q: q.slice(0, 60) } }));
  return result.ok
    ? { q, results: result.data, problem: null }
    : { q, results: null, problem: summarizeFailure(result.error) };
};
