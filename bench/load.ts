// The one HTTP client every HTTP row uses, the bare-Hono baseline included, so the ratios compare
// servers and not clients: keep-alive sockets (one per concurrent caller), `concurrency` callers
// each sending its next request as soon as the previous answer is read in full.
import { Agent, request } from 'node:http';

export interface Call {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  /** The port to send it to; lets one storm go to two API instances. */
  port: number;
}

export interface LoadResult {
  count: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
  /** Answers by status code, e.g. { 200: 4990, 409: 10 }. */
  statuses: Record<number, number>;
}

/** Sends `calls` in order with `concurrency` callers; latencies in milliseconds. */
export async function load(calls: Call[], concurrency: number): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = new Array(calls.length);
  const statuses: Record<number, number> = {};
  let next = 0;
  const caller = async () => {
    for (;;) {
      const index = next++;
      const call = calls[index];
      if (!call) return;
      const started = performance.now();
      const status = await send(agent, call);
      latencies[index] = performance.now() - started;
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, calls.length) }, caller));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return {
    count: calls.length,
    seconds,
    perSecond: calls.length / seconds,
    ...percentiles(latencies),
    statuses,
  };
}

/** p50, p99 and the maximum of latencies in milliseconds (nearest rank; 0 when there are none). */
export function percentiles(latencies: number[]): { p50: number; p99: number; max: number } {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { p50: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? 0 };
}

function send(agent: Agent, call: Call) {
  return new Promise<number>((resolve, reject) => {
    const req = request(
      {
        agent,
        host: '127.0.0.1',
        port: call.port,
        method: call.method,
        path: call.path,
        headers: { ...call.headers, ...(call.method === 'POST' ? { 'content-length': '0' } : {}) },
      },
      (res) => {
        res.on('data', () => {});
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}
