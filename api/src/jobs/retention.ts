import { rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Db } from '@salon/db';
import { loadDataMap, periodMs, type RetentionRule } from '@salon/policies';
import { sql } from 'drizzle-orm';
import type { AppDeps } from '../http/app-env';
import { appendAudit } from '../modules/audit/audit.service';

const BATCH = 5000;

/**
 * The retention sweeper: one rule per table, read from policies/data-map.yaml, so that the
 * periods the privacy notice states are the periods applied. Deletes in batches (a large backlog
 * never holds long locks), is idempotent, and records what it removed in the logs and the audit log.
 */
export async function sweepRetention(
  deps: Pick<AppDeps, 'database' | 'logger' | 'crypto' | 'config'>,
  now: Date,
) {
  const db = deps.database.db;
  const map = loadDataMap();
  const removed: Record<string, number> = {};
  // Children of rooms first, so their counts are reported before the cascade would take them.
  const tables = Object.entries(map.tables).sort(([a], [b]) => Number(a === 'rooms') - Number(b === 'rooms'));
  for (const [table, policy] of tables) {
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
