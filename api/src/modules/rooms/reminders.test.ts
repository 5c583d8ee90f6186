import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { schema } from '@salon/db';
import { and, eq } from 'drizzle-orm';
import { unzipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createJobs } from '../../jobs';
import { createTestApp } from '../../testing';
import { memberFactory } from '../../testing/client';
import { exportForOperator } from '../rights/export.service';
import { REMINDER_JOB } from './reminders.service';

let t: Awaited<ReturnType<typeof createTestApp>>;
let member: ReturnType<typeof memberFactory>;
let dataDir: string;
type Member = Awaited<ReturnType<ReturnType<typeof memberFactory>>>;

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'salon-reminders-'));
  t = await createTestApp({ DATA_DIR: dataDir });
  member = memberFactory(t);
});
afterEach(async () => {
  await t.close();
});

/** The clock starts at 2026-11-21T12:00Z; rooms here start at 15:00, so reminders go at 14:50. */
const START = '2026-11-21T15:00:00.000Z';

async function schedule(host: Member, body: Record<string, unknown> = {}) {
  const res = await host.post('/v1/rooms', {
    topic: 'Jazz au salon',
    mode: 'open',
    scheduledFor: START,
    ...body,
  });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

async function reminders(who: Member) {
  const { body } = await who.get('/v1/notifications');
  return (
    body.notifications as { type: string; room: { id: string } | null; data: Record<string, unknown> }[]
  ).filter((n) => n.type === 'room.reminder');
}

const reminderRows = (roomId: string) =>
  t.database.db.select().from(schema.roomReminders).where(eq(schema.roomReminders.roomId, roomId));

describe('room reminders', () => {
  it('reminds everyone who asked, ten minutes before, once, then forgets who asked', async () => {
    const alice = await member('alice');
    const bob = await member('bob');
    const carol = await member('carol');
    const roomId = await schedule(alice);
    expect((await alice.get(`/v1/rooms/${roomId}`)).body.reminder).toBe(false);
    expect((await bob.put(`/v1/rooms/${roomId}/reminder`)).status).toBe(204);
    expect((await bob.put(`/v1/rooms/${roomId}/reminder`)).status).toBe(204); // idempotent
    expect((await bob.get(`/v1/rooms/${roomId}`)).body.reminder).toBe(true);
    expect((await carol.put(`/v1/rooms/${roomId}/reminder`)).status).toBe(204);
    expect((await carol.delete(`/v1/rooms/${roomId}/reminder`)).status).toBe(204);
    expect((await carol.delete(`/v1/rooms/${roomId}/reminder`)).status).toBe(204); // idempotent
    expect((await carol.get(`/v1/rooms/${roomId}`)).body.reminder).toBe(false);
    await alice.put(`/v1/rooms/${roomId}/reminder`); // the host may want one too
    // One job for the room, due ten minutes before it starts.
    const jobs = await t.database.db.select().from(schema.jobs).where(eq(schema.jobs.name, REMINDER_JOB));
    expect(jobs.map((j) => [j.runAt.toISOString(), j.payload])).toEqual([
      ['2026-11-21T14:50:00.000Z', { roomId, scheduledFor: START }],
    ]);

    const queue = createJobs(t).queue;
    t.clock.set('2026-11-21T14:49:59.000Z');
    await queue.runDue();
    expect(await reminders(bob)).toEqual([]);
    t.clock.set('2026-11-21T14:50:00.000Z');
    await queue.runDue();
    const [sent] = await reminders(bob);
    expect(sent).toMatchObject({
      room: { id: roomId },
      data: { topic: 'Jazz au salon', scheduledFor: START },
    });
    expect(await reminders(alice)).toHaveLength(1);
    expect(await reminders(carol)).toEqual([]);
    expect(await reminderRows(roomId)).toEqual([]);
    expect((await bob.get(`/v1/rooms/${roomId}`)).body.reminder).toBe(false);
    // Too late to ask again for this occurrence; and a second run sends nothing twice.
    expect((await bob.put(`/v1/rooms/${roomId}/reminder`)).body.error.code).toBe('room.reminder_too_late');
    await t.database.db
      .update(schema.jobs)
      .set({ status: 'queued' })
      .where(eq(schema.jobs.name, REMINDER_JOB));
    await queue.runDue();
    expect(await reminders(bob)).toHaveLength(1);
  });

  it('refuses rooms that are not scheduled or not visible, and needs a session', async () => {
    const alice = await member('alice');
    const bob = await member('bob');
    const live = await alice.post('/v1/rooms', { topic: 'En direct', mode: 'open' });
    const notScheduled = await bob.put(`/v1/rooms/${live.body.id}/reminder`);
    expect(notScheduled.status).toBe(409);
    expect(notScheduled.body.error.code).toBe('room.not_scheduled');
    expect((await bob.get(`/v1/rooms/${live.body.id}`)).body.reminder).toBe(false); // present for every room

    const social = await schedule(alice, { mode: 'social' });
    const hidden = await bob.put(`/v1/rooms/${social}/reminder`);
    expect(hidden.status).toBe(404);
    expect(hidden.body.error.code).toBe('room.not_found');
    expect((await bob.delete(`/v1/rooms/${social}/reminder`)).status).toBe(404);
    expect((await bob.put('/v1/rooms/00000000-0000-4000-8000-000000000000/reminder')).status).toBe(404);

    const soon = await schedule(alice, { scheduledFor: '2026-11-21T12:09:00.000Z' });
    expect((await bob.put(`/v1/rooms/${soon}/reminder`)).body.error.code).toBe('room.reminder_too_late');

    const open = await schedule(alice);
    const anonymous = await bob.request('PUT', `/v1/rooms/${open}/reminder`, undefined, { cookie: '' });
    expect(anonymous.status).toBe(401);
  });

  it('goes when the room starts or ends, and sends nothing for a room that already started', async () => {
    const alice = await member('alice');
    const bob = await member('bob');
    const early = await schedule(alice);
    const cancelled = await schedule(alice, { topic: 'Annulé' });
    await bob.put(`/v1/rooms/${early}/reminder`);
    await bob.put(`/v1/rooms/${cancelled}/reminder`);
    t.clock.set('2026-11-21T14:30:00.000Z');
    await alice.logIn();
    expect((await alice.post(`/v1/rooms/${early}/start`)).body.status).toBe('live');
    expect(await reminderRows(early)).toEqual([]);
    expect((await alice.post(`/v1/rooms/${cancelled}/end`)).status).toBe(204);
    expect(await reminderRows(cancelled)).toEqual([]);
    t.clock.set('2026-11-21T14:50:00.000Z');
    expect((await createJobs(t).queue.runDue()).done).toBeGreaterThanOrEqual(2);
    expect(await reminders(bob)).toEqual([]);
  });

  it('follows the member’s notification settings and whether they may still enter', async () => {
    const alice = await member('alice');
    const quiet = await member('bob');
    const fewer = await member('carol');
    const busy = await member('dave');
    const friend = await member('erin');
    const roomId = await schedule(alice);
    // 14:50 UTC is 15:50 in Paris: inside these quiet hours, so listed but silent.
    await quiet.patch('/v1/me', {
      notificationSettings: { quietHours: { start: '15:00', end: '17:00', timeZone: 'Europe/Paris' } },
    });
    await fewer.patch('/v1/me', { notificationSettings: { level: 'fewer' } });
    for (const who of [quiet, fewer, busy])
      expect((await who.put(`/v1/rooms/${roomId}/reminder`)).status).toBe(204);
    // Room news is capped at 20 a day per member, and a reminder counts as room news.
    await t.database.db.insert(schema.notifications).values(
      Array.from({ length: 20 }, (_, i) => ({
        userId: busy.id,
        type: 'room.opened' as const,
        dedupeKey: `seeded:${i}`,
        createdAt: new Date('2026-11-21T13:00:00.000Z'),
      })),
    );
    // A social room: the host stops following someone who asked, who may then no longer enter.
    await alice.put('/v1/users/erin/follow');
    const social = await schedule(alice, { mode: 'social', topic: 'Entre amis' });
    expect((await friend.put(`/v1/rooms/${social}/reminder`)).status).toBe(204);
    await alice.delete('/v1/users/erin/follow');

    t.clock.set('2026-11-21T14:50:00.000Z');
    await createJobs(t).queue.runDue();
    const sent = await t.database.db
      .select({ userId: schema.notifications.userId, silent: schema.notifications.silent })
      .from(schema.notifications)
      .where(eq(schema.notifications.type, 'room.reminder'));
    expect(sent).toEqual(
      expect.arrayContaining([
        { userId: quiet.id, silent: true },
        { userId: fewer.id, silent: false },
      ]),
    );
    expect(sent).toHaveLength(2);
    expect(await reminderRows(social)).toEqual([]);
  });

  it('are in the member’s data export and go with their account', async () => {
    const alice = await member('alice');
    const bob = await member('bob');
    const roomId = await schedule(alice);
    await bob.put(`/v1/rooms/${roomId}/reminder`);
    const file = join(dataDir, 'bob.zip');
    await exportForOperator(t, 'bob', file);
    const files = unzipSync(new Uint8Array(readFileSync(file)));
    const exported = JSON.parse(new TextDecoder().decode(files['reminders.json']));
    expect(exported).toEqual([
      { room: roomId, topic: 'Jazz au salon', scheduledFor: START, askedAt: '2026-11-21T12:00:00.000Z' },
    ]);
    expect(new TextDecoder().decode(files['README.txt'])).toContain('reminders.json');

    const options = await bob.post('/v1/auth/passkeys/login/options');
    const erased = await bob.request('DELETE', '/v1/me', {
      response: bob.authenticator.authenticate(options.body),
      immediate: true,
    });
    expect(erased.status).toBe(202);
    expect(
      await t.database.db
        .select()
        .from(schema.roomReminders)
        .where(and(eq(schema.roomReminders.roomId, roomId), eq(schema.roomReminders.userId, bob.id))),
    ).toEqual([]);
  });
});
