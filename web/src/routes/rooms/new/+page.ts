import { redirect } from '@sveltejs/kit';
import { callApi, createApiClient } from '$lib/api';
import { loginPath } from '$lib/session';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ parent, url, fetch }) => {
  const { me } = await parent();
  if (!me) redirect(307, loginPath(url.pathname));

  const api = createApiClient(fetch);
  const [meta, clubs] = await Promise.all([callApi(api.v1.meta.$get()), callApi(api.v1.clubs.$get())]);
  // Club rooms are offered only to the admins and leaders of a club; if clubs cannot be
  // listed, the other modes still work.
  const hostableClubs = clubs.ok
    ? clubs.data.member.filter((club) => club.role === 'admin' || club.role === 'leader')
    : [];
  // "Start a club room" on a club's page comes here with ?club=<slug>: that club, in Club mode.
  const asked = url.searchParams.get('club');
  return {
    interests: meta.ok ? meta.data.interests : [],
    hostableClubs,
    preselectedClub: hostableClubs.find((club) => club.slug === asked)?.slug ?? null,
  };
};
