/**
 * Up to two initials for a member's monogram ("Éloïse Martin" → "ÉM"). Salon shows no photos:
 * nothing to upload, nothing fetched from elsewhere.
 */
export function initials(displayName: string): string {
  const words = displayName.trim().split(/\s+/u).filter(Boolean);
  const letters = words.map((word) => Array.from(word)[0] ?? '');
  const picked = letters.length > 2 ? [letters[0], letters.at(-1)] : letters;
  return picked.join('').toLocaleUpperCase();
}
