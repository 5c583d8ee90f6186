import { chmod, mkdir, open, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type Db, schema } from '@salon/db';
import { asc, count, desc, lte, sql } from 'drizzle-orm';
import type { AppDeps } from '../../http/app-env';
import { AUDIT_LOCK, canonicalJson, GENESIS } from './audit.service';

const { auditEvents } = schema;

export type CheckpointDeps = Pick<AppDeps, 'database' | 'crypto' | 'secrets' | 'config'>;

/**
 * What a checkpoint signs. `lastId`/`lastHash` name an entry of the chain and `count` is that
 * entry's position in it since the genesis (pruned entries included), so a verifier can tell
 * that nothing before it went missing. A pruning checkpoint names the last entry it is about to
 * prune and repeats its hash as `anchor`: the first entry kept afterwards links to it.
 */
export interface CheckpointPayload {
  v: 1;
  at: string;
  lastId: number;
  lastHash: string;
  count: number;
  anchor: string | null;
}

/** One line of DATA_DIR/audit/checkpoints.jsonl. */
export interface Checkpoint extends CheckpointPayload {
  /** The Ed25519 public key (base64url) whose private half signed this line. */
  publicKey: string;
  signature: string;
}

export function checkpointFile(config: Pick<AppDeps['config'], 'dataDir'>) {
  return join(config.dataDir, 'audit', 'checkpoints.jsonl');
}

/** The operator's audit public key (base64url), derived from AUDIT_SIGNING_KEY. */
export function auditPublicKey(deps: Pick<CheckpointDeps, 'crypto' | 'secrets'>) {
  return deps.crypto.toBase64Url(deps.crypto.signingKeys(deps.secrets.auditSigningSeed).publicKey);
}

export function signCheckpoint(deps: Pick<CheckpointDeps, 'crypto' | 'secrets'>, payload: CheckpointPayload) {
  const keys = deps.crypto.signingKeys(deps.secrets.auditSigningSeed);
  const body: CheckpointPayload = {
    v: 1,
    at: payload.at,
    lastId: payload.lastId,
    lastHash: payload.lastHash,
    count: payload.count,
    anchor: payload.anchor,
  };
  return {
    ...body,
    publicKey: deps.crypto.toBase64Url(keys.publicKey),
    signature: deps.crypto.sign(canonicalJson(body), keys.privateKey),
  } satisfies Checkpoint;
}

export type CheckpointLine =
  | { line: number; ok: true; checkpoint: Checkpoint }
  | { line: number; ok: false; checkpoint: Partial<Checkpoint> | null; problem: string };

/**
 * Reads and checks lines of the checkpoint file: well-formed, signed by the operator's key (not
 * merely by the key the line carries), signature valid. A missing file is an empty list. With
 * `only`, the lines it rejects are skipped unchecked (the writers need one or two lines, not a
 * year of signatures checked every hour); `verifyAuditLog` checks them all.
 */
