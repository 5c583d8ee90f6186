import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';
import { localized } from './document';

/**
 * The fixed text of policies/notice.yaml: the notice's wording, and the French for every English
 * phrase of the data map. Every document reads its words from here.
 */

const noticeSchema = z.strictObject({
  version: z.literal(1),
  french: z.strictObject({
    legal_basis: z.record(z.string(), z.string().min(1)),
    retention: z.record(z.string(), z.string().min(1)),
    reason: z.record(z.string(), z.string().min(1)),
  }),
  subjects: z.strictObject({ default: localized, tables: z.record(z.string(), localized) }),
  recipients: z.strictObject({
    default: z.array(localized).min(1),
    tables: z.record(z.string(), z.array(localized)),
  }),
  security: z.array(localized).min(1),
  notice: z.strictObject({
    title: localized,
    summary: localized,
    columns: z.strictObject({
      purpose: localized,
      basis: localized,
      retention: localized,
      erasure: localized,
    }),
    ...Object.fromEntries(
      [
        'controller',
        'never',
        'processing',
        'recordings',
        'recipients',
        'transfers',
        'retention',
        'rights',
        'decisions',
        'cookies',
        'security',
      ].map((id) => [
        id,
        z.strictObject({
          heading: localized,
          text: z.array(localized).default([]),
          items: z.array(localized).default([]),
        }),
      ]),
    ),
  }),
});

export type Notice = z.infer<typeof noticeSchema>;

export const noticeFile = fileURLToPath(new URL('../../notice.yaml', import.meta.url));

export function loadNotice(file = noticeFile): Notice {
  return noticeSchema.parse(parse(readFileSync(file, 'utf8')));
}
