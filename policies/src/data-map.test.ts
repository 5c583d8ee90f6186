import { createTestDatabase, type TestDatabase } from '@salon/db/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDataMap, periodMs } from './index';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

async function liveSchema() {
  const result = await database.db.execute<{ table_name: string; column_name: string }>(
    sql`select c.table_name, c.column_name from information_schema.columns c
        join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
        where c.table_schema = 'public' and t.table_type = 'BASE TABLE'`,
  );
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as {
    table_name: string;
    column_name: string;
  }[];
  const schema = new Map<string, Set<string>>();
  for (const row of rows) {
    const columns = schema.get(row.table_name) ?? new Set<string>();
    columns.add(row.column_name);
    schema.set(row.table_name, columns);
  }
  return schema;
}

describe('the data map (DESIGN §1 invariant 5)', () => {
  it('declares every table and column of the live schema, and nothing that is not there', async () => {
    const map = loadDataMap();
    const live = await liveSchema();
    expect(live.size).toBeGreaterThan(10);
    const undeclared: string[] = [];
    const stale: string[] = [];
    for (const [table, columns] of live) {
      const declared = map.tables[table];
      if (!declared) {
        undeclared.push(`${table} (whole table)`);
        continue;
      }
      for (const column of columns) if (!(column in declared.columns)) undeclared.push(`${table}.${column}`);
      for (const column of Object.keys(declared.columns))
        if (!columns.has(column)) stale.push(`${table}.${column}`);
    }
    for (const table of Object.keys(map.tables)) if (!live.has(table)) stale.push(`${table} (whole table)`);
    expect(undeclared, 'in the database but not in policies/data-map.yaml').toEqual([]);
    expect(stale, 'in policies/data-map.yaml but not in the database').toEqual([]);
  });

  it('gives every retention rule a column that exists and a readable period', async () => {
    const map = loadDataMap();
    for (const [name, table] of Object.entries(map.tables)) {
      const rule = table.retention;
      if ('column' in rule) expect(table.columns, `${name}: ${rule.column}`).toHaveProperty(rule.column);
      if ('keep_while' in rule && rule.keep_while) expect(table.columns).toHaveProperty(rule.keep_while);
      if ('period' in rule && rule.period) expect(periodMs(rule.period)).toBeGreaterThan(0);
      if ('file_column' in rule && rule.file_column) expect(table.columns).toHaveProperty(rule.file_column);
    }
    expect(periodMs('15 minutes')).toBe(900_000);
    expect(periodMs('1 year')).toBe(365 * 86_400_000);
    expect(() => periodMs('soon')).toThrow();
  });

  it('rejects a map with a treatment that needs a reason but has none', async () => {
    const { dataMapSchema } = await import('./index');
    const bad = {
      version: 1,
      tables: {
        t: {
          purpose: 'x',
          legal_basis: 'y',
          retention: { rule: 'permanent', trigger: 'none' },
          export: 'not_exported',
          erasure: 'delete',
          columns: { id: 'technical' },
        },
      },
    };
    expect(dataMapSchema.safeParse(bad).success).toBe(false);
  });
});
