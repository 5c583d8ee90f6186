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

const until = async (check: () => boolean) => {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 20));
};

describe('LISTEN/NOTIFY fan-out', () => {
  it('delivers notifications at commit, never from a rolled-back transaction', async () => {
    const heard: string[] = [];
    const stop = await database.listen('room_changes', (payload) => heard.push(payload));
    await database.db
      .transaction(async (tx) => {
        await notify(tx, 'room_changes', 'rolled-back');
        throw new Error('abort');
      })
      .catch(() => {});
    await database.db.transaction(async (tx) => {
      await notify(tx, 'room_changes', 'committed');
    });
    await until(() => heard.length > 0);
    expect(heard).toEqual(['committed']);
    await stop();
    await notify(database.db, 'room_changes', 'after-unlisten');
    await new Promise((r) => setTimeout(r, 100));
    expect(heard).toEqual(['committed']);
  });
});
