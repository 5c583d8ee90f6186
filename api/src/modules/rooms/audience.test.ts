import { randomUUID } from 'node:crypto';
import { schema } from '@salon/db';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp } from '../../testing';
import { memberFactory } from '../../testing/client';
import { seedCrowd } from '../../testing/crowd';
import { sseReader } from '../../testing/sse';
import type { RosterEntry } from './roster';
import type { Snapshot } from './stream';

let t: Awaited<ReturnType<typeof createTestApp>>;
let member: ReturnType<typeof memberFactory>;
beforeEach(async () => {
  t = await createTestApp();
  member = memberFactory(t);
});
afterEach(async () => {
  await t.close();
});

type Member = Awaited<ReturnType<ReturnType<typeof memberFactory>>>;
interface Page {
  band: string;
  entries: RosterEntry[];
  nextCursor: string | null;
}

async function openRoom(host: Member) {
  const { body } = await host.post('/v1/rooms', { topic: 'Le vélo en ville', mode: 'open' });
  await host.post(`/v1/rooms/${body.id}/join`);
  return body.id as string;
}

async function snapshotFor(who: Member, roomId: string) {
  const stream = sseReader(await who.raw(`/v1/rooms/${roomId}/events`));
  const event = await stream.next('snapshot', 10_000);
  await stream.close();
  return { bytes: event.bytes, data: event.data as Snapshot };
}

