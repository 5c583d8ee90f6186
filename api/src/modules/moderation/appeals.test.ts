import { schema } from '@salon/db';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { restrictionInForce } from './bans.service';
import { type Member, moderationApp, report, statement } from './moderation.fixtures';

let m: Awaited<ReturnType<typeof moderationApp>>;
beforeEach(async () => {
  m = await moderationApp();
});
afterEach(async () => {
  await m.close();
});

const db = () => m.t.database.db;
const userRow = async (id: string) =>
  (await db().select().from(schema.users).where(eq(schema.users.id, id)))[0];
const notificationsOf = async (who: Member) =>
  (await who.get('/v1/notifications')).body.notifications as {
    type: string;
    data: Record<string, unknown>;
  }[];
const auditOf = (action: string) =>
  db().select().from(schema.auditEvents).where(eq(schema.auditEvents.action, action));

/** carol reports bob; maud decides `action`; olga is the other moderator. */
async function decided(action: string, extra: Record<string, unknown> = {}) {
  const bob = await m.member('bob');
  const carol = await m.member('carol');
  const maud = await m.staffMember('maud');
  const olga = await m.staffMember('olga');
  const reportId = (await report(carol, { userId: bob.id })).body.report.id as string;
  await maud.post(`/v1/mod/reports/${reportId}/claim`);
  const res = await maud.post(`/v1/mod/reports/${reportId}/decision`, statement(action, extra));
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { bob, carol, maud, olga, reportId, decisionId: res.body.decision.id as string };
}

const appeal = (who: Member, decisionId: string, text = 'I was quoting someone else, listen again please.') =>
  who.post(`/v1/me/decisions/${decisionId}/appeal`, { text });

