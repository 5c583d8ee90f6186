import { schema } from '@salon/db';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp } from '../testing';
import { testClient } from '../testing/client';
import { createJobs } from './index';
import { sweepRetention } from './retention';

let t: Awaited<ReturnType<typeof createTestApp>>;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
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
