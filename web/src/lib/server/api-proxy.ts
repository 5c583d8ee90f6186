import type { RequestEvent } from '@sveltejs/kit';

/** Paths the API answers; everything else belongs to the web app. */
export function isApiPath(pathname: string): boolean {
  return pathname === '/healthz' || pathname === '/v1' || pathname.startsWith('/v1/');
}

// Hop-by-hop headers describe one connection, not the message (RFC 9110 §7.6.1).
const HOP_BY_HOP = [
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
];

function withoutHopByHop(source: Headers): Headers {
  const headers = new Headers(source);
  const listed = source.get('connection')?.split(',') ?? [];
  for (const name of [...HOP_BY_HOP, ...listed]) {
    const trimmed = name.trim();
    if (trimmed) headers.delete(trimmed);
  }
  return headers;
}

/**
 * Tells the API who the client is and which address it used, so it can build absolute URLs,
 * apply its cookie rules and rate limits. The values are set, not appended: what the client
 * itself sent in these headers cannot be trusted, and the client address comes from
 * adapter-node (which honours ADDRESS_HEADER / XFF_DEPTH when a trusted proxy sits in front).
 */
export function setForwardedHeaders(headers: Headers, event: RequestEvent): void {
  headers.set('x-forwarded-for', event.getClientAddress());
  headers.set('x-forwarded-proto', event.url.protocol.slice(0, -1));
  headers.set('x-forwarded-host', event.url.host);
}

/** The headers to send upstream for a browser request. */
export function upstreamRequestHeaders(event: RequestEvent): Headers {
  const headers = withoutHopByHop(event.request.headers);
  // fetch derives Host from the target URL; the public host travels in x-forwarded-host.
  headers.delete('host');
  // The body is streamed, so its length is the stream's business (chunked upstream).
  headers.delete('content-length');
  // `Expect: 100-continue` was already answered by this server; Node's fetch refuses to send it.
  headers.delete('expect');
  // Undecoded bytes pass straight through; Node's fetch would otherwise decompress the body
  // while keeping the content-encoding header. Compression between two local processes gains nothing.
  headers.set('accept-encoding', 'identity');
  setForwardedHeaders(headers, event);
  return headers;
}

const DECODED_BY_FETCH = new Set(['gzip', 'x-gzip', 'deflate', 'br']);

/** The headers to return to the browser for an upstream response. */
export function downstreamResponseHeaders(upstream: Headers): Headers {
  const headers = withoutHopByHop(upstream);
  const encoding = upstream.get('content-encoding')?.trim().toLowerCase();
  if (encoding && DECODED_BY_FETCH.has(encoding)) {
    // fetch already decoded the body, so these two no longer describe it.
    headers.delete('content-encoding');
    headers.delete('content-length');
  }
  return headers;
}

function unreachable(): Response {
  const requestId = crypto.randomUUID();
  // Same shape as the API's own errors (DESIGN.md §4), so clients handle one format.
  return Response.json(
    {
      error: { code: 'proxy.api_unreachable', message: 'The API cannot be reached.', details: [] },
      requestId,
    },
    { status: 502, headers: { 'cache-control': 'no-store', 'x-request-id': requestId } },
  );
}

/**
 * Forwards a browser request to the API and streams the answer back (server-sent events
 * included). Redirects are passed to the browser rather than followed here.
 */
export async function proxyToApi(event: RequestEvent, apiOrigin: string): Promise<Response> {
  const { request, url } = event;
  const target = new URL(`${url.pathname}${url.search}`, apiOrigin);
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD' && request.body !== null;
  const init: RequestInit & { duplex?: 'half' } = {
    method: request.method,
    headers: upstreamRequestHeaders(event),
    body: hasBody ? request.body : null,
    redirect: 'manual',
    signal: request.signal,
  };
  // Node's fetch needs this to send a streamed request body.
  if (hasBody) init.duplex = 'half';
  let upstream: Response;
  try {
    upstream = await fetch(target, init);
  } catch {
    return unreachable();
  }
  return new Response(upstream.body, {
    status: upstream.status,
    statusText: upstream.statusText,
    headers: downstreamResponseHeaders(upstream.headers),
  });
}
