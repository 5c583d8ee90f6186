import { schema } from '@salon/db';
import { and, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BAD_CURSOR } from '../../http/keyset';
import { moderationApp, recordSpeaker, report, statement } from './moderation.fixtures';

let m: Awaited<ReturnType<typeof moderationApp>>;
beforeEach(async () => {
  m = await moderationApp();
});
afterEach(async () => {
  await m.close();
});

const auditRows = (action: string) =>
  m.t.database.db.select().from(schema.auditEvents).where(eq(schema.auditEvents.action, action));

describe('the review console API', () => {
  it('is for staff only; staff see reports and their evidence, never who reported, and cannot list members', async () => {
    const alice = await m.member('alice');
    const bob = await m.member('bob');
    const mod = await m.staffMember('maud');
    const filed = await report(alice, { userId: bob.id, category: 'illegal', law: 'LCEN art. 6' });
    const id = filed.body.report.id;
    for (const [method, path] of [
      ['GET', '/v1/mod/reports'],
      ['GET', `/v1/mod/reports/${id}`],
      ['POST', `/v1/mod/reports/${id}/claim`],
      ['POST', `/v1/mod/reports/${id}/release`],
      ['GET', '/v1/mod/appeals'],
    ] as const) {
      const res = await bob.request(method, path);
      expect([path, res.status, res.body.error.code]).toEqual([path, 403, 'mod.forbidden']);
    }
    const signedOut = await m.t.app.request('/v1/mod/reports');
    expect(signedOut.status).toBe(401);

    const queue = await mod.get('/v1/mod/reports');
    expect(queue.status).toBe(200);
    expect(queue.body).toEqual({
      reports: [
        {
          id,
          category: 'illegal',
          law: 'LCEN art. 6',
          excerpt: 'Insults aimed at a speaker.',
          createdAt: filed.body.report.createdAt,
          status: 'open',
          claimedBy: null,
          claimedByMe: false,
          target: { room: null, user: { id: bob.id, username: 'bob', displayName: 'Bob' } },
        },
      ],
      nextCursor: null,
    });
    const detail = await mod.get(`/v1/mod/reports/${id}`);
    expect(detail.body).toMatchObject({
      report: { id, description: 'Insults aimed at a speaker.', at: null, decidedAt: null },
      timeline: [],
      recordings: [],
      decision: null,
      canPlay: false,
    });
    // The reporter is nowhere in what staff get.
    const text = JSON.stringify([queue.body, detail.body]);
    expect(text).not.toContain(alice.id);
    expect(text).not.toContain('alice');
    // No route lists the members.
    for (const path of ['/v1/mod/users', '/v1/mod/members', `/v1/mod/users/${bob.id}`]) {
      expect((await mod.get(path)).status).toBe(404);
    }
  });

  it('filters by status, category and claim, and pages oldest open first', async () => {
    const bob = await m.member('bob');
    const mod = await m.staffMember('maud');
    const other = await m.staffMember('olga');
    const reporters = [
      await m.member('alice'),
      await m.member('carol'),
      await m.member('dave'),
      await m.member('erin'),
    ];
    const ids: string[] = [];
    for (let i = 0; i < 34; i++) {
      const who = reporters[i % reporters.length];
      if (!who) throw new Error('no reporter');
      const res = await report(who, { userId: bob.id, category: i % 2 ? 'spam_scam' : 'hate' });
      ids.push(res.body.report.id);
      m.t.clock.advance(1000);
    }
    const first = await mod.get('/v1/mod/reports');
    expect(first.body.reports).toHaveLength(30);
    expect(first.body.reports.map((r: { id: string }) => r.id)).toEqual(ids.slice(0, 30));
    const second = await mod.get(`/v1/mod/reports?cursor=${first.body.nextCursor}`);
    expect(second.body.reports.map((r: { id: string }) => r.id)).toEqual(ids.slice(30));
    expect(second.body.nextCursor).toBeNull();
    const forged = await mod.get('/v1/mod/reports?cursor=nonsense');
    expect([forged.status, forged.body.error.code, forged.body.error.details[0].message]).toEqual([
      400,
      'request.invalid',
      BAD_CURSOR,
    ]);

    const spam = await mod.get('/v1/mod/reports?category=spam_scam');
    expect(spam.body.reports.every((r: { category: string }) => r.category === 'spam_scam')).toBe(true);
    expect(spam.body.reports).toHaveLength(17);

    await mod.post(`/v1/mod/reports/${ids[0]}/claim`);
    await other.post(`/v1/mod/reports/${ids[1]}/claim`);
    const mine = await mod.get('/v1/mod/reports?claim=mine');
    expect(mine.body.reports.map((r: { id: string; claimedByMe: boolean }) => [r.id, r.claimedByMe])).toEqual(
      [[ids[0], true]],
    );
    const unclaimed = await mod.get('/v1/mod/reports?claim=unclaimed');
    expect(unclaimed.body.reports.map((r: { id: string }) => r.id)).not.toContain(ids[1]);
    expect(unclaimed.body.reports[0].id).toBe(ids[2]);
    const claimedByOther = (await mod.get('/v1/mod/reports')).body.reports[1];
    expect(claimedByOther).toMatchObject({ id: ids[1], claimedBy: { username: 'olga' }, claimedByMe: false });

    await mod.post(`/v1/mod/reports/${ids[0]}/decision`, statement('dismiss'));
    const decided = await mod.get('/v1/mod/reports?status=decided');
    expect(decided.body.reports.map((r: { id: string; status: string }) => [r.id, r.status])).toEqual([
      [ids[0], 'decided'],
    ]);
    expect((await mod.get('/v1/mod/reports?status=closed')).body.error.code).toBe('request.invalid');
  });

  it('lets one moderator hold a report at a time, audited, and never their own', async () => {
    const alice = await m.member('alice');
    const bob = await m.member('bob');
    const mod = await m.staffMember('maud');
    const other = await m.staffMember('olga');
    const admin = await m.staffMember('ada', 'admin');
    const id = (await report(alice, { userId: bob.id })).body.report.id;

    const claimed = await mod.post(`/v1/mod/reports/${id}/claim`);
    expect(claimed.status).toBe(200);
    expect(claimed.body.report).toMatchObject({ id, claimedBy: { username: 'maud' }, claimedByMe: true });
    expect((await mod.post(`/v1/mod/reports/${id}/claim`)).status).toBe(200);
    const taken = await other.post(`/v1/mod/reports/${id}/claim`);
    expect([taken.status, taken.body.error.code]).toEqual([409, 'mod.already_claimed']);
    expect((await other.post(`/v1/mod/reports/${id}/release`)).body.error.code).toBe('mod.not_claimed');
    const audit = await auditRows('report.claimed');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: mod.id, data: { reportId: id } });

    // An admin can give a report back to the queue (a moderator away), then someone else takes it.
    const released = await admin.post(`/v1/mod/reports/${id}/release`);
    expect(released.body.report).toMatchObject({ claimedBy: null, claimedByMe: false });
    expect((await other.post(`/v1/mod/reports/${id}/claim`)).body.report.claimedByMe).toBe(true);
    await other.post(`/v1/mod/reports/${id}/decision`, statement('warn'));
    expect((await mod.post(`/v1/mod/reports/${id}/claim`)).body.error.code).toBe('mod.report_closed');
    expect((await other.post(`/v1/mod/reports/${id}/release`)).body.error.code).toBe('mod.report_closed');

    // A moderator cannot handle a report they made, or one about themselves.
    const own = (await report(mod, { userId: bob.id })).body.report.id;
    expect((await mod.post(`/v1/mod/reports/${own}/claim`)).body.error.code).toBe('mod.conflict_of_interest');
    const aboutMe = (await report(alice, { userId: mod.id })).body.report.id;
    expect((await mod.post(`/v1/mod/reports/${aboutMe}/claim`)).body.error.code).toBe(
      'mod.conflict_of_interest',
    );
    expect((await mod.post('/v1/mod/reports/00000000-0000-4000-8000-000000000000/claim')).status).toBe(404);
  });

  it('shows the room timeline and the recordings that overlap the reported moment', async () => {
    const host = await m.member('alice');
    const bob = await m.member('bob');
    const carol = await m.member('carol');
    const mod = await m.staffMember('maud');
    const roomId = await m.openRoom(host);
    const start = m.t.clock.now();
    await m.join(host, roomId);
    await m.join(bob, roomId);
    // Carol listens (so she may still see the room once it becomes social) and reports.
    await m.join(carol, roomId);
    await bob.put(`/v1/rooms/${roomId}/hand`);
    await host.post(`/v1/rooms/${roomId}/stage/${bob.id}`, { action: 'invite' });
    await bob.post(`/v1/rooms/${roomId}/stage/${bob.id}`, { action: 'accept' });
    await host.patch(`/v1/rooms/${roomId}`, { mode: 'social' });
    const early = await recordSpeaker(m.t, { roomId, speakerId: host.id, startedAt: start, seconds: 2 });
    const late = await recordSpeaker(m.t, {
      roomId,
      speakerId: bob.id,
      startedAt: new Date(start.getTime() + 60_000),
      seconds: 2,
    });
    m.t.clock.advance(120_000);
    const at = new Date(start.getTime() + 61_000).toISOString();
    const id = (await report(carol, { roomId, userId: bob.id, at })).body.report.id;

    const detail = await mod.get(`/v1/mod/reports/${id}`);
    expect(detail.status).toBe(200);
    expect(detail.body.report).toMatchObject({ at, target: { room: { id: roomId, status: 'live' } } });
    const types = detail.body.timeline.map((e: { type: string }) => e.type);
    expect(types).toEqual(
      expect.arrayContaining([
        'room.opened',
        'participant.joined',
        'hand.raised',
        'stage.invited',
        'stage.joined',
        'room.mode',
      ]),
    );
    const joined = detail.body.timeline.find(
      (e: { type: string; subject: { username: string } | null }) => e.type === 'stage.joined',
    );
    expect(joined).toMatchObject({
      actor: { username: 'bob' },
      subject: { username: 'bob', displayName: 'Bob' },
    });
    const modeChange = detail.body.timeline.find((e: { type: string }) => e.type === 'room.mode');
    expect(modeChange).toMatchObject({
      actor: { username: 'alice' },
      data: { from: 'open', mode: 'social' },
    });
    expect(detail.body.recordings).toEqual([
      {
        id: early.id,
        speaker: { id: host.id, username: 'alice', displayName: 'Alice' },
        startedAt: start.toISOString(),
        endedAt: new Date(start.getTime() + 2000).toISOString(),
        status: 'complete',
        overlapsMoment: false,
      },
      {
        id: late.id,
        speaker: { id: bob.id, username: 'bob', displayName: 'Bob' },
        startedAt: new Date(start.getTime() + 60_000).toISOString(),
        endedAt: new Date(start.getTime() + 62_000).toISOString(),
        status: 'complete',
        overlapsMoment: true,
      },
    ]);
    expect(detail.body.canPlay).toBe(false);
    await mod.post(`/v1/mod/reports/${id}/claim`);
    expect((await mod.get(`/v1/mod/reports/${id}`)).body.canPlay).toBe(true);
    // Nothing in the room's own events was changed by looking.
    const events = await m.t.database.db
      .select()
      .from(schema.roomEvents)
      .where(and(eq(schema.roomEvents.roomId, roomId), eq(schema.roomEvents.type, 'participant.removed')));
    expect(events).toHaveLength(0);
  });
});
