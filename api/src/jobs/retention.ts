import { readdir, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Db } from '@salon/db';
import { periodMs, type RetentionRule } from '@salon/policies';
import { sql } from 'drizzle-orm';
import type { AppDeps } from '../http/app-env';
import { pruneAuditLog } from '../modules/audit/audit.prune';
import { appendAudit } from '../modules/audit/audit.service';

const BATCH = 5000;
/** Keys destroyed per transaction: each one also appends an audit entry. */
const SHRED_BATCH = 200;

/** The secrets sign the audit log's pruning checkpoint. */
type SweepDeps = Pick<AppDeps, 'database' | 'logger' | 'crypto' | 'config' | 'secrets' | 'dataMap'>;
type ShredRule = Extract<RetentionRule, { rule: 'shred' }>;

/**
 * The retention sweeper: one rule per table, read from policies/data-map.yaml, so that the
 * periods the privacy notice states are the periods applied. Deletes in batches (a large backlog
 * never holds long locks), is idempotent, and records what it removed in the logs and the audit log.
 */
export async function sweepRetention(deps: SweepDeps, now: Date) {
  const db = deps.database.db;
  const map = deps.dataMap;
  const removed: Record<string, number> = {};
  // Crypto-shredding first: a room's deletion cascades to its recordings, whose keys and files
  // must be destroyed (and audited) before their rows can go.
  for (const [table, policy] of Object.entries(map.tables)) {
    if (policy.retention.rule !== 'shred') continue;
    const shredded = await shredExpired(deps, table, policy.retention, now);
    if (shredded > 0) removed[table] = shredded;
  }
  // Children of rooms first, so their counts are reported before the cascade would take them.
  const tables = Object.entries(map.tables).sort(([a], [b]) => Number(a === 'rooms') - Number(b === 'rooms'));
  for (const [table, policy] of tables) {
    if (table === 'audit_events') {
      // Append-only (a trigger refuses a plain DELETE): pruned behind a signed checkpoint. A broken
      // chain is refused by the pruner (evidence is never pruned away); that must be loud, but
      // must not stop every other table's retention.
      try {
        const pruned = await pruneAuditLog(deps, now);
        if (pruned > 0) removed[table] = pruned;
      } catch (error) {
        deps.logger.error(
          { job: 'retention.sweep', err: error },
          'audit log not pruned: run `salon audit verify`',
        );
      }
      continue;
    }
    const condition = whereExpired(table, policy.retention, now);
    if (!condition) continue;
    const fileColumn = 'file_column' in policy.retention ? policy.retention.file_column : undefined;
    const returning = fileColumn ? sql` returning ${sql.identifier(fileColumn)} as file` : sql``;
    let total = 0;
    for (;;) {
      const deleted = await db.execute(
        sql`delete from ${sql.identifier(table)} where ctid in (select ctid from ${sql.identifier(table)} where ${condition} limit ${BATCH})${returning}`,
      );
      const count = affected(deleted);
      total += count;
      // The row held the file's wrapped key, so the file is already unreadable; now it goes too.
      for (const { file } of rowsOf<{ file: string | null }>(deleted)) {
        if (file) await rm(join(deps.config.dataDir, 'exports', basename(file)), { force: true });
      }
      if (count < BATCH) break;
    }
    if (total > 0) removed[table] = total;
  }
  await db.transaction((tx: Db) =>
    appendAudit(tx, deps.crypto, now, {
      action: 'retention.swept',
      data: { at: now.toISOString(), ...removed },
    }),
  );
  deps.logger.info({ job: 'retention.sweep', removed }, 'retention sweep done');
  return removed;
}

/**
 * The `shred` rule (crypto-shredding): once `column` is past, the wrapped key is destroyed, the row
 * marked `shredded` (a shred table has `status` and `shredded_at` columns) and an audit entry
 * appended, all in one transaction; only then is the file removed. Every run also removes the files
 * of rows already shredded (a crash between the two steps) and files that no row holds a key for
 * any more (their row went, e.g. with an erased account): without a key they are noise, but they go.
 * Idempotent: a second run finds nothing to do. Returns the number of keys destroyed.
 */
