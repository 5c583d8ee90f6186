import type { Handle, HandleFetch, HandleServerError, ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { registerServerLocaleStrategy } from '$lib/i18n/server';
import { getTextDirection } from '$lib/paraglide/runtime';
import { paraglideMiddleware } from '$lib/paraglide/server';
import { allowConnections, livekitOrigins } from '$lib/rooms/livekit-csp';
import { isApiPath, proxyToApi, setForwardedHeaders } from '$lib/server/api-proxy';
import { serverEnv } from '$lib/server/env';

registerServerLocaleStrategy();

export const init: ServerInit = () => {
  // Parse the configuration at start-up so a bad value stops the server, not the first request.
  serverEnv();
};

/** Browser requests for the API reach the API, when this app fronts it (docker compose, vite dev). */
const apiProxy: Handle = ({ event, resolve }) => {
  const { apiOrigin } = serverEnv();
  if (apiOrigin && isApiPath(event.url.pathname)) return proxyToApi(event, apiOrigin);
  return resolve(event);
};

const i18n: Handle = ({ event, resolve }) =>
  paraglideMiddleware(event.request, async ({ request, locale }) => {
    event.request = request;
    const response = await resolve(event, {
      transformPageChunk: ({ html }) =>
        html.replace('%paraglide.lang%', locale).replace('%paraglide.dir%', getTextDirection(locale)),
    });
    if (response.headers.get('content-type')?.startsWith('text/html')) {
      // The same URL renders in either language, so shared caches must key on what decided it.
      response.headers.append('vary', 'Accept-Language, Cookie');
      response.headers.set('content-language', locale);
    }
    return response;
  });

const securityHeaders: Handle = async ({ event, resolve }) => {
  const response = await resolve(event);
  const defaults: Record<string, string> = {
    'x-content-type-options': 'nosniff',
    // Other sites learn nothing about which Salon page a visitor came from.
    'referrer-policy': 'same-origin',
    // Rooms will need the microphone on this origin; nothing else is ever requested.
    'permissions-policy': 'camera=(), geolocation=(), microphone=(self), payment=(), usb=()',
  };
  for (const [name, value] of Object.entries(defaults)) {
    if (!response.headers.has(name)) response.headers.set(name, value);
  }
  // LiveKit's URL is runtime configuration, so it cannot sit in svelte.config.js's fixed policy.
  const { livekitUrl } = serverEnv();
  const policy = response.headers.get('content-security-policy');
  if (livekitUrl && policy) {
    response.headers.set('content-security-policy', allowConnections(policy, livekitOrigins(livekitUrl)));
  }
  return response;
};

export const handle = sequence(apiProxy, i18n, securityHeaders);

/** Server-side calls to our own /v1/… or /healthz go straight to the API instead of looping through here. */
export const handleFetch: HandleFetch = ({ event, request, fetch }) => {
  const { apiOrigin } = serverEnv();
  const url = new URL(request.url);
  if (!apiOrigin || url.origin !== event.url.origin || !isApiPath(url.pathname)) return fetch(request);

  const upstream = new Request(new URL(`${url.pathname}${url.search}`, apiOrigin), request);
  // SvelteKit only adds the visitor's cookies to same-origin requests; the API needs them too.
  const cookie = event.request.headers.get('cookie');
  if (cookie) upstream.headers.set('cookie', cookie);
  setForwardedHeaders(upstream.headers, event);
  return fetch(upstream);
};

export const handleError: HandleServerError = ({ error, event, status, message }) => {
  if (status === 404) return { message };
  // The log gets the details and an id; the visitor gets only the id (DESIGN.md §5).
  // No URL, IP or header is logged: they can carry personal data (DESIGN.md §1, invariant 7).
  const requestId = crypto.randomUUID();
  console.error(JSON.stringify({ level: 'error', requestId, status, route: event.route.id }), error);
  return { message: 'Internal Error', requestId };
};
