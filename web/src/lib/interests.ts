import { m } from '$lib/paraglide/messages';

/** Labels of the API's interest keys (GET /v1/meta → interests), in the page's language. */
const LABELS: Record<string, () => string> = {
  art: m.interest_art,
  books: m.interest_books,
  business: m.interest_business,
  climate: m.interest_climate,
  comedy: m.interest_comedy,
  design: m.interest_design,
  education: m.interest_education,
  film: m.interest_film,
  food: m.interest_food,
  gaming: m.interest_gaming,
  health: m.interest_health,
  history: m.interest_history,
  languages: m.interest_languages,
  music: m.interest_music,
  philosophy: m.interest_philosophy,
  politics: m.interest_politics,
  science: m.interest_science,
  sport: m.interest_sport,
  startups: m.interest_startups,
  tech: m.interest_tech,
  travel: m.interest_travel,
};

/** A key the API added after this build has no label yet: it is shown as written rather than hidden. */
export function interestLabel(key: string): string {
  return LABELS[key]?.() ?? key;
}

/** Interests sorted by their label in the page's language. */
export function sortInterests(keys: readonly string[], locale: string): string[] {
  const collator = new Intl.Collator(locale);
  return [...keys].sort((a, b) => collator.compare(interestLabel(a), interestLabel(b)));
}
