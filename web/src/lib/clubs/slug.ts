/** The API's rule for a club address: a–z, 0–9 and inner hyphens, 3 to 40 characters. */
export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{1,38}[a-z0-9])$/;
export const SLUG_MIN = 3;
export const SLUG_MAX = 40;
/** Addresses the API keeps for itself (club.slug_reserved). */
export const RESERVED_SLUGS: ReadonlySet<string> = new Set([
  'new',
  'admin',
  'salon',
  'settings',
  'search',
  'me',
]);

export type SlugProblem = 'empty' | 'format' | 'reserved';

/**
 * A club address suggested from its name: accents dropped, lower case, words joined by hyphens,
 * at most 40 characters ("Chorale d'Évian" → "chorale-d-evian").
 */
export function suggestSlug(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/ß/g, 'ss')
    .replace(/[æÆ]/g, 'ae')
    .replace(/[œŒ]/g, 'oe')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, SLUG_MAX)
    .replace(/-+$/g, '');
}

/** What the address typed looks like to the API, trimmed and lower-cased as it does. */
export function normalizeSlug(raw: string): string {
  return raw.trim().toLowerCase();
}

/** Why the API would refuse this address, checked before asking it; null when it looks fine. */
export function slugProblem(raw: string): SlugProblem | null {
  const slug = normalizeSlug(raw);
  if (slug === '') return 'empty';
  if (!SLUG_PATTERN.test(slug)) return 'format';
  if (RESERVED_SLUGS.has(slug)) return 'reserved';
  return null;
}

/** The club's page on this site. */
export function clubPath(slug: string): string {
  return `/clubs/${encodeURIComponent(slug)}`;
}

/** The club's administration page. */
export function clubAdminPath(slug: string): string {
  return `${clubPath(slug)}/admin`;
}

/** The rooms pages' form, asked to open a room for this club. */
export function newClubRoomPath(slug: string): string {
  return `/rooms/new?club=${encodeURIComponent(slug)}`;
}
