import { error, redirect } from '@sveltejs/kit';
import { callApi, createApiClient } from '$lib/api';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ params, fetch, url }) => {
  const username = params.handle.slice(1);
  // One address per member: /@Eloise becomes /@eloise.
  if (username !== username.toLowerCase()) redirect(301, `/@${username.toLowerCase()}${url.search}`);

  const result = await callApi(createApiClient(fetch).v1.users[':username'].$get({ param: { username } }));
  if (result.ok) return { profile: result.data };
  if (result.error.status === 404) error(404, { message: 'Not Found', reason: 'user.not_found' });
  error(result.error.status === 0 ? 503 : 502, {
    message: 'The profile could not be loaded',
    ...(result.error.requestId ? { requestId: result.error.requestId } : {}),
  });
};
