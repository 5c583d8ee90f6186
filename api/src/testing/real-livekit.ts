import { createSocket } from 'node:dgram';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { describe } from 'vitest';
import { loadConfig, type Secrets } from '../env';
import { findLiveKitServer, type LocalLiveKitServer, startLiveKitServer } from '../livekit/local-server';

/**
 * The real livekit-server for tests: the pinned binary (`npm run livekit:install`, or
 * LIVEKIT_SERVER_BIN) started on free loopback ports with deploy/livekit.local.yaml. Without it
 * the real-audio tests are skipped locally with one line saying how to enable them, and fail
 * loudly in CI, where .ci/run builds it.
 */
const local = loadConfig({ ...process.env, NODE_ENV: 'development', LIVEKIT_URL: '', LIVEKIT_LOCAL: 'true' })
  .livekit.local;
export const liveKitBinary = local ? findLiveKitServer(local.candidates) : null;
const inCi = process.env.CI === 'true';

let told = false;
/** Real connections take seconds: each test in these suites may take this long. */
const TEST_TIMEOUT_MS = 60_000;

/** `describe` when the server is available; otherwise skipped (locally) or failing (CI). */
export function describeWithLiveKit(name: string, body: () => void) {
  if (liveKitBinary) return describe(name, { timeout: TEST_TIMEOUT_MS }, body);
  if (inCi) {
    return describe(name, () => {
      throw new Error(
        'CI=true but no livekit-server was found: .ci/run must build it (npm run livekit:install).',
      );
    });
  }
  if (!told) {
    told = true;
    console.warn(
      'Real-audio tests skipped: no livekit-server v1.13.5 found. Run `npm run livekit:install` (needs Go) ' +
        'or set LIVEKIT_SERVER_BIN to enable them.',
    );
  }
  return describe.skip(name, body);
}

/** A free TCP or UDP port on 127.0.0.1 (the OS picks one, we release it at once). */
export async function freePort(kind: 'tcp' | 'udp' = 'tcp'): Promise<number> {
  if (kind === 'udp') {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    const { port } = socket.address();
    await new Promise<void>((resolve) => socket.close(() => resolve()));
    return port;
  }
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** The real server on free ports, signing webhooks for `webhookUrl` with the test's key pair. */
export async function startRealLiveKit(
  secrets: Pick<Secrets, 'livekitApiKey' | 'livekitApiSecret'>,
  options: { webhookUrl?: string; departureTimeout?: number } = {},
): Promise<LocalLiveKitServer> {
  if (!liveKitBinary) throw new Error('no livekit-server binary');
  const [port, tcpPort, udpPort] = [await freePort(), await freePort(), await freePort('udp')];
  return startLiveKitServer({
    bin: liveKitBinary.bin,
    port,
    tcpPort,
    udpPort,
    apiKey: secrets.livekitApiKey,
    apiSecret: secrets.livekitApiSecret,
    webhookUrl: options.webhookUrl,
    departureTimeout: options.departureTimeout ?? 1,
  });
}

/**
 * An HTTP server on a free port whose app is given later: LiveKit needs the webhook URL when it
 * starts, and the app needs LiveKit's URL when it is built.
 */
export async function lateBoundServer() {
  let handler: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  const server = createServer((req, res) => {
    if (handler) return handler(req, res);
    res.writeHead(503).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    serve(app: { fetch: (request: Request) => Response | Promise<Response> }) {
      handler = getRequestListener(app.fetch);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
