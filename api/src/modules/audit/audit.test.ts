import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Db, schema } from '@salon/db';
import { asc, type SQL, sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createJobs } from '../../jobs';
import { createTestApp, testSecrets } from '../../testing';
import { type Checkpoint, checkpointFile, signCheckpoint, writeCheckpoint } from './audit.checkpoints';
import { pruneAuditLog } from './audit.prune';
import { appendAudit, entryHash } from './audit.service';
import { verifyAuditLog } from './audit.verify';

let t: Awaited<ReturnType<typeof createTestApp>>;
beforeEach(async () => {
  t = await createTestApp({ DATA_DIR: mkdtempSync(join(tmpdir(), 'salon-audit-')) });
});
afterEach(async () => {
  await t.close();
});

const ALICE = '00000000-0000-4000-8000-00000000000a';
const BOB = '00000000-0000-4000-8000-00000000000b';

const run = (query: SQL) => t.database.db.execute(query);

/** The database's refusal, whatever wrapping the driver and Drizzle add around it. */
async function refusal(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (error) {
    const messages: string[] = [];
    for (let e: unknown = error; e instanceof Error; e = e.cause) messages.push(e.message);
    return messages.join(' / ');
  }
  throw new Error('the database accepted it');
}

async function append(at: string, action: string, data: Record<string, string | number> = {}) {
  await t.database.db.transaction((tx: Db) =>
    appendAudit(tx, t.crypto, new Date(at), { action, actorId: ALICE, subjectId: BOB, data }),
  );
}

async function entries() {
  return t.database.db.select().from(schema.auditEvents).orderBy(asc(schema.auditEvents.id));
}

/** Edits the log behind the trigger's back, as a table owner with direct access could. */
async function tamper(statement: SQL) {
  await run(sql`alter table audit_events disable trigger audit_events_no_update_delete`);
  try {
    await run(statement);
  } finally {
    await run(sql`alter table audit_events enable trigger audit_events_no_update_delete`);
  }
}

const lines = () =>
  readFileSync(checkpointFile(t.config), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Checkpoint);

async function fiveEntries() {
  for (const [i, action] of [
    'staff.granted',
    'report.decided',
    'recording.played',
    'export.operator',
    'account.erased',
  ].entries())
    await append(`2026-11-2${i}T10:00:00Z`, action, { n: i });
  return entries();
}

describe('audit log: append-only in the database', () => {
  it('refuses UPDATE, DELETE and TRUNCATE, and allows DELETE only to a transaction that set salon.audit_prune', async () => {
    await fiveEntries();
    expect(await refusal(run(sql`update audit_events set action = 'nothing.happened'`))).toMatch(
      /append-only \(UPDATE refused\)/,
    );
    expect(await refusal(run(sql`delete from audit_events where id = 1`))).toMatch(
      /append-only \(DELETE refused\)/,
    );
    expect(await refusal(run(sql`truncate audit_events`))).toMatch(/append-only \(TRUNCATE refused\)/);
    // The switch is per transaction: `set` outside one, or another transaction, does not open it.
    expect(
      await refusal(
        t.database.db.transaction(async (tx: Db) => {
          await tx.execute(sql`set local salon.audit_prune = 'on'`);
          await tx.execute(sql`update audit_events set action = 'nothing.happened' where id = 1`);
        }),
      ),
    ).toMatch(/UPDATE refused/);
    expect(await entries()).toHaveLength(5);

    await t.database.db.transaction(async (tx: Db) => {
      await tx.execute(sql`set local salon.audit_prune = 'on'`);
      await tx.execute(sql`delete from audit_events where id = 1`);
    });
    expect((await entries()).map((e) => e.id)).toEqual([2, 3, 4, 5]);
    expect(await refusal(run(sql`delete from audit_events where id = 2`))).toMatch(/DELETE refused/);
    expect(await entries()).toHaveLength(4);
  });

  it('refuses data that looks like a phone number, and keeps dates and ids', async () => {
    await expect(
      append('2026-11-21T10:00:00Z', 'staff.granted', { note: '+33 6 12 34 56 78' }),
    ).rejects.toThrow(/data.note of staff.granted looks like a phone number/);
    await expect(append('2026-11-21T10:00:00Z', 'staff.granted', { note: '06.12.34.56.78' })).rejects.toThrow(
      /phone number/,
    );
    await append('2026-11-21T10:00:00Z', 'account.deletion_requested', {
      erasureAt: '2026-11-28T10:00:00.000Z',
      day: '2026-11-28',
      bytes: 612345678,
      reportId: 'c0ffee00-0000-4000-8000-000000000001',
    });
    expect(await entries()).toHaveLength(1);
  });
});

