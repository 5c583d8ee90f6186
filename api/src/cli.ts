import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type Database, systemClock } from '@salon/db';
import { type DataMap, loadDataMap } from '@salon/policies';
import { boot, DatabaseMissingError, describeDatabase } from './boot';
import { type Crypto, crypto } from './crypto';
import { type Config, ConfigError, type Secrets } from './env';
import { AppError } from './http/errors';
import { sweepRetention } from './jobs/retention';
import { type Logger, safeError } from './logger';
import { writeCheckpoint } from './modules/audit/audit.checkpoints';
import { verifyAuditLog } from './modules/audit/audit.verify';
import { mintInvites } from './modules/invites/invites.service';
import { exportForOperator } from './modules/rights/export.service';
import { grantStaff, listStaff, revokeStaff } from './modules/staff/staff.service';

/**
 * `npm run salon -- <command>`: the operator's tools. Every command also takes `--json` and
 * then prints one JSON object on stdout, for scripts.
 */
const USAGE = `Usage: npm run salon -- <command> [--json] [--create]

Commands:
  db migrate          apply pending database migrations
  invites mint <n>    create n invites with no inviter, to bootstrap the first members (1–100)
  export <username>   write a member's data export (ZIP) to answer a written request
      [--out <file>]  where (default ./salon-export-<username>-<date>.zip)
  retention run       apply policies/data-map.yaml's retention now (audit log pruning included)
      [--now <ISO>]   …as if it were that time (tests, or catching up after downtime)
  staff grant <username> moderator|admin
                      make a member moderator or admin (or change their role); audited
  staff revoke <username>
                      withdraw a member's staff role; audited
  staff list          the moderation team
  audit verify        check the audit log's hash chain and signed checkpoints; names the
                      first broken link and exits with 1 if there is one
  audit checkpoint    sign the end of the audit log into DATA_DIR/audit/checkpoints.jsonl now
                      (the jobs worker does it every hour)

Every command works on the database the server uses: DATABASE_URL, else the embedded one in
DATA_DIR (default ./data), and says which on stderr. It refuses to create a new embedded
database unless given --create. Links use PUBLIC_URL, else the URL the server last started with.
`;

interface Options {
  now?: string | undefined;
  out?: string | undefined;
  /** --create: a missing embedded database may be created (otherwise the CLI refuses). */
  create: boolean;
}

type Command = (args: string[], options: Options) => Promise<Record<string, unknown>>;

const commands: Record<string, Command> = {
  export: async ([username], options) => {
    if (!username) throw new Error('export takes a @username');
    return withDatabaseOnly(options, async ({ database, config, dataMap }) => {
      const c = await crypto();
      const out = resolve(
        options.out ??
          `salon-export-${username.replace(/^@/, '')}-${new Date().toISOString().slice(0, 10)}.zip`,
      );
      const result = await exportForOperator(
        { database, config, crypto: c, clock: systemClock, dataMap },
        username,
        out,
      );
      return {
        ok: true,
        message: `Export of @${result.username} written to ${out} (${result.bytes} bytes).`,
        file: out,
        ...result,
      };
    });
  },
  'retention run': async (_args, options) => {
    const now = options.now ? new Date(options.now) : new Date();
    if (Number.isNaN(now.getTime()))
      throw new Error('--now takes an ISO 8601 time, e.g. 2026-12-24T00:00:00Z');
    // Secrets: pruning the audit log signs a checkpoint with the audit key.
    return withDatabase(options, async (deps) => {
      const removed = await sweepRetention(deps, now);
      const lines = Object.entries(removed).map(([table, n]) => `  ${table}: ${n}`);
      const message = lines.length
        ? `Removed, as of ${now.toISOString()}:\n${lines.join('\n')}`
        : 'Nothing was due.';
      return { ok: true, message, now: now.toISOString(), removed };
    });
  },
  'invites mint': async ([count], options) => {
    const n = Number(count);
    if (!Number.isInteger(n) || n < 1 || n > 100)
      throw new Error('invites mint takes a number from 1 to 100');
    return withDatabaseOnly(options, async (deps) => {
      const invites = await mintInvites(deps, n);
      const lines = invites.map((i) => `  ${i.code}  ${i.link}  (expires ${i.expiresAt.slice(0, 10)})`);
      return { ok: true, message: `${n} invite(s):\n${lines.join('\n')}`, invites };
    });
  },
  'staff grant': async ([username, role], options) => {
    if (!username || (role !== 'moderator' && role !== 'admin'))
      throw new Error('staff grant takes a @username and a role: moderator or admin');
    return withDatabase(options, async (deps) => {
      const granted = await grantStaff(deps, { username, role, grantedBy: null });
      return {
        ok: true,
        message: granted.changed
          ? `@${granted.username} is now ${role} (recorded in the audit log).`
          : `@${granted.username} already was ${role}; nothing changed.`,
        ...granted,
      };
    });
  },
  'staff revoke': async ([username], options) => {
    if (!username) throw new Error('staff revoke takes a @username');
    return withDatabase(options, async (deps) => {
      const revoked = await revokeStaff(deps, { username, revokedBy: null });
      return {
        ok: true,
        message: `@${revoked.username} is no longer ${revoked.role} (recorded in the audit log).`,
        ...revoked,
      };
    });
  },
  'staff list': async (_args, options) =>
    withDatabase(options, async (deps) => {
      const staff = await listStaff(deps);
      const lines = staff.map(
        (m) => `  ${m.role.padEnd(9)}  @${m.username}  (${m.displayName}, since ${m.grantedAt.slice(0, 10)})`,
      );
      return {
        ok: true,
        message: staff.length
          ? `Staff:\n${lines.join('\n')}`
          : 'No staff yet: `staff grant <username> admin`.',
        staff,
      };
    }),
  'audit verify': async (_args, options) =>
    withDatabase(options, async (deps) => {
      const result = await verifyAuditLog(deps);
      const range = result.firstId === null ? '' : ` (ids ${result.firstId} to ${result.lastId})`;
      const summary = `${result.checked} entries checked${range}, ${result.pruned} pruned earlier; ${result.checkpoints} signed checkpoint(s) in ${result.file} (public key ${result.publicKey}).`;
      const broken = result.firstBroken;
      return {
        ...result,
        message: broken
          ? `BROKEN at entry ${broken.id ?? '?'}${describe(broken.action, broken.at)}: ${broken.reason}\n${summary}`
          : `OK. ${summary}`,
      };
    }),
  'audit checkpoint': async (_args, options) =>
    withDatabase(options, async (deps) => {
      const checkpoint = await writeCheckpoint(deps, deps.clock.now());
      return {
        ok: true,
        message: checkpoint
          ? `Checkpoint signed: entry ${checkpoint.lastId} (number ${checkpoint.count} of the chain).`
          : 'Nothing new since the last checkpoint.',
        checkpoint,
      };
    }),
  'db migrate': async (_args, options) =>
    withDatabaseOnly(options, async ({ config, database }) => ({
      ok: true,
      message: `Migrations applied on ${describeDatabase(config, database)}.`,
      database: database.driver,
    })),
};

