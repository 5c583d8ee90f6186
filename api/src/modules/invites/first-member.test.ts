import { schema } from '@salon/db';
import { asc, eq, like } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp } from '../../testing';
import { testClient } from '../../testing/client';
import { verifyAuditLog } from '../audit/audit.verify';
import { firstMemberInvite, mintInvites } from './invites.service';

let t: Awaited<ReturnType<typeof createTestApp>>;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

const HOUR = 3_600_000;
const firstMemberRows = () =>
  t.database.db
    .select()
    .from(schema.invites)
    .where(eq(schema.invites.firstMember, true))
    .orderBy(asc(schema.invites.createdAt));
const staffEntries = () =>
  t.database.db
    .select()
    .from(schema.auditEvents)
    .where(like(schema.auditEvents.action, 'staff.%'))
    .orderBy(asc(schema.auditEvents.id));

describe('the first member of an empty Salon', () => {
  it('joins with the link printed at start-up and becomes admin; later starts print nothing and later members are not staff', async () => {
    // First start: nobody has joined, so there is a link, a single-use invite valid 24 hours.
    const first = await firstMemberInvite(t);
    expect(first).toMatchObject({ status: 'active', usedAt: null });
    expect(first?.link).toBe(`http://localhost:3000/join/${first?.code}`);
    expect(new Date(first?.expiresAt ?? 0).getTime() - t.clock.now().getTime()).toBe(24 * HOUR);
    const checked = await testClient(t).get(`/v1/invites/${first?.code}`);
    expect(checked.body).toMatchObject({ valid: true, inviter: null, firstMember: true });

    const alice = testClient(t, { ip: '198.51.100.1' });
    const { userId: aliceId } = await alice.signUp({
      phone: '0611111111',
      username: 'alice',
      displayName: 'Alice Durand',
      inviteCode: first?.code,
    });
    expect((await alice.get('/v1/me')).body.staff).toBe('admin');
    const team = await alice.get('/v1/mod/staff');
    expect(team.status).toBe(200);
    expect(team.body.staff).toEqual([expect.objectContaining({ username: 'alice', role: 'admin' })]);
    // Audited like any grant, by nobody (no admin existed), and saying why.
    expect((await staffEntries()).map((e) => [e.action, e.actorId, e.subjectId, e.data])).toEqual([
      ['staff.granted', null, aliceId, { role: 'admin', firstMember: true }],
    ]);
    expect((await verifyAuditLog(t)).ok).toBe(true);

    // Second start: a member exists, so there is no link, and the used invite stays used.
    expect(await firstMemberInvite(t)).toBeNull();
    expect(await firstMemberRows()).toEqual([
      expect.objectContaining({ code: first?.code, usedBy: aliceId }),
    ]);
    expect((await testClient(t).get(`/v1/invites/${first?.code}`)).body.error.code).toBe('invite.invalid');

    // A second member, invited by the admin, is a member and nothing more.
    const invite = await alice.post('/v1/me/invites');
    expect((await testClient(t).get(`/v1/invites/${invite.body.code}`)).body.firstMember).toBe(false);
    const bob = testClient(t, { ip: '198.51.100.2' });
    await bob.signUp({
      phone: '0622222222',
      username: 'bob',
      displayName: 'Bob',
      inviteCode: invite.body.code,
    });
    expect((await bob.get('/v1/me')).body.staff).toBeNull();
    expect((await bob.get('/v1/mod/staff')).status).toBe(403);
    expect(await staffEntries()).toHaveLength(1);
  });

  it('is one invite across restarts, renewed for 24 hours at each start until someone joins', async () => {
    const first = await firstMemberInvite(t);
    t.clock.advance(20 * HOUR);
    // The same link (two processes of one deployment print the same), valid 24 hours from now.
    const again = await firstMemberInvite(t);
    expect(again?.code).toBe(first?.code);
    expect(again?.expiresAt).toBe(new Date(t.clock.now().getTime() + 24 * HOUR).toISOString());
    // Left a day and more without a start, it expires; the next start mints a new one.
    t.clock.advance(25 * HOUR);
    expect((await testClient(t).get(`/v1/invites/${first?.code}`)).body.error.code).toBe('invite.invalid');
    const fresh = await firstMemberInvite(t);
    expect(fresh?.code).not.toBe(first?.code);
    expect(
      (await firstMemberRows()).filter((r) => !r.usedAt && !r.revokedAt && r.expiresAt > t.clock.now()),
    ).toHaveLength(1);
  });

  it('does not make admin someone who uses it after another member joined another way', async () => {
    const first = await firstMemberInvite(t);
    // Meanwhile the operator minted an invite with the CLI, and Carol joined with it.
    const [cliInvite] = await mintInvites(t, 1);
    const carol = testClient(t, { ip: '198.51.100.3' });
    await carol.signUp({
      phone: '0633333333',
      username: 'carol',
      displayName: 'Carol',
      inviteCode: cliInvite?.code,
    });
    // The join page no longer promises the role…
    expect((await testClient(t).get(`/v1/invites/${first?.code}`)).body.firstMember).toBe(false);
    // …and whoever joins with the link is a member, not admin: the database decides at sign-up.
    const dave = testClient(t, { ip: '198.51.100.4' });
    await dave.signUp({
      phone: '0644444444',
      username: 'dave',
      displayName: 'Dave',
      inviteCode: first?.code,
    });
    expect((await dave.get('/v1/me')).body.staff).toBeNull();
    expect((await carol.get('/v1/me')).body.staff).toBeNull();
    expect(await staffEntries()).toEqual([]);
    // The next start prints nothing.
    expect(await firstMemberInvite(t)).toBeNull();
  });

  it('is revoked at the next start when someone joined another way and nobody used it', async () => {
    const first = await firstMemberInvite(t);
    const [cliInvite] = await mintInvites(t, 1);
    await testClient(t).signUp({
      phone: '0655555555',
      username: 'erin',
      displayName: 'Erin',
      inviteCode: cliInvite?.code,
    });
    expect(await firstMemberInvite(t)).toBeNull();
    const [row] = await firstMemberRows();
    expect(row).toMatchObject({ code: first?.code, usedAt: null, revokedAt: t.clock.now() });
  });
});
