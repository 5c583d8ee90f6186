import { type Db, schema } from '@salon/db';
import { type DataMap, periodMs } from '@salon/policies';
import { asc, count, desc, gt, gte, lt, lte, max, min, sql } from 'drizzle-orm';
import type { Crypto } from '../../crypto';
import {
  appendCheckpoint,
  type CheckpointDeps,
  positionOf,
  prunedBefore,
  signCheckpoint,
} from './audit.checkpoints';
import { AUDIT_LOCK, appendAudit, entryHash } from './audit.service';

const { auditEvents } = schema;
const BATCH = 1000;

/** The audit log's retention period, from policies/data-map.yaml (1 year). */
export function auditRetentionMs(map: DataMap) {
  const rule = map.tables.audit_events?.retention;
  if (rule?.rule !== 'older_than')
    throw new Error('policies/data-map.yaml: audit_events needs an older_than rule with a period');
  return periodMs(rule.period);
}

/**
 * Removes the entries older than the retention period (policies/data-map.yaml), keeping the chain
 * verifiable: the chain loses a prefix only (pruning stops at the first entry still within its
 * period, and the newest entry always stays); the entries about to go are checked first (pruning
 * never erases evidence of tampering); and before anything is deleted a signed checkpoint records
 * the last pruned entry as the anchor the first kept entry links to. One transaction, the only
 * kind allowed to delete (`salon.audit_prune`), which also appends `audit.pruned` with the count.
 * Returns the count. Called by the retention sweeper; throws if the chain is broken.
 */
export async function pruneAuditLog(deps: CheckpointDeps & { dataMap: DataMap }, now: Date): Promise<number> {
  // Whole days: the pruned prefix changes once a day, so the sweeps in between (every few
  // minutes) find nothing due and write no checkpoint. Entries go within a day of their year.
  const cutoff = new Date(now.getTime() - auditRetentionMs(deps.dataMap));
  cutoff.setUTCHours(0, 0, 0, 0);
  return deps.database.db.transaction(async (tx: Db) => {
    // No entry is appended while the prefix is chosen and removed.
    await tx.execute(sql`select pg_advisory_xact_lock(${sql.raw(String(AUDIT_LOCK))})`);
    const [kept] = await tx
      .select({ id: min(auditEvents.id) })
      .from(auditEvents)
      .where(gte(auditEvents.at, cutoff));
    // The newest entry always stays, even when due: `audit.pruned` must link to something kept.
    const [newest] = await tx.select({ id: max(auditEvents.id) }).from(auditEvents);
    if (newest?.id == null) return 0;
    const [anchor] = await tx
      .select({ id: auditEvents.id, hash: auditEvents.hash })
      .from(auditEvents)
      .where(lt(auditEvents.id, kept?.id ?? newest.id))
      .orderBy(desc(auditEvents.id))
      .limit(1);
    if (!anchor) return 0;

    const base = await prunedBefore(tx, deps);
    if (base === null)
      throw new Error(
        'audit: not pruning, the oldest entry is not anchored (entries are missing); run `npm run salon -- audit verify`',
      );
    // Pruning must not erase the evidence of tampering: the entries about to go are checked first.
    const broken = await firstBrokenUpTo(tx, deps.crypto, anchor.id);
    if (broken !== null)
      throw new Error(
        `audit: not pruning, entry ${broken} is broken (edited, or an entry before it removed); run \`npm run salon -- audit verify\``,
      );
    // Written (and flushed) before the delete: if the transaction fails after this, the
    // checkpoint still matches the entry, which is simply kept.
    await appendCheckpoint(
      deps,
      signCheckpoint(deps, {
        v: 1,
        at: now.toISOString(),
        lastId: anchor.id,
        lastHash: anchor.hash,
        count: await positionOf(tx, base, anchor.id),
        anchor: anchor.hash,
      }),
    );

    await tx.execute(sql`set local salon.audit_prune = 'on'`);
    const [due] = await tx.select({ n: count() }).from(auditEvents).where(lte(auditEvents.id, anchor.id));
    await tx.delete(auditEvents).where(lte(auditEvents.id, anchor.id));
    await tx.execute(sql`set local salon.audit_prune = 'off'`);
    const removed = Number(due?.n ?? 0);

    await appendAudit(tx, deps.crypto, now, {
      action: 'audit.pruned',
      data: { count: removed, throughId: anchor.id, before: cutoff.toISOString() },
    });
    return removed;
  });
}

/**
 * The first entry, up to `lastId` and the one after it, whose hash does not match its content or
 * that does not link to the entry before it; null when that stretch of the chain is sound.
 */
async function firstBrokenUpTo(tx: Db, crypto: Crypto, lastId: number): Promise<number | null> {
  let prevHash: string | null = null;
  let cursor = 0;
  for (;;) {
    const rows = await tx
      .select()
      .from(auditEvents)
      .where(gt(auditEvents.id, cursor))
      .orderBy(asc(auditEvents.id))
      .limit(BATCH);
    for (const row of rows) {
      if (prevHash !== null && row.prevHash !== prevHash) return row.id;
      if (entryHash(crypto, row.prevHash, row) !== row.hash) return row.id;
      // The entry after the last pruned one is checked too: it will link to the anchor.
      if (row.id > lastId) return null;
      prevHash = row.hash;
    }
    if (rows.length < BATCH) return null;
    cursor = rows.at(-1)?.id ?? cursor;
  }
}
