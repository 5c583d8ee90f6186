import { error, redirect } from '@sveltejs/kit';
import { callApi, createApiClient } from '$lib/api';
import { isRoomId, ROOM_DEPENDENCY } from '$lib/rooms/paths';
import { loginPath } from '$lib/session';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ parent, params, url, fetch, depends }) => {
  const { me } = await parent();
  if (!me) redirect(307, loginPath(url.pathname));
  if (!isRoomId(params.id)) error(404, { message: 'Not Found' });
  depends(ROOM_DEPENDENCY);

  const result = await callApi(createApiClient(fetch).v1.rooms[':id'].$get({ param: { id: params.id } }));
  if (result.ok) return { room: result.data };
  // The API answers 404 both for rooms that do not exist and for rooms one may not see.
  if (result.error.status === 404) error(404, { message: 'Not Found' });
  error(result.error.status === 0 ? 503 : 502, {
    message: 'The room could not be loaded',
    ...(result.error.requestId ? { requestId: result.error.requestId } : {}),
  });
};