describe('appeals (DSA art. 20)', () => {
  it('are open for six months, once, to the person decided about', async () => {
    const { bob, carol, decisionId } = await decided('warn');
    expect((await appeal(carol, decisionId)).body.error.code).toBe('decision.not_found');
    expect((await appeal(bob, '00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await appeal(bob, decisionId, 'short')).body.error.details[0].message).toBe('text.too_short');
    m.t.clock.advance(100 * 86_400_000);
    await bob.logIn(); // sessions lapse when idle this long
    const made = await appeal(bob, decisionId);
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body.appeal).toEqual({
      id: expect.any(String),
      status: 'open',
      text: 'I was quoting someone else, listen again please.',
      outcome: null,
      createdAt: m.t.clock.now().toISOString(),
      decidedAt: null,
    });
    const again = await appeal(bob, decisionId);
    expect([again.status, again.body.error.code]).toEqual([409, 'appeal.exists']);
    const mine = (await bob.get('/v1/me/decisions')).body.decisions[0];
    expect(mine).toMatchObject({ appeal: { id: made.body.appeal.id, status: 'open' }, canAppeal: false });
    expect(await auditOf('appeal.made')).toMatchObject([
      { actorId: bob.id, data: { decisionId, appealId: made.body.appeal.id } },
    ]);
  });

  it('closes six months after the decision', async () => {
    const { bob, decisionId } = await decided('warn');
    const { appealUntil } = (await bob.get('/v1/me/decisions')).body.decisions[0];
    m.t.clock.set(new Date(new Date(appealUntil).getTime() + 1000));
    await bob.logIn();
    expect((await bob.get('/v1/me/decisions')).body.decisions[0].canAppeal).toBe(false);
    const late = await appeal(bob, decisionId);
    expect([late.status, late.body.error.code]).toEqual([410, 'appeal.window_closed']);
  });

  it('are decided by a different moderator; a reversal lifts a suspension and both sides hear of it', async () => {
    const { bob, carol, maud, olga, decisionId, reportId } = await decided('suspend', { durationDays: 30 });
    expect((await userRow(bob.id))?.status).toBe('suspended');
    expect(await restrictionInForce(db(), bob.id, m.t.clock.now())).toEqual({
      status: 'suspended',
      suspendedUntil: (await userRow(bob.id))?.suspendedUntil,
    });
    // Suspended, bob signs in again: he may appeal.
    await bob.logIn();
    const made = await appeal(bob, decisionId);
    expect(made.status).toBe(201);
    const appealId = made.body.appeal.id;

    const forMaud = await maud.get('/v1/mod/appeals');
    expect(forMaud.body.appeals).toHaveLength(1);
    expect(forMaud.body.appeals[0]).toMatchObject({
      id: appealId,
      status: 'open',
      canDecide: false,
      decision: { id: decisionId, action: 'suspend', automated: false, moderator: { username: 'maud' } },
    });
    expect((await olga.get('/v1/mod/appeals')).body.appeals[0].canDecide).toBe(true);
    expect((await bob.get('/v1/mod/appeals')).status).toBe(403);

    const same = await maud.post(`/v1/mod/appeals/${appealId}/decision`, {
      outcome: 'reversed',
      reasons: 'I decided it myself, so I may not.',
    });
    expect([same.status, same.body.error.code]).toEqual([403, 'appeal.same_moderator']);
    expect(
      (
        await olga.post(`/v1/mod/appeals/${appealId}/decision`, {
          outcome: 'maybe',
          reasons: 'Not a valid outcome.',
        })
      ).status,
    ).toBe(400);
    const reversed = await olga.post(`/v1/mod/appeals/${appealId}/decision`, {
      outcome: 'reversed',
      reasons: 'The recording shows bob quoting a film; no harassment.',
    });
    expect(reversed.status, JSON.stringify(reversed.body)).toBe(200);
    expect(reversed.body.appeal).toMatchObject({
      status: 'reversed',
      decidedAt: m.t.clock.now().toISOString(),
    });
    expect(await userRow(bob.id)).toMatchObject({ status: 'active', suspendedUntil: null });
    expect(await restrictionInForce(db(), bob.id, m.t.clock.now())).toBeNull();
    expect((await bob.get('/v1/me')).status).toBe(200);
    expect((await bob.get('/v1/me/decisions')).body.decisions[0].appeal).toMatchObject({
      status: 'reversed',
      outcome: 'The recording shows bob quoting a film; no harassment.',
    });
    expect((await notificationsOf(bob)).find((n) => n.type === 'appeal.decided')?.data).toEqual({
      decisionId,
      outcome: 'reversed',
    });
    expect((await notificationsOf(carol)).find((n) => n.type === 'appeal.decided')?.data).toEqual({
      decisionId,
      outcome: 'reversed',
      reportId,
    });
    expect((await carol.get('/v1/me/reports')).body.reports[0].outcome).toMatchObject({
      action: 'suspend',
      reversedOnAppeal: true,
    });
    expect(await auditOf('appeal.decided')).toMatchObject([
      { actorId: olga.id, subjectId: bob.id, data: { appealId, decisionId, outcome: 'reversed' } },
    ]);
    const twice = await olga.post(`/v1/mod/appeals/${appealId}/decision`, {
      outcome: 'upheld',
      reasons: 'Changed my mind, again.',
    });
    expect([twice.status, twice.body.error.code]).toEqual([409, 'appeal.closed']);
    expect((await olga.get('/v1/mod/appeals?status=reversed')).body.appeals).toHaveLength(1);
    expect((await olga.get('/v1/mod/appeals')).body.appeals).toHaveLength(0);
  });

  it('a reversed ban frees the account and the number; an upheld one changes nothing', async () => {
    const { bob, olga, decisionId } = await decided('ban');
    expect(await restrictionInForce(db(), bob.id, m.t.clock.now())).toEqual({ status: 'banned' });
    await bob.logIn();
    const appealId = (await appeal(bob, decisionId)).body.appeal.id;
    const reversed = await olga.post(`/v1/mod/appeals/${appealId}/decision`, {
      outcome: 'reversed',
      reasons: 'Mistaken identity: another account used this name.',
    });
    expect(reversed.status).toBe(200);
    expect((await userRow(bob.id))?.status).toBe('active');
    expect(await db().select().from(schema.bans)).toHaveLength(0);
    expect(await restrictionInForce(db(), bob.id, m.t.clock.now())).toBeNull();
    expect(await auditOf('ban.lifted')).toMatchObject([
      { actorId: olga.id, subjectId: bob.id, data: { decisionId } },
    ]);
    expect((await bob.get('/v1/hallway')).status).toBe(200);
  });

  it('upheld: the measure stands', async () => {
    const { bob, olga, decisionId } = await decided('ban');
    await bob.logIn();
    const appealId = (await appeal(bob, decisionId)).body.appeal.id;
    const upheld = await olga.post(`/v1/mod/appeals/${appealId}/decision`, {
      outcome: 'upheld',
      reasons: 'The recording confirms the facts.',
    });
    expect(upheld.status).toBe(200);
    expect((await userRow(bob.id))?.status).toBe('banned');
    expect(await db().select().from(schema.bans)).toHaveLength(1);
    const mine = (await bob.get('/v1/me/decisions')).body.decisions[0];
    expect(mine.appeal).toMatchObject({ status: 'upheld', outcome: 'The recording confirms the facts.' });
    expect((await bob.get('/v1/hallway')).body.error.code).toBe('account.banned');
    const notice = await db()
      .select()
      .from(schema.notifications)
      .where(eq(schema.notifications.userId, bob.id));
    expect(notice.filter((n) => n.type === 'appeal.decided').map((n) => n.data)).toEqual([
      { decisionId, outcome: 'upheld' },
    ]);
  });
});
