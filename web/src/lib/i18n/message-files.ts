/**
 * For the unit tests of each area's messages (`messages/<area>/{en,fr}.json`): read a file, list
 * its keys, the inputs of a message, and the English files of the other areas it must not clash with.
 */
import { readdirSync, readFileSync } from 'node:fs';

export type Messages = Record<string, unknown>;

const messagesDir = new URL('../../../messages/', import.meta.url);

/** A message file by its path under `messages/`, e.g. `en.json` or `privacy/fr.json`. */
export const readMessages = (path: string): Messages =>
  JSON.parse(readFileSync(new URL(path, messagesDir), 'utf8'));

/** The message keys of a file, without its `$schema`. */
export const messageKeys = (messages: Messages): string[] =>
  Object.keys(messages).filter((key) => key !== '$schema');

/** The `{inputs}` a message uses, whether it is a plain string or has plural variants. */
export function inputsOf(message: unknown): string[] {
  const text = JSON.stringify(message);
  const names = new Set<string>();
  for (const [, name] of text.matchAll(/\{(\w+)\}/g)) if (name) names.add(name);
  for (const [, name] of text.matchAll(/input (\w+)/g)) if (name) names.add(name);
  return [...names].sort();
}

/** The English files of every area but `area`: the main `en.json` and each folder's `en.json`. */
export function otherEnglishFiles(area: string): string[] {
  return [
    'en.json',
    ...readdirSync(messagesDir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && entry.name !== area)
      .map((entry) => `${entry.name}/en.json`),
  ];
}

/** Keys one language lacks, and keys whose `{inputs}` differ between the two: [] when they match. */
export function languageMismatches(en: Messages, fr: Messages): string[] {
  const all = [...new Set([...messageKeys(en), ...messageKeys(fr)])].sort();
  return all.filter(
    (key) =>
      !(key in en) || !(key in fr) || JSON.stringify(inputsOf(en[key])) !== JSON.stringify(inputsOf(fr[key])),
  );
}

/** Keys of `area`'s messages that another area's English file also defines: [] when none. */
export function clashes(area: string, messages: Messages): string[] {
  const others = new Set(otherEnglishFiles(area).flatMap((file) => messageKeys(readMessages(file))));
  return messageKeys(messages).filter((key) => others.has(key));
}
