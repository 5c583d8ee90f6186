import postgres from 'postgres';
import { e2eAdminUrl, e2eDatabaseName } from './paths';

/** Drops the run's database (support/server.mjs made it); the app's connections are closed by force. */
export default async function teardown() {
  const admin = postgres(e2eAdminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists ${e2eDatabaseName} with (force)`);
  } finally {
    await admin.end();
  }
}
