import postgres from 'postgres';
import type { TestProject } from 'vitest/node';

/**
 * Chooses the database the integration tests run on, once per test project:
 * TEST_DATABASE_URL, else the PostgreSQL server on 127.0.0.1:5432 if it answers, else PGlite.
 * In CI the server is required: a silent fall-back to PGlite would hide server-only failures.
 * TEST_DATABASE=pglite forces the embedded database (to check both locally).
 */
export type TestDatabaseTarget = { kind: 'postgres'; adminUrl: string } | { kind: 'pglite' };

declare module 'vitest' {
  export interface ProvidedContext {
    testDatabase: TestDatabaseTarget;
  }
}

const DEFAULT_SERVER = 'postgres://postgres@127.0.0.1:5432/postgres';

export default async function setup(project: TestProject) {
  if (process.env.TEST_DATABASE === 'pglite' && process.env.CI !== 'true') {
    console.log(`[${project.name}] integration tests run on PGlite (embedded), as TEST_DATABASE asks`);
    project.provide('testDatabase', { kind: 'pglite' });
    return;
  }
  const explicit = process.env.TEST_DATABASE_URL;
  const url = explicit ?? DEFAULT_SERVER;
  const reachable = await answers(url);
  let target: TestDatabaseTarget;
  if (reachable) {
    target = { kind: 'postgres', adminUrl: url };
  } else if (explicit || process.env.CI === 'true') {
    throw new Error(
      `Integration tests need the PostgreSQL server at ${redact(url)} ` +
        `(${explicit ? 'TEST_DATABASE_URL' : 'CI=true'}), and it does not answer.`,
    );
  } else {
    target = { kind: 'pglite' };
  }
  const where = target.kind === 'postgres' ? `PostgreSQL server ${redact(url)}` : 'PGlite (embedded)';
  console.log(`[${project.name}] integration tests run on ${where}`);
  project.provide('testDatabase', target);
}

async function answers(url: string) {
  const sql = postgres(url, { max: 1, connect_timeout: 2, onnotice: () => {} });
  try {
    await sql`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

function redact(url: string) {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return `${parsed.host}${parsed.pathname}`;
}
