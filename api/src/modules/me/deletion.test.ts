import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { schema } from '@salon/db';
import { eq, sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createJobs } from '../../jobs';
import { createTestApp } from '../../testing';
import { testClient } from '../../testing/client';
import { seedModerationHistory } from '../../testing/moderation-history';

let t: Awaited<ReturnType<typeof createTestApp>>;
let dataDir: string;
beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'salon-deletion-'));
  t = await createTestApp({ DATA_DIR: dataDir });
});
afterEach(async () => {
  await t.close();
});

const DAY = 86_400_000;
type Client = ReturnType<typeof testClient>;

async function confirmDeletion(client: Client, immediate = false) {
  const options = await client.post('/v1/auth/passkeys/login/options');
  return client.request('DELETE', '/v1/me', {
    response: client.authenticator.authenticate(options.body),
    immediate,
  });
}

/** Alice with a footprint everywhere: invites, follows, a club, a room with a timeline, notifications. */
async function busyAlice() {
  const alice = testClient(t);
  const { userId } = await alice.signUp({
    phone: '0611111111',
    username: 'alice',
    displayName: 'Alice Durand',
  });
  const invite = await alice.post('/v1/me/invites');
  const bob = testClient(t, { ip: '192.0.2.2' });
  await bob.signUp({
    phone: '0622222222',
    username: 'bob',
    displayName: 'Bob Lefèvre',
    inviteCode: invite.body.code,
  });
  await bob.put('/v1/users/alice/follow');
  await alice.put('/v1/users/bob/follow');
  await alice.post('/v1/clubs', { name: 'Club vélo', slug: 'velo', joinPolicy: 'open' });
  await bob.post('/v1/clubs/velo/join');
  const { body: room } = await alice.post('/v1/rooms', { topic: 'Chez Alice', mode: 'open' });
  await alice.post(`/v1/rooms/${room.id}/join`);
  await bob.post(`/v1/rooms/${room.id}/join`);
  await alice.post(`/v1/rooms/${room.id}/stage/${(await bob.get('/v1/me')).body.id}`, { action: 'invite' });
  await alice.post(`/v1/rooms/${room.id}/reactions`, { emoji: '🔥' });
  await createJobs(t).queue.runDue();
  return { alice, bob, userId, roomId: room.id as string };
}

async function allRows() {
  const tables = await t.database.db.execute<{ table_name: string }>(
    sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`,
  );
  const names = (Array.isArray(tables) ? tables : (tables as { rows: { table_name: string }[] }).rows).map(
    (r) => r.table_name,
  );
  const out: Record<string, unknown[]> = {};
  for (const name of names) {
    const rows = await t.database.db.execute(sql`select * from ${sql.identifier(name)}`);
    out[name] = Array.isArray(rows) ? rows : (rows as { rows: unknown[] }).rows;
  }
  return out;
}

describe('account deletion (GDPR art. 17)', () => {
  it('needs a fresh passkey assertion of this account', async () => {
    const { alice, bob } = await busyAlice();
    const options = await alice.post('/v1/auth/passkeys/login/options');
    const bobsProof = bob.authenticator.authenticate(options.body);
    const refused = await alice.request('DELETE', '/v1/me', { response: bobsProof });
    expect(refused.body.error.code).toBe('deletion.wrong_passkey');
    expect((await alice.get('/v1/me')).status).toBe(200);
  });

  it('deactivates at once, lets the member cancel during the grace period, and erases after it', async () => {
    const { alice, bob, roomId } = await busyAlice();
    const requested = await confirmDeletion(alice);
    expect(requested.status).toBe(202);
    expect(requested.body).toEqual({ erasureAt: '2026-11-28T12:00:00.000Z' });
    expect((await alice.get('/v1/me')).status).toBe(401); // signed out everywhere
    expect((await bob.get('/v1/users/alice')).status).toBe(404); // hidden
    expect((await bob.get(`/v1/rooms/${roomId}`)).body.status).toBe('ended'); // her live room ended

    const back = await alice.logIn();
    expect(back.body.pendingDeletion).toBe(true);
    expect((await alice.get('/v1/me')).body.deletion).toEqual({ erasureAt: '2026-11-28T12:00:00.000Z' });
    expect((await alice.post('/v1/me/invites')).body.error.code).toBe('account.pending_deletion');
    expect((await alice.post('/v1/me/deletion/cancel')).body.deletion).toBeNull();
    expect((await bob.get('/v1/users/alice')).status).toBe(200);

    await confirmDeletion(alice);
    t.clock.advance(6 * DAY);
    await createJobs(t).queue.runDue();
    expect(
      await t.database.db.select().from(schema.users).where(eq(schema.users.username, 'alice')),
    ).toHaveLength(1);
    t.clock.advance(DAY);
    await createJobs(t).queue.runDue();
    expect(
      await t.database.db.select().from(schema.users).where(eq(schema.users.username, 'alice')),
    ).toHaveLength(0);
  });

  it('erases at once on request and leaves no row that identifies the person', async () => {
    const { alice, bob, userId, roomId } = await busyAlice();
    const { recordingFile } = await seedModerationHistory(t.database.db, {
      memberId: userId,
      otherId: (await bob.get('/v1/me')).body.id,
      roomId,
      dataDir,
      now: t.clock.now(),
    });
    expect((await confirmDeletion(alice, true)).status).toBe(202);
    // Erased before the answer: the passkey no longer opens anything.
    expect((await alice.logIn()).body.error.code).toBe('passkey.unknown');
    await createJobs(t).queue.runDue(); // the queued job then finds nothing left to do

    const rows = await allRows();
    const kept: string[] = [];
    for (const [table, list] of Object.entries(rows)) {
      const text = JSON.stringify(list);
      for (const identifier of ['alice', 'Alice Durand', '611111111']) {
        expect(text, `${table} still holds "${identifier}"`).not.toContain(identifier);
      }
      if (text.includes(userId)) kept.push(table);
    }
    // Only what the data map keeps on purpose, with pseudonymous ids and nothing else:
    // the audit log (evidence), queued work (gone within a week) and rate-limit counters (within the hour).
    expect(kept.sort()).toEqual(['audit_events', 'jobs', 'rate_limits']);
    // Her report and the decision about her stay for their cases, without her; her voice is gone.
    expect(rows.reports).toHaveLength(1);
    expect(rows.decisions).toHaveLength(1);
    expect(rows.appeals).toHaveLength(1);
    expect(rows.recordings).toHaveLength(0);
    expect(existsSync(recordingFile)).toBe(false);
    // Bob keeps his account; the club Alice ran passed to him.
    expect((await bob.get('/v1/clubs/velo')).body.me.role).toBe('admin');
    expect((await bob.get('/v1/me')).body.username).toBe('bob');
    const audit = rows.audit_events as { action: string }[];
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['account.deletion_requested', 'account.erased']),
    );
  });

  it('is idempotent: a second run of the eraser changes nothing', async () => {
    const { alice } = await busyAlice();
    await confirmDeletion(alice, true);
    const jobs = createJobs(t);
    await jobs.queue.runDue();
    const { eraseAccount } = await import('./deletion.service');
    const [job] = await t.database.db
      .select()
      .from(schema.jobs)
      .where(eq(schema.jobs.name, 'accounts.erase'));
    const payload = job?.payload as { userId: string; requestedAt: string };
    expect(await eraseAccount(t, payload.userId, payload.requestedAt)).toBe(false);
  });
});
