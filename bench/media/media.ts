import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { dispose } from '@livekit/rtc-node';
import { createDb, fixedClock } from '@salon/db';
import { loadDataMap } from '@salon/policies';
import { createApp } from '../../api/src/app';
import { crypto } from '../../api/src/crypto';
import { loadConfig } from '../../api/src/env';
import { createLiveKit } from '../../api/src/livekit/livekit';
import { startLiveKitServer } from '../../api/src/livekit/local-server';
import { createLogger } from '../../api/src/logger';
import { speechPcm } from '../../api/src/recorder/test-audio';
import { capturingSms, memoryLog, testSecrets } from '../../api/src/testing';
import { memberFactory } from '../../api/src/testing/client';
import { freePort, liveKitBinary } from '../../api/src/testing/real-livekit';
import { AUDIBLE_RMS, eventually, joinRtc } from '../../api/src/testing/rtc-participant';
import { buildLoadgen, type Loadgen, type LoadgenReport, startLoadgen } from './loadgen';
import { listen, speak } from './participants';

/**
 * The media side of a room of 5,000, on the real livekit-server (the pinned v1.13.5 with
 * deploy/livekit.local.yaml, on free loopback ports): `speakers` members brought on stage through
 * Salon's API publish speech (rtc-node), a probe listener who came in through `/join` measures the
 * energy of what it decodes, and the Go load generator adds subscribe-only listeners step by step.
 *
 * CPU is read from /proc: a process's utime + stime over a window's wall time, as a share of the
 * whole machine (all cores), so "80 %" means 80 % of every core here, as in LiveKit's figure.
 */
export interface MediaOptions {
  steps: number[];
  holdSeconds: number;
  windows: number;
  speakers: number;
  log: (line: string) => void;
}

export interface MediaWindow {
  listeners: number;
  /** livekit-server, the load generator, this process (API + speakers + probe): cores used. */
  serverCores: number;
  loadgenCores: number;
  nodeCores: number;
  /**
   * The rest of the machine's busy time, in cores: other people's work, and the kernel's interrupt
   * and packet processing (loopback traffic included), which /proc charges to no process.
   */
  otherCores: number;
  /** The part of it spent on interrupts and softirqs: mostly this benchmark's own UDP packets. */
  interruptCores: number;
  /** livekit-server as a share of the machine. */
  serverShare: number;
  /** The worst second of the window: listeners receiving any audio, and every speaker, / N. */
  receiving: number;
  complete: number;
  /** Sequence numbers skipped / expected, over the window (before retransmissions). */
  gaps: number;
  /**
   * The same for one listener in a second generator process of its own (the witness): when the
   * crowd's generator misses packets and the witness does not, the loss is the generator's.
   */
  witnessGaps: number;
  /** Audio payload per listener, kbit/s. */
  kbps: number;
  /** Probe: median RMS over the speakers, speakers heard, median share of 10 ms frames arrived. */
  probeRms: number;
  probeHeard: number;
  probeFrames: number;
  /** A member arriving now: `/join` → first audible frame (ms), and the generator's connect → first packet p50. */
  joinToAudioMs: number | undefined;
  firstPacketP50Ms: number | undefined;
  /** UDP datagrams dropped at full receive buffers during the window, by process. */
  drops: Record<string, number>;
  loadAverage: number;
}

const CORES = cpus().length;
/** Display names take letters only. */
const NAMES = [
  'host',
  'ana',
  'bruno',
  'chloe',
  'david',
  'emma',
  'felix',
  'gina',
  'hugo',
  'iris',
  'jules',
  'karim',
];
const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

function processSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK; // utime, stime (fields 14, 15)
}

/**
 * UDP datagrams the kernel dropped because a socket's receive buffer was full, per process (the
 * `drops` column of /proc/net/udp{,6}, for the sockets each process holds): says who could not
 * keep up when packets go missing.
 */
function udpDrops(pids: Record<string, number>): Record<string, number> {
  const owner = new Map<string, string>();
  for (const [name, pid] of Object.entries(pids)) {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        const inode = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1];
        if (inode) owner.set(inode, name);
      } catch {
        // closed meanwhile
      }
    }
  }
  const drops: Record<string, number> = Object.fromEntries(Object.keys(pids).map((name) => [name, 0]));
  for (const file of ['/proc/net/udp', '/proc/net/udp6']) {
    for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const columns = line.trim().split(/\s+/);
      const name = owner.get(columns[9] ?? '');
      if (name) drops[name] = (drops[name] ?? 0) + Number(columns[12] ?? 0);
    }
  }
  return drops;
}

