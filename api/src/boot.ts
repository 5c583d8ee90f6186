import { join } from 'node:path';
import { createDb, type Database } from '@salon/db';
import pino from 'pino';
import { crypto } from './crypto';
import { type Config, loadConfig, loadSecrets, type Secrets } from './env';
import { createLogger, type Logger } from './logger';

/** Shared start-up for the server and the admin CLI: configuration, secrets, logger, database. */
interface Booted {
  config: Config;
  logger: Logger;
  database: Database;
}

export async function boot(options: {
  needSecrets: true;
  logToStderr?: boolean;
}): Promise<Booted & { secrets: Secrets }>;
export async function boot(options: {
  needSecrets: false;
  logToStderr?: boolean;
}): Promise<Booted & { secrets: undefined }>;
export async function boot(options: {
  needSecrets: boolean;
  logToStderr?: boolean;
}): Promise<Booted & { secrets: Secrets | undefined }> {
  const config = loadConfig();
  // The CLI's stdout is its answer (JSON with --json): its logs go to stderr.
  const logger = createLogger({
    level: config.logLevel,
    ...(options.logToStderr ? { destination: pino.destination(2) } : {}),
  });
  const secrets = options.needSecrets
    ? loadSecrets(config, await crypto(), process.env, (message) => logger.warn(message))
    : undefined;
  const database = await createDb({ url: config.databaseUrl, dataDir: join(config.dataDir, 'pglite') });
  return { config, secrets, logger, database };
}

export function describeDatabase(config: Config, database: Database) {
  if (database.driver === 'pglite') return `PGlite in ${join(config.dataDir, 'pglite')}`;
  const url = new URL(config.databaseUrl ?? '');
  return `PostgreSQL at ${url.host}${url.pathname}`;
}
