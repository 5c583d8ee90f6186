import { existsSync } from 'node:fs';
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
  /** The embedded database did not exist and was created now. */
  created: boolean;
}

interface BootOptions {
  logToStderr?: boolean;
  /**
   * The admin CLI: open only an embedded database that already exists (unless `--create`), and
   * make links with the public URL the server last started with on this DATA_DIR.
   */
  cli?: { create: boolean };
}

export async function boot(
  options: BootOptions & { needSecrets: true },
): Promise<Booted & { secrets: Secrets }>;
export async function boot(
  options: BootOptions & { needSecrets: false },
): Promise<Booted & { secrets: undefined }>;
export async function boot(
  options: BootOptions & { needSecrets: boolean },
): Promise<Booted & { secrets: Secrets | undefined }> {
  const config = loadConfig(process.env, { publicUrlOfServer: Boolean(options.cli) });
  // Before anything writes to DATA_DIR (generated secrets, PGlite's files): a mistyped DATA_DIR
  // must not quietly become a second, empty Salon.
  if (options.cli && !options.cli.create && !config.databaseUrl && !embeddedDatabaseExists(config)) {
    throw new DatabaseMissingError(embeddedDatabaseDir(config), config.dataDir);
  }
  // The CLI's stdout is its answer (JSON with --json): its logs go to stderr.
  const logger = createLogger({
    level: config.logLevel,
    ...(options.logToStderr ? { destination: pino.destination(2) } : {}),
  });
  const secrets = options.needSecrets
    ? loadSecrets(config, await crypto(), process.env, (message) => logger.warn(message))
    : undefined;
  const created = !config.databaseUrl && !embeddedDatabaseExists(config);
  const database = await createDb({ url: config.databaseUrl, dataDir: embeddedDatabaseDir(config) });
  return { config, secrets, logger, database, created };
}

/** Where PGlite keeps the database when there is no DATABASE_URL. */
export function embeddedDatabaseDir(config: Config) {
  return join(config.dataDir, 'pglite');
}

/** PGlite, like PostgreSQL's initdb, writes PG_VERSION when it creates a database folder. */
function embeddedDatabaseExists(config: Config) {
  return existsSync(join(embeddedDatabaseDir(config), 'PG_VERSION'));
}

/** The CLI was pointed at a DATA_DIR that holds no database, and was not asked to create one. */
export class DatabaseMissingError extends Error {
  override name = 'DatabaseMissingError';
  constructor(
    readonly databaseDir: string,
    readonly dataDir: string,
  ) {
    super(
      `There is no Salon database in ${databaseDir}.\n` +
        `Run this with the DATA_DIR (or DATABASE_URL) the server uses: \`npm start\` keeps its data in ` +
        `./data at the root of the project unless DATA_DIR says otherwise (here it is ${dataDir}).\n` +
        'To create a new, empty database there, run the same command with --create.',
    );
  }
}

/** Which database this is, for people: the PGlite folder, or the server's host and name (never credentials). */
export function describeDatabase(config: Config, database: Pick<Database, 'driver'>) {
  if (database.driver === 'pglite') return `PGlite in ${embeddedDatabaseDir(config)}`;
  const url = new URL(config.databaseUrl ?? '');
  return `PostgreSQL at ${url.host}${url.pathname}`;
}