/** The whole machine's busy time, and the part of it spent on interrupts (network packets). */
function machineSeconds(): { busy: number; interrupts: number } {
  const [, ...values] = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = values.map(Number);
  return {
    busy: (user + nice + system + irq + softirq + steal) / CLK_TCK,
    interrupts: (irq + softirq) / CLK_TCK,
  };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? 0 : (sorted[Math.floor((sorted.length - 1) / 2)] ?? 0);
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runMediaBench(options: MediaOptions) {
  const { log } = options;
  if (!liveKitBinary) throw new Error('no livekit-server: run `npm run livekit:install` (needs Go)');
  const local = loadConfig({
    ...process.env,
    NODE_ENV: 'development',
    LIVEKIT_URL: '',
    LIVEKIT_LOCAL: 'true',
  }).livekit.local;
  if (!local) throw new Error('unreachable: the local LiveKit configuration is always built');
  const loadgenBin = buildLoadgen(join(local.cacheFile, '..'));
  const secrets = await testSecrets();
  const lk = await startLiveKitServer({
    bin: liveKitBinary.bin,
    port: await freePort(),
    tcpPort: await freePort(),
    udpPort: await freePort('udp'),
    apiKey: secrets.livekitApiKey,
    apiSecret: secrets.livekitApiSecret,
  });
  log(`livekit-server ${liveKitBinary.version} pid ${lk.pid} at ${lk.url}; load generator ${loadgenBin}`);
  log(
    `${CORES} × ${cpus()[0]?.model ?? 'CPU'}; load average ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );

  const leavers: { leave(): Promise<unknown> }[] = [];
  let loadgen: Loadgen | undefined;
  let witness: Loadgen | undefined;
  let dataDir: string | undefined;
  let db: Awaited<ReturnType<typeof createDb>> | undefined;
  const stop = async () => {
    await loadgen?.stop();
    await witness?.stop();
    await Promise.all(leavers.map((c) => c.leave().catch(() => {})));
    await dispose();
    await lk.stop();
    await db?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  };

  try {
    // Salon's API in this process, on PGlite, pointed at that server (no webhook: the generator's
    // listeners did not come through /join, and Salon would rightly disconnect them).
    dataDir = await mkdtemp(join(tmpdir(), 'salon-media-'));
    const opened = await createDb({ dataDir: 'memory://' });
    db = opened;
    await opened.migrate();
    const database = { ...opened, url: undefined, drop: () => opened.close() };
    const config = loadConfig({
      NODE_ENV: 'test',
      DATA_DIR: dataDir,
      TRUST_PROXY: 'true',
      LIVEKIT_URL: lk.url,
    });
    const log2 = memoryLog();
    const logger = createLogger({ level: 'warn', destination: log2.destination });
    const clock = { ...fixedClock(new Date()), now: () => new Date() };
    const sms = capturingSms();
    const livekit = createLiveKit({ config, secrets, logger });
    const deps = {
      database,
      config,
      secrets,
      logger,
      clock,
      sms,
      livekit,
      crypto: await crypto(),
      dataMap: loadDataMap(),
    };
    const t = { ...deps, app: createApp(deps), log: log2, close: () => database.drop() };
    const member = memberFactory(t);

    const host = await member('host');
    const created = await host.post('/v1/rooms', { topic: 'A room of 5,000', mode: 'open' });
    if (created.status !== 201) throw new Error(`create room: ${JSON.stringify(created.body)}`);
    const roomId = created.body.id as string;
    const joinRoom = async (who: typeof host) => {
      const res = await who.post(`/v1/rooms/${roomId}/join`);
      if (res.status !== 200) throw new Error(`/join: ${JSON.stringify(res.body)}`);
      return res.body as { livekitUrl: string; token: string };
    };

    // Speakers: the host, then members who raise a hand, are invited and accept, as in the app.
    // Each publishes espeak-ng speech over a quiet 220 Hz bed (never silent), started at a
    // different point so the voices differ.
    const speech = speechPcm(20);
    const speakerIds: string[] = [];
    for (let i = 0; i < options.speakers; i++) {
      const who =
        i === 0 ? host : await member(NAMES[i % NAMES.length] + 'x'.repeat(Math.floor(i / NAMES.length)));
      const { livekitUrl, token } = await joinRoom(who);
      if (i > 0) {
        for (const [path, by, body] of [
          [`/v1/rooms/${roomId}/hand`, who, undefined],
          [`/v1/rooms/${roomId}/stage/${who.id}`, host, { action: 'invite' }],
          [`/v1/rooms/${roomId}/stage/${who.id}`, who, { action: 'accept' }],
        ] as const) {
          const res = path.endsWith('hand') ? await by.put(path) : await by.post(path, body);
          if (res.status !== 204) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
        }
      }
      // On stage, /join hands out a speaker's token.
      const onStage = i === 0 ? token : (await joinRoom(who)).token;
      const shift = Math.floor((speech.length / options.speakers) * i);
      leavers.push(
        await speak(
          livekitUrl,
          onStage,
          new Int16Array([...speech.subarray(shift), ...speech.subarray(0, shift)]),
        ),
      );
      speakerIds.push(who.id);
    }
    const entry = await joinRoom(await member('probe'));
    const probe = await listen(entry.livekitUrl, entry.token);
    leavers.push(probe);
    const heard = (from: number, to: number) => speakerIds.map((id) => probe.between(id, from, to));
    await eventually(
      'the probe hears every speaker',
      () => heard(Date.now() - 1000, Date.now()).every((h) => h.rms > AUDIBLE_RMS),
      30_000,
    ).catch((error: Error) => {
      const now = heard(Date.now() - 1000, Date.now()).map(
        (h) => `${h.rms.toFixed(0)} (${(h.frames * 100).toFixed(0)}%)`,
      );
      throw new Error(`${error.message}: RMS per speaker ${now.join(', ')}`);
    });
    const arrival = await member('arrival');
    log(`${options.speakers} speakers publishing; the probe hears all of them`);

    /** A member arriving now: /join through the API, connect, first audible frame of any speaker. */
    const joinToAudio = async (): Promise<number | undefined> => {
      const started = Date.now();
      const res = await joinRoom(arrival);
      const client = await joinRtc(res.livekitUrl, res.token);
      const first = () =>
        Math.min(...[...client.received.values()].map((r) => r.firstAudibleAt ?? Number.POSITIVE_INFINITY));
      await eventually('audio reaches the arriving member', () => Number.isFinite(first()), 20_000).catch(
        () => {},
      );
      const at = first();
      await client.leave();
      return Number.isFinite(at) ? at - started : undefined;
    };

    loadgen = startLoadgen(loadgenBin, { url: lk.url, expect: options.speakers });
    witness = startLoadgen(loadgenBin, { url: lk.url, expect: options.speakers });
    witness.add([await livekit.token({ roomId, userId: 'witness', name: 'witness', role: 'listener' })]);
    let minted = 0;
    const windows: MediaWindow[] = [];
    let failing = 0;
    for (const target of options.steps) {
      const tokens: string[] = [];
      for (; minted < target; minted++) {
        const id = `listener-${String(minted).padStart(5, '0')}`;
        tokens.push(await livekit.token({ roomId, userId: id, name: id, role: 'listener' }));
      }
      const stepStart = Date.now();
      loadgen.add(tokens);
      // Everyone connected (or failed), then up to 20 s for their audio to flow, then 3 s to settle.
      const until = async (ms: number, check: (r: LoadgenReport) => boolean) => {
        for (const deadline = Date.now() + ms; Date.now() < deadline; await sleep(500)) {
          const r = loadgen?.latest();
          if (r && check(r)) return;
        }
      };
      await until(60_000 + tokens.length * 100, (r) => r.joined + r.failed >= target);
      await until(20_000, (r) => r.complete >= r.joined);
      await sleep(3000);
      const firstPackets = loadgen.since(stepStart).flatMap((r) => r.firstPacketMs);
      const stepWindows: MediaWindow[] = [];
      for (let w = 0; w < options.windows; w++) {
        const joinToAudioMs = await joinToAudio();
        const pids = { server: lk.pid, loadgen: loadgen.pid, node: process.pid, witness: witness.pid };
        const before = { at: Date.now(), ...machineSeconds(), ...cpuOf(pids) };
        await sleep(options.holdSeconds * 1000);
        const after = { at: Date.now(), ...machineSeconds(), ...cpuOf(pids) };
        const wall = (after.at - before.at) / 1000;
        const reports = loadgen.since(before.at + 1000).filter((r) => r.at <= after.at);
        const joined = Math.max(1, ...reports.map((r) => r.joined));
        const probed = heard(before.at, after.at);
        const window: MediaWindow = {
          listeners: target,
          serverCores: (after.server - before.server) / wall,
          loadgenCores: (after.loadgen - before.loadgen) / wall,
          nodeCores: (after.node - before.node) / wall,
          otherCores:
            (after.busy - before.busy - (after.server - before.server) - (after.loadgen - before.loadgen)) /
              wall -
            (after.node - before.node) / wall,
          interruptCores: (after.interrupts - before.interrupts) / wall,
          serverShare: (after.server - before.server) / wall / CORES,
          receiving: Math.min(...reports.map((r) => r.receiving / target)),
          complete: Math.min(...reports.map((r) => r.complete / target)),
          gaps: gapShare(reports),
          witnessGaps: gapShare(witness.since(before.at + 1000).filter((r) => r.at <= after.at)),
          kbps: (reports.reduce((s, r) => s + r.bytes, 0) * 8) / 1000 / wall / joined,
          probeRms: median(probed.map((h) => h.rms)),
          probeHeard: probed.filter((h) => h.rms > AUDIBLE_RMS).length,
          probeFrames: median(probed.map((h) => h.frames)),
          joinToAudioMs,
          firstPacketP50Ms: firstPackets.length > 0 ? median(firstPackets) : undefined,
          drops: Object.fromEntries(
            Object.entries(after.drops).map(([name, n]) => [name, n - (before.drops[name] ?? 0)]),
          ),
          loadAverage: loadavg()[0] ?? 0,
        };
        probe.forget(after.at - 5000);
        stepWindows.push(window);
        windows.push(window);
        log(describeWindow(window, options.speakers));
      }
      // One failing step may be the machine's noise: stop after two in a row.
      const why = stepWindows.map((w) => failure(w, options.speakers)).find((reason) => reason !== undefined);
      failing = why === undefined ? 0 : failing + 1;
      if (why) log(`N=${target} not carried: ${why}`);
      if (failing >= 2) break;
    }
    return { windows, cores: CORES, speakers: options.speakers };
  } finally {
    await stop();
  }
}

function cpuOf(pids: { server: number; loadgen: number; node: number; witness: number }) {
  return {
    server: processSeconds(pids.server),
    loadgen: processSeconds(pids.loadgen) + processSeconds(pids.witness),
    node: processSeconds(pids.node),
    drops: udpDrops(pids),
  };
}

function gapShare(reports: LoadgenReport[]) {
  const gaps = reports.reduce((s, r) => s + r.gaps, 0);
  return gaps / Math.max(1, reports.reduce((s, r) => s + r.packets, 0) + gaps);
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/**
 * Why a window does not count as carried: the server at 80 % of the machine, a listener missing
 * a speaker for a second, 1 % of packets missing at the listeners, or the probe not hearing someone.
 */
export function failure(w: MediaWindow, speakers: number): string | undefined {
  if (w.serverShare >= 0.8) return `server at ${pct(w.serverShare)} of the machine`;
  if (w.complete < 0.99) return `only ${pct(w.complete)} of listeners received every speaker each second`;
  if (w.gaps >= 0.01) return `${pct(w.gaps)} of packets missing at the listeners`;
  if (w.probeHeard < speakers) return `the probe heard ${w.probeHeard} of ${speakers} speakers`;
  return undefined;
}

export function describeWindow(w: MediaWindow, speakers: number): string {
  return (
    `N=${w.listeners}: server ${w.serverCores.toFixed(2)} cores (${pct(w.serverShare)} of machine), ` +
    `loadgen ${w.loadgenCores.toFixed(2)}, node ${w.nodeCores.toFixed(2)}, rest ${w.otherCores.toFixed(2)} (interrupts ${w.interruptCores.toFixed(2)}); ` +
    `receiving ${pct(w.receiving)}, complete ${pct(w.complete)}, gaps ${pct(w.gaps)} (witness ${pct(w.witnessGaps)}), ${w.kbps.toFixed(0)} kbit/s each; probe ${w.probeHeard}/${speakers} ` +
    `heard, RMS ${w.probeRms.toFixed(0)}, frames ${pct(w.probeFrames)}; /join→audio ${w.joinToAudioMs ?? '—'} ms; ` +
    `UDP drops ${Object.entries(w.drops)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}; ` +
    `listeners' connect → first packet p50 ${w.firstPacketP50Ms ?? '—'} ms; load ${w.loadAverage.toFixed(1)}`
  );
}
