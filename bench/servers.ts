// Servers as production runs them: the API through scripts/start.mjs (what `npm start` runs, web
// off), the baseline as its own Node process too, each on a free loopback port.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

export interface Server {
  port: number;
  pid: number;
  stop(): Promise<void>;
}

export async function freePort() {
  return new Promise<number>((resolve, reject) => {
    const probe = createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}

function started(child: ChildProcess, port: number, ready: () => Promise<boolean>): Promise<Server> {
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr = (stderr + String(chunk)).slice(-4000);
  });
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  return new Promise((resolve, reject) => {
    child.once('exit', (code) =>
      reject(new Error(`server exited with ${code} before it was ready\n${stderr}`)),
    );
    const poll = async () => {
      if (child.exitCode !== null) return;
      if (await ready().catch(() => false)) resolve({ port, pid: child.pid ?? 0, stop });
      else setTimeout(poll, 100);
    };
    void poll();
  });
}

/** The API, started as `npm start` starts it, against `databaseUrl`. */
export async function startApi(env: Record<string, string>, nodeArgs: string[] = []): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeArgs, 'scripts/start.mjs'], {
    cwd: root,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', SERVE_WEB: 'false' },
    // The request log goes where a production log would, not into the bench's output.
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return started(child, port, async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200);
}

/** Hono's hello-world on @hono/node-server: the baseline of every HTTP row. */
export async function startHello(): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/hello.ts', String(port)], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return started(child, port, async () => (await fetch(`http://127.0.0.1:${port}/`)).status === 200);
}
