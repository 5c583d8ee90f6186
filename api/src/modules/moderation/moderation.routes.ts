import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import type { AppDeps, AppEnv } from '../../http/app-env';
import { validate } from '../../http/validate';
import { requireAuth } from '../auth/sessions';
import { appealDecision, decideAppeal, listAppeals } from './appeals.service';
import { decide, myDecisions } from './decisions.service';
import {
  appealBody,
  appealDecisionBody,
  appealsQuery,
  audioQuery,
  decisionBody,
  idParam,
  playbackBody,
  queueQuery,
} from './moderation.schemas';
import { openAudio, startPlayback } from './playback.service';
import { claimReport, listReports, releaseReport, reportDetail } from './queue.service';

const doc = (summary: string, tag = 'moderation') => describeRoute({ summary, tags: [tag] });

/**
 * Mounted at /v1. Staff routes under /mod answer 403 `mod.forbidden` to anyone else; the member
 * side (decisions about me, appeals) stays open to suspended and banned accounts (auth/access.ts).
 */
export function moderationRoutes(deps: AppDeps) {
  const signedIn = (c: Parameters<typeof requireAuth>[0]) => requireAuth(c).userId;
  return new Hono<AppEnv>()
    .get('/me/decisions', doc('Decisions about me, with their statements of reasons', 'me'), async (c) =>
      c.json(await myDecisions(deps, signedIn(c)), 200),
    )
    .post(
      '/me/decisions/:id/appeal',
      doc('Appeal a decision about me (DSA art. 20)', 'me'),
      validate('param', idParam),
      validate('json', appealBody),
      async (c) =>
        c.json(
          await appealDecision(deps, signedIn(c), c.req.valid('param').id, c.req.valid('json').text),
          201,
        ),
    )
    .get('/mod/reports', doc('The report queue'), validate('query', queueQuery), async (c) =>
      c.json(await listReports(deps, signedIn(c), c.req.valid('query')), 200),
    )
    .get('/mod/reports/:id', doc('A report with its evidence'), validate('param', idParam), async (c) =>
      c.json(await reportDetail(deps, signedIn(c), c.req.valid('param').id), 200),
    )
    .post('/mod/reports/:id/claim', doc('Claim a report'), validate('param', idParam), async (c) =>
      c.json(await claimReport(deps, signedIn(c), c.req.valid('param').id), 200),
    )
    .post('/mod/reports/:id/release', doc('Give a report back'), validate('param', idParam), async (c) =>
      c.json(await releaseReport(deps, signedIn(c), c.req.valid('param').id), 200),
    )
    .post(
      '/mod/reports/:id/playbacks',
      doc('Start listening to a recording (audited)'),
      validate('param', idParam),
      validate('json', playbackBody),
      async (c) =>
        c.json(await startPlayback(deps, signedIn(c), c.req.valid('param').id, c.req.valid('json')), 201),
    )
    .get(
      '/mod/recordings/:id/audio',
      doc('The decrypted recording, streamed (Range, no-store)'),
      validate('param', idParam),
      validate('query', audioQuery),
      async (c) => {
        const audio = await openAudio(
          deps,
          signedIn(c),
          c.req.valid('param').id,
          c.req.valid('query'),
          c.req.header('range'),
        );
        if (!audio.body) return c.body(null, audio.status, audio.headers);
        return c.body(audio.body, audio.status, audio.headers);
      },
    )
    .post(
      '/mod/reports/:id/decision',
      doc('Decide on a report, with a statement of reasons (DSA art. 17)'),
      validate('param', idParam),
      validate('json', decisionBody),
      async (c) => c.json(await decide(deps, signedIn(c), c.req.valid('param').id, c.req.valid('json')), 201),
    )
    .get('/mod/appeals', doc('Appeals'), validate('query', appealsQuery), async (c) =>
      c.json(await listAppeals(deps, signedIn(c), c.req.valid('query').status), 200),
    )
    .post(
      '/mod/appeals/:id/decision',
      doc('Decide an appeal (a different moderator)'),
      validate('param', idParam),
      validate('json', appealDecisionBody),
      async (c) =>
        c.json(await decideAppeal(deps, signedIn(c), c.req.valid('param').id, c.req.valid('json')), 200),
    );
}
