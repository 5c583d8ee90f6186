import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

export interface ServerTimeouts {
  /** From the first byte of a request to the end of its headers. */
  headersTimeoutMs: number;
  /** From the first byte of a request to the end of its body (bodies are at most 64 KiB). */
  requestTimeoutMs: number;
  /** How often Node looks for requests past those limits. */
  checkEveryMs: number;
}

/**
 * A client that declares a body and never sends it (or never finishes its headers) would hold a
 * socket and a request handler for Node's default five minutes; a few hundred of them exhaust
 * the server. Such a request is answered 408 and its connection closed within about 8 s.
 *
 * These limits cover receiving the request only: a response may last as long as it likes, so a
 * Server-Sent Events stream (a GET, whose request is complete once its headers are in) is never
 * cut by them. `server.timeout` (socket inactivity) stays off for the same reason; the streams'
 * own heartbeat and sweep (streams.ts) end the ones no longer owed.
 */
export const SERVER_TIMEOUTS: ServerTimeouts = {
  headersTimeoutMs: 5_000,
  requestTimeoutMs: 7_000,
  checkEveryMs: 1_000,
};

/** The Node HTTP server the API (and the web app beside it) is served by. */
export function createHttpServer(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  timeouts: ServerTimeouts = SERVER_TIMEOUTS,
) {
  return createServer(
    {
      headersTimeout: timeouts.headersTimeoutMs,
      requestTimeout: timeouts.requestTimeoutMs,
      connectionsCheckingInterval: timeouts.checkEveryMs,
    },
    handler,
  );
}
