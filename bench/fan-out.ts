// The room stream at scale, over real HTTP: every member of the storm's room (5,000 of them, all
// in it) opens the room's stream on an API instance of its own, as that many browsers would, and
// a few stage changes go out to all of them: first committed in PostgreSQL by the bench (the
// NOTIFY path alone), then made through another API instance (a speaker stepping down, as the
// app does it). Measured: the snapshot a listener gets, how long the streams take to open and how
// much they bring, the API's memory (RSS) before and with them open, hence the bytes each open
// stream costs, and when each stream hears of each change.
import { readFileSync } from 'node:fs';
import { type ClientRequest, request } from 'node:http';
import type postgres from 'postgres';
import { percentiles } from './load';
import type { Row } from './scale';
import type { Server } from './servers';

const OPEN_CONCURRENCY = 100;
const SNAPSHOT_TARGET = 50 * 1024;
const P99_TARGET_MS = 500;
const RSS_TARGET = 300 * 1024 * 1024;
const MB = 1024 * 1024;
/** A message that brings a roster change; the longest is 16 characters, hence a 15-character carry. */
const CHANGE_EVENT = /event: (?:roster|snapshot)\n/g;

/** Resident and peak resident memory of a process, from /proc (Linux); undefined elsewhere. */
function memory(pid: number): { rss: number; peak: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) =>
      Number(status.match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'))?.[1] ?? NaN) * 1024;
    return { rss: kb('VmRSS'), peak: kb('VmHWM') };
  } catch {
    return undefined;
  }
}

interface Stream {
  request: ClientRequest;
  /**
   * `roster` events seen so far (and snapshots: the hub may send a fresh one instead of a diff,
   * which carries the change as well), and the count that means the change being timed has arrived.
   */
  rosters: number;
  awaited: number;
  /** The first message (the snapshot), in bytes. */
  snapshotBytes: number;
  /** The server ended the response; and the end of what it sent, to say why a change never came. */
  ended: boolean;
  last: string;
}

/** Arrival times' p50 and p99, and how the log line shows them with the maximum. */
function quantiles(latencies: number[]) {
  const { p50, p99, max } = percentiles(latencies);
  return { p50, p99, text: `p50 ${p50.toFixed(0)} ms, p99 ${p99.toFixed(0)} ms, max ${max.toFixed(0)} ms` };
}

