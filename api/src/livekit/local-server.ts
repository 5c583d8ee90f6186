import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { LIVEKIT_SERVER_VERSION } from '../env';

/**
 * The pinned livekit-server (built from the Go module proxy) run as a child process on loopback:
 * by `npm start` and `npm run dev` when no LIVEKIT_URL is set, and by the real-audio tests. Its
 * configuration is deploy/livekit.local.yaml with the ports and the webhook URL filled in.
 */
export const LOCAL_CONFIG_FILE = fileURLToPath(
  new URL('../../../deploy/livekit.local.yaml', import.meta.url),
);
const MODULE = 'github.com/livekit/livekit-server/cmd/server';
const START_TIMEOUT_MS = 20_000;

export interface LocalLiveKitServer {
  /** What clients connect to (ws://127.0.0.1:port). */
  url: string;
  /** What the API's RoomServiceClient calls (http://127.0.0.1:port). */
  apiUrl: string;
  pid: number;
  /** Resolves when the process has exited (for any reason). */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

export interface LocalLiveKitOptions {
  bin: string;
  /** Signalling port; ICE/TCP and UDP media default to the next two. */
  port: number;
  tcpPort?: number;
  udpPort?: number;
  apiKey: string;
  apiSecret: string;
  /** Where LiveKit posts room and participant events (the app's /v1/livekit/webhook). */
  webhookUrl?: string | undefined;
  /** Seconds before LiveKit closes a room everyone left (config file default otherwise). */
  departureTimeout?: number;
  /** Each output line of the server (it logs JSON); kept short in errors otherwise. */
  onOutput?: (line: string) => void;
  /** Another configuration than deploy/livekit.local.yaml (tests of the deployment file). */
  configBody?: string;
  /** Further command-line flags. */
  args?: string[];
  /** The address advertised to clients, when the configuration does not set it. */
  nodeIp?: string;
}

/** The first candidate that is an executable livekit-server, with the version it reports. */
export function findLiveKitServer(candidates: string[]): { bin: string; version: string } | null {
  for (const bin of candidates) {
    try {
      accessSync(bin, constants.X_OK);
    } catch {
      continue;
    }
    const run = spawnSync(bin, ['--version'], { encoding: 'utf8', timeout: 10_000 });
    const version = /livekit-server version (\S+)/.exec(run.stdout)?.[1];
    if (run.status === 0 && version) return { bin, version };
  }
  return null;
}

export function pinnedVersion(found: { version: string }): boolean {
  return found.version === LIVEKIT_SERVER_VERSION;
}

/**
 * Builds the pinned server with `go install` into a temporary GOBIN and moves it to `cacheFile`.
 * Returns go's own error output when it fails (no Go, the module proxy refused a module…).
 */
export function installLiveKitServer(cacheFile: string): { ok: true } | { ok: false; error: string } {
  const gobin = mkdtempSync(join(tmpdir(), 'salon-livekit-'));
  try {
    const run = spawnSync('go', ['install', `${MODULE}@v${LIVEKIT_SERVER_VERSION}`], {
      encoding: 'utf8',
      env: { ...process.env, GOBIN: gobin },
      stdio: ['ignore', 'inherit', 'pipe'],
    });
    if (run.error) return { ok: false, error: `cannot run go: ${run.error.message}` };
    if (run.status !== 0) return { ok: false, error: run.stderr.trim() || `go install exited ${run.status}` };
    mkdirSync(dirname(cacheFile), { recursive: true });
    copyFileSync(join(gobin, 'server'), cacheFile);
    return { ok: true };
  } finally {
    rmSync(gobin, { recursive: true, force: true });
  }
}

/** The loopback configuration with this instance's ports and webhook. */
export function localConfig(options: LocalLiveKitOptions): string {
  const config = parse(readFileSync(LOCAL_CONFIG_FILE, 'utf8'));
  const udpPort = options.udpPort ?? options.port + 2;
  config.port = options.port;
  config.rtc.tcp_port = options.tcpPort ?? options.port + 1;
  config.rtc.udp_port = udpPort;
  config.rtc.stun_servers = [`127.0.0.1:${udpPort}`];
  if (options.departureTimeout !== undefined) config.room.departure_timeout = options.departureTimeout;
  if (options.webhookUrl) config.webhook = { api_key: options.apiKey, urls: [options.webhookUrl] };
  else delete config.webhook;
  return stringify(config);
}

/**
 * Starts the server and resolves once `GET /` answers `OK`. livekit-server prints start-up errors
 * and may exit 0, so the exit code proves nothing: readiness is the HTTP answer of a live process.
 */
export async function startLiveKitServer(options: LocalLiveKitOptions): Promise<LocalLiveKitServer> {
  const apiUrl = `http://127.0.0.1:${options.port}`;
  if (await answersOk(apiUrl)) {
    throw new Error(`port ${options.port} is already taken by another LiveKit server`);
  }
  const config = options.configBody ?? localConfig(options);
  const child = spawn(options.bin, ['--config-body', config, ...(options.args ?? [])], {
    // The key pair goes through the environment, never the command line (visible to every user).
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      LIVEKIT_KEYS: `${options.apiKey}: ${options.apiSecret}`,
      ...(options.nodeIp ? { NODE_IP: options.nodeIp } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tail: string[] = [];
  const onLine = (line: string) => {
    tail.push(line);
    if (tail.length > 20) tail.shift();
    options.onOutput?.(line);
  };
  for (const stream of [child.stdout, child.stderr]) {
    let rest = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) onLine(line);
    });
  }
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', () => resolve(null));
  });
  let gone = false;
  void exited.then(() => {
    gone = true;
  });

  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!(await answersOk(apiUrl))) {
    if (gone || Date.now() > deadline) {
      await stopChild(child, exited);
      const why = gone ? 'exited during start-up' : `did not answer within ${START_TIMEOUT_MS / 1000} s`;
      throw new Error(`livekit-server ${why}:\n${tail.join('\n')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url: `ws://127.0.0.1:${options.port}`,
    apiUrl,
    pid: child.pid ?? 0,
    exited,
    stop: () => stopChild(child, exited),
  };
}

async function answersOk(apiUrl: string): Promise<boolean> {
  try {
    const response = await fetch(`${apiUrl}/`, { signal: AbortSignal.timeout(1000) });
    return response.ok && (await response.text()).trim() === 'OK';
  } catch {
    return false;
  }
}

async function stopChild(child: ChildProcess, exited: Promise<unknown>) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}