async function shredExpired(deps: SweepDeps, table: string, rule: ShredRule, now: Date) {
  const db = deps.database.db;
  const id = (name: string) => sql.identifier(name);
  const directory = join(deps.config.dataDir, rule.directory);
  const action = `${table.replace(/s$/, '')}.shredded`;
  let total = 0;
  for (;;) {
    const rows = await db.transaction(async (tx: Db) => {
      const result = await tx.execute(
        sql`update ${id(table)} set ${id(rule.key_column)} = null, status = 'shredded', shredded_at = ${now.toISOString()}::timestamptz
            where ctid in (select ctid from ${id(table)} where ${id(rule.column)} <= ${now.toISOString()}::timestamptz
              and ${id(rule.key_column)} is not null limit ${SHRED_BATCH} for update skip locked)
            returning id::text as id, ${id(rule.file_column)} as file, ${id(rule.column)} as expires`,
      );
      const shredded = rowsOf<{ id: string; file: string | null; expires: Date | string }>(result);
      for (const row of shredded) {
        await appendAudit(tx, deps.crypto, now, {
          action,
          subjectId: row.id,
          data: { expiredAt: new Date(row.expires).toISOString() },
        });
      }
      return shredded;
    });
    // Committed: the keys are gone, so the files are unreadable; now they go too.
    for (const row of rows) if (row.file) await rm(join(directory, basename(row.file)), { force: true });
    total += rows.length;
    if (rows.length < SHRED_BATCH) break;
  }
  const healed = await removeKeylessFiles(deps, table, rule, directory);
  if (total > 0 || healed > 0)
    deps.logger.info(
      { job: 'retention.shred', table, shredded: total, filesRemoved: healed },
      'keys shredded',
    );
  return total;
}

/** Files in the shred directory whose row no longer holds a key (shredded, or gone). */
async function removeKeylessFiles(deps: SweepDeps, table: string, rule: ShredRule, directory: string) {
  let files: string[];
  try {
    const entries = await readdir(directory, { withFileTypes: true });
    files = entries.filter((e) => e.isFile()).map((e) => e.name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
  if (files.length === 0) return 0;
  const id = (name: string) => sql.identifier(name);
  // Rows are inserted (with their key) before their file is created, so a file found here with no
  // keyed row cannot belong to a recording still being made.
  const keyed = new Set<string>();
  for (let i = 0; i < files.length; i += BATCH) {
    const names = files.slice(i, i + BATCH);
    const result = await deps.database.db.execute(
      sql`select ${id(rule.file_column)} as file from ${id(table)}
          where ${id(rule.file_column)} in (${sql.join(
            names.map((n) => sql`${n}`),
            sql`, `,
          )}) and ${id(rule.key_column)} is not null`,
    );
    for (const { file } of rowsOf<{ file: string }>(result)) keyed.add(file);
  }
  let removed = 0;
  for (const file of files) {
    if (keyed.has(file)) continue;
    await rm(join(directory, file), { force: true });
    removed++;
  }
  return removed;
}

function whereExpired(table: string, rule: RetentionRule, now: Date) {
  const column = (name: string) => sql.identifier(name);
  switch (rule.rule) {
    case 'expired':
      return sql`${column(rule.column)} < ${now.toISOString()}::timestamptz`;
    case 'older_than': {
      const cutoff = new Date(now.getTime() - periodMs(rule.period)).toISOString();
      const keep = rule.keep_while
        ? sql` and (${column(rule.keep_while)} is null or ${column(rule.keep_while)} < ${now.toISOString()}::timestamptz)`
        : sql``;
      return sql`${column(rule.column)} < ${cutoff}::timestamptz${keep}`;
    }
    case 'room_ended': {
      const cutoff = new Date(now.getTime() - periodMs(rule.period)).toISOString();
      const ended = sql`status = 'ended' and ended_at < ${cutoff}::timestamptz`;
      return table === 'rooms' ? ended : sql`room_id in (select id from rooms where ${ended})`;
    }
    default:
      return undefined;
  }
}

/** Rows a DELETE removed, from either driver's result shape. */
function affected(result: unknown): number {
  const r = result as { count?: number; affectedRows?: number };
  return Number(r.count ?? r.affectedRows ?? 0);
}

function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : ((result as { rows?: T[] }).rows ?? [])) as T[];
}
