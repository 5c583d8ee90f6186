import { schema } from '@salon/db';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sweepRetention } from '../../jobs/retention';
import { createTestApp } from '../../testing';
import { memberFactory } from '../../testing/client';

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
const body = { topic: 'Le vélo en ville', mode: 'open' };
const create = (who: Member, key?: string, input: Record<string, unknown> = body) =>
  who.request('POST', '/v1/rooms', input, key === undefined ? {} : { 'idempotency-key': key });
const roomsOf = async (who: Member) =>
  t.database.db.select({ id: schema.rooms.id }).from(schema.rooms).where(eq(schema.rooms.hostId, who.id));

describe('creating a room with an Idempotency-Key', () => {
  it('gives a retried request the room the first one opened, not a second room', async () => {
    const alice = await member('alice');
    const first = await create(alice, 'b7f1c2e4-retry_1');
    expect(first.status).toBe(201);
    const again = await create(alice, 'b7f1c2e4-retry_1');
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    // Even if the retry's body differs: it is the same request as far as the client knows.
    expect((await create(alice, 'b7f1c2e4-retry_1', { ...body, topic: 'Autre' })).body.id).toBe(
      first.body.id,
    );
    expect(await roomsOf(alice)).toEqual([{ id: first.body.id }]);
  });

  it('opens exactly one room for retries that arrive together', async () => {
    const alice = await member('alice');
    const answers = await Promise.all(Array.from({ length: 6 }, () => create(alice, 'same-key')));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 200, 201]);
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(await roomsOf(alice)).toHaveLength(1);
  });

  it('keeps keys apart per member and per key, and forgets them after 24 hours', async () => {
    const alice = await member('alice');
    const bob = await member('bob');
    const a1 = await create(alice, 'k1');
    const b1 = await create(bob, 'k1');
    const a2 = await create(alice, 'k2');
    expect([a1.status, b1.status, a2.status]).toEqual([201, 201, 201]);
    expect(new Set([a1.body.id, b1.body.id, a2.body.id]).size).toBe(3);

    t.clock.advance(24 * 3_600_000 - 1000);
    expect((await create(alice, 'k1')).body.id).toBe(a1.body.id);
    t.clock.advance(2000);
    const later = await create(alice, 'k1');
    expect(later.status).toBe(201);
    expect(later.body.id).not.toBe(a1.body.id);
    expect((await create(alice, 'k1')).body.id).toBe(later.body.id);
  });

  it('lets the retention sweeper delete a key a day after its request, and the room’s end take it too', async () => {
    const alice = await member('alice');
    await create(alice, 'k1');
    await create(alice, 'k2');
    const keys = () => t.database.db.select().from(schema.roomCreationKeys);
    t.clock.advance(12 * 3_600_000);
    const third = await create(alice, 'k3');
    t.clock.advance(12 * 3_600_000 + 1000);
    expect(await sweepRetention(t, t.clock.now())).toMatchObject({ room_creation_keys: 2 });
    expect((await keys()).map((k) => k.key)).toEqual(['k3']);
    await t.database.db.delete(schema.rooms).where(eq(schema.rooms.id, third.body.id));
    expect(await keys()).toEqual([]);
  });

  it('opens a new room for each request without a key', async () => {
    const alice = await member('alice');
    expect((await create(alice)).status).toBe(201);
    expect((await create(alice)).status).toBe(201);
    expect(await roomsOf(alice)).toHaveLength(2);
  });

  it('refuses a key that is empty, longer than 64 characters or outside [A-Za-z0-9_-]', async () => {
    const alice = await member('alice');
    for (const key of ['', 'x'.repeat(65), 'a b', 'clé', 'a/b', 'a.b']) {
      const res = await create(alice, key);
      expect({ key, status: res.status, code: res.body.error?.code }).toEqual({
        key,
        status: 400,
        code: 'request.invalid',
      });
      expect(res.body.error.details[0]).toMatchObject({ in: 'header', path: 'idempotency-key' });
    }
    expect((await create(alice, 'x'.repeat(64))).status).toBe(201);
    expect(await roomsOf(alice)).toHaveLength(1);
  });
});
