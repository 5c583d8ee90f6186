import { reportCategories } from '@salon/db/schema';
import { z } from 'zod';

/** Free text people type: NFC, trimmed, bounded; the message is the code the web translates. */
export const freeText = (name: string, min: number, max: number) =>
  z
    .string()
    .transform((s) => s.normalize('NFC').trim())
    .pipe(
      z
        .string()
        .min(min, { message: `${name}.too_short` })
        .max(max, { message: `${name}.too_long` }),
    );

/** A notice (DSA art. 16). Cross-field rules (law for illegal content, a target) live in the service. */
export const createReportBody = z.strictObject({
  roomId: z.uuid().optional(),
  userId: z.uuid().optional(),
  category: z.enum(reportCategories),
  /** Which law the reporter believes is broken; required for `illegal`. */
  law: freeText('law', 1, 200).optional(),
  description: freeText('description', 10, 2000),
  /** The moment in the room the report is about. */
  at: z.iso.datetime({ offset: true }).optional(),
});
export type CreateReport = z.infer<typeof createReportBody>;
