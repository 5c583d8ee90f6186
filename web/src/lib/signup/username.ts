/** The API's rule for @usernames (api/src/modules/auth/auth.schemas.ts): 3–30 of a-z, 0-9 and _. */
export const USERNAME_PATTERN = /^[a-z0-9_]{3,30}$/;

/** What the field keeps of what was typed: lower case, no spaces, no leading @. */
export function normalizeUsername(typed: string): string {
  return typed.trim().replace(/^@+/, '').toLowerCase();
}

/** True when the API would accept the shape; reserved names and availability are the API's call. */
export function usernameShapeOk(username: string): boolean {
  return USERNAME_PATTERN.test(username);
}
