import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notify } from './index';
import { createTestDatabase, type TestDatabase } from './testing';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

/** A listener that can be awaited: `next()` resolves with the next payload it hears. */
async function listener(channel: string) {
  const heard: string[] = [];
  let waiting: ((payload: string) => void) | undefined;
  const stop = await database.listen(channel, (payload) => {
    heard.push(payload);
    waiting?.(payload);
    waiting = undefined;
  });
  return {
    heard,
    stop,
    next: () =>
      new Promise<string>((resolve) => {
        waiting = resolve;
      }),
  };
}

describe('LISTEN/NOTIFY fan-out', () => {
  it('delivers notifications at commit, never from a rolled-back transaction', async () => {
    const one = await listener('room_changes');
    await database.db
      .transaction(async (tx) => {
        await notify(tx, 'room_changes', 'rolled-back');
        throw new Error('abort');
      })
      .catch(() => {});
    const committed = one.next();
    await database.db.transaction(async (tx) => {
      await notify(tx, 'room_changes', 'committed');
    });
    // Notifications arrive in commit order: had the rolled-back one been sent, it would be first.
    expect(await committed).toBe('committed');
    expect(one.heard).toEqual(['committed']);

    // A second listener on the same channel hears what the first would: once it has heard the
    // notification sent after the first stopped, the first would have heard it by then too.
    const witness = await listener('room_changes');
    await one.stop();
    const after = witness.next();
    await notify(database.db, 'room_changes', 'after-unlisten');
    expect(await after).toBe('after-unlisten');
    expect(one.heard).toEqual(['committed']);
    await witness.stop();
  });
});
