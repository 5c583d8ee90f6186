import { schema } from '@salon/db';
import { and, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testClient } from '../../testing/client';
import { eraseAccount } from '../me/deletion.service';
import { type Member, moderationApp, report, statement } from './moderation.fixtures';

let m: Awaited<ReturnType<typeof moderationApp>>;
beforeEach(async () => {
  m = await moderationApp();
});
afterEach(async () => {
  await m.close();
});

const db = () => m.t.database.db;
const notificationsOf = async (who: Member) =>
  (await who.get('/v1/notifications')).body.notifications as {
    type: string;
    data: Record<string, unknown>;
  }[];
const userRow = async (id: string) =>
  (await db().select().from(schema.users).where(eq(schema.users.id, id)))[0];

/** Signs in again as a person would after being signed out (a fresh session on the same client). */

/** bob speaks in alice's live room; carol listens and reports bob; maud holds the report. */
async function scene(options: { at?: boolean } = {}) {
  const host = await m.member('alice');
  const bob = await m.member('bob');
  const carol = await m.member('carol');
  const mod = await m.staffMember('maud');
  const roomId = await m.openRoom(host);
  await m.join(host, roomId);
  await m.join(bob, roomId);
  await m.join(carol, roomId);
  await host.post(`/v1/rooms/${roomId}/stage/${bob.id}`, { action: 'invite' });
  await bob.post(`/v1/rooms/${roomId}/stage/${bob.id}`, { action: 'accept' });
  const reportId = (
    await report(carol, {
      roomId,
      userId: bob.id,
      ...(options.at ? { at: m.t.clock.now().toISOString() } : {}),
    })
  ).body.report.id as string;
  await mod.post(`/v1/mod/reports/${reportId}/claim`);
  return { host, bob, carol, mod, roomId, reportId };
}

