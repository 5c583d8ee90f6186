import { redirect } from '@sveltejs/kit';
import { type ApiClient, type ApiResult, callApi, createApiClient } from '$lib/api';
import type { MyClubs } from '$lib/clubs/types';
import { loginPath } from '$lib/session';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ parent, url, fetch }) => {
  const { me } = await parent();
  if (!me) redirect(307, loginPath(url.pathname));

  const api = createApiClient(fetch);
  const [meta, clubs] = await Promise.all([callApi(api.v1.meta.$get()), memberClubs(api)]);
  // Club rooms are offered only to the admins and leaders of a club; if clubs cannot be
  // listed, the other modes still work.
  const hostableClubs = clubs.ok
    ? clubs.data.filter((club) => club.role === 'admin' || club.role === 'leader')
    : [];
  // "Start a club room" on a club's page comes here with ?club=<slug>: that club, in Club mode.
  const asked = url.searchParams.get('club');
  return {
    interests: meta.ok ? meta.data.interests : [],
    hostableClubs,
    preselectedClub: hostableClubs.find((club) => club.slug === asked)?.slug ?? null,
  };
};

/** Every club I belong to, page after page: a room may be opened in any of them. */
async function memberClubs(api: ApiClient): Promise<ApiResult<MyClubs['member']>> {
  const clubs: MyClubs['member'] = [];
  let cursor: string | null = null;
  do {
    const query: { list?: 'member'; cursor?: string } = cursor ? { list: 'member', cursor } : {};
    const page = await callApi(api.v1.clubs.$get({ query }));
    if (!page.ok) return page;
    clubs.push(...page.data.member);
    cursor = page.data.nextCursor.member;
  } while (cursor);
  return { ok: true, data: clubs };
}
