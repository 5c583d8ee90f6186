import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { systemClock } from '@salon/db';
import { boot, describeDatabase } from './boot';
import { crypto } from './crypto';
import { ConfigError } from './env';
import { sweepRetention } from './jobs/retention';
import { mintInvites } from './modules/invites/invites.service';
import { exportForOperator } from './modules/rights/export.service';

/**
 * `npm run salon -- <command>`: the operator's tools. Every command also takes `--json` and
 * then prints one JSON object on stdout, for scripts.
 */
const USAGE = `Usage: npm run salon -- <command> [--json]

Commands:
  db migrate          apply pending database migrations
  invites mint <n>    create n invites with no inviter, to bootstrap the first members (1–100)
  export <username>   write a member's data export (ZIP) to answer a written request
      [--out <file>]  where (default ./salon-export-<username>-<date>.zip)
  retention run       apply policies/data-map.yaml's retention now
      [--now <ISO>]   …as if it were that time (tests, or catching up after downtime)
`;

type Command = (
  args: string[],
  options: { now?: string | undefined; out?: string | undefined },
) => Promise<Record<string, unknown>>;

const commands: Record<string, Command> = {
  export: async ([username], options) => {
    if (!username) throw new Error('export takes a @username');
    const { database } = await boot({ needSecrets: false, logToStderr: true });
    try {
      await database.migrate();
      const c = await crypto();
      const out = resolve(
        options.out ??
          `salon-export-${username.replace(/^@/, '')}-${new Date().toISOString().slice(0, 10)}.zip`,
      );
      const result = await exportForOperator({ database, crypto: c, clock: systemClock }, username, out);
      return {
        ok: true,
        message: `Export of @${result.username} written to ${out} (${result.bytes} bytes).`,
        file: out,
        ...result,
      };
    } finally {
      await database.close();
    }
  },
  'retention run': async (_args, options) => {
    const now = options.now ? new Date(options.now) : new Date();
    if (Number.isNaN(now.getTime()))
      throw new Error('--now takes an ISO 8601 time, e.g. 2026-12-24T00:00:00Z');
    const { database, logger, config } = await boot({ needSecrets: false, logToStderr: true });
    try {
      await database.migrate();
      const removed = await sweepRetention({ database, logger, config, crypto: await crypto() }, now);
      const lines = Object.entries(removed).map(([table, n]) => `  ${table}: ${n}`);
      const message = lines.length
        ? `Removed, as of ${now.toISOString()}:\n${lines.join('\n')}`
        : 'Nothing was due.';
      return { ok: true, message, now: now.toISOString(), removed };
    } finally {
      await database.close();
    }
  },
  'invites mint': async ([count]) => {
    const n = Number(count);
    if (!Number.isInteger(n) || n < 1 || n > 100)
      throw new Error('invites mint takes a number from 1 to 100');
    const { config, database } = await boot({ needSecrets: false, logToStderr: true });
    try {
      await database.migrate();
      const invites = await mintInvites({ database, config, crypto: await crypto(), clock: systemClock }, n);
      const lines = invites.map((i) => `  ${i.code}  ${i.link}  (expires ${i.expiresAt.slice(0, 10)})`);
      return { ok: true, message: `${n} invite(s):\n${lines.join('\n')}`, invites };
    } finally {
      await database.close();
    }
  },
  'db migrate': async () => {
    const { config, database } = await boot({ needSecrets: false, logToStderr: true });
    try {
      await database.migrate();
      return {
        ok: true,
        message: `Migrations applied on ${describeDatabase(config, database)}.`,
        database: database.driver,
      };
    } finally {
      await database.close();
    }
  },
};

async function main() {
  const { values, positionals } = parseArgs({
    args: process.argv.slice(2),
    options: {
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
      now: { type: 'string' },
      out: { type: 'string' },
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
  });
  if (values.json) console.log(JSON.stringify(result));
  else console.log(result.message);
}

main().catch((error) => {
  const message = error instanceof ConfigError || error instanceof Error ? error.message : String(error);
  if (process.argv.includes('--json')) console.log(JSON.stringify({ ok: false, error: message }));
  else console.error(`salon: ${message}`);
  process.exit(1);
});