describe('audit log: checkpoints and verification', () => {
  it('verifies a clean chain, and writes signed checkpoints outside the database only when there is something new', async () => {
    expect(await verifyAuditLog(t)).toMatchObject({ ok: true, checked: 0, checkpoints: 0 });
    expect(await writeCheckpoint(t, t.clock.now())).toBeNull();

    const rows = await fiveEntries();
    const first = await writeCheckpoint(t, new Date('2026-11-25T11:00:00Z'));
    expect(first).toMatchObject({ v: 1, lastId: 5, lastHash: rows[4]?.hash, count: 5, anchor: null });
    expect(await writeCheckpoint(t, new Date('2026-11-25T12:00:00Z'))).toBeNull();
    await append('2026-11-25T12:30:00Z', 'appeal.decided');
    expect(await writeCheckpoint(t, new Date('2026-11-25T13:00:00Z'))).toMatchObject({ lastId: 6, count: 6 });

    const file = checkpointFile(t.config);
    expect(file).toBe(join(t.config.dataDir, 'audit', 'checkpoints.jsonl'));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const written = lines();
    expect(written).toHaveLength(2);
    // Each line carries the public key of AUDIT_SIGNING_KEY, so an auditor can match it.
    const publicKey = t.crypto.toBase64Url(t.crypto.signingKeys(t.secrets.auditSigningSeed).publicKey);
    expect(written.every((c) => c.publicKey === publicKey)).toBe(true);

    const verified = await verifyAuditLog(t);
    expect(verified).toMatchObject({
      ok: true,
      checked: 6,
      checkpoints: 2,
      firstId: 1,
      lastId: 6,
      publicKey,
    });
    expect(verified.firstBroken).toBeUndefined();
  });

  it('are written by the jobs worker every hour', async () => {
    await fiveEntries();
    const jobs = createJobs(t);
    await jobs.start(3_600_000);
    await jobs.stop();
    await jobs.queue.runDue();
    expect(lines()).toHaveLength(1);
    t.clock.advance(30 * 60_000);
    await jobs.queue.runDue();
    expect(lines()).toHaveLength(1);
    t.clock.advance(30 * 60_000);
    await jobs.queue.runDue();
    const written = lines();
    expect(written).toHaveLength(2);
    expect(written[1]?.at).toBe('2026-11-21T13:00:00.000Z');
    expect(await verifyAuditLog(t)).toMatchObject({ ok: true, checkpoints: 2 });
  });

  it('names an edited entry', async () => {
    await fiveEntries();
    await writeCheckpoint(t, t.clock.now());
    await tamper(sql`update audit_events set data = '{"n": 42}'::jsonb where id = 3`);
    const result = await verifyAuditLog(t);
    expect(result.ok).toBe(false);
    expect(result.firstBroken).toEqual({
      id: 3,
      action: 'recording.played',
      at: '2026-11-22T10:00:00.000Z',
      reason: 'its content does not match its hash (the entry was edited)',
    });
  });

  it('names the link after an entry rewritten with a recomputed hash, and a checkpoint catches a rewritten tail', async () => {
    const rows = await fiveEntries();
    await writeCheckpoint(t, t.clock.now());
    // Rewrites entry `id` and recomputes its hash, as someone who knows the scheme would.
    const rewrite = async (id: number, prevHash: string) => {
      const row = rows[id - 1];
      if (!row) throw new Error(`no entry ${id}`);
      const hash = entryHash(t.crypto, prevHash, { ...row, data: { n: 42 } });
      await tamper(
        sql`update audit_events set data = '{"n": 42}'::jsonb, prev_hash = ${prevHash}, hash = ${hash} where id = ${id}`,
      );
      return hash;
    };
    let hash = await rewrite(2, rows[0]?.hash ?? '');
    expect((await verifyAuditLog(t)).firstBroken).toMatchObject({
      id: 3,
      reason: 'does not follow entry 2: an entry between them was removed, or entry 2 was rewritten',
    });
    // Rewriting every later entry too makes the chain consistent again, but not with what was signed.
    for (const id of [3, 4, 5]) hash = await rewrite(id, hash);
    expect((await verifyAuditLog(t)).firstBroken).toMatchObject({
      id: 5,
      reason: 'differs from the entry the checkpoint of 2026-11-21T12:00:00.000Z signed',
    });
  });

  it('detects a removed entry: in the middle and at the start', async () => {
    await fiveEntries();
    await writeCheckpoint(t, t.clock.now());
    await tamper(sql`delete from audit_events where id = 3`);
    expect((await verifyAuditLog(t)).firstBroken).toMatchObject({
      id: 4,
      action: 'export.operator',
      reason: 'does not follow entry 2: an entry between them was removed, or entry 2 was rewritten',
    });
    await tamper(sql`delete from audit_events where id in (1, 2)`);
    expect((await verifyAuditLog(t)).firstBroken).toMatchObject({
      id: 4,
      reason: expect.stringMatching(/oldest entry follows an entry that is gone/),
    });
    // A writer refuses to sign a chain whose start is unexplained.
    await append('2026-11-26T10:00:00Z', 'account.erased');
    await expect(writeCheckpoint(t, t.clock.now())).rejects.toThrow(/oldest entry follows one that is gone/);
  });

  it('detects entries removed from the end, which only a checkpoint can tell', async () => {
    await fiveEntries();
    await writeCheckpoint(t, t.clock.now());
    await tamper(sql`delete from audit_events where id >= 4`);
    expect((await verifyAuditLog(t)).firstBroken).toEqual({
      id: 5,
      action: null,
      at: '2026-11-21T12:00:00.000Z',
      reason: 'entry 5, signed by the checkpoint of 2026-11-21T12:00:00.000Z, is gone (entries were removed)',
    });
  });

  it('detects a forged checkpoint, and one signed by another key', async () => {
    await fiveEntries();
    await writeCheckpoint(t, t.clock.now());
    const file = checkpointFile(t.config);
    const good = lines()[0] as Checkpoint;
    writeFileSync(file, `${JSON.stringify({ ...good, count: 4 })}\n`);
    expect((await verifyAuditLog(t)).firstBroken).toEqual({
      id: 5,
      action: 'checkpoint',
      at: '2026-11-21T12:00:00.000Z',
      reason: 'checkpoints.jsonl line 1 has a signature that does not verify',
    });

    // A checkpoint whose signature is valid, but under a key that is not the operator's.
    const other = signCheckpoint({ crypto: t.crypto, secrets: await testSecrets() }, { ...good, count: 4 });
    writeFileSync(file, `${JSON.stringify(good)}\n${JSON.stringify(other)}\n`);
    expect(await verifyAuditLog(t)).toMatchObject({
      ok: false,
      checkpoints: 1,
      firstBroken: {
        id: 5,
        reason: 'checkpoints.jsonl line 2 is signed by another key than AUDIT_SIGNING_KEY',
      },
    });
    writeFileSync(file, `${JSON.stringify(good)}\nnot json\n`);
    expect((await verifyAuditLog(t)).firstBroken).toEqual({
      id: null,
      action: 'checkpoint',
      at: null,
      reason: 'checkpoints.jsonl line 2 is not valid JSON',
    });
  });
});