/** " (staff.granted, 2026-11-21T…)" — whichever of the two is known. */
function describe(...parts: (string | null)[]) {
  const known = parts.filter(Boolean);
  return known.length ? ` (${known.join(', ')})` : '';
}

interface Deps<S> {
  database: Database;
  dataMap: DataMap;
  config: Config;
  secrets: S;
  logger: Logger;
  crypto: Crypto;
  clock: typeof systemClock;
}

/** The server's database, with the secrets: opened (see `run`), used by `work`, closed. */
async function withDatabase<T>(options: Options, work: (deps: Deps<Secrets>) => Promise<T>) {
  return run(await boot({ needSecrets: true, logToStderr: true, cli: { create: options.create } }), work);
}

/** The same for commands that need no key: nothing is generated or required for them. */
async function withDatabaseOnly<T>(options: Options, work: (deps: Deps<undefined>) => Promise<T>) {
  return run(await boot({ needSecrets: false, logToStderr: true, cli: { create: options.create } }), work);
}

/**
 * boot() opened the database the server uses (an embedded one only if it exists, or with
 * --create); say which on stderr (stdout stays the answer, one JSON object with --json), migrate
 * it, run `work`, close it.
 */
async function run<S, T>(
  booted: Pick<Deps<S>, 'database' | 'config' | 'secrets' | 'logger'> & { created: boolean },
  work: (deps: Deps<S>) => Promise<T>,
) {
  const { database, config, secrets, logger, created } = booted;
  console.error(
    `salon: ${created ? 'created a new, empty database: ' : 'database: '}${describeDatabase(config, database)}`,
  );
  try {
    await database.migrate();
    return await work({
      database,
      config,
      secrets,
      logger,
      crypto: await crypto(),
      clock: systemClock,
      dataMap: loadDataMap(),
    });
  } finally {
    await database.close();
  }
}

async function main() {
  const { values, positionals } = parseArgs({
    args: process.argv.slice(2),
    options: {
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
      now: { type: 'string' },
      out: { type: 'string' },
      create: { type: 'boolean', default: false },
    },
    allowPositionals: true,
    strict: true,
  });
  // Commands are one word (`export`) or two (`db migrate`); what follows are their arguments.
  const twoWords = positionals.slice(0, 2).join(' ');
  const name = commands[twoWords] ? twoWords : (positionals[0] ?? '');
  const command = commands[name];
  if (values.help || !command) {
    (command || values.help ? console.log : console.error)(USAGE);
    process.exit(values.help ? 0 : 2);
  }
  const result = await command(positionals.slice(name.split(' ').length), {
    now: values.now,
    out: values.out,
    create: values.create,
  });
  if (values.json) console.log(JSON.stringify(result));
  else console.log(result.message);
  // A command that ran but found a problem (e.g. a broken audit chain) says so in its exit code.
  if (result.ok === false) process.exitCode = 1;
}

main().catch((error) => {
  // A failed query's message holds its parameters: the terminal gets what a log line would.
  const message =
    error instanceof ConfigError || error instanceof AppError || error instanceof DatabaseMissingError
      ? error.message
      : error instanceof Error
        ? String(safeError(error).message)
        : String(error);
  // AppErrors (e.g. staff.user_not_found) carry a stable code scripts can test.
  const code = error instanceof AppError ? error.code : undefined;
  if (process.argv.includes('--json')) console.log(JSON.stringify({ ok: false, error: message, code }));
  else console.error(`salon: ${message}`);
  process.exit(1);
});
