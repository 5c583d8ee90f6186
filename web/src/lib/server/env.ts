import { env } from '$env/dynamic/private';

/** The web app's private configuration. This is the only module that reads it. */
export interface ServerEnv {
  /**
   * Where the API listens, e.g. `http://127.0.0.1:3000`. When set, the app proxies browser
   * requests to `/v1/…` and `/healthz` there and sends its own server-side API calls there.
   * Unset: no proxying (the API must then answer those paths in front of this app).
   */
  apiOrigin: string | null;
  /**
   * The LiveKit URL browsers connect to (`LIVEKIT_URL`, the same value the API uses), e.g.
   * `wss://live.example.org`. Its origin joins the pages' `connect-src`; unset, rooms run without audio.
   */
  livekitUrl: string | null;
}

export class ServerEnvError extends Error {
  override name = 'ServerEnvError';
}

export function parseServerEnv(source: Record<string, string | undefined>): ServerEnv {
  return { apiOrigin: parseApiOrigin(source.API_ORIGIN), livekitUrl: parseLiveKitUrl(source.LIVEKIT_URL) };
}

function parseApiOrigin(value: string | undefined): string | null {
  const raw = value?.trim();
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ServerEnvError(
      `API_ORIGIN must be an absolute URL such as http://127.0.0.1:3000, got "${raw}"`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ServerEnvError(`API_ORIGIN must use http or https, got "${url.protocol}"`);
  }
  // Requests keep their own path (/v1/…), so anything after the origin would be silently ignored.
  if (url.pathname !== '/' || url.search || url.hash || url.username || url.password) {
    throw new ServerEnvError(`API_ORIGIN must be an origin only (scheme, host, port), got "${raw}"`);
  }
  return url.origin;
}

function parseLiveKitUrl(value: string | undefined): string | null {
  const raw = value?.trim();
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ServerEnvError(
      `LIVEKIT_URL must be an absolute URL such as wss://live.example.org, got "${raw}"`,
    );
  }
  if (!['ws:', 'wss:', 'http:', 'https:'].includes(url.protocol) || !url.host) {
    throw new ServerEnvError(`LIVEKIT_URL must use ws, wss, http or https, got "${url.protocol}"`);
  }
  if (url.username || url.password) {
    throw new ServerEnvError('LIVEKIT_URL must not carry a user name or password');
  }
  return url.toString();
}

let parsed: ServerEnv | undefined;

/**
 * Parsed lazily: `$env/dynamic/private` is only populated once the server starts, not while
 * `vite build` analyses the routes. hooks.server.ts calls it from `init` to fail fast.
 */
export function serverEnv(): ServerEnv {
  parsed ??= parseServerEnv(env);
  return parsed;
}
