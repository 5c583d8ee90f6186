import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { inject } from 'vitest';
import { createDb, type Database } from '../index';
// Brings in the ProvidedContext typing that global-setup declares.
import type {} from './global-setup';

export interface TestDatabase extends Database {
  /** Closes the connection and drops the database created for this test file. */
  drop(): Promise<void>;
  /** Its URL on the PostgreSQL server, for another process to open; none on PGlite. */
  url: string | undefined;
}

/** A fresh, migrated database for one test file, on the target global-setup chose. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const target = inject('testDatabase');
  if (target.kind === 'pglite') {
    const database = await createDb({ dataDir: 'memory://' });
    await database.migrate();
    return { ...database, url: undefined, drop: () => database.close() };
  }
  const name = `salon_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(target.adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  const url = new URL(target.adminUrl);
  url.pathname = `/${name}`;
  const database = await createDb({ url: url.toString(), max: 5 });
  await database.migrate();
  return {
    ...database,
    url: url.toString(),
    async drop() {
      await database.close();
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end({ timeout: 5 });
    },
  };
}
