// `npm run bench`: the figures reported in the README. Run on an idle machine. PostgreSQL figures
// need the server on 127.0.0.1:5432 (or BENCH_DATABASE_URL) and are skipped without it; each run
// creates its own databases and drops them.
//   npm run bench                  every row at full size, with targets
//   npm run bench -- --smoke       small counts, no thresholds (what bench.test.ts runs in `npm test`)
//   npm run bench -- --explain     also prints EXPLAIN ANALYZE of the hallway and search queries
//   npm run bench -- --scale-only  only the scale rows (joins, hallway, search, export)
//   npm run bench -- --media       only the media side on a real LiveKit server (bench/media/run.ts, its own flags)
import { reachable, runBench } from './bench';

const args = new Set(process.argv.slice(2));
if (args.has('--media')) {
  await import('./media/run');
  process.exit();
}
const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const report = await runBench({
  smoke: args.has('--smoke'),
  serverUrl: (await reachable(serverUrl)) ? serverUrl : undefined,
  explain: args.has('--explain'),
  scaleOnly: args.has('--scale-only'),
  log: (line) => console.log(line),
});
for (const plan of report.explain) console.log(plan);
console.log(`\n${report.table}`);
if (report.problems.length > 0) {
  console.error(`\nProblems:\n${report.problems.map((p) => `  - ${p}`).join('\n')}`);
  process.exitCode = 1;
}
