// The media side of a room of 5,000 (README "Media: listeners per LiveKit node"): the pinned
// livekit-server, 10 speakers brought on stage through Salon's API publishing speech (rtc-node), a
// probe listener measuring what it hears, and N subscribe-only listeners from the Go load
// generator (bench/media/loadgen), stepped up until the server passes 80 % of the machine's CPU or
// audio stops reaching everyone. Heavy: not part of `npm test`.
//   npx tsx bench/media/run.ts                          (also: npm run bench -- --media)
//   --steps=50,100,200   --hold=20 (s per window)   --windows=2 (per step)   --speakers=10
//   --json=FILE          also writes every window's figures there
//   --smoke              2 speakers, 5 listeners, one 3 s window: checks the harness end to end
import { writeFileSync } from 'node:fs';
import { failure, type MediaWindow, runMediaBench } from './media';

const flags = new Map(
  process.argv.slice(2).map((arg) => {
    const [name = '', value = 'true'] = arg.replace(/^--/, '').split('=');
    return [name, value] as const;
  }),
);
const smoke = flags.has('smoke');
const numbers = (value: string | undefined, fallback: number[]) =>
  value ? value.split(',').map(Number) : fallback;

const options = {
  steps: numbers(
    flags.get('steps'),
    smoke ? [5] : [25, 50, 75, 100, 125, 150, 200, 250, 300, 400, 500, 600, 800, 1000, 1500, 2000],
  ),
  holdSeconds: Number(flags.get('hold') ?? (smoke ? 3 : 20)),
  windows: Number(flags.get('windows') ?? (smoke ? 1 : 2)),
  speakers: Number(flags.get('speakers') ?? (smoke ? 2 : 10)),
  log: (line: string) => console.log(line),
};
const result = await runMediaBench(options);
const json = flags.get('json');
if (json) writeFileSync(json, JSON.stringify(result, null, 2));
console.log(`\n${table(result.windows, result.speakers)}\n`);
console.log(summary(result.windows, result.cores, result.speakers));
if (result.windows.length === 0) process.exitCode = 1;

function table(windows: MediaWindow[], speakers: number): string {
  const rows = [
    [
      'listeners',
      'server CPU (cores, % of machine)',
      'receiving: any, all speakers',
      'packets missing (witness)',
      'probe: heard, RMS, frames',
      'generator CPU',
      'API+speakers+probe CPU',
      'rest of machine (interrupts)',
      '/join → audio',
    ],
    ...windows.map((w) => [
      w.listeners.toLocaleString('en'),
      `${w.serverCores.toFixed(2)} (${pct(w.serverShare)})`,
      `${pct(w.receiving)}, ${pct(w.complete)}`,
      `${pct(w.gaps, 2)} (${pct(w.witnessGaps, 2)})`,
      `${w.probeHeard}/${speakers}, ${w.probeRms.toFixed(0)}, ${pct(w.probeFrames)}`,
      w.loadgenCores.toFixed(2),
      w.nodeCores.toFixed(2),
      `${w.otherCores.toFixed(2)} (${w.interruptCores.toFixed(2)})`,
      w.joinToAudioMs === undefined ? '—' : `${w.joinToAudioMs} ms`,
    ]),
  ];
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(rows[0] ?? []), line(widths.map((w) => '-'.repeat(w))), ...rows.slice(1).map(line)].join('\n');
}

/**
 * Server cores as a straight line in N (least squares over the carried windows: past them the
 * server's CPU stops tracking N): the slope is what one listener costs, the intercept what the
 * speakers and the probe cost. Listeners per core at 80 % is 0.8 / slope, the figure to set beside
 * LiveKit's 3,000 / 16 cores.
 */
function summary(windows: MediaWindow[], cores: number, speakers: number): string {
  const ok = windows.filter((w) => failure(w, speakers) === undefined);
  const carried = Math.max(
    0,
    ...windows
      .map((w) => w.listeners)
      .filter((n) => windows.filter((w) => w.listeners === n).every((w) => ok.includes(w))),
  );
  const n = ok.length;
  const mx = ok.reduce((s, w) => s + w.listeners, 0) / n;
  const my = ok.reduce((s, w) => s + w.serverCores, 0) / n;
  const slope =
    ok.reduce((s, w) => s + (w.listeners - mx) * (w.serverCores - my), 0) /
    ok.reduce((s, w) => s + (w.listeners - mx) ** 2, 0);
  const intercept = my - slope * mx;
  const perCore = 0.8 / slope;
  const atCarried = windows.filter((w) => w.listeners === carried);
  const joins = atCarried.map((w) => w.joinToAudioMs).filter((x): x is number => x !== undefined);
  const fitted = new Set(ok.map((w) => w.listeners)).size >= 2;
  return [
    `Largest N carried (every window: server < 80 % of ${cores} cores, ≥ 99 % of listeners receiving all ${speakers} speakers every second, < 1 % of packets missing, probe hears all): ${carried}`,
    fitted
      ? `Server CPU ≈ ${intercept.toFixed(3)} + ${(slope * 1000).toFixed(3)} ms/s per listener (cores): ${perCore.toFixed(0)} listeners per core at 80 % (LiveKit: 3,000 / 16 cores at 80 % ≈ 187)`
      : 'Server CPU per listener: needs two carried steps',
    `At N=${carried}: ${atCarried.map((w) => `${(w.listeners / w.serverCores).toFixed(0)}`).join(', ')} listeners per busy server core; /join → first audio ${joins.join(', ')} ms`,
    fitted
      ? `5,000 listeners: ${((intercept + slope * 5000) / 0.8).toFixed(1)} cores at 80 % by this line`
      : '',
  ].join('\n');
}

function pct(x: number, digits = 1) {
  return `${(x * 100).toFixed(digits)}%`;
}
