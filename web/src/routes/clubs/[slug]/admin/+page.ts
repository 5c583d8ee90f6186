import { error, redirect } from '@sveltejs/kit';
import { callApi, createApiClient } from '$lib/api';
import { isAdmin } from '$lib/clubs/standing';
import { loginPath } from '$lib/session';
import type { PageLoad } from './$types';

/** The club's administration, for its admins only (the API checks each change again). */
export const load: PageLoad = async ({ params, parent, url, fetch }) => {
  const { me } = await parent();
  if (!me) redirect(307, loginPath(url.pathname));
  const slug = params.slug.toLowerCase();
  if (slug !== params.slug) redirect(301, `/clubs/${slug}/admin`);

  const result = await callApi(createApiClient(fetch).v1.clubs[':slug'].$get({ param: { slug } }));
  if (!result.ok) {
    if (result.error.status === 401) redirect(307, loginPath(url.pathname));
    if (result.error.status === 404 || result.error.status === 400) error(404, { message: 'Not Found' });
    error(result.error.status === 0 ? 503 : 502, {
      message: 'The club could not be loaded',
      ...(result.error.requestId ? { requestId: result.error.requestId } : {}),
    });
  }
  if (!isAdmin(result.data)) error(403, { message: 'Forbidden' });
  return { club: result.data };
};
