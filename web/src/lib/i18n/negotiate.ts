interface Preference {
  tag: string;
  q: number;
  order: number;
}

function parseAcceptLanguage(header: string): Preference[] {
  const preferences: Preference[] = [];
  for (const [order, part] of header.split(',').entries()) {
    const [rawTag, ...params] = part.split(';');
    const tag = rawTag?.trim().toLowerCase();
    if (!tag) continue;
    let q = 1;
    for (const param of params) {
      const [key, value] = param.split('=').map((s) => s.trim());
      if (key?.toLowerCase() === 'q') q = Number(value);
    }
    // q=0 means "not acceptable"; a malformed weight makes the whole entry untrustworthy.
    if (!Number.isFinite(q) || q <= 0 || q > 1) continue;
    preferences.push({ tag, q, order });
  }
  // Highest weight first; equal weights keep the order the browser sent them in.
  return preferences.sort((a, b) => b.q - a.q || a.order - b.order);
}

/**
 * Picks the locale the user prefers among `available`, from an Accept-Language header.
 *
 * Each range is tried in preference order, first exactly (`fr-ca` against `fr-CA`), then by
 * its primary language (`fr-CA` → `fr`), the "lookup" scheme of RFC 4647 §3.4. `*` is ignored:
 * it means "anything", which is what the caller's fallback already provides.
 */
export function negotiateLocale<L extends string>(
  header: string | null | undefined,
  available: readonly L[],
): L | undefined {
  if (!header) return undefined;
  const byTag = new Map(available.map((locale) => [locale.toLowerCase(), locale]));
  for (const { tag } of parseAcceptLanguage(header)) {
    if (tag === '*') continue;
    const match = byTag.get(tag) ?? byTag.get(tag.split('-')[0] ?? '');
    if (match) return match;
  }
  return undefined;
}
