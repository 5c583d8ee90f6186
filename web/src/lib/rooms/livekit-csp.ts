/**
 * The origins a browser needs to reach LiveKit: the signalling WebSocket (ws:/wss:) and its
 * http(s) counterpart, which livekit-client calls to validate a failed connection. LIVEKIT_URL may
 * be written either way; both forms are allowed.
 */
export function livekitOrigins(livekitUrl: string): string[] {
  const url = new URL(livekitUrl);
  const secure = url.protocol === 'wss:' || url.protocol === 'https:';
  const host = url.host;
  return secure ? [`wss://${host}`, `https://${host}`] : [`ws://${host}`, `http://${host}`];
}

/**
 * Adds `origins` to the `connect-src` directive of a Content-Security-Policy header value,
 * leaving every other directive as it was. A policy without `connect-src` falls back to
 * `default-src` for connections, so the directive is then created from it.
 */
export function allowConnections(policy: string, origins: readonly string[]): string {
  if (origins.length === 0 || !policy.trim()) return policy;
  const directives = policy
    .split(';')
    .map((d) => d.trim())
    .filter(Boolean);
  const index = directives.findIndex((d) => /^connect-src(\s|$)/i.test(d));
  if (index >= 0) {
    const current = directives[index] ?? 'connect-src';
    const sources = current.split(/\s+/).slice(1);
    const added = origins.filter((o) => !sources.includes(o));
    directives[index] = [current, ...added].join(' ');
  } else {
    const fallback = directives.find((d) => /^default-src(\s|$)/i.test(d));
    const base = fallback
      ? fallback
          .split(/\s+/)
          .slice(1)
          .filter((s) => s !== "'none'")
      : [];
    directives.push(['connect-src', ...base, ...origins].join(' '));
  }
  return directives.join('; ');
}