describe('decisions (DSA art. 17)', () => {
  it('removes someone from the room, with a statement of reasons for them and the outcome for the reporter', async () => {
    const { bob, carol, mod, roomId, reportId } = await scene();
    const decided = await mod.post(
      `/v1/mod/reports/${reportId}/decision`,
      statement('remove_from_room', { scope: 'This room' }),
    );
    expect(decided.status, JSON.stringify(decided.body)).toBe(201);
    const now = m.t.clock.now();
    const appealUntil = new Date(now);
    appealUntil.setUTCMonth(appealUntil.getUTCMonth() + 6);
    expect(decided.body.decision).toEqual({
      id: expect.any(String),
      action: 'remove_from_room',
      facts: statement('x').facts,
      ground: 'terms',
      groundDetail: 'Terms of use §4.2 (harassment)',
      scope: 'This room',
      endsAt: null,
      createdAt: now.toISOString(),
      appealUntil: appealUntil.toISOString(),
      automated: false,
      room: { id: roomId, topic: 'Le vélo en ville' },
      appeal: null,
      canAppeal: true,
    });
    const decisionId = decided.body.decision.id;

    const [participant] = await db()
      .select()
      .from(schema.roomParticipants)
      .where(and(eq(schema.roomParticipants.roomId, roomId), eq(schema.roomParticipants.userId, bob.id)));
    expect(participant).toMatchObject({ present: false, role: 'listener' });
    const [event] = await db()
      .select()
      .from(schema.roomEvents)
      .where(and(eq(schema.roomEvents.roomId, roomId), eq(schema.roomEvents.type, 'participant.removed')));
    // The timeline says Salon's moderation did it, without naming the staff member.
    expect(event).toMatchObject({
      actorId: null,
      subjectId: bob.id,
      data: { by: 'salon_moderation', decisionId },
    });
    const back = await bob.post(`/v1/rooms/${roomId}/join`);
    expect(back.body.error.code).toBe('room.removed');

    expect((await notificationsOf(bob)).find((n) => n.type === 'decision.made')?.data).toEqual({
      decisionId,
      action: 'remove_from_room',
    });
    expect((await notificationsOf(carol)).find((n) => n.type === 'report.decided')?.data).toEqual({
      reportId,
      action: 'remove_from_room',
    });
    expect((await carol.get('/v1/me/reports')).body.reports[0]).toMatchObject({
      id: reportId,
      status: 'decided',
      outcome: { action: 'remove_from_room', decidedAt: now.toISOString() },
    });
    const mine = await bob.get('/v1/me/decisions');
    expect(mine.body.decisions).toEqual([decided.body.decision]);
    // The reporter does not see it as a decision about them.
    expect((await carol.get('/v1/me/decisions')).body.decisions).toEqual([]);
    const audit = await db()
      .select()
      .from(schema.auditEvents)
      .where(eq(schema.auditEvents.action, 'decision.made'));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actorId: mod.id,
      subjectId: bob.id,
      data: { decisionId, action: 'remove_from_room' },
    });
    // The staff view shows the decision on the report, which is now closed.
    const detail = await mod.get(`/v1/mod/reports/${reportId}`);
    expect(detail.body).toMatchObject({
      report: { status: 'decided' },
      decision: { id: decisionId },
      canPlay: false,
    });
    const again = await mod.post(`/v1/mod/reports/${reportId}/decision`, statement('warn'));
    expect([again.status, again.body.error.code]).toEqual([409, 'mod.report_closed']);
  });

  it('ends the room', async () => {
    const { host, mod, roomId, reportId } = await scene();
    const decided = await mod.post(
      `/v1/mod/reports/${reportId}/decision`,
      statement('end_room', { ground: 'law', groundDetail: 'LCEN art. 6-I-2', subjectId: host.id }),
    );
    expect(decided.status, JSON.stringify(decided.body)).toBe(201);
    const [room] = await db().select().from(schema.rooms).where(eq(schema.rooms.id, roomId));
    expect(room?.status).toBe('ended');
    expect((await host.get('/v1/me/decisions')).body.decisions[0]).toMatchObject({
      action: 'end_room',
      ground: 'law',
    });

    // Another report on the ended room cannot end it or remove anyone from it again.
    const dave = await m.member('dave');
    await m.t.database.db.insert(schema.roomParticipants).values({
      roomId,
      userId: dave.id,
      role: 'listener',
      present: false,
      joinedAt: m.t.clock.now(),
    });
    const late = (await report(dave, { roomId })).body.report.id;
    await mod.post(`/v1/mod/reports/${late}/claim`);
    expect((await mod.post(`/v1/mod/reports/${late}/decision`, statement('end_room'))).body.error.code).toBe(
      'decision.room_ended',
    );
  });

  it('suspends for a duration: signed out, allowed only to read and appeal, lifted automatically', async () => {
    const { host, bob, mod, reportId } = await scene();
    const noDuration = await mod.post(`/v1/mod/reports/${reportId}/decision`, statement('suspend'));
    expect(noDuration.body.error.code).toBe('decision.duration_required');
    expect(
      (await mod.post(`/v1/mod/reports/${reportId}/decision`, statement('suspend', { durationDays: 400 })))
        .status,
    ).toBe(400);
    const bobsRoom = await m.openRoom(bob, { topic: 'Chez Bob' });
    const decided = await mod.post(
      `/v1/mod/reports/${reportId}/decision`,
      statement('suspend', { durationDays: 7 }),
    );
    expect(decided.status, JSON.stringify(decided.body)).toBe(201);
    const endsAt = new Date(m.t.clock.now().getTime() + 7 * 86_400_000);
    expect(decided.body.decision.endsAt).toBe(endsAt.toISOString());
    expect(await userRow(bob.id)).toMatchObject({ status: 'suspended', suspendedUntil: endsAt });
    const [hosted] = await db().select().from(schema.rooms).where(eq(schema.rooms.id, bobsRoom));
    expect(hosted?.status).toBe('ended');

    // Signed out everywhere.
    expect((await bob.get('/v1/me/decisions')).status).toBe(401);
    // Signed in again (with a passkey): who they are, the decisions and the appeal, nothing else.
    await bob.logIn();
    expect((await bob.get('/v1/me')).body.restriction).toEqual({
      status: 'suspended',
      until: endsAt.toISOString(),
    });
    expect((await bob.get('/v1/notifications')).body.error.code).toBe('account.suspended');
    expect((await bob.post('/v1/rooms', { topic: 'Encore', mode: 'open' })).body.error.code).toBe(
      'account.suspended',
    );
    expect((await report(bob, { userId: host.id })).body.error.code).toBe('account.suspended');
    const readable = await bob.get('/v1/me/decisions');
    expect(readable.status).toBe(200);
    expect(readable.body.decisions[0]).toMatchObject({
      action: 'suspend',
      endsAt: endsAt.toISOString(),
      canAppeal: true,
    });
    const notified = await db()
      .select()
      .from(schema.notifications)
      .where(and(eq(schema.notifications.userId, bob.id), eq(schema.notifications.type, 'decision.made')));
    expect(notified).toHaveLength(1);

    // GDPR rights stay open; asking for deletion and cancelling it does not lift the suspension.
    expect((await bob.post('/v1/me/export')).status).toBe(202);
    const options = await bob.post('/v1/auth/passkeys/login/options');
    const deletion = await bob.request('DELETE', '/v1/me', {
      response: bob.authenticator.authenticate(options.body),
    });
    expect(deletion.status).toBe(202);
    await bob.logIn();
    expect((await bob.post('/v1/me/deletion/cancel')).status).toBe(200);
    expect(await userRow(bob.id)).toMatchObject({ status: 'suspended', suspendedUntil: endsAt });

    // The suspension ends by itself.
    m.t.clock.set(new Date(endsAt.getTime() + 1000));
    const me = await bob.get('/v1/me');
    expect(me.status).toBe(200);
    expect(await userRow(bob.id)).toMatchObject({ status: 'active', suspendedUntil: null });
  });

  it('bans: the phone hash stays after erasure and the same number cannot sign up again', async () => {
    const { bob, carol, mod, reportId } = await scene();
    const bobsRoom = await m.openRoom(bob, { topic: 'Chez Bob' });
    const decided = await mod.post(
      `/v1/mod/reports/${reportId}/decision`,
      statement('ban', { scope: 'The whole account, permanently' }),
    );
    expect(decided.status, JSON.stringify(decided.body)).toBe(201);
    const decisionId = decided.body.decision.id;
    const before = await userRow(bob.id);
    expect(before?.status).toBe('banned');
    const [ban] = await db().select().from(schema.bans);
    expect(ban).toMatchObject({
      phoneHash: before?.phoneHash,
      phoneKeyVersion: before?.phoneKeyVersion,
      decisionId,
    });
    expect((await db().select().from(schema.rooms).where(eq(schema.rooms.id, bobsRoom)))[0]?.status).toBe(
      'ended',
    );
    expect(await db().select().from(schema.sessions).where(eq(schema.sessions.userId, bob.id))).toHaveLength(
      0,
    );
    const audit = await db()
      .select()
      .from(schema.auditEvents)
      .where(eq(schema.auditEvents.action, 'ban.added'));
    expect(audit[0]).toMatchObject({ actorId: mod.id, subjectId: bob.id, data: { decisionId } });
    // No phone number, in any form, in the audit log.
    expect(JSON.stringify(audit)).not.toMatch(/44\s?55/);

    await bob.logIn();
    expect((await bob.get('/v1/hallway')).body.error.code).toBe('account.banned');
    expect((await bob.get('/v1/me/decisions')).body.decisions[0]).toMatchObject({
      action: 'ban',
      endsAt: null,
    });
    expect((await report(carol, { userId: bob.id })).body.error.code).toBe('report.target_not_found');

    // The account is erased (the eraser's own path); the ban outlives it.
    const deletedAt = m.t.clock.now();
    await db()
      .update(schema.users)
      .set({ status: 'deactivated', deletedAt })
      .where(eq(schema.users.id, bob.id));
    expect(await eraseAccount(m.t, bob.id, deletedAt.toISOString())).toBe(true);
    expect(await userRow(bob.id)).toBeUndefined();
    expect(await db().select().from(schema.bans)).toHaveLength(1);

    // Bob's number was the second the factory handed out; later, he tries to come back with it.
    m.t.clock.advance(2 * 3_600_000);
    const comeback = testClient(m.t, { ip: '192.0.2.77' });
    const { ticket } = await comeback.verifyPhone('06 44 55 00 02');
    const invite = (await carol.post('/v1/me/invites')).body;
    const refused = await comeback.post('/v1/auth/signup', {
      ticket,
      inviteCode: invite.code,
      displayName: 'Robert',
      username: 'robert',
      ageConfirmed: true,
    });
    expect([refused.status, refused.body.error.code]).toEqual([403, 'signup.refused']);
    // Another number is welcome.
    const stranger = testClient(m.t, { ip: '192.0.2.78' });
    await expect(
      stranger.signUp({ phone: '06 44 55 99 98', username: 'stranger', displayName: 'Stranger' }),
    ).resolves.toMatchObject({ userId: expect.any(String) });
  });

  it('warns (a notice only) and dismisses (the reported person is not told)', async () => {
    const { bob, carol, mod, reportId } = await scene();
    const warned = await mod.post(`/v1/mod/reports/${reportId}/decision`, statement('warn'));
    expect(warned.status).toBe(201);
    expect((await userRow(bob.id))?.status).toBe('active');
    expect((await bob.get('/v1/me')).status).toBe(200);
    expect((await notificationsOf(bob)).filter((n) => n.type === 'decision.made')).toHaveLength(1);

    const dismissedReport = (await report(carol, { userId: bob.id, category: 'spam_scam' })).body.report.id;
    await mod.post(`/v1/mod/reports/${dismissedReport}/claim`);
    const dismissed = await mod.post(
      `/v1/mod/reports/${dismissedReport}/decision`,
      statement('dismiss', { scope: 'This report' }),
    );
    expect(dismissed.status).toBe(201);
    expect(dismissed.body.decision.canAppeal).toBe(false);
    expect((await notificationsOf(bob)).filter((n) => n.type === 'decision.made')).toHaveLength(1);
    expect(
      (await bob.get('/v1/me/decisions')).body.decisions.map((d: { action: string }) => d.action),
    ).toEqual(['warn']);
    const outcomes = (await notificationsOf(carol))
      .filter((n) => n.type === 'report.decided')
      .map((n) => n.data);
    expect(outcomes).toEqual(
      expect.arrayContaining([
        { reportId, action: 'warn' },
        { reportId: dismissedReport, action: 'dismiss' },
      ]),
    );
  });

  it('validates the statement and whom it is about', async () => {
    const { host, mod, reportId } = await scene();
    const other = await m.staffMember('olga');
    expect(
      (await other.post(`/v1/mod/reports/${reportId}/decision`, statement('warn'))).body.error.code,
    ).toBe('mod.not_claimed');
    const short = await mod.post(`/v1/mod/reports/${reportId}/decision`, statement('warn', { facts: 'bad' }));
    expect(short.body.error.details[0]).toMatchObject({ path: 'facts', message: 'facts.too_short' });
    expect(
      (await mod.post(`/v1/mod/reports/${reportId}/decision`, statement('warn', { ground: 'vibes' }))).status,
    ).toBe(400);
    expect(
      (await mod.post(`/v1/mod/reports/${reportId}/decision`, statement('warn', { automated: true }))).status,
    ).toBe(400);
    // Only the reported person or someone the room shows.
    const stranger = await m.member('zoe');
    const unrelated = await mod.post(
      `/v1/mod/reports/${reportId}/decision`,
      statement('warn', { subjectId: stranger.id }),
    );
    expect(unrelated.body.error.code).toBe('decision.subject_unrelated');
    const aboutHost = await mod.post(
      `/v1/mod/reports/${reportId}/decision`,
      statement('warn', { subjectId: host.id }),
    );
    expect(aboutHost.status).toBe(201);

    // A report about a person only cannot lead to a room measure.
    const dave = await m.member('dave');
    const personOnly = (await report(dave, { userId: host.id })).body.report.id;
    await mod.post(`/v1/mod/reports/${personOnly}/claim`);
    expect(
      (await mod.post(`/v1/mod/reports/${personOnly}/decision`, statement('remove_from_room'))).body.error
        .code,
    ).toBe('decision.room_required');
  });
});
