import { systemClock } from '@salon/db';
import { boot } from '../boot';
import { crypto } from '../crypto';
import { ConfigError, loadConfig } from '../env';
import { createLiveKit } from '../livekit/livekit';
import { disposeRtc, rtcConnector } from './rtc';
import { createRecorderWorker } from './worker';

/** Longest a shutdown may take to close every open recording before the process gives up. */
const STOP_TIMEOUT_MS = 20_000;

/**
 * `npm run recorder`: the recording worker. Joins every live room with recording on as a hidden
 * `recorder` participant and writes one encrypted Ogg Opus file per speaker track (see
 * pipeline.ts); runs beside the API on the same PostgreSQL database and DATA_DIR.
 */
async function main() {
  const config = loadConfig();
  if (!config.livekit.url) {
    console.error(
      '\nSalon recorder: recording is unavailable, LIVEKIT_URL is not set (no LiveKit server to join).\n',
    );
    process.exit(1);
  }
  if (!config.databaseUrl) {
    console.error(
      '\nSalon recorder: DATABASE_URL is required. The recorder runs beside the API on the same PostgreSQL\n' +
        'database; the embedded PGlite database belongs to the API process alone.\n',
    );
    process.exit(1);
  }
  const livekitUrl = config.livekit.url;
  const { secrets, logger, database } = await boot({ needSecrets: true });
  if (!secrets) throw new Error('secrets are required to record');
  const deps = {
    database,
    config,
    secrets,
    logger,
    clock: systemClock,
    crypto: await crypto(),
    livekit: createLiveKit({ config, secrets, logger }),
  };
  const worker = createRecorderWorker(deps, rtcConnector(livekitUrl));

  let stopping = false;
  const shutdown = async (signal: string, code: number) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'recorder: stopping, closing every open recording');
    const timeout = setTimeout(() => {
      logger.error('recorder: recordings did not close in time, exiting');
      process.exit(1);
    }, STOP_TIMEOUT_MS);
    try {
      await worker.stop();
      await disposeRtc();
      await database.close();
    } catch (error) {
      logger.error({ err: error }, 'recorder: error while stopping');
      code = 1;
    }
    clearTimeout(timeout);
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown('SIGINT', 0));
  process.on('SIGTERM', () => void shutdown('SIGTERM', 0));
  process.on('unhandledRejection', (error) => {
    logger.error({ err: error }, 'recorder: unhandled rejection');
    void shutdown('unhandledRejection', 1);
  });

  await worker.start();
  logger.info({ livekit: livekitUrl }, 'recorder: watching live rooms');
}

main().catch((error) => {
  if (error instanceof ConfigError || (error instanceof Error && error.name === 'DatabaseInUseError')) {
    console.error(`\nSalon recorder cannot start.\n${error.message}\n`);
  } else {
    console.error(error);
  }
  process.exit(1);
});
