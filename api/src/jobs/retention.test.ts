import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { schema } from '@salon/db';
import { and, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../http/errors';
import { openRecording, type Recording, recordingsDir, startRecording } from '../recorder/pipeline';
import { tonePcm } from '../recorder/test-audio';
import { createTestApp } from '../testing';
import { memberFactory, testClient } from '../testing/client';
import { createJobs } from './index';
import { sweepRetention } from './retention';

let t: Awaited<ReturnType<typeof createTestApp>>;
let dataDir: string;
beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'salon-retention-'));
  t = await createTestApp({ DATA_DIR: dataDir });
});
afterEach(async () => {
  await t.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const MIN = 60_000;
const DAY = 86_400_000;
const sweep = () => sweepRetention(t, t.clock.now());
const countOf = async (table: keyof typeof schema) =>
  (await t.database.db.select().from(schema[table] as typeof schema.users)).length;

describe('retention sweeper (rules from policies/data-map.yaml)', () => {
  it('forgets phone checks after 15 minutes, but not while their ticket is still valid', async () => {
    const client = testClient(t);
    await client.post('/v1/auth/otp/start', { phone: '0612345678' });
    t.clock.advance(5 * MIN);
    await testClient(t, { ip: '192.0.2.2' }).verifyPhone('0698765432'); // ticket valid until +20 min
    t.clock.advance(11 * MIN);
    expect(await sweep()).toMatchObject({ phone_challenges: 1 }); // the unverified one, 16 min old
    expect(await countOf('phoneChallenges')).toBe(1);
    t.clock.advance(5 * MIN);
    expect(await sweep()).toMatchObject({ phone_challenges: 1 });
    expect(await countOf('phoneChallenges')).toBe(0);
  });

  it('removes a room’s presence, timeline and reactions 30 days after it ended, and nothing earlier', async () => {
    const host = testClient(t);
    await host.signUp({ phone: '0611111111', username: 'alice', displayName: 'Alice Durand' });
    const { body: room } = await host.post('/v1/rooms', { topic: 'Vélo', mode: 'open' });
    await host.post(`/v1/rooms/${room.id}/join`);
    await host.post(`/v1/rooms/${room.id}/reactions`, { emoji: '👏' });
    await host.post(`/v1/rooms/${room.id}/end`);
    t.clock.advance(29 * DAY);
    expect(await sweep()).not.toHaveProperty('rooms');
    t.clock.advance(2 * DAY);
    const removed = await sweep();
    expect(removed).toMatchObject({ rooms: 1, room_participants: 1, room_reactions: 1 });
    expect(removed.room_events).toBeGreaterThanOrEqual(3);
    expect(await countOf('rooms')).toBe(0);
    expect(await countOf('roomEvents')).toBe(0);
  });

  it('removes notifications after 30 days, expired sessions and rate-limit windows, finished jobs after 7 days', async () => {
    const alice = testClient(t);
    await alice.signUp({ phone: '0611111111', username: 'alice', displayName: 'Alice Durand' });
    const bob = testClient(t, { ip: '192.0.2.9' });
    await bob.signUp({ phone: '0622222222', username: 'bob', displayName: 'Bob Lefèvre' });
    await bob.put('/v1/users/alice/follow');
    const { queue } = createJobs(t);
    await queue.enqueue('retention.sweep');
    await queue.runDue();
    expect(await countOf('notifications')).toBe(1);
    t.clock.advance(31 * DAY);
    const removed = await sweep();
    expect(removed).toMatchObject({ notifications: 1, jobs: 1 });
    expect(removed.rate_limits).toBeGreaterThan(0);
    expect(await countOf('sessions')).toBe(2); // 90-day sessions are not due yet
    t.clock.advance(60 * DAY);
    expect(await sweep()).toMatchObject({ sessions: 2 });
  });

  it('is idempotent and leaves an audit entry of what it did', async () => {
    await testClient(t).post('/v1/auth/otp/start', { phone: '0612345678' });
    t.clock.advance(16 * MIN);
    expect(await sweep()).toEqual({ phone_challenges: 1 });
    expect(await sweep()).toEqual({});
    t.clock.advance(45 * MIN); // the hour's rate-limit windows have closed
    expect(await sweep()).toEqual({ rate_limits: 3 });
    const audit = await t.database.db
      .select()
      .from(schema.auditEvents)
      .where(eq(schema.auditEvents.action, 'retention.swept'));
    expect(audit.map((a) => a.data)).toEqual([
      { at: '2026-11-21T12:16:00.000Z', phone_challenges: 1 },
      { at: '2026-11-21T12:16:00.000Z' },
      { at: '2026-11-21T13:01:00.000Z', rate_limits: 3 },
    ]);
  });
});

describe('the audit log', () => {
  it('is pruned after a year by the audit pruner (a plain DELETE would be refused)', async () => {
    await sweep(); // each sweep appends retention.swept
    await sweep();
    t.clock.advance(400 * DAY);
    const removed = await sweep();
    expect(removed.audit_events).toBeGreaterThan(0);
    const actions = (await t.database.db.select().from(schema.auditEvents)).map((e) => e.action);
    expect(actions).toContain('audit.pruned');
    expect(actions.length).toBeLessThan(4);
  });
});

describe("crypto-shredding of recordings (the data map's `shred` rule)", () => {
  async function liveRoom() {
    const alice = await memberFactory(t)('alice');
    const { body } = await alice.post('/v1/rooms', { topic: 'Vélo en ville', mode: 'open' });
    return { alice, roomId: body.id as string };
  }

  /** One second of audio recorded through the real pipeline, starting now on the test clock. */
  async function recording(roomId: string, speakerId: string) {
    const startedAt = t.clock.now();
    const sink = await startRecording(t, {
      roomId,
      speakerId,
      trackSid: `TR_${startedAt.getTime()}`,
      startedAt,
    });
    await sink.write(tonePcm(1));
    return sink.close(new Date(startedAt.getTime() + 1000));
  }

  const rowOf = async (id: string) => {
    const [row] = await t.database.db.select().from(schema.recordings).where(eq(schema.recordings.id, id));
    return row;
  };
  const fileOf = (row: Recording) => join(recordingsDir(t), row.file);
  const shreddedEvents = () =>
    t.database.db
      .select()
      .from(schema.auditEvents)
      .where(eq(schema.auditEvents.action, 'recording.shredded'));
  async function readAll(row: Recording) {
    const parts: Uint8Array[] = [];
    for await (const part of openRecording(t, row)) parts.push(part);
    return Buffer.concat(parts);
  }
  const failure = async (run: () => Promise<unknown>) => {
    try {
      await run();
    } catch (error) {
      return error instanceof AppError ? error.code : (error as Error).message;
    }
    return 'no error';
  };

  it('destroys the key, then the file, 30 days after the recording started; audited, once', async () => {
    const { alice, roomId } = await liveRoom();
    const old = await recording(roomId, alice.id);
    t.clock.advance(DAY);
    const recent = await recording(roomId, alice.id);
    expect((await readAll(old)).subarray(0, 4).toString()).toBe('OggS');

    t.clock.advance(29 * DAY + MIN); // the first is 30 days and 1 minute old, the second 29 days
    const removed = await sweep();
    expect(removed).toMatchObject({ recordings: 1 });

    const shredded = (await rowOf(old.id)) as Recording;
    expect(shredded).toMatchObject({ status: 'shredded', wrappedKey: null, shreddedAt: t.clock.now() });
    expect(existsSync(fileOf(old))).toBe(false);
    expect(await failure(() => readAll(shredded))).toBe('recording.shredded');
    // Even with the key as it was before (a database backup), there is nothing left to decrypt.
    expect(await failure(() => readAll(old))).toBe('recording.corrupt');
    const events = await shreddedEvents();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      subjectId: old.id,
      actorId: null,
      data: { expiredAt: old.expiresAt.toISOString() },
    });

    const kept = (await rowOf(recent.id)) as Recording;
    expect(kept).toMatchObject({ status: 'complete', shreddedAt: null, wrappedKey: recent.wrappedKey });
    expect((await readAll(kept)).subarray(0, 4).toString()).toBe('OggS');

    // A second run changes nothing.
    expect(await sweep()).not.toHaveProperty('recordings');
    expect(await rowOf(old.id)).toEqual(shredded);
    expect(await rowOf(recent.id)).toEqual(kept);
    expect(await shreddedEvents()).toHaveLength(1);
    expect(existsSync(fileOf(recent))).toBe(true);

    t.clock.advance(DAY); // and the second one's day comes
    expect(await sweep()).toMatchObject({ recordings: 1 });
    expect(existsSync(fileOf(recent))).toBe(false);
    expect(await shreddedEvents()).toHaveLength(2);
  });

  it('heals a crash between the two steps, and removes files that no row holds a key for', async () => {
    const { alice, roomId } = await liveRoom();
    const row = await recording(roomId, alice.id);
    const keep = await recording(roomId, alice.id);
    // The key was destroyed and committed, then the process died before removing the file.
    await t.database.db
      .update(schema.recordings)
      .set({ wrappedKey: null, status: 'shredded', shreddedAt: t.clock.now() })
      .where(eq(schema.recordings.id, row.id));
    const stray = join(recordingsDir(t), '00000000-0000-4000-8000-000000000000.opus.sealed');
    writeFileSync(stray, 'left behind by a row that is gone');
    expect(existsSync(fileOf(row))).toBe(true);
    expect(await sweep()).not.toHaveProperty('recordings');
    expect(existsSync(fileOf(row))).toBe(false);
    expect(existsSync(stray)).toBe(false);
    expect(existsSync(fileOf(keep))).toBe(true);
  });

  it("shreds a room's recordings before the room (and their rows with it) is deleted", async () => {
    const { alice, roomId } = await liveRoom();
    const row = await recording(roomId, alice.id);
    await alice.post(`/v1/rooms/${roomId}/end`);
    t.clock.advance(30 * DAY + MIN);
    expect(await sweep()).toMatchObject({ recordings: 1, rooms: 1 });
    expect(existsSync(fileOf(row))).toBe(false);
    expect(await rowOf(row.id)).toBeUndefined();
    expect((await shreddedEvents()).map((e) => e.subjectId)).toEqual([row.id]);
    const swept = await t.database.db
      .select()
      .from(schema.auditEvents)
      .where(and(eq(schema.auditEvents.action, 'retention.swept')));
    expect(swept.at(-1)?.data).toMatchObject({ recordings: 1, rooms: 1 });
  });
});
