import { error, redirect } from '@sveltejs/kit';
import { callApi, createApiClient } from '$lib/api';
import { loginPath } from '$lib/session';
import type { PageLoad } from './$types';

/** Club pages are for members of Salon: the API answers signed-in people only. */
export const load: PageLoad = async ({ params, parent, url, fetch }) => {
  const { me } = await parent();
  if (!me) redirect(307, loginPath(url.pathname));
  const slug = params.slug.toLowerCase();
  if (slug !== params.slug) redirect(301, `/clubs/${slug}`);

  const result = await callApi(createApiClient(fetch).v1.clubs[':slug'].$get({ param: { slug } }));
  if (result.ok) return { club: result.data };
  if (result.error.status === 401) redirect(307, loginPath(url.pathname));
  if (result.error.status === 404 || result.error.status === 400) error(404, { message: 'Not Found' });
  error(result.error.status === 0 ? 503 : 502, {
    message: 'The club could not be loaded',
    ...(result.error.requestId ? { requestId: result.error.requestId } : {}),
  });
};
