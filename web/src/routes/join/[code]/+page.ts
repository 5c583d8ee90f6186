import { callApi, createApiClient } from '$lib/api';
import { type MessageRef, summarizeFailure } from '$lib/errors/explain';
import type { PageLoad } from './$types';

/** The invite link: checks the code and says who sent it before anything is asked. */
export const load: PageLoad = async ({ params, fetch }) => {
  const code = params.code.trim().toUpperCase();
  const result = await callApi(createApiClient(fetch).v1.invites[':code'].$get({ param: { code } }));
  if (result.ok) return { code, invite: result.data, inviteProblem: null };
  const { status } = result.error;
  // Unreachable API or too many tries: say so. Anything else means this code cannot be used.
  const inviteProblem: MessageRef =
    status === 0 || status === 429 || status >= 500
      ? summarizeFailure(result.error)
      : { key: 'error_invite_invalid' };
  return { code, invite: null, inviteProblem };
};