/** Every listener of a band, page by page, as a client scrolling to the end would read them. */
async function walk(who: Member, roomId: string, band: string, limit: number, from: string | null = null) {
  const seen: RosterEntry[] = [];
  let cursor = from;
  for (let pages = 0; pages < 1000; pages++) {
    const query: string = `band=${band}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`;
    const res = await who.get(`/v1/rooms/${roomId}/audience?${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const page = res.body as Page;
    expect(page.band).toBe(band);
    seen.push(...page.entries);
    cursor = page.nextCursor;
    if (page.entries.length < limit) return Object.assign(seen, { cursor });
  }
  throw new Error('no end');
}

describe('a room of thousands', () => {
  it('opens every stream with a snapshot under 50 KB, whatever the size of the audience', async () => {
    const host = await member('alice');
    const bob = await member('bob');
    const roomId = await openRoom(host);
    await bob.post(`/v1/rooms/${roomId}/join`);
    const start = t.clock.now().getTime();
    // 5,000 listeners; ten speakers, each following 100 of them; 199 hands up.
    const crowd = await seedCrowd(t.database.db, roomId, 5000, (i) => ({
      role: i < 10 ? 'speaker' : 'listener',
      joinedAt: new Date(start - 3_600_000 + i * 500),
      handRaisedAt: i >= 10 && i % 25 === 0 ? new Date(start - 60_000 + i) : null,
    }));
    await t.database.db.insert(schema.follows).values(
      crowd.slice(0, 10).flatMap((followerId, s) =>
        crowd.slice(10 + s * 100, 10 + (s + 1) * 100).map((followeeId) => ({
          followerId,
          followeeId,
          createdAt: new Date(start),
        })),
      ),
    );

    const forListener = await snapshotFor(bob, roomId);
    const forModerator = await snapshotFor(host, roomId);
    for (const { bytes, data } of [forListener, forModerator]) {
      expect(bytes).toBeLessThan(50 * 1024);
      expect(data.stage).toHaveLength(11);
      expect(data.followed).toMatchObject({ count: 1000 });
      expect(data.followed.entries).toHaveLength(48);
      expect(data.audience).toMatchObject({ count: 3991 });
      expect(data.audience.entries).toHaveLength(48);
    }
    expect(forListener.data.hands).toBeNull();
    expect(forListener.data.you?.username).toBe('bob');
    expect(forModerator.data.hands?.count).toBe(199);
    expect(forModerator.data.hands?.entries).toHaveLength(20);
    expect(forModerator.data.hands?.entries[0]?.userId).toBe(crowd[25]);
  }, 60_000);

  it('pages through every listener exactly once, in order, and hides what it must', async () => {
    const host = await member('alice');
    const bob = await member('bob');
    const carol = await member('carol');
    const roomId = await openRoom(host);
    await bob.post(`/v1/rooms/${roomId}/join`);
    await carol.post(`/v1/rooms/${roomId}/join`);
    await bob.put(`/v1/rooms/${roomId}/hand`);
    await host.put('/v1/users/carol/follow');
    const start = t.clock.now().getTime();
    // 300 listeners arriving eight to the millisecond (page boundaries fall inside ties), every
    // tenth with a hand up, every 25th invited to speak.
    const crowd = await seedCrowd(t.database.db, roomId, 300, (i) => ({
      joinedAt: new Date(start - 10_000 + Math.floor(i / 8)),
      handRaisedAt: i % 10 === 0 ? new Date(start - 5_000 + i) : null,
      invitedAt: i % 25 === 0 ? new Date(start - 1_000) : null,
    }));
    // …five of whom had their arrival stored finer than a millisecond (SQL now()).
    await t.database.db
      .update(schema.roomParticipants)
      .set({ joinedAt: sql`${schema.roomParticipants.joinedAt} + interval '123 microseconds'` })
      .where(
        and(
          eq(schema.roomParticipants.roomId, roomId),
          inArray(schema.roomParticipants.userId, crowd.slice(0, 5)),
        ),
      );

    const listeners = [...crowd, bob.id];
    for (const limit of [7, 48, 100]) {
      const audience = await walk(carol, roomId, 'audience', limit);
      const followed = await walk(carol, roomId, 'followed', limit);
      const ids = audience.map((e) => e.userId);
      expect(new Set(ids).size).toBe(ids.length);
      expect(new Set(ids)).toEqual(new Set(listeners));
      expect(followed.map((e) => e.username)).toEqual(['carol']);
      const order = audience.map((e) => [e.joinedAt, e.userId].join(' '));
      expect(order).toEqual([...order].sort());
      // A listener sees nobody's hand or invitation.
      expect(audience.filter((e) => e.handRaised || e.invitedToSpeak || e.handRaisedAt)).toEqual([]);
    }
    // The person sees their own hand; a moderator sees everyone's.
    const ownPage = await walk(bob, roomId, 'audience', 100);
    expect(ownPage.find((e) => e.userId === bob.id)).toMatchObject({ handRaised: true });
    expect(ownPage.filter((e) => e.handRaised)).toHaveLength(1);
    const moderatorPage = await walk(host, roomId, 'audience', 100);
    expect(moderatorPage.filter((e) => e.handRaised)).toHaveLength(31);
    expect(moderatorPage.filter((e) => e.invitedToSpeak)).toHaveLength(12);

    // The last page's cursor reads on from there as people keep arriving.
    const read = await walk(carol, roomId, 'audience', 100);
    expect(read.cursor).not.toBeNull();
    const later = await seedCrowd(
      t.database.db,
      roomId,
      5,
      (i) => ({ joinedAt: new Date(start + 60_000 + i) }),
      'late',
    );
    expect((await walk(carol, roomId, 'audience', 100, read.cursor)).map((e) => e.userId)).toEqual(later);
  }, 60_000);

  it('refuses a bad query, and answers outsiders as for a room that does not exist', async () => {
    const host = await member('alice');
    const outsider = await member('oscar');
    const roomId = await openRoom(host);
    for (const query of ['limit=0', 'limit=101', 'limit=x', 'cursor=nonsense', 'band=stage', 'page=2']) {
      const res = await host.get(`/v1/rooms/${roomId}/audience?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error.code, query).toBe('request.invalid');
    }
    await host.patch(`/v1/rooms/${roomId}`, { mode: 'closed' });
    const unknown = await outsider.get(`/v1/rooms/${randomUUID()}/audience`);
    const closed = await outsider.get(`/v1/rooms/${roomId}/audience`);
    expect(unknown.status).toBe(404);
    expect(closed.status).toBe(404);
    expect(closed.body.error).toEqual(unknown.body.error);
  });
});
