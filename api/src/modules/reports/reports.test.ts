import { schema } from '@salon/db';
import { reportCategories } from '@salon/db/schema';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Member, moderationApp, report } from '../moderation/moderation.fixtures';
import { REPORTS_PER_HOUR } from './reports.service';

let m: Awaited<ReturnType<typeof moderationApp>>;
beforeEach(async () => {
  m = await moderationApp();
});
afterEach(async () => {
  await m.close();
});

const notificationsOf = async (who: Member) =>
  (await who.get('/v1/notifications')).body.notifications as {
    type: string;
    data: Record<string, unknown>;
  }[];

describe('reports (DSA art. 16)', () => {
  it('accepts every category, asks for the law for illegal content, and validates the text', async () => {
    const alice = await m.member('alice');
    const bob = await m.member('bob');
    for (const category of reportCategories) {
      const res = await report(alice, {
        userId: bob.id,
        category,
        ...(category === 'illegal' ? { law: 'Code pénal art. 222-33-2-2' } : {}),
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body.report).toMatchObject({ status: 'open' });
      expect(res.body.report.id).toMatch(/^[0-9a-f-]{36}$/);
    }
    const [illegal] = await m.t.database.db
      .select()
      .from(schema.reports)
      .where(eq(schema.reports.category, 'illegal'));
    expect(illegal).toMatchObject({
      law: 'Code pénal art. 222-33-2-2',
      subjectId: bob.id,
      reporterId: alice.id,
    });

    const carol = await m.member('carol');
    expect((await report(carol, { userId: bob.id, category: 'illegal' })).body.error.code).toBe(
      'report.law_required',
    );
    expect((await report(carol, { userId: bob.id, category: 'gossip' })).body.error.code).toBe(
      'request.invalid',
    );
    const short = await report(carol, { userId: bob.id, description: '  too short ' });
    expect(short.status).toBe(400);
    expect(short.body.error.details[0]).toMatchObject({
      path: 'description',
      message: 'description.too_short',
    });
    const long = await report(carol, { userId: bob.id, description: 'x'.repeat(2001) });
    expect(long.body.error.details[0].message).toBe('description.too_long');
    expect(
      (await report(carol, { userId: bob.id, category: 'illegal', law: 'x'.repeat(201) })).body.error
        .details[0].message,
    ).toBe('law.too_long');
    expect((await report(carol, {})).body.error.code).toBe('report.target_required');
    expect((await report(carol, { userId: carol.id })).body.error.code).toBe('report.self');
    expect((await report(carol, { userId: bob.id, extra: 1 })).body.error.code).toBe('request.invalid');
    const ghost = await report(carol, { userId: '00000000-0000-4000-8000-000000000000' });
    expect([ghost.status, ghost.body.error.code]).toEqual([404, 'report.target_not_found']);
  });

  it('takes the moment in the room only within the room’s life', async () => {
    const host = await m.member('alice');
    const bob = await m.member('bob');
    const roomId = await m.openRoom(host);
    const startedAt = m.t.clock.now();
    m.t.clock.advance(10 * 60_000);
    const before = new Date(startedAt.getTime() - 60_000).toISOString();
    const during = new Date(startedAt.getTime() + 5 * 60_000).toISOString();
    const future = new Date(startedAt.getTime() + 20 * 60_000).toISOString();
    expect((await report(bob, { roomId, at: before })).body.error.code).toBe('report.at_outside_room');
    expect((await report(bob, { roomId, at: future })).body.error.code).toBe('report.at_outside_room');
    expect((await report(bob, { userId: host.id, at: during })).body.error.code).toBe(
      'report.at_requires_room',
    );
    const ok = await report(bob, { roomId, userId: host.id, at: during });
    expect(ok.status).toBe(201);
    const [row] = await m.t.database.db
      .select()
      .from(schema.reports)
      .where(eq(schema.reports.id, ok.body.report.id));
    expect(row?.at?.toISOString()).toBe(during);
    expect(row?.roomId).toBe(roomId);
  });

  it('cannot be used to find rooms a member cannot see', async () => {
    const host = await m.member('alice');
    const bob = await m.member('bob');
    const closed = await m.openRoom(host, { mode: 'closed' });
    const hidden = await report(bob, { roomId: closed });
    expect([hidden.status, hidden.body.error.code]).toEqual([404, 'report.target_not_found']);
    const missing = await report(bob, { roomId: '00000000-0000-4000-8000-000000000000' });
    expect(missing.body.error.code).toBe('report.target_not_found');
    // Invited, the room becomes visible, and reportable.
    await host.post(`/v1/rooms/${closed}/invites`, { username: 'bob' });
    expect((await report(bob, { roomId: closed })).status).toBe(201);
    // A member who is not active (here: suspended) cannot be reported either: not visible.
    await m.t.database.db
      .update(schema.users)
      .set({ status: 'suspended' })
      .where(eq(schema.users.id, host.id));
    expect((await report(bob, { userId: host.id })).body.error.code).toBe('report.target_not_found');
  });

  it('is rate-limited per reporter, with Retry-After', async () => {
    const alice = await m.member('alice');
    const bob = await m.member('bob');
    for (let i = 0; i < REPORTS_PER_HOUR; i++)
      expect((await report(alice, { userId: bob.id })).status).toBe(201);
    const limited = await report(alice, { userId: bob.id });
    expect([limited.status, limited.body.error.code]).toEqual([429, 'report.rate_limited']);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // Someone else is not affected; the reporter can again in the next window.
    const carol = await m.member('carol');
    expect((await report(carol, { userId: bob.id })).status).toBe(201);
    m.t.clock.advance(3_600_000);
    expect((await report(alice, { userId: bob.id })).status).toBe(201);
  });

  it('acknowledges at once, whatever the notification settings, and lists the reporter’s reports', async () => {
    const alice = await m.member('alice');
    const bob = await m.member('bob');
    await alice.patch('/v1/me', { notificationSettings: { level: 'fewer' } });
    const roomId = await m.openRoom(bob);
    const first = await report(alice, { userId: bob.id, category: 'spam_scam' });
    m.t.clock.advance(1000);
    const second = await report(alice, { roomId });
    const acks = (await notificationsOf(alice)).filter((n) => n.type === 'report.received');
    expect(acks.map((n) => n.data.reportId).sort()).toEqual(
      [first.body.report.id, second.body.report.id].sort(),
    );

    const mine = await alice.get('/v1/me/reports');
    expect(mine.status).toBe(200);
    expect(mine.body.reports).toEqual([
      {
        id: second.body.report.id,
        category: 'harassment',
        createdAt: second.body.report.createdAt,
        status: 'open',
        target: { room: { id: roomId, topic: 'Le vélo en ville' }, user: null },
        outcome: null,
      },
      {
        id: first.body.report.id,
        category: 'spam_scam',
        createdAt: first.body.report.createdAt,
        status: 'open',
        target: { room: null, user: { username: 'bob', displayName: 'Bob' } },
        outcome: null,
      },
    ]);
    // The reported person is not told.
    expect((await notificationsOf(bob)).some((n) => n.type.startsWith('report.'))).toBe(false);
    expect((await bob.get('/v1/me/reports')).body.reports).toEqual([]);
  });
});
