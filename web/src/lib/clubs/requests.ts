import { type ApiResult, browserApi, callApi } from '$lib/api';
import type { ClubPage, ClubRole } from './types';

/** Admins: approve a request (`status: 'active'`) or change a role. Answers with the club page. */
export function updateMember(
  slug: string,
  username: string,
  change: { role?: ClubRole; status?: 'active' },
): Promise<ApiResult<ClubPage>> {
  return callApi(
    browserApi().v1.clubs[':slug'].members[':username'].$patch({ param: { slug, username }, json: change }),
  );
}

/** Admins: remove a member, decline a request or withdraw an invitation. */
export function removeMember(slug: string, username: string): Promise<ApiResult<ClubPage>> {
  return callApi(browserApi().v1.clubs[':slug'].members[':username'].$delete({ param: { slug, username } }));
}

/** Admins and leaders: invite a member by @username. */
export function inviteMember(slug: string, username: string): Promise<ApiResult<ClubPage>> {
  return callApi(browserApi().v1.clubs[':slug'].invites.$post({ param: { slug }, json: { username } }));
}

/** An @username as typed ("@Eloise ") → as the API knows it ("eloise"). */
export function cleanUsername(raw: string): string {
  return raw.trim().replace(/^@/, '').toLowerCase();
}

/** The API's rule for usernames: 3 to 30 of a–z, 0–9 and _. */
export function isUsername(username: string): boolean {
  return /^[a-z0-9_]{3,30}$/.test(username);
}
