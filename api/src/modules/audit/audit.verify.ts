import { schema } from '@salon/db';
import { asc, gt } from 'drizzle-orm';
import {
  anchorFor,
  auditPublicKey,
  type Checkpoint,
  type CheckpointDeps,
  checkpointFile,
  readCheckpoints,
} from './audit.checkpoints';
import { entryHash, GENESIS } from './audit.service';

const { auditEvents } = schema;
const BATCH = 1000;

export interface BrokenLink {
  /** The entry (or, for a checkpoint problem, the entry the checkpoint names). */
  id: number | null;
  /** The entry's action, `checkpoint` for a problem with the checkpoint file, null if the entry is gone. */
  action: string | null;
  at: string | null;
  reason: string;
}

export interface AuditVerification {
  ok: boolean;
  /** Entries whose hash was recomputed. */
  checked: number;
  /** Signed checkpoints that verified. */
  checkpoints: number;
  /** Entries pruned before the first retained one (per the signed pruning checkpoint). */
  pruned: number;
  firstId: number | null;
  lastId: number | null;
  publicKey: string;
  file: string;
  firstBroken?: BrokenLink;
}

/**
 * Walks the chain in id order from the first retained entry and names the first broken link:
 * an entry whose content no longer matches its hash (edited), an entry that does not follow the
 * one before it (something between was removed or rewritten), a start that no signed pruning
 * checkpoint anchors (entries removed from the start), an entry a checkpoint covered that is gone
 * or changed (entries removed from the end), or a checkpoint line that is not signed by the
 * operator's key.
 */
export async function verifyAuditLog(deps: CheckpointDeps): Promise<AuditVerification> {
  const db = deps.database.db;
  const lines = await readCheckpoints(deps);
  const valid = lines.flatMap((l) => (l.ok ? [l.checkpoint] : []));
  const result: AuditVerification = {
    ok: true,
    checked: 0,
    checkpoints: valid.length,
    pruned: 0,
    firstId: null,
    lastId: null,
    publicKey: auditPublicKey(deps),
    file: checkpointFile(deps.config),
  };
  const problems: BrokenLink[] = [];
  for (const l of lines) {
    if (l.ok) continue;
    problems.push({
      id: typeof l.checkpoint?.lastId === 'number' ? l.checkpoint.lastId : null,
      action: 'checkpoint',
      at: typeof l.checkpoint?.at === 'string' ? l.checkpoint.at : null,
      reason: `checkpoints.jsonl line ${l.line} ${l.problem}`,
    });
  }
  const byLastId = new Map<number, Checkpoint[]>();
  for (const c of valid) byLastId.set(c.lastId, [...(byLastId.get(c.lastId) ?? []), c]);
  const seen = new Set<number>();

  let base = 0;
  let prev: { id: number; hash: string } | null = null;
  let cursor = 0;
  walk: for (;;) {
    const rows = await db
      .select()
      .from(auditEvents)
      .where(gt(auditEvents.id, cursor))
      .orderBy(asc(auditEvents.id))
      .limit(BATCH);
    for (const row of rows) {
      const link = (reason: string): BrokenLink => ({
        id: row.id,
        action: row.action,
        at: row.at.toISOString(),
        reason,
      });
      if (!prev) {
        result.firstId = row.id;
        if (row.prevHash !== GENESIS) {
          const anchor = anchorFor(lines, row.prevHash);
          if (!anchor) {
            problems.push(
              link(
                'the oldest entry follows an entry that is gone, and no signed pruning checkpoint anchors it (entries were removed from the start)',
              ),
            );
            break walk;
          }
          base = anchor.count;
          result.pruned = base;
        }
      } else if (row.prevHash !== prev.hash) {
        problems.push(
          link(
            `does not follow entry ${prev.id}: an entry between them was removed, or entry ${prev.id} was rewritten`,
          ),
        );
        break walk;
      }
      if (entryHash(deps.crypto, row.prevHash, row) !== row.hash) {
        problems.push(link('its content does not match its hash (the entry was edited)'));
        break walk;
      }
      result.checked++;
      const position = base + result.checked;
      for (const c of byLastId.get(row.id) ?? []) {
        seen.add(row.id);
        if (c.lastHash !== row.hash || c.count !== position) {
          problems.push(
            link(
              c.lastHash !== row.hash
                ? `differs from the entry the checkpoint of ${c.at} signed`
                : `is entry number ${position} of the chain, the checkpoint of ${c.at} signed it as number ${c.count} (entries before it were removed or added)`,
            ),
          );
          break walk;
        }
      }
      prev = { id: row.id, hash: row.hash };
      result.lastId = row.id;
    }
    if (rows.length < BATCH) break;
    cursor = rows.at(-1)?.id ?? cursor;
  }

  // Entries checkpoints covered must still be there, unless a pruning removed them.
  if (!problems.some((p) => p.action !== 'checkpoint')) {
    for (const c of valid) {
      if (seen.has(c.lastId)) continue;
      const missing = (reason: string) => problems.push({ id: c.lastId, action: null, at: c.at, reason });
      if (result.firstId !== null && c.lastId >= result.firstId) {
        missing(`entry ${c.lastId}, signed by the checkpoint of ${c.at}, is gone (entries were removed)`);
      } else if (c.count > base) {
        missing(
          result.firstId === null
            ? `the log is empty, but the checkpoint of ${c.at} signed ${c.count} entries (entries were removed)`
            : `entry ${c.lastId}, signed by the checkpoint of ${c.at}, is gone but was not pruned (entries were removed)`,
        );
      }
    }
  }

  // The first in the chain's order; a checkpoint line too damaged to name an entry comes last.
  const first = problems.sort(
    (a, b) => (a.id ?? Number.POSITIVE_INFINITY) - (b.id ?? Number.POSITIVE_INFINITY),
  )[0];
  if (first) {
    result.ok = false;
    result.firstBroken = first;
  }
  return result;
}
