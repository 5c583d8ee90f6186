import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../../http/app-env';
import {
  binary,
  INPUT,
  JSON_BODY,
  json,
  routeDocs,
  SIGNED_IN,
  SIGNED_IN_EVEN_RESTRICTED,
  WRITE,
} from '../../http/openapi';
import { validate } from '../../http/validate';
import { requireAuth } from '../auth/sessions';
import { appealDecision, decideAppeal, listAppeals } from './appeals.service';
import { decide, myDecisions } from './decisions.service';
import {
  appealResponse,
  appealsResponse,
  decisionMade,
  heldReportResponse,
  myDecisionsResponse,
  playbackStarted,
  reportCase,
  reportQueuePage,
} from './moderation.responses';
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

const doc = routeDocs('moderation');
const meDoc = routeDocs('me');
/** Staff routes: signed in, and on Salon's moderation team. */
const STAFF = [...SIGNED_IN, 'mod.forbidden'] as const;
/** The open report the moderator holds (queue.service.ts heldReport). */
const HELD = ['report.not_found', 'mod.report_closed', 'mod.not_claimed'] as const;
const RECORDING = ['recording.not_found', 'recording.shredded', 'recording.not_ready'] as const;

/**
 * Mounted at /v1. Staff routes under /mod answer 403 `mod.forbidden` to anyone else; the member
 * side (decisions about me, appeals) stays open to suspended and banned accounts (auth/access.ts).
 */
export function moderationRoutes(deps: AppDeps) {
  const signedIn = (c: Parameters<typeof requireAuth>[0]) => requireAuth(c).userId;
  return new Hono<AppEnv>()
    .get(
      '/me/decisions',
      meDoc({
        summary: 'Decisions about me, with their statements of reasons',
        ok: json(myDecisionsResponse, 'Newest first'),
        errors: SIGNED_IN_EVEN_RESTRICTED,
      }),
      async (c) => c.json(await myDecisions(deps, signedIn(c)), 200),
    )
    .post(
      '/me/decisions/:id/appeal',
      meDoc({
        summary: 'Appeal a decision about me (DSA art. 20)',
        ok: json(appealResponse, 'The appeal, for another moderator to decide', 201),
        errors: [
          ...SIGNED_IN_EVEN_RESTRICTED,
          ...JSON_BODY,
          ...WRITE,
          'decision.not_found',
          'appeal.exists',
          'appeal.window_closed',
        ],
      }),
      validate('param', idParam),
      validate('json', appealBody),
      async (c) =>
        c.json(
          await appealDecision(deps, signedIn(c), c.req.valid('param').id, c.req.valid('json').text),
          201,
        ),
    )
    .get(
      '/mod/reports',
      doc({
        summary: 'The report queue',
        ok: json(reportQueuePage, 'Open reports oldest first, decided ones newest first'),
        errors: [...STAFF, ...INPUT],
      }),
      validate('query', queueQuery),
      async (c) => c.json(await listReports(deps, signedIn(c), c.req.valid('query')), 200),
    )
    .get(
      '/mod/reports/:id',
      doc({
        summary: 'A report with its evidence',
        ok: json(reportCase, 'The report, the room’s timeline and recordings, the decision if any'),
        errors: [...STAFF, ...INPUT, 'report.not_found'],
      }),
      validate('param', idParam),
      async (c) => c.json(await reportDetail(deps, signedIn(c), c.req.valid('param').id), 200),
    )
    .post(
      '/mod/reports/:id/claim',
      doc({
        summary: 'Claim a report',
        ok: json(heldReportResponse, 'The report, now mine to handle'),
        errors: [
          ...STAFF,
          ...INPUT,
          ...WRITE,
          'report.not_found',
          'mod.report_closed',
          'mod.conflict_of_interest',
          'mod.already_claimed',
        ],
      }),
      validate('param', idParam),
      async (c) => c.json(await claimReport(deps, signedIn(c), c.req.valid('param').id), 200),
    )
    .post(
      '/mod/reports/:id/release',
      doc({
        summary: 'Give a report back',
        ok: json(heldReportResponse, 'The report, back in the queue'),
        errors: [...STAFF, ...INPUT, ...WRITE, ...HELD],
      }),
      validate('param', idParam),
      async (c) => c.json(await releaseReport(deps, signedIn(c), c.req.valid('param').id), 200),
    )
    .post(
      '/mod/reports/:id/playbacks',
      doc({
        summary: 'Start listening to a recording (audited)',
        ok: json(playbackStarted, 'A link to the audio, for a few minutes', 201),
        errors: [...STAFF, ...JSON_BODY, ...WRITE, ...HELD, ...RECORDING],
      }),
      validate('param', idParam),
      validate('json', playbackBody),
      async (c) =>
        c.json(await startPlayback(deps, signedIn(c), c.req.valid('param').id, c.req.valid('json')), 201),
    )
    .get(
      '/mod/recordings/:id/audio',
      doc({
        summary: 'The decrypted recording, streamed (Range, no-store)',
        ok: [
          binary('audio/ogg', 'The whole recording (Ogg Opus)'),
          binary('audio/ogg', 'The part the Range header asked for', 206),
        ],
        bodiless: { 416: 'The range starts past the end (Content-Range gives the size)' },
        errors: [
          ...STAFF,
          ...INPUT,
          'playback.invalid',
          ...HELD,
          ...RECORDING,
          'recording.unknown_kek',
          'recording.key_invalid',
          'recording.corrupt',
        ],
      }),
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
      doc({
        summary: 'Decide on a report, with a statement of reasons (DSA art. 17)',
        ok: json(decisionMade, 'The decision, applied and told to the person', 201),
        errors: [
          ...STAFF,
          ...JSON_BODY,
          ...WRITE,
          ...HELD,
          'decision.subject_required',
          'decision.subject_unrelated',
          'decision.room_required',
          'decision.room_ended',
          'decision.subject_banned',
          'decision.duration_required',
          'mod.conflict_of_interest',
        ],
      }),
      validate('param', idParam),
      validate('json', decisionBody),
      async (c) => c.json(await decide(deps, signedIn(c), c.req.valid('param').id, c.req.valid('json')), 201),
    )
    .get(
      '/mod/appeals',
      doc({
        summary: 'Appeals',
        ok: json(appealsResponse, 'Open appeals oldest first, decided ones newest first'),
        errors: [...STAFF, ...INPUT],
      }),
      validate('query', appealsQuery),
      async (c) => c.json(await listAppeals(deps, signedIn(c), c.req.valid('query').status), 200),
    )
    .post(
      '/mod/appeals/:id/decision',
      doc({
        summary: 'Decide an appeal (a different moderator)',
        ok: json(appealResponse, 'The appeal, decided; a reversal is undone where it can be'),
        errors: [
          ...STAFF,
          ...JSON_BODY,
          ...WRITE,
          'appeal.not_found',
          'appeal.closed',
          'appeal.same_moderator',
        ],
      }),
      validate('param', idParam),
      validate('json', appealDecisionBody),
      async (c) =>
        c.json(await decideAppeal(deps, signedIn(c), c.req.valid('param').id, c.req.valid('json')), 200),
    );
}
