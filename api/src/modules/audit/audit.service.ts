import { type Db, schema } from '@salon/db';
import { desc, sql } from 'drizzle-orm';
import type { Crypto } from '../../crypto';

const { auditEvents } = schema;
const GENESIS = 'genesis';

export interface AuditEntry {
  action: string;
  actorId?: string | null;
  subjectId?: string | null;
  data?: Record<string, string | number | boolean | null>;
}

/**
 * Appends to the hash chain: each entry's hash covers the previous hash and the entry's
 * canonical JSON, so editing or removing any entry breaks every later link. Call inside the
 * transaction of the change it records, so the two commit together.
 */
export async function appendAudit(tx: Db, crypto: Crypto, at: Date, entry: AuditEntry) {
  // Serialises writers so two transactions cannot both chain onto the same previous entry.
  await tx.execute(sql`select pg_advisory_xact_lock(4242)`);
  const [last] = await tx
    .select({ hash: auditEvents.hash })
    .from(auditEvents)
    .orderBy(desc(auditEvents.id))
    .limit(1);
  const prevHash = last?.hash ?? GENESIS;
  const record = {
    at: at.toISOString(),
    action: entry.action,
    actorId: entry.actorId ?? null,
    subjectId: entry.subjectId ?? null,
    data: entry.data ?? {},
  };
  const hash = crypto.hash(`${prevHash}\n${canonicalJson(record)}`);
  await tx.insert(auditEvents).values({ ...record, at, prevHash, hash });
}

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}
