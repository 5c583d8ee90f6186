// Evidence for the bottleneck of a row: where the CPU went per request (API processes, the
// database's server processes, this client) and what PostgreSQL's busy backends were waiting on.
// CPU comes from /proc (Linux); elsewhere only the waits are reported.
import { readFileSync } from 'node:fs';
import type postgres from 'postgres';

const TICK_MS = 10; // USER_HZ is 100 on Linux

function cpuMs(pid: number) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return undefined;
  }
}

export interface Observation {
  /** CPU per request in ms, or undefined where /proc is not available. */
  cpu: { api?: number; database?: number; client: number };
  /** Share of samples per wait of PostgreSQL's active backends ("CPU" when not waiting). */
  waits: [string, number][];
}

/** Runs `work` (which sends `count` requests) and observes it. */
export async function observe<T>(
  admin: postgres.Sql,
  database: string,
  apiPids: number[],
  count: number,
  work: () => Promise<T>,
): Promise<{ result: T; observation: Observation }> {
  const backends = (
    await admin<{ pid: number }[]>`
    select pid from pg_stat_activity where datname = ${database}`
  ).map((r) => r.pid);
  const sum = (pids: number[]) => {
    const values = pids.map(cpuMs);
    return values.some((v) => v === undefined) ? undefined : values.reduce<number>((a, v) => a + (v ?? 0), 0);
  };
  const api0 = sum(apiPids);
  const db0 = sum(backends);
  const client0 = process.cpuUsage();
  const waits = new Map<string, number>();
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const rows = await admin<{ wait: string }[]>`
        select coalesce(wait_event_type || ':' || wait_event, 'CPU') as wait from pg_stat_activity
        where datname = ${database} and state = 'active' and pid <> pg_backend_pid()`;
      for (const { wait } of rows) waits.set(wait, (waits.get(wait) ?? 0) + 1);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  const result = await work();
  sampling = false;
  await sampler;
  const client = process.cpuUsage(client0);
  const api1 = sum(apiPids);
  const db1 = sum(backends);
  const total = [...waits.values()].reduce((a, v) => a + v, 0) || 1;
  return {
    result,
    observation: {
      cpu: {
        ...(api0 !== undefined && api1 !== undefined ? { api: (api1 - api0) / count } : {}),
        ...(db0 !== undefined && db1 !== undefined ? { database: (db1 - db0) / count } : {}),
        client: (client.user + client.system) / 1000 / count,
      },
      waits: [...waits.entries()].sort((a, b) => b[1] - a[1]).map(([w, n]) => [w, n / total]),
    },
  };
}

export function describe(observation: Observation) {
  const { api, database, client } = observation.cpu;
  const cpu = [
    api === undefined ? undefined : `API ${api.toFixed(2)} ms`,
    database === undefined ? undefined : `PostgreSQL ${database.toFixed(2)} ms`,
    `client ${client.toFixed(2)} ms`,
  ].filter(Boolean);
  const waits = observation.waits
    .slice(0, 5)
    .map(([w, share]) => `${w} ${(share * 100).toFixed(0)}%`)
    .join(', ');
  return `CPU per request: ${cpu.join(', ')}; PostgreSQL's busy backends: ${waits || 'none sampled'}`;
}