export async function fanOutBench(options: {
  /** The instance holding the streams. */
  api: Server;
  /** Another instance, through which the timed stage changes are made. */
  changer: Server;
  seeding: postgres.Sql;
  roomId: string;
  /** Each member's session token and id; each opens one stream. */
  members: { token: string; userId: string }[];
  changes: number;
  smoke: boolean;
  log: (line: string) => void;
}): Promise<Row[]> {
  const { api, seeding, roomId, members, log } = options;
  const streams: Stream[] = [];
  let received = 0;
  /** Called on every `roster` event: the round in progress counts its arrivals. */
  let onRoster: (stream: Stream) => void = () => {};

  const open = (token: string) =>
    new Promise<Stream>((resolve, reject) => {
      const req = request({
        host: '127.0.0.1',
        port: api.port,
        path: `/v1/rooms/${roomId}/events`,
        headers: { cookie: `salon_session=${token}`, accept: 'text/event-stream' },
      });
      const stream: Stream = {
        request: req,
        rosters: 0,
        awaited: 0,
        snapshotBytes: 0,
        ended: false,
        last: '',
      };
      let head = '';
      let tail = '';
      req.on('response', (res) => {
        if (res.statusCode !== 200) {
          reject(new Error(`stream answered ${res.statusCode}`));
          res.resume();
          return;
        }
        res.on('data', (chunk: Buffer) => {
          received += chunk.length;
          // ASCII is all that is looked for; latin1 decodes without validating.
          const text = tail + chunk.toString('latin1');
          stream.last = (stream.last + chunk.toString('latin1')).slice(-300);
          if (stream.snapshotBytes === 0) {
            head += chunk.toString('latin1');
            const end = head.indexOf('\n\n');
            if (end >= 0) {
              stream.snapshotBytes = Buffer.byteLength(head.slice(0, end + 2), 'latin1');
              head = '';
              resolve(stream);
            }
          }
          for (const match of text.matchAll(CHANGE_EVENT)) {
            // A marker lying wholly in the carried tail was counted with the previous chunk.
            if (match.index + match[0].length <= tail.length) continue;
            stream.rosters++;
            onRoster(stream);
          }
          tail = text.slice(-15);
        });
        res.on('close', () => {
          stream.ended = true;
        });
        res.on('error', () => {});
      });
      req.on('error', reject);
      req.end();
    });

  const before = memory(api.pid);
  // The first stream loads the room into the instance's hub: that is the room's cost, not a stream's.
  const [first, ...rest] = members;
  if (!first) return [];
  streams.push(await open(first.token));
  // Both memory figures are taken once the process has settled: V8 gives back what it no longer
  // uses some 30 s after a burst of work (here, thousands of requests), not at once.
  const settle = () => new Promise((resolve) => setTimeout(resolve, options.smoke ? 2000 : 45_000));
  await settle();
  const withRoom = memory(api.pid);
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(OPEN_CONCURRENCY, rest.length) }, async () => {
      for (;;) {
        const member = rest[next++];
        if (!member) return;
        streams.push(await open(member.token));
      }
    }),
  );
  const openSeconds = (performance.now() - started) / 1000;
  const openedBytes = received;
  await settle();
  const withStreams = memory(api.pid);

  /** Times one change, from `commit` being called to its arrival on every open stream. */
  const timeChange = async (label: string, commit: () => Promise<void>) => {
    for (const stream of streams) stream.awaited = stream.rosters + 1;
    const latencies: number[] = [];
    let pending = streams.length;
    let t0 = 0;
    const done = new Promise<void>((resolve) => {
      onRoster = (stream) => {
        if (stream.rosters !== stream.awaited) return;
        latencies.push(performance.now() - t0);
        if (--pending === 0) resolve();
      };
    });
    t0 = performance.now();
    const committed = commit();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), 15_000);
    });
    const outcome = await Promise.race([done, timeout]);
    clearTimeout(timer);
    await committed;
    if (outcome === 'timeout') {
      const missing = streams.filter((stream) => stream.rosters < stream.awaited);
      throw new Error(
        `${label}: ${pending} of ${streams.length} streams heard nothing in 15 s ` +
          `(${missing.filter((stream) => stream.ended).length} of them ended by the server); ` +
          `the last bytes of one: ${JSON.stringify(missing[0]?.last)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    return latencies;
  };

  // Stage changes committed in PostgreSQL: a listener goes on stage, in one transaction that
  // wakes the room's streams as the API's own stage changes do, timed from the commit.
  const committedLatencies: number[] = [];
  const onStage = members.slice(-options.changes);
  for (const [round, member] of onStage.entries()) {
    committedLatencies.push(
      ...(await timeChange(`committed change ${round}`, async () => {
        await seeding`
          with changed as (
            update room_participants set role = 'speaker', stage_since = now()
            where room_id = ${roomId} and user_id = ${member.userId} and present and role = 'listener'
            returning room_id),
          event as (
            insert into room_events (room_id, at, type, subject_id, data)
            select room_id, now(), 'stage.joined', ${member.userId}, '{}'::jsonb from changed returning room_id)
          select pg_notify('room_changes', ${JSON.stringify({ roomId })}) from event`;
      })),
    );
  }
  // The same people step down through the API of another instance, as a speaker's tap does:
  // timed from the request to that instance until every stream on this one has heard of it.
  const throughLatencies: number[] = [];
  for (const [round, member] of onStage.entries()) {
    throughLatencies.push(
      ...(await timeChange(`change through another instance ${round}`, async () => {
        const origin = `http://localhost:${options.changer.port}`;
        const res = await fetch(
          `http://127.0.0.1:${options.changer.port}/v1/rooms/${roomId}/stage/${member.userId}`,
          {
            method: 'POST',
            headers: { cookie: `salon_session=${member.token}`, origin, 'content-type': 'application/json' },
            body: JSON.stringify({ action: 'audience' }),
          },
        );
        if (res.status !== 204) throw new Error(`stepping down answered ${res.status}: ${await res.text()}`);
      })),
    );
  }
  onRoster = () => {};
  const after = memory(api.pid);
  for (const stream of streams) stream.request.destroy();

  const n = streams.length;
  const committed = quantiles(committedLatencies);
  const through = quantiles(throughLatencies);
  const snapshot = streams[n - 1]?.snapshotBytes ?? 0;
  const perStream =
    withRoom && withStreams ? (withStreams.rss - withRoom.rss) / Math.max(1, n - 1) : undefined;
  const peak = after?.peak;
  const size = n.toLocaleString('en-US');
  const mb = (bytes: number | undefined) => (bytes === undefined ? '—' : `${Math.round(bytes / MB)} MB`);
  log(
    `room stream over HTTP: ${size} streams opened in ${openSeconds.toFixed(1)} s (c=${OPEN_CONCURRENCY}), ` +
      `${(openedBytes / MB).toFixed(1)} MB received, snapshot ${snapshot} bytes; API RSS ${mb(before?.rss)} ` +
      `before, ${mb(withRoom?.rss)} with the room loaded, ${mb(withStreams?.rss)} with the streams open ` +
      `(${perStream === undefined ? '—' : `${(perStream / 1024).toFixed(1)} KB`} per stream), peak ${mb(peak)}; ` +
      `${options.changes} stage changes committed in PostgreSQL: ${committed.text}; ` +
      `${options.changes} made through another API instance: ${through.text}`,
  );
  const before1 = (text: string) => (options.smoke ? '—' : text);
  return [
    {
      name: `room stream: snapshot of a room of ${size} (listener, over HTTP)`,
      figure: `${(snapshot / 1024).toFixed(1)} KB`,
      baseline: before1('1.27 MB (before)'),
      ratio: before1(`${((snapshot / 1.27e6) * 100).toFixed(1)}%`),
      target: '≤ 50 KB',
      met: snapshot <= SNAPSHOT_TARGET,
    },
    {
      name: `room stream: opening ${size} streams, c=${OPEN_CONCURRENCY}`,
      figure: `${openSeconds.toFixed(1)} s, ${(openedBytes / MB).toFixed(0)} MB sent`,
      baseline: before1('358 s, 6.1 GB (before)'),
      ratio: before1(`${((openSeconds / 358) * 100).toFixed(1)}%`),
      target: '—',
      met: null,
    },
    {
      name: `room stream: one stage change committed in PostgreSQL → ${size} open streams, p50 / p99`,
      figure: `${committed.p50.toFixed(0)} ms / ${committed.p99.toFixed(0)} ms`,
      baseline: before1('800 ms / 990 ms (before)'),
      ratio: before1(`${(committed.p99 / 990).toFixed(2)}×`),
      target: `p99 < ${P99_TARGET_MS} ms`,
      met: committed.p99 < P99_TARGET_MS,
    },
    {
      name: `room stream: one stage change made through API instance A → ${size} streams on instance B, p50 / p99`,
      figure: `${through.p50.toFixed(0)} ms / ${through.p99.toFixed(0)} ms`,
      baseline: `${committed.p50.toFixed(0)} ms / ${committed.p99.toFixed(0)} ms (committed in PostgreSQL, above)`,
      ratio: `${(through.p99 / Math.max(1, committed.p99)).toFixed(2)}×`,
      target: `p99 < ${P99_TARGET_MS} ms`,
      met: through.p99 < P99_TARGET_MS,
    },
    {
      name: `room stream: API RSS with ${size} streams open (peak)`,
      figure: `${mb(withStreams?.rss)} (peak ${mb(peak)})`,
      baseline: before1('775 MB (peak 1,152 MB) (before)'),
      ratio: before1(withStreams ? `${((withStreams.rss / (775 * MB)) * 100).toFixed(0)}%` : '—'),
      target: '< 300 MB',
      met: withStreams === undefined ? null : withStreams.rss < RSS_TARGET,
    },
    {
      name: 'room stream: memory per open stream (RSS growth / streams)',
      figure: perStream === undefined ? '—' : `${(perStream / 1024).toFixed(1)} KB`,
      baseline: '—',
      ratio: '—',
      target: '—',
      met: null,
    },
  ];
}
