import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../testing';
import { memberFactory, testClient } from '../testing/client';
import { enforce, hit, peek } from './rate-limit';

let t: Awaited<ReturnType<typeof createTestApp>>;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

/** Every limit is counted by the database in one statement: requests arriving together cannot beat it. */
describe('rate limits under parallel requests', () => {
  it('lets exactly `limit` calls through, however many arrive together', async () => {
    const window = {
      key: 'test:parallel',
      windowSeconds: 3600,
      now: t.clock.now(),
      limit: 10,
      code: 'search.rate_limited' as const,
    };
    const outcomes = await Promise.allSettled(
      Array.from({ length: 50 }, () => enforce(t.database.db, window)),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(10);
    expect((await peek(t.database.db, window)).count).toBe(50);
  });

  it('a lossy count only stops its own commit from waiting for the disk', async () => {
    const window = { key: 'test:lossy', windowSeconds: 60, now: t.clock.now(), lossy: true };
    const setting = async (tx: typeof t.database.db) => {
      const result = await tx.execute<{ s: string }>(sql`select current_setting('synchronous_commit') as s`);
      return (Array.isArray(result) ? result : (result as { rows: { s: string }[] }).rows)[0]?.s;
    };
    await t.database.db.transaction(async (tx) => {
      expect((await hit(tx, window)).count).toBe(1);
      expect(await setting(tx)).toBe('off');
    });
    await t.database.db.transaction(async (tx) => {
      expect((await hit(tx, { ...window, lossy: false })).count).toBe(2);
      expect(await setting(tx)).toBe('on');
    });
  });

  it('holds the search budget of a member (60 a minute)', async () => {
    const alice = await memberFactory(t)('alice');
    const answers = await Promise.all(Array.from({ length: 75 }, () => alice.get('/v1/search?q=bo')));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(60);
    expect(
      answers.filter((a) => a.status === 429).every((a) => a.body.error.code === 'search.rate_limited'),
    ).toBe(true);
  });

  it('holds the invite-check budget of a network (100 an hour)', async () => {
    const answers = await Promise.all(
      Array.from({ length: 120 }, () => testClient(t, { ip: '192.0.2.77' }).get('/v1/invites/NOPE1234')),
    );
    expect(answers.filter((a) => a.status === 429)).toHaveLength(20);
  });
});
