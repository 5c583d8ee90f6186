/**
 * The reader's regional variant of the page's language, e.g. `en-GB` for an English page read by
 * someone whose browser prefers en-GB; the bare language when the browser names none.
 */
export function regionalLocale(pageLocale: string, preferred: readonly string[]): string {
  const language = pageLocale.toLowerCase();
  for (const candidate of preferred) {
    const [base] = candidate.toLowerCase().split('-');
    if (base !== language) continue;
    try {
      return Intl.DateTimeFormat.supportedLocalesOf([candidate])[0] ?? pageLocale;
    } catch {
      // A malformed tag from the browser: try the next one.
    }
  }
  return pageLocale;
}
