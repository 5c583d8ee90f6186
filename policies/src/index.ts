import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';

/**
 * The one policy loader: the data map (policies/data-map.yaml) parsed and validated. The retention
 * sweeper, the schema test and the privacy notices all read it through here.
 */
const period = z.string().regex(/^\d+ (minute|hour|day|year)s?$/, { message: 'a period like "30 days"' });

const category = z.enum(['identifier', 'personal', 'pseudonymous', 'content', 'technical']);
const column = z.union([category, z.strictObject({ category, note: z.string().min(1) })]);

const retention = z.discriminatedUnion('rule', [
  z.strictObject({ rule: z.literal('expired'), column: z.string(), trigger: z.string() }),
  z.strictObject({
    rule: z.literal('older_than'),
    column: z.string(),
    period,
    keep_while: z.string().optional(),
    /** A column naming a file under DATA_DIR/exports that goes with the row. */
    file_column: z.string().optional(),
    trigger: z.string(),
  }),
  z.strictObject({ rule: z.literal('room_ended'), period, trigger: z.string() }),
  /**
   * Crypto-shredding: once `column` is past, the wrapped key in `key_column` is destroyed, then the
   * file named by `file_column` under DATA_DIR/`directory`.
   */
  z.strictObject({
    rule: z.literal('shred'),
    column: z.string(),
    key_column: z.string(),
    file_column: z.string(),
    directory: z.string().regex(/^[a-z_]+$/),
    trigger: z.string(),
  }),
  /** Kept while the account exists; `period` is the grace between a deletion request and erasure. */
  z.strictObject({ rule: z.literal('account'), period: period.optional(), trigger: z.string() }),
  z.strictObject({ rule: z.literal('until_removed'), trigger: z.string() }),
  z.strictObject({ rule: z.literal('permanent'), trigger: z.string() }),
]);

const treatment = <T extends [string, ...string[]]>(values: T, needsReason: string[]) =>
  z
    .union([z.enum(values), z.strictObject({ treatment: z.enum(values), reason: z.string().min(1) })])
    .transform((v) => (typeof v === 'string' ? { treatment: v, reason: undefined } : v))
    .refine((v) => !needsReason.includes(v.treatment) || v.reason, {
      message: 'this treatment needs a reason',
    });

const table = z.strictObject({
  purpose: z.string().min(1),
  /** The same purpose in French, for the notice and the privacy centre. */
  purpose_fr: z.string().min(1),
  legal_basis: z.string().min(1),
  retention,
  export: treatment(['exported', 'summarised', 'not_exported'], ['summarised', 'not_exported']),
  erasure: treatment(['delete', 'pseudonymise', 'keep'], ['pseudonymise', 'keep']),
  columns: z.record(z.string(), column),
});

export const dataMapSchema = z.strictObject({ version: z.literal(1), tables: z.record(z.string(), table) });
export type DataMap = z.infer<typeof dataMapSchema>;
export type TablePolicy = DataMap['tables'][string];
export type RetentionRule = TablePolicy['retention'];

export const dataMapFile = fileURLToPath(new URL('../data-map.yaml', import.meta.url));

export function loadDataMap(file = dataMapFile): DataMap {
  return dataMapSchema.parse(parse(readFileSync(file, 'utf8')));
}

/** The grace period between a deletion request and erasure (users' retention in the data map). */
export function erasureGraceMs(map: DataMap) {
  const rule = map.tables.users?.retention;
  if (rule?.rule !== 'account' || !rule.period)
    throw new Error('policies/data-map.yaml: users needs an account rule with a period');
  return periodMs(rule.period);
}

const UNIT_MS = { minute: 60_000, hour: 3_600_000, day: 86_400_000, year: 365 * 86_400_000 } as const;

/** "30 days" → milliseconds. */
export function periodMs(text: string): number {
  const match = text.match(/^(\d+) (minute|hour|day|year)s?$/);
  if (!match?.[1] || !match[2]) throw new Error(`not a period: ${text}`);
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}