describe('audit log: pruning', () => {
  it('removes entries past the data map period (1 year) and the chain still verifies', async () => {
    const rows = await fiveEntries(); // 2026-11-20 … 2026-11-24
    await writeCheckpoint(t, new Date('2026-11-25T00:00:00Z'));
    expect(await pruneAuditLog(t, new Date('2027-11-20T09:00:00Z'))).toBe(0);
    expect(existsCount()).toBe(1);

    // A year and a bit after the 21st: the entries of the 20th and 21st are due, the 22nd is not.
    const removed = await pruneAuditLog(t, new Date('2027-11-22T09:00:00Z'));
    expect(removed).toBe(2);
    const left = await entries();
    expect(left.map((e) => e.action)).toEqual([
      'recording.played',
      'export.operator',
      'account.erased',
      'audit.pruned',
    ]);
    expect(left.at(-1)?.data).toEqual({ count: 2, throughId: 2, before: '2026-11-22T00:00:00.000Z' });
    // Later the same day, nothing more is due (pruning moves by whole days).
    expect(await pruneAuditLog(t, new Date('2027-11-22T23:59:00Z'))).toBe(0);
    expect(left[0]?.prevHash).toBe(rows[1]?.hash);
    const anchor = lines().at(-1);
    expect(anchor).toMatchObject({ lastId: 2, lastHash: rows[1]?.hash, anchor: rows[1]?.hash, count: 2 });

    expect(await verifyAuditLog(t)).toMatchObject({ ok: true, checked: 4, pruned: 2, firstId: 3, lastId: 6 });
    // Positions carry on from the pruned entries: the next checkpoint counts them.
    expect(await writeCheckpoint(t, new Date('2027-11-22T10:00:00Z'))).toMatchObject({ lastId: 6, count: 6 });

    // Later prunes chain on, and the log stays verifiable.
    await append('2027-11-23T10:00:00Z', 'staff.revoked');
    expect(await pruneAuditLog(t, new Date('2027-11-25T09:00:00Z'))).toBe(3);
    expect((await entries()).map((e) => e.action)).toEqual(['audit.pruned', 'staff.revoked', 'audit.pruned']);
    expect(await verifyAuditLog(t)).toMatchObject({ ok: true, checked: 3, pruned: 5 });
    await writeCheckpoint(t, new Date('2027-11-25T10:00:00Z'));
    expect(await verifyAuditLog(t)).toMatchObject({ ok: true, checkpoints: 5 });

    // Removing more from the start than the pruning did is still caught.
    await tamper(sql`delete from audit_events where id = 6`);
    expect((await verifyAuditLog(t)).firstBroken).toMatchObject({
      id: 7,
      reason: expect.stringMatching(/no signed pruning checkpoint anchors it/),
    });
  });

  it('refuses to prune entries that are broken, so pruning cannot erase the evidence', async () => {
    await fiveEntries();
    await tamper(sql`update audit_events set data = '{"n": 42}'::jsonb where id = 2`);
    await expect(pruneAuditLog(t, new Date('2027-11-22T09:00:00Z'))).rejects.toThrow(
      /not pruning, entry 2 is broken/,
    );
    expect(await entries()).toHaveLength(5);
    expect(existsCount()).toBe(0);
    // The entry right after the pruned stretch is checked too (it will link to the anchor).
    await tamper(sql`update audit_events set data = '{"n": 1}'::jsonb where id = 2`);
    await tamper(sql`update audit_events set action = 'nothing.happened' where id = 3`);
    await expect(pruneAuditLog(t, new Date('2027-11-22T09:00:00Z'))).rejects.toThrow(/entry 3 is broken/);
    await tamper(sql`update audit_events set action = 'recording.played' where id = 3`);
    expect(await pruneAuditLog(t, new Date('2027-11-22T09:00:00Z'))).toBe(2);
  });

  it('keeps the newest entry even when everything is due, so the chain goes on from it', async () => {
    await fiveEntries();
    expect(await pruneAuditLog(t, new Date('2029-01-01T00:00:00Z'))).toBe(4);
    const left = await entries();
    expect(left.map((e) => e.action)).toEqual(['account.erased', 'audit.pruned']);
    expect(left[1]?.prevHash).toBe(left[0]?.hash);
    expect(await verifyAuditLog(t)).toMatchObject({ ok: true, checked: 2, pruned: 4 });
    // A year on, the pruning entry itself is due: the previous newest goes, the chain still holds.
    expect(await pruneAuditLog(t, new Date('2030-01-02T00:00:00Z'))).toBe(1);
    expect((await entries()).map((e) => e.action)).toEqual(['audit.pruned', 'audit.pruned']);
    expect(await writeCheckpoint(t, new Date('2030-01-02T01:00:00Z'))).toMatchObject({ lastId: 7, count: 7 });
    expect(await verifyAuditLog(t)).toMatchObject({ ok: true, checked: 2, pruned: 5, checkpoints: 3 });
  });

  it('prunes only a prefix of the chain, even if a later entry carries an older time', async () => {
    await append('2025-01-01T00:00:00Z', 'account.erased');
    await append('2026-06-01T00:00:00Z', 'report.decided');
    await append('2025-02-01T00:00:00Z', 'retention.swept');
    expect(await pruneAuditLog(t, new Date('2026-07-01T00:00:00Z'))).toBe(1);
    expect((await entries()).map((e) => e.action)).toEqual([
      'report.decided',
      'retention.swept',
      'audit.pruned',
    ]);
    expect((await verifyAuditLog(t)).ok).toBe(true);
  });

  it('stays verifiable when a pruning transaction fails after its checkpoint was written', async () => {
    await fiveEntries();
    const failing = {
      ...t,
      crypto: {
        ...t.crypto,
        // Fails on the `audit.pruned` entry, the last step of the transaction.
        hash: (data: string) => {
          if (data.includes('audit.pruned')) throw new Error('out of memory');
          return t.crypto.hash(data);
        },
      },
    };
    const now = new Date('2027-11-22T09:00:00Z');
    await expect(pruneAuditLog(failing, now)).rejects.toThrow('out of memory');
    expect(await entries()).toHaveLength(5);
    expect(lines()).toMatchObject([{ lastId: 2, count: 2 }]);
    expect(await verifyAuditLog(t)).toMatchObject({ ok: true, checked: 5, pruned: 0 });
    expect(await pruneAuditLog(t, now)).toBe(2);
    expect(await verifyAuditLog(t)).toMatchObject({ ok: true, checked: 4, pruned: 2, checkpoints: 2 });
  });
});

function existsCount() {
  try {
    return lines().length;
  } catch {
    return 0;
  }
}
