import { callApi, createApiClient } from '$lib/api';
import type { PageLoad } from './$types';

/**
 * The privacy centre: the public facts for everyone (retention, contacts, cookies), and for a
 * member (also during the grace period of a deletion) what Salon holds about them.
 */
export const load: PageLoad = async ({ parent, fetch, depends }) => {
  depends('salon:privacy');
  const { me } = await parent();
  const api = createApiClient(fetch);
  const [facts, mine] = await Promise.all([
    callApi(api.v1.privacy.$get()),
    me ? callApi(api.v1.privacy.me.$get()) : Promise.resolve(null),
  ]);
  return {
    facts: facts.ok ? facts.data : null,
    mine: mine?.ok ? mine.data : null,
    mineFailed: mine !== null && !mine.ok,
  };
};