export async function readCheckpoints(
  deps: Pick<CheckpointDeps, 'crypto' | 'secrets' | 'config'>,
  only?: (candidate: Checkpoint) => boolean,
): Promise<CheckpointLine[]> {
  let text: string;
  try {
    text = await readFile(checkpointFile(deps.config), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const publicKey = auditPublicKey(deps);
  const keyBytes = deps.crypto.fromBase64Url(publicKey);
  const lines: CheckpointLine[] = [];
  text.split('\n').forEach((raw, index) => {
    if (!raw.trim()) return;
    const line = index + 1;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      if (!only) lines.push({ line, ok: false, checkpoint: null, problem: 'is not valid JSON' });
      return;
    }
    const c = parsed as Partial<Checkpoint>;
    if (
      c.v !== 1 ||
      typeof c.at !== 'string' ||
      !Number.isSafeInteger(c.lastId) ||
      typeof c.lastHash !== 'string' ||
      !Number.isSafeInteger(c.count) ||
      !(c.anchor === null || typeof c.anchor === 'string') ||
      typeof c.publicKey !== 'string' ||
      typeof c.signature !== 'string'
    ) {
      if (!only)
        lines.push({
          line,
          ok: false,
          checkpoint: c,
          problem: 'is not a checkpoint (fields missing or wrong)',
        });
      return;
    }
    const checkpoint = c as Checkpoint;
    if (only && !only(checkpoint)) return;
    if (checkpoint.publicKey !== publicKey) {
      lines.push({ line, ok: false, checkpoint, problem: 'is signed by another key than AUDIT_SIGNING_KEY' });
      return;
    }
    const payload: CheckpointPayload = {
      v: 1,
      at: checkpoint.at,
      lastId: checkpoint.lastId,
      lastHash: checkpoint.lastHash,
      count: checkpoint.count,
      anchor: checkpoint.anchor,
    };
    if (!deps.crypto.verifySignature(checkpoint.signature, canonicalJson(payload), keyBytes)) {
      lines.push({ line, ok: false, checkpoint, problem: 'has a signature that does not verify' });
      return;
    }
    lines.push({ line, ok: true, checkpoint });
  });
  return lines;
}

/**
 * Appends one signed line to the checkpoint file, outside the database: created 0600 in a 0700
 * folder, and flushed to disk (file and, when new, its folder) before this returns.
 */
export async function appendCheckpoint(deps: Pick<CheckpointDeps, 'config'>, checkpoint: Checkpoint) {
  const file = checkpointFile(deps.config);
  const dir = dirname(file);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const handle = await open(file, 'a', 0o600);
  let created = false;
  try {
    created = (await handle.stat()).size === 0;
    await handle.chmod(0o600);
    await handle.appendFile(`${JSON.stringify(checkpoint)}\n`, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  if (created) {
    await chmod(dir, 0o700);
    const folder = await open(dir, 'r');
    try {
      await folder.sync();
    } finally {
      await folder.close();
    }
  }
}

/**
 * How many entries the chain held before its first retained one: 0 when that entry follows the
 * genesis, else the position of the pruned entry it links to, from the signed pruning checkpoint
 * that anchors it. Null when nothing anchors it (entries were removed without a pruning).
 */
export async function prunedBefore(
  db: Db,
  deps: Pick<CheckpointDeps, 'crypto' | 'secrets' | 'config'>,
): Promise<number | null> {
  const [first] = await db
    .select({ prevHash: auditEvents.prevHash })
    .from(auditEvents)
    .orderBy(asc(auditEvents.id))
    .limit(1);
  if (!first || first.prevHash === GENESIS) return 0;
  const anchors = await readCheckpoints(deps, (c) => c.anchor === first.prevHash);
  return anchorFor(anchors, first.prevHash)?.count ?? null;
}

/** The latest valid pruning checkpoint whose anchor is `hash`. */
export function anchorFor(checkpoints: CheckpointLine[], hash: string) {
  return checkpoints.flatMap((l) => (l.ok && l.checkpoint.anchor === hash ? [l.checkpoint] : [])).at(-1);
}

/** The position (since the genesis) of entry `id`, which must be retained. */
export async function positionOf(db: Db, base: number, id: number) {
  const [row] = await db.select({ n: count() }).from(auditEvents).where(lte(auditEvents.id, id));
  return base + Number(row?.n ?? 0);
}

/**
 * Signs the current end of the chain into the checkpoint file (the hourly `audit.checkpoint`
 * job). Returns null when there is nothing new since the last checkpoint, or nothing at all.
 */
export async function writeCheckpoint(deps: CheckpointDeps, now: Date): Promise<Checkpoint | null> {
  // Under the chain's lock, so that no pruning moves the start while the position is counted.
  return deps.database.db.transaction(async (tx: Db) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${sql.raw(String(AUDIT_LOCK))})`);
    const [last] = await tx
      .select({ id: auditEvents.id, hash: auditEvents.hash })
      .from(auditEvents)
      .orderBy(desc(auditEvents.id))
      .limit(1);
    if (!last) return null;
    const same = await readCheckpoints(deps, (c) => c.lastId === last.id && c.lastHash === last.hash);
    if (same.some((l) => l.ok && l.checkpoint.anchor === null)) return null;
    const base = await prunedBefore(tx, deps);
    if (base === null)
      throw new Error(
        'audit: the oldest entry follows one that is gone and no signed pruning checkpoint explains it; ' +
          'run `npm run salon -- audit verify` and restore DATA_DIR/audit/checkpoints.jsonl from a backup',
      );
    const checkpoint = signCheckpoint(deps, {
      v: 1,
      at: now.toISOString(),
      lastId: last.id,
      lastHash: last.hash,
      count: await positionOf(tx, base, last.id),
      anchor: null,
    });
    await appendCheckpoint(deps, checkpoint);
    return checkpoint;
  });
}
