import { type Db, schema } from '@salon/db';
import { desc, sql } from 'drizzle-orm';
import type { Crypto } from '../../crypto';

const { auditEvents } = schema;

/** The `prev_hash` of the very first entry of the chain. */
export const GENESIS = 'genesis';

/** The advisory lock every chain writer (and the pruner) holds for its transaction. */
export const AUDIT_LOCK = 4242;

/**
 * What the audit log records (the `action` of each entry). Every entry carries pseudonymous ids
 * only (`actorId`, `subjectId` are user ids) and `data` holds ids, enums, counts and times — never a
 * name, a phone number or free text a person wrote. See the README, "Audit log".
 */
export interface AuditEntry {
  action: string;
  actorId?: string | null;
  subjectId?: string | null;
  data?: Record<string, string | number | boolean | null>;
}

/** The fields the hash covers, as `appendAudit` stores them and `verifyAuditLog` reads them back. */
export interface AuditRecord {
  at: Date;
  action: string;
  actorId: string | null;
  subjectId: string | null;
  data: unknown;
}

/**
 * Appends to the hash chain: each entry's hash covers the previous hash and the entry's
 * canonical JSON, so editing or removing any entry breaks every later link. Call inside the
 * transaction of the change it records, so the two commit together.
 */
export async function appendAudit(tx: Db, crypto: Crypto, at: Date, entry: AuditEntry) {
  assertPseudonymous(entry);
  // Serialises writers so two transactions cannot both chain onto the same previous entry.
  await tx.execute(sql`select pg_advisory_xact_lock(${sql.raw(String(AUDIT_LOCK))})`);
  const [last] = await tx
    .select({ hash: auditEvents.hash })
    .from(auditEvents)
    .orderBy(desc(auditEvents.id))
    .limit(1);
  const prevHash = last?.hash ?? GENESIS;
  const record = {
    at,
    action: entry.action,
    actorId: entry.actorId ?? null,
    subjectId: entry.subjectId ?? null,
    data: entry.data ?? {},
  };
  const hash = entryHash(crypto, prevHash, record);
  await tx.insert(auditEvents).values({ ...record, prevHash, hash });
}

/** BLAKE2b-256 over the previous hash and the entry's canonical JSON: one link of the chain. */
export function entryHash(crypto: Crypto, prevHash: string, record: AuditRecord) {
  const canonical = canonicalJson({
    at: record.at.toISOString(),
    action: record.action,
    actorId: record.actorId,
    subjectId: record.subjectId,
    data: record.data ?? {},
  });
  return crypto.hash(`${prevHash}\n${canonical}`);
}

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const PHONE_SHAPED = /^\+?[\d\s().\-/]+$/;

/**
 * A guard against the easy mistake: an entry is kept a year and cannot be edited, so a phone
 * number put into `data` by accident could not be taken out again. Refuses any string value shaped
 * like one (8 to 15 digits with the usual separators); dates and ids pass.
 */
function assertPseudonymous(entry: AuditEntry) {
  for (const [key, value] of Object.entries(entry.data ?? {})) {
    if (typeof value !== 'string' || ISO_DATE.test(value) || !PHONE_SHAPED.test(value)) continue;
    const digits = value.replace(/\D/g, '').length;
    if (digits >= 8 && digits <= 15)
      throw new Error(
        `audit: data.${key} of ${entry.action} looks like a phone number; the audit log holds pseudonymous ids only`,
      );
  }
}
