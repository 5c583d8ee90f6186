import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logger';
import { createTestApp, memoryLog } from '../testing';
import { memberFactory } from '../testing/client';

let t: Awaited<ReturnType<typeof createTestApp>>;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

/** What a member typed, which a failed query would carry as its parameters. */
const BIO = 'Chanteuse lyrique à Montreuil, 2 enfants';

describe('a failed query in the log', () => {
  it('carries no query text and no parameter: the member’s words stay out', async () => {
    const zoe = await memberFactory(t)('zoemartin');
    // The database refuses this bio (a stand-in for any failure: constraint, cast, deadlock).
    await t.database.db.execute(
      sql.raw(`alter table users add constraint probe_bio check (bio is null or bio not like 'Chanteuse%')`),
    );
    const res = await zoe.patch('/v1/me', { bio: BIO, displayName: 'Zoé Martin-Lyrique' });
    expect(res.status).toBe(500);
    const logged = t.log.entries().find((e) => e.msg === 'unhandled error');
    expect(logged?.requestId).toBe(res.body.requestId);
    const text = t.log.text();
    for (const personal of [BIO, 'Montreuil', 'Zoé Martin-Lyrique', 'zoemartin', zoe.id]) {
      expect(text, personal).not.toContain(personal);
    }
    expect(text).not.toMatch(/params|update "users"|"bio" = /i);
    // Still enough to act on: the kind of failure, its SQLSTATE and the constraint.
    expect(JSON.stringify(logged)).toContain('23514');
    expect(JSON.stringify(logged)).toContain('probe_bio');
  });
});

describe('the logger’s error serializer', () => {
  it('drops query text, parameters and row details from any error, however it is nested', () => {
    const log = memoryLog();
    const logger = createLogger({ level: 'info', destination: log.destination });
    const cause = Object.assign(new Error('invalid input syntax for type uuid: "Zoé Martin"'), {
      code: '22P02',
      detail: 'Failing row contains (Zoé Martin, zoe_martin).',
      query: 'select * from users where id = $1',
      parameters: ['Zoé Martin'],
      params: ['Zoé Martin'],
    });
    const wrapped = new Error(
      'Failed query: select * from users where id = $1\nparams: Zoé Martin,zoe_martin',
      {
        cause,
      },
    );
    wrapped.name = 'DrizzleQueryError';
    logger.error({ err: wrapped }, 'job failed');
    logger.error(wrapped, 'first argument');
    logger.warn({ nested: { error: cause } }, 'nested');
    const text = log.text();
    expect(text).not.toContain('Zoé');
    expect(text).not.toContain('zoe_martin');
    expect(text).not.toMatch(/select \*|params|Failing row/);
    expect(text).toContain('22P02');
    expect(text).toContain('invalid input syntax for type uuid');
  });
});
