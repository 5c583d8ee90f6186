import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from './testing';
import { testClient } from './testing/client';

/**
 * DESIGN §1 invariant 1: after a full sign-up, the phone number is found in no table, in no form,
 * and in no log line. The only place it may exist is the SMS provider (here, the captured SMS).
 */
const FORMS = [
  '+33612345678',
  '33612345678',
  '0612345678',
  '612345678',
  '06 12 34 56 78',
  '+33 6 12 34 56 78',
  '6 12 34 56 78',
];

let t: Awaited<ReturnType<typeof createTestApp>>;
beforeAll(async () => {
  t = await createTestApp();
  const client = testClient(t);
  await client.signUp({ phone: '06 12 34 56 78', username: 'eloise', displayName: 'Éloïse Martin' });
  await client.post('/v1/me/invites');
  await client.logIn();
});
afterAll(async () => {
  await t.close();
});

describe('phone numbers at rest', () => {
  it('appear in no row of any table, in any form', async () => {
    const tables = await t.database.db.execute<{ table_name: string }>(
      sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`,
    );
    const names = rowsOf<{ table_name: string }>(tables).map((r) => r.table_name);
    expect(names).toEqual(
      expect.arrayContaining(['users', 'phone_challenges', 'sessions', 'passkeys', 'rate_limits']),
    );
    let rowsSeen = 0;
    for (const name of names) {
      const rows = rowsOf(await t.database.db.execute(sql`select * from ${sql.identifier(name)}`));
      rowsSeen += rows.length;
      const dump = JSON.stringify(rows);
      for (const form of FORMS) expect(dump, `${name} holds ${form}`).not.toContain(form);
    }
    expect(rowsSeen).toBeGreaterThan(5);
  });

  it('appear in no log line', () => {
    expect(t.log.lines.length).toBeGreaterThan(5);
    for (const form of FORMS) expect(t.log.text()).not.toContain(form);
  });

  it('went to the SMS provider, and only there', () => {
    expect(t.sms.sent.map((m) => m.to)).toEqual(['+33612345678']);
  });
});

function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}
