/** Display name and username folded for accent- and case-insensitive prefix search. */
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
