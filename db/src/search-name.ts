import { type Column, like, or, type SQL } from 'drizzle-orm';

/**
 * How the `search_name` columns (users, clubs) are folded, and so how a search term must be folded
 * to match them: every module that writes one of those columns, or searches them, uses these.
 */

/** A member's display name and username folded for accent- and case-insensitive prefix search. */
export function searchKey(displayName: string, username: string) {
  return fold(`${displayName} ${username}`);
}

/** "Éloïse Martin-Lefèvre" → "eloise martin lefevre": each word can then be matched by its prefix. */
export function fold(text: string) {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[-'’.]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * A `search_name` column has a word starting with what was typed (folded the same way, a leading
 * @ ignored): `like 'term%' or like '% term%'`, which the b-tree and trigram indexes serve.
 */
export function matchesWordPrefix(column: Column, query: string): SQL | undefined {
  const term = escapeLike(fold(query.replace(/^@/, '')));
  return or(like(column, `${term}%`), like(column, `% ${term}%`));
}

function escapeLike(text: string) {
  return text.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}
