import { inject, it } from 'vitest';
import { runBench } from './bench';

/**
 * `npm run bench -- --smoke` inside `npm test`, so the benchmark code cannot rot: every row runs
 * at small counts (no thresholds), over real HTTP against the API started as `npm start` starts
 * it, on the database the other integration tests use.
 */
it('runs every benchmark at small counts, with exact capacity and only successful answers', async ({
  expect,
}) => {
  const target = inject('testDatabase');
  const lines: string[] = [];
  const report = await runBench({
    smoke: true,
    serverUrl: target.kind === 'postgres' ? target.adminUrl : undefined,
    log: (line) => lines.push(line),
  });
  expect(report.problems).toEqual([]);
  const names = report.rows.map((r) => r.name);
  expect(names).toContain('job queue claim+run+finish (PGlite)');
  if (target.kind === 'postgres') {
    for (const row of [
      '1 API: joins/s',
      '2 APIs: joins/s',
      'GET /v1/hallway, c=10',
      'GET /v1/search, c=10',
      'room stream: one stage change committed',
      'room stream: one stage change made through API instance A',
      'room stream: snapshot',
      'export',
    ])
      expect(
        names.some((n) => n.includes(row)),
        `${row} in ${names.join(', ')}`,
      ).toBe(true);
  }
}, 180_000);
