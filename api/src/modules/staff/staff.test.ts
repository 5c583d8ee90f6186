import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { schema } from '@salon/db';
import { asc, like } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp } from '../../testing';
import { memberFactory, testClient } from '../../testing/client';
import { verifyAuditLog } from '../audit/audit.verify';
import { grantStaff, listStaff, revokeStaff } from './staff.service';

let t: Awaited<ReturnType<typeof createTestApp>>;
let member: ReturnType<typeof memberFactory>;
beforeEach(async () => {
  t = await createTestApp({ DATA_DIR: mkdtempSync(join(tmpdir(), 'salon-staff-')) });
  member = memberFactory(t);
});
afterEach(async () => {
  await t.close();
});

const staffEntries = () =>
  t.database.db
    .select()
    .from(schema.auditEvents)
    .where(like(schema.auditEvents.action, 'staff.%'))
    .orderBy(asc(schema.auditEvents.id));

describe('staff roles', () => {
  it('are granted by the operator (CLI) and recorded in the audit log with ids only', async () => {
    const alice = await member('alice');
    expect((await alice.get('/v1/me')).body.staff).toBeNull();
    const granted = await grantStaff(t, { username: '@Alice', role: 'admin', grantedBy: null });
    expect(granted).toMatchObject({ username: 'alice', role: 'admin', changed: true });
    expect((await alice.get('/v1/me')).body.staff).toBe('admin');
    // Granting the same role again changes nothing and records nothing.
    expect(await grantStaff(t, { username: 'alice', role: 'admin', grantedBy: null })).toMatchObject({
      changed: false,
    });

    const entries = await staffEntries();
    expect(entries.map((e) => [e.action, e.actorId, e.subjectId, e.data])).toEqual([
      ['staff.granted', null, alice.id, { role: 'admin' }],
    ]);
    expect(JSON.stringify(entries)).not.toMatch(/alice/i);
    await expect(
      grantStaff(t, { username: 'nobody', role: 'moderator', grantedBy: null }),
    ).rejects.toMatchObject({
      code: 'staff.user_not_found',
    });
  });

  it('are managed by admins only through /v1/mod/staff, and moderators cannot list the team', async () => {
    const alice = await member('alice');
    const bob = await member('bob');
    const carol = await member('carol');
    await grantStaff(t, { username: 'alice', role: 'admin', grantedBy: null });

    const made = await alice.put('/v1/mod/staff/bob', { role: 'moderator' });
    expect(made.status).toBe(200);
    expect(made.body).toEqual({
      username: 'bob',
      displayName: 'Bob',
      role: 'moderator',
      grantedAt: '2026-11-21T12:00:00.000Z',
    });
    expect((await bob.get('/v1/me')).body.staff).toBe('moderator');
    const list = await alice.get('/v1/mod/staff');
    expect(list.status).toBe(200);
    expect(list.body.staff.map((s: { username: string; role: string }) => [s.username, s.role])).toEqual([
      ['alice', 'admin'],
      ['bob', 'moderator'],
    ]);

    // A moderator sees reports, not the member base or the team; members even less.
    for (const who of [bob, carol]) {
      expect((await who.get('/v1/mod/staff')).body.error.code).toBe('mod.forbidden');
      expect((await who.put('/v1/mod/staff/carol', { role: 'admin' })).status).toBe(403);
      expect((await who.delete('/v1/mod/staff/alice')).status).toBe(403);
    }
    expect((await testClient(t).get('/v1/mod/staff')).status).toBe(401);
    expect((await listStaff(t)).map((s) => s.username)).toEqual(['alice', 'bob']);

    // Validation and unknown members.
    const badRole = await alice.put('/v1/mod/staff/carol', { role: 'owner' });
    expect(badRole.status).toBe(400);
    expect(badRole.body.error.code).toBe('request.invalid');
    expect((await alice.put('/v1/mod/staff/carol', {})).body.error.code).toBe('request.invalid');
    const unknown = await alice.put('/v1/mod/staff/zoe', { role: 'moderator' });
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'staff.user_not_found']);
    const notStaff = await alice.delete('/v1/mod/staff/carol');
    expect([notStaff.status, notStaff.body.error.code]).toEqual([404, 'staff.not_staff']);

    expect((await alice.delete('/v1/mod/staff/bob')).status).toBe(204);
    expect((await bob.get('/v1/me')).body.staff).toBeNull();
    expect((await bob.get('/v1/mod/staff')).status).toBe(403);

    const entries = await staffEntries();
    expect(entries.map((e) => [e.action, e.actorId, e.subjectId, e.data])).toEqual([
      ['staff.granted', null, alice.id, { role: 'admin' }],
      ['staff.granted', alice.id, bob.id, { role: 'moderator' }],
      ['staff.revoked', alice.id, bob.id, { role: 'moderator' }],
    ]);
    expect((await verifyAuditLog(t)).ok).toBe(true);
  });

  it('never lets an admin remove or step down the last admin', async () => {
    const alice = await member('alice');
    const bob = await member('bob');
    await grantStaff(t, { username: 'alice', role: 'admin', grantedBy: null });

    const removeSelf = await alice.delete('/v1/mod/staff/alice');
    expect([removeSelf.status, removeSelf.body.error.code]).toEqual([409, 'staff.last_admin']);
    const stepDown = await alice.put('/v1/mod/staff/alice', { role: 'moderator' });
    expect(stepDown.body.error.code).toBe('staff.last_admin');
    expect((await alice.get('/v1/me')).body.staff).toBe('admin');

    // With a second admin, either can go; the other then is the last one.
    await alice.put('/v1/mod/staff/bob', { role: 'admin' });
    expect((await bob.put('/v1/mod/staff/alice', { role: 'moderator' })).body.role).toBe('moderator');
    expect((await bob.delete('/v1/mod/staff/bob')).body.error.code).toBe('staff.last_admin');
    // A moderator promoted back to admin by the last admin is fine.
    expect((await bob.put('/v1/mod/staff/alice', { role: 'admin' })).status).toBe(200);

    // Two admins removing each other at the same moment: the second, once its turn comes, is no
    // longer an admin, so one of them stays.
    const [a, b] = await Promise.all([alice.delete('/v1/mod/staff/bob'), bob.delete('/v1/mod/staff/alice')]);
    expect([a.status, b.status].sort()).toEqual([204, 403]);
    expect((await listStaff(t)).filter((s) => s.role === 'admin')).toHaveLength(1);

    // The operator can do what an admin cannot (and re-grant from the command line).
    const [last] = await listStaff(t);
    await revokeStaff(t, { username: last?.username ?? '', revokedBy: null });
    expect(await listStaff(t)).toEqual([]);
    expect((await verifyAuditLog(t)).ok).toBe(true);
  });

  it('is only for active members, and can still be withdrawn from one who no longer is', async () => {
    await member('alice');
    await member('dave');
    await grantStaff(t, { username: 'alice', role: 'admin', grantedBy: null });
    // Both accounts banned (say, by a moderation decision).
    await t.database.db.update(schema.users).set({ status: 'banned' });
    await expect(
      grantStaff(t, { username: 'dave', role: 'moderator', grantedBy: null }),
    ).rejects.toMatchObject({
      code: 'staff.user_not_found',
    });
    expect(await revokeStaff(t, { username: 'alice', revokedBy: null })).toMatchObject({ role: 'admin' });
    expect(await listStaff(t)).toEqual([]);
  });
});
