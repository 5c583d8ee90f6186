import { redirect } from '@sveltejs/kit';
import { callApi, createApiClient } from '$lib/api';
import { loginPath } from '$lib/session';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ parent, url, fetch }) => {
  const { me } = await parent();
  if (!me) redirect(307, loginPath(url.pathname));

  const api = createApiClient(fetch);
  const [meta, passkeys, sessions, invites] = await Promise.all([
    callApi(api.v1.meta.$get()),
    callApi(api.v1.me.passkeys.$get()),
    callApi(api.v1.me.sessions.$get()),
    callApi(api.v1.me.invites.$get()),
  ]);
  // A section whose list could not be loaded says so; the others still work.
  return {
    interests: meta.ok ? meta.data.interests : [...me.interests],
    passkeys: passkeys.ok ? passkeys.data.passkeys : null,
    sessions: sessions.ok ? sessions.data.sessions : null,
    invites: invites.ok ? invites.data : null,
  };
};
