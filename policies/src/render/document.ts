import { z } from 'zod';

/** What every rendered document is made of, and the wording helpers the documents share. */

export const LANGS = ['en', 'fr'] as const;
export type Lang = (typeof LANGS)[number];

export const localized = z.strictObject({ en: z.string().min(1), fr: z.string().min(1) });
export type Localized = z.infer<typeof localized>;

/** What the documents need from the running configuration. */
export interface Settings {
  controller: { name: string; contact: string | null; dpoContact: string | null };
  /**
   * Values of the configuration names the data map's text mentions (e.g. SESSION_ABSOLUTE_DAYS),
   * as periods like "90 days", so documents state the deployment's actual numbers.
   */
  variables: Record<string, string>;
}

export interface Field {
  label: string;
  value: string;
}

export interface DocumentTable {
  columns: string[];
  rows: string[][];
}

export interface Section {
  id: string;
  heading: string;
  paragraphs: string[];
  items: string[];
  fields: Field[];
  table: DocumentTable | null;
}

export interface RenderedDocument {
  kind: 'notice' | 'record' | 'dpia';
  lang: Lang;
  title: string;
  summary: string;
  sections: Section[];
}

const UNITS: Record<string, { en: [string, string]; fr: [string, string] }> = {
  minute: { en: ['minute', 'minutes'], fr: ['minute', 'minutes'] },
  hour: { en: ['hour', 'hours'], fr: ['heure', 'heures'] },
  day: { en: ['day', 'days'], fr: ['jour', 'jours'] },
  year: { en: ['year', 'years'], fr: ['an', 'ans'] },
};

/** "30 days" → "30 days" / "30 jours"; "1 year" → "1 year" / "1 an". */
export function formatPeriod(period: string, lang: Lang): string {
  const match = period.match(/^(\d+) (minute|hour|day|year)s?$/);
  const unit = match?.[2] ? UNITS[match[2]] : undefined;
  if (!match || !unit) throw new Error(`not a period: ${period}`);
  const n = Number(match[1]);
  return `${n} ${unit[lang][n === 1 ? 0 : 1]}`;
}

export const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
export const sentence = (text: string) => (/[.!?]$/.test(text) ? text : `${text}.`);

export function fill(text: string, values: Record<string, string>): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

export const section = (
  id: string,
  heading: string,
  parts: Partial<Omit<Section, 'id' | 'heading'>> = {},
): Section => ({
  id,
  heading,
  paragraphs: parts.paragraphs ?? [],
  items: parts.items ?? [],
  fields: parts.fields ?? [],
  table: parts.table ?? null,
});
