import type { ApiErrorCode, ApiFailure } from '$lib/api';

/**
 * An API failure as the client reads it, for tests of the code → message tables. Codes arrive as
 * text, as the API sends them, so a test may pass one that is on purpose none of the known ones.
 */
export function failure(code: string, patch: Partial<ApiFailure> = {}): ApiFailure {
  return {
    status: 400,
    code: code as ApiErrorCode,
    details: [],
    retryAfterSeconds: null,
    requestId: 'req-1',
    ...patch,
  };
}
