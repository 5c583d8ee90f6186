import { createApiClient } from './api';

/** `depends()` key of the home page load, so "Try again" can re-run just that check. */
export const SERVICE_STATUS_DEPENDENCY = 'salon:service-status';

export interface ServiceMeta {
  version: string;
  inviteOnly: boolean;
  audioConfigured: boolean;
}

export type ServiceStatus =
  | { state: 'up'; meta: ServiceMeta | null }
  | { state: 'degraded'; meta: ServiceMeta | null }
  | { state: 'unreachable' };

/** Long enough for a cold start, short enough that server rendering never hangs on a dead API. */
const CHECK_TIMEOUT_MS = 4000;

/**
 * Asks the API whether it is up (`/healthz`) and for its public facts (`/v1/meta`).
 * Never throws: an unreachable API is a state the page shows, not a crash.
 *
 * Both answers are read to their end: an answer whose body is left unread keeps its request
 * open (pending in the browser, a held connection on the server) until the timeout cancels it,
 * and SvelteKit can hand only answers that were read over to the browser with the page, so it
 * would ask again when the page starts. The timeout is cleared as soon as both are in.
 */
export async function checkService(
  fetchImpl: typeof fetch,
  timeoutMs = CHECK_TIMEOUT_MS,
): Promise<ServiceStatus> {
  const api = createApiClient(fetchImpl);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException('timed out', 'TimeoutError')), timeoutMs);
  const init = { signal: controller.signal };

  const health = api.healthz.$get(undefined, { init }).then(
    async (response) => {
      await response.text();
      if (response.status === 200) return 'up' as const;
      if (response.status === 503) return 'degraded' as const;
      return 'unreachable' as const;
    },
    () => 'unreachable' as const,
  );
  const meta = api.v1.meta.$get(undefined, { init }).then(
    async (response): Promise<ServiceMeta | null> => {
      if (!response.ok) {
        await response.text();
        return null;
      }
      const body = await response.json();
      return { version: body.version, inviteOnly: body.inviteOnly, audioConfigured: body.audio.configured };
    },
    () => null,
  );

  try {
    const [state, facts] = await Promise.all([
      health.catch(() => 'unreachable' as const),
      meta.catch(() => null),
    ]);
    if (state === 'unreachable') return { state };
    return { state, meta: facts };
  } finally {
    clearTimeout(timer);
  }
}
