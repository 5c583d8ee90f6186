import type { AppType, ErrorCode } from '@salon/api/client';
import { hc } from 'hono/client';

/**
 * A typed client for the Salon API, which shares this site's origin (the browser only ever
 * talks to one origin, so session cookies stay first-party).
 *
 * Pass the `fetch` SvelteKit hands to `load` functions: during server rendering it resolves
 * the relative URLs, forwards the visitor's cookies (see handleFetch in hooks.server.ts) and
 * records the responses so the browser reuses them when it hydrates instead of asking again.
 *
 * Writes (POST, PUT, PATCH, DELETE) are made from the browser only: the API accepts a
 * cookie-authenticated write only when it carries this site's Origin (CSRF defence).
 */
export function createApiClient(fetchImpl: typeof fetch) {
  return hc<AppType>('/', { fetch: fetchImpl });
}

export type ApiClient = ReturnType<typeof createApiClient>;

/** The browser's client, for event handlers (loads pass their own `fetch`). */
export function browserApi(): ApiClient {
  return createApiClient((input, init) => fetch(input, init));
}

/**
 * A failed API call, whatever went wrong: the API's error envelope
 * (`{ error: { code, message, details }, requestId }`), an answer that is not one, or no answer.
 * The API's English `message` is deliberately not kept: people see our translated text only.
 */
export interface ApiFailure {
  /** HTTP status; 0 when the API could not be reached at all. */
  status: number;
  /** The API's stable `area.reason` code, or one of ours: `network.unreachable`, `response.invalid`. */
  code: ApiErrorCode;
  details: unknown[];
  /** From `details[0].retryAfterSeconds` or the Retry-After header (429 answers). */
  retryAfterSeconds: number | null;
  requestId: string | null;
}

export type ApiResult<T> = { ok: true; data: T } | { ok: false; error: ApiFailure };

export const NETWORK_UNREACHABLE = 'network.unreachable';
export const RESPONSE_INVALID = 'response.invalid';
/** The web server's proxy answers this when the API behind it is down (server/api-proxy.ts). */
export const PROXY_UNREACHABLE = 'proxy.api_unreachable';
/**
 * Every code a failure can carry: the API's own list (api/src/http/error-codes.ts), the proxy's
 * and ours. Matching on a code that is none of these does not compile.
 */
export type ApiErrorCode =
  | ErrorCode
  | typeof PROXY_UNREACHABLE
  | typeof NETWORK_UNREACHABLE
  | typeof RESPONSE_INVALID;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function retryAfterOf(details: unknown[], header: string | null): number | null {
  const first = details[0];
  if (isRecord(first) && typeof first.retryAfterSeconds === 'number' && first.retryAfterSeconds >= 0) {
    return Math.ceil(first.retryAfterSeconds);
  }
  if (header && /^\d+$/.test(header.trim())) return Number(header.trim());
  return null;
}

/** Reads the error envelope of a non-2xx answer; never throws. */
export async function apiError(response: Response): Promise<ApiFailure> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON (a proxy's HTML page, an empty body): the status is all we know.
  }
  const error = isRecord(body) && isRecord(body.error) ? body.error : null;
  const details = error && Array.isArray(error.details) ? error.details : [];
  return {
    status: response.status,
    // The API answers only codes of its list; anything else is not an answer of ours.
    code: error && typeof error.code === 'string' ? (error.code as ErrorCode) : RESPONSE_INVALID,
    details,
    retryAfterSeconds: retryAfterOf(details, response.headers.get('retry-after')),
    requestId: isRecord(body) && typeof body.requestId === 'string' ? body.requestId : null,
  };
}

export function networkFailure(): ApiFailure {
  return { status: 0, code: NETWORK_UNREACHABLE, details: [], retryAfterSeconds: null, requestId: null };
}

/** What a typed client call resolves to; only the parts callApi needs. */
interface TypedResponse<T> {
  json(): Promise<T>;
}

type JsonOf<R> = R extends { json(): Promise<infer T> } ? T : never;

/**
 * Awaits a typed client call and returns its JSON on success or an ApiFailure otherwise.
 * Never throws, so every caller handles both outcomes; a 204 answer gives `undefined`.
 */
export async function callApi<R extends TypedResponse<unknown>>(
  request: Promise<R> | (() => Promise<R>),
): Promise<ApiResult<JsonOf<R>>> {
  let response: Response;
  try {
    response = (await (typeof request === 'function' ? request() : request)) as unknown as Response;
  } catch {
    return { ok: false, error: networkFailure() };
  }
  if (!response.ok) return { ok: false, error: await apiError(response) };
  if (response.status === 204) return { ok: true, data: undefined as JsonOf<R> };
  try {
    return { ok: true, data: (await response.json()) as JsonOf<R> };
  } catch {
    return {
      ok: false,
      error: { ...networkFailure(), status: response.status, code: RESPONSE_INVALID },
    };
  }
}

/**
 * Development only: the code the SMS outbox "sent" for a phone check. The route exists only
 * when the API runs with the outbox (never in production), so anything but a code means "none".
 */
export async function devSmsCode(fetchImpl: typeof fetch, challengeId: string): Promise<string | null> {
  try {
    const response = await fetchImpl(`/v1/dev/sms/${encodeURIComponent(challengeId)}`, {
      headers: { accept: 'application/json' },
    });
    if (!response.ok) return null;
    const body: unknown = await response.json();
    return isRecord(body) && typeof body.code === 'string' && /^\d{6}$/.test(body.code) ? body.code : null;
  } catch {
    return null;
  }
}
