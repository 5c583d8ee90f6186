import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/**
 * The Go listener load generator (bench/media/loadgen, the subscriber half of `lk load-test`):
 * built once with `go build` into the same cache as the pinned livekit-server, named by a hash of
 * its sources so an edit rebuilds it, then driven over stdin (one token per listener).
 */
const SOURCE_DIR = fileURLToPath(new URL('./loadgen', import.meta.url));

/** What the generator prints every second (see the comment at the top of loadgen/main.go). */
export interface LoadgenReport {
  at: number;
  joined: number;
  joining: number;
  failed: number;
  disconnected: number;
  receiving: number;
  complete: number;
  tracks: number;
  packets: number;
  bytes: number;
  gaps: number;
  firstPacketMs: number[];
}

/** The built binary, reused while the Go sources are unchanged. Throws with go's error output. */
export function buildLoadgen(cacheDir: string): string {
  const hash = createHash('sha256');
  for (const file of readdirSync(SOURCE_DIR).sort())
    hash.update(file).update(readFileSync(join(SOURCE_DIR, file)));
  const bin = join(cacheDir, `salon-loadgen-${hash.digest('hex').slice(0, 12)}`);
  if (existsSync(bin)) return bin;
  mkdirSync(cacheDir, { recursive: true });
  // Go is often installed outside PATH (/usr/local/go/bin).
  const path = [process.env.PATH ?? '', '/usr/local/go/bin'].join(':');
  const run = spawnSync('go', ['build', '-o', `${bin}.tmp`, '.'], {
    cwd: SOURCE_DIR,
    encoding: 'utf8',
    env: { ...process.env, PATH: path },
  });
  if (run.error) throw new Error(`cannot run go to build the load generator: ${run.error.message}`);
  if (run.status !== 0) throw new Error(`go build of bench/media/loadgen failed:\n${run.stderr.trim()}`);
  renameSync(`${bin}.tmp`, bin);
  return bin;
}

export interface Loadgen {
  pid: number;
  /** Joins one listener per token (their connections are made `-c` at a time). */
  add(tokens: string[]): void;
  /** The latest report, and every report since `since` (a unix time in ms). */
  latest(): LoadgenReport | undefined;
  since(since: number): LoadgenReport[];
  stop(): Promise<void>;
}

export function startLoadgen(bin: string, options: { url: string; expect: number }): Loadgen {
  const child: ChildProcessWithoutNullStreams = spawn(
    bin,
    ['-url', options.url, '-expect', String(options.expect), '-c', '16'],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  const reports: LoadgenReport[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    try {
      reports.push(JSON.parse(line) as LoadgenReport);
      if (reports.length > 3600) reports.shift();
    } catch {
      // not a report
    }
  });
  createInterface({ input: child.stderr }).on('line', (line) => console.error(`  loadgen: ${line}`));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    pid: child.pid ?? 0,
    add(tokens) {
      child.stdin.write(`${tokens.join('\n')}\n`);
    },
    latest: () => reports.at(-1),
    since: (since) => reports.filter((r) => r.at >= since),
    async stop() {
      if (child.exitCode !== null) return;
      child.stdin.end('stop\n');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export const cacheDirOf = (livekitCacheFile: string) => dirname(livekitCacheFile);
