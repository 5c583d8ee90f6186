import { existsSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config, Secrets } from '../env';
import type { Logger } from '../logger';
import type { WorkerDeps } from '../recorder/worker';
import {
  findLiveKitServer,
  type LocalLiveKitServer,
  pinnedVersion,
  startLiveKitServer,
} from './local-server';

export interface LocalAudio {
  /** The configuration to serve with: LIVEKIT_URL set to the local server when one started. */
  config: Config;
  /** One line for the start-up banner saying whether rooms have sound, and why not. */
  summary: string;
  /** Runs the recorder in this process beside the local server (development only). */
  startRecorder(deps: WorkerDeps): Promise<void>;
  stop(): Promise<void>;
}

const INSTALL_HINT =
  'build the pinned server with `npm run livekit:install` (needs Go), or set LIVEKIT_SERVER_BIN or LIVEKIT_URL';

/**
 * Sound by default in development: when no LIVEKIT_URL is set and the pinned livekit-server is
 * available, the app runs it as a child process on loopback with the development keys and points
 * both the API and the pages at it, and runs the recorder in-process (so rooms are recorded, and
 * say so, exactly as in production). Production never gets here: it sets LIVEKIT_URL.
 */
export async function startLocalAudio(config: Config, secrets: Secrets, logger: Logger): Promise<LocalAudio> {
  const off = (summary: string): LocalAudio => ({
    config,
    summary,
    startRecorder: async () => {},
    stop: async () => {},
  });
  if (config.livekit.url) return off(`Sound: LiveKit at ${config.livekit.url}`);
  const local = config.livekit.local;
  if (!local) return off('Sound is off: LIVEKIT_URL is not set (rooms work without audio).');
  const found = findLiveKitServer(local.candidates);
  if (!found) return off(`Sound is off: no LiveKit server found; ${INSTALL_HINT}.`);
  if (!pinnedVersion(found))
    logger.warn({ version: found.version }, 'livekit: not the pinned server version, trying it anyway');

  const pidFile = join(config.dataDir, 'livekit-server.pid');
  await stopStale(pidFile);
  let server: LocalLiveKitServer;
  try {
    server = await startLiveKitServer({
      bin: found.bin,
      port: local.port,
      apiKey: secrets.livekitApiKey,
      apiSecret: secrets.livekitApiSecret,
      webhookUrl: `http://127.0.0.1:${config.port}/v1/livekit/webhook`,
      onOutput: (line) => logger.debug({ livekitServer: line }, 'livekit-server'),
    });
  } catch (error) {
    logger.error({ err: error }, 'livekit: the local server did not start');
    return off(
      `Sound is off: the local LiveKit server did not start (${(error as Error).message.split('\n')[0]}).`,
    );
  }
  writeFileSync(pidFile, String(server.pid));
  let stopping = false;
  void server.exited.then((code) => {
    if (!stopping)
      logger.error({ code }, 'livekit: the local server stopped; rooms have no sound until restart');
  });

  let stopRecorder = async () => {};
  return {
    config: { ...config, livekit: { ...config.livekit, url: server.url, apiUrl: server.apiUrl } },
    summary: `Sound: local LiveKit ${found.version} at ${server.url} (${found.bin}), recorder in this process`,
    async startRecorder(deps) {
      // Loaded only here: the native WebRTC SDK is not needed by a server without local audio.
      const [{ createRecorderWorker }, { disposeRtc, rtcConnector }] = await Promise.all([
        import('../recorder/worker'),
        import('../recorder/rtc'),
      ]);
      const worker = createRecorderWorker(deps, rtcConnector(server.url));
      await worker.start();
      stopRecorder = async () => {
        await worker.stop();
        await disposeRtc();
      };
    },
    async stop() {
      stopping = true;
      await stopRecorder();
      await server.stop();
      if (existsSync(pidFile)) unlinkSync(pidFile);
    },
  };
}

/** A server left behind by a run that was killed outright would hold the ports: end it. */
async function stopStale(pidFile: string) {
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8'));
  unlinkSync(pidFile);
  const isLiveKit = () => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('livekit');
    } catch {
      return false; // gone already, or not Linux
    }
  };
  if (!isLiveKit()) return;
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 50 && isLiveKit(); i++) await new Promise((resolve) => setTimeout(resolve, 100));
}
