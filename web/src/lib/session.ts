import { type ApiResult, browserApi, callApi, createApiClient } from './api';
import type { Me } from './types';

/** `depends()` key of the root layout's load, which asks the API who is signed in. */
export const ME_DEPENDENCY = 'salon:me';

/** The signed-in member, or null when signed out (401) or when the API cannot say. */
export async function loadMe(fetchImpl: typeof fetch): Promise<Me | null> {
  const result = await callApi(createApiClient(fetchImpl).v1.me.$get());
  return result.ok ? result.data : null;
}

/**
 * A path on this site to return to after signing in, or null. Only same-origin paths are kept,
 * so `?next=` cannot send people to another site (open redirect).
 */
export function safeNext(raw: string | null | undefined, site: URL): string | null {
  if (!raw?.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return null;
  try {
    const resolved = new URL(raw, site);
    if (resolved.origin !== site.origin) return null;
    return `${resolved.pathname}${resolved.search}${resolved.hash}`;
  } catch {
    return null;
  }
}

/** The sign-in page, asked to come back to `path` afterwards. */
export function loginPath(path: string): string {
  return `/login?next=${encodeURIComponent(path)}`;
}

/** The member's own profile address. */
export function profilePath(username: string): string {
  return `/@${username}`;
}

/** Ends this device's session (the API clears the HttpOnly cookie). */
export function signOutRequest(): Promise<ApiResult<undefined>> {
  return callApi(browserApi().v1.auth.logout.$post()) as Promise<ApiResult<undefined>>;
}
