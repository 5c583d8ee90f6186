import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { getRequestListener } from '@hono/node-server';
import { adjustableClock, systemClock } from '@salon/db';
import { loadDataMap } from '@salon/policies';
import { createApp } from './app';
import { boot, describeDatabase } from './boot';
import { crypto } from './crypto';
import { ConfigError, recordPublicUrl } from './env';
import { createHttpServer } from './http/node-server';
import { createJobs } from './jobs';
import { createLiveKit } from './livekit/livekit';
import { startLocalAudio } from './livekit/local-audio';
import { FIRST_MEMBER_INVITE_HOURS, firstMemberInvite } from './modules/invites/invites.service';
import { createSmsProvider } from './modules/phone/sms';

type NodeHandler = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

/** Requests the API answers; everything else goes to the web app, so both share one origin. */
const API_PATH = /^\/(v1(\/|$|\?)|healthz(\?|$))/;

async function main() {
  const booted = await boot({ needSecrets: true });
  const { secrets, logger, database } = booted;
  if (!secrets) throw new Error('secrets are required to serve');
  await database.migrate();
  logger.info({ database: database.driver }, 'migrations applied');
  // Development without LIVEKIT_URL: the pinned LiveKit server on loopback, so rooms have sound.
  const audio = await startLocalAudio(booted.config, secrets, logger);
  const config = audio.config;

  // A development server's time can be moved forward (POST /v1/dev/clock): the browser tests
  // need not wait out a cool-down. Production runs on the system's clock, untouched.
  const devClock = config.env === 'production' ? undefined : adjustableClock();
  const clock = devClock ?? systemClock;
  const deps = {
    database,
    config,
    secrets,
    logger,
    clock,
    ...(devClock ? { devClock } : {}),
    crypto: await crypto(),
    sms: createSmsProvider(config, secrets, () => clock.now()),
    livekit: createLiveKit({ config, secrets, logger }),
    dataMap: loadDataMap(),
  };
  // The admin CLI makes its links with the URL this server serves (see loadConfig). A note only:
  // a DATA_DIR the server cannot write to must not stop it.
  try {
    recordPublicUrl(config);
  } catch (error) {
    logger.warn({ err: error }, 'could not note the public URL for the admin CLI');
  }
  // A Salon nobody has joined yet: the banner gives the link of its first member, its admin.
  const firstMember = await firstMemberInvite(deps);
  const app = createApp(deps);
  const api = getRequestListener(app.fetch);
  const web = config.serveWeb
    ? await loadWeb(
        config.webBuildDir,
        `http://127.0.0.1:${config.port}`,
        config.publicUrl.origin,
        config.livekit.url,
      )
    : undefined;

  const server = createHttpServer((req, res) => {
    if (!web || API_PATH.test(req.url ?? '/')) return api(req, res);
    web(req, res, () => api(req, res));
  });
  const jobs = config.runJobs ? createJobs(deps) : undefined;
  await jobs?.start();
  await audio.startRecorder(deps);

  server.listen(config.port, config.host, () => {
    logger.info(
      { port: config.port, host: config.host, web: Boolean(web), jobs: Boolean(jobs) },
      'listening',
    );
    console.log(
      `\n  Salon is running at ${config.publicUrl.origin}  (${describeDatabase(config, database)})` +
        `\n  ${audio.summary}\n` +
        (firstMember
          ? `\n  Nobody has joined yet. The first member, who becomes the administrator, joins with this link` +
            `\n  (single use, valid ${FIRST_MEMBER_INVITE_HOURS} hours; each start renews it until someone joins):` +
            `\n\n    ${firstMember.link}\n`
          : ''),
    );
  });

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down');
    server.closeIdleConnections();
    await new Promise((resolve) => server.close(resolve));
    await jobs?.stop();
    await audio.stop();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

/**
 * The SvelteKit (adapter-node) build. It reaches the API back through API_ORIGIN for SSR fetches,
 * and needs ORIGIN to know the public origin (its CSRF check on form posts compares against it).
 */
async function loadWeb(
  buildDir: string,
  apiOrigin: string,
  publicOrigin: string,
  livekitUrl: string | undefined,
): Promise<NodeHandler> {
  const handlerFile = join(buildDir, 'handler.js');
  if (!existsSync(handlerFile)) {
    throw new ConfigError([
      `SERVE_WEB is on but ${handlerFile} is missing: run \`npm run build\` (npm start does it).`,
    ]);
  }
  process.env.API_ORIGIN ??= apiOrigin;
  process.env.ORIGIN ??= publicOrigin;
  // The pages' connect-src names the LiveKit URL (the local server's when the API started one).
  if (livekitUrl) process.env.LIVEKIT_URL = livekitUrl;
  const module = (await import(pathToFileURL(handlerFile).href)) as { handler: NodeHandler };
  return module.handler;
}

main().catch((error) => {
  if (error instanceof ConfigError || (error instanceof Error && error.name === 'DatabaseInUseError')) {
    console.error(`\nSalon cannot start.\n${error.message}\n`);
  } else {
    console.error(error);
  }
  process.exit(1);
});
