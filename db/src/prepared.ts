import type { Db } from './index';

/**
 * One prepared statement per database handle: hot paths (a join storm, the session lookup of
 * every request) neither rebuild the SQL nor make PostgreSQL plan it again for every request.
 */
export function preparedFor<T>(build: (db: Db) => T): (db: Db) => T {
  const cache = new WeakMap<Db, T>();
  return (db) => {
    let prepared = cache.get(db);
    if (prepared === undefined) {
      prepared = build(db);
      cache.set(db, prepared);
    }
    return prepared;
  };
}
