/**
 * What a member whose account is restricted may still do, route by route (`METHOD /path` as the
 * app declares it). requireAuth() reads these lists and nothing else: a route not named here
 * answers 403 `account.suspended` / `account.banned` / `account.pending_deletion`.
 */

/**
 * Suspended or banned (DSA art. 17 and 20, GDPR art. 15, 17 and 20): they read the decisions about
 * them and appeal; they keep access to their data, its export and erasure; and they see and sign
 * out their devices, which protects the account as much as them.
 */
export const RESTRICTED_MEMBER_MAY: ReadonlySet<string> = new Set([
  'GET /v1/me',
  'GET /v1/privacy/me',
  'POST /v1/me/export',
  'GET /v1/me/exports/:id',
  'GET /v1/me/exports/:id/download',
  'DELETE /v1/me',
  'POST /v1/me/deletion/cancel',
  'GET /v1/me/sessions',
  'DELETE /v1/me/sessions/:id',
  'GET /v1/me/decisions',
  'POST /v1/me/decisions/:id/appeal',
]);

/** Waiting for erasure (signed in again during the grace period): see themselves and cancel. */
export const DEACTIVATED_MEMBER_MAY: ReadonlySet<string> = new Set([
  'GET /v1/me',
  'GET /v1/privacy/me',
  'POST /v1/me/deletion/cancel',
]);

/** `GET /v1/me/sessions/:id` for the route being served (HEAD is answered by GET routes). */
export function routeKey(method: string, routePath: string) {
  return `${method === 'HEAD' ? 'GET' : method} ${routePath}`;
}
