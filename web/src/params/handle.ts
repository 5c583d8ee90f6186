import type { ParamMatcher } from '@sveltejs/kit';

/**
 * A profile's shareable address is `/@username` (the API builds it as `${PUBLIC_URL}/@username`).
 * Capitals are matched too, so a hand-typed `/@Eloise` reaches the page that redirects it.
 */
export const match = ((param: string): param is `@${string}` =>
  /^@[A-Za-z0-9_]{3,30}$/.test(param)) satisfies ParamMatcher;
