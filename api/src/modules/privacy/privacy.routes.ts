import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps, AppEnv } from '../../http/app-env';
import { INPUT, json, routeDocs, SIGNED_IN_EVEN_DEACTIVATED } from '../../http/openapi';
import { validate } from '../../http/validate';
import { requireAuth } from '../auth/sessions';
import { memberPrivacyResponse, privacyOverviewResponse, renderedDocument } from './privacy.responses';
import { memberPrivacy, privacyDocuments, privacyOverview } from './privacy.service';

const doc = routeDocs('privacy');
const langQuery = z.strictObject({
  lang: z.enum(['en', 'fr'], { message: 'lang.unsupported' }).default('en'),
});

/**
 * How Salon treats personal data, rendered from policies/ (data map, notice, DPIA): the facts the
 * privacy centre shows, the privacy notice, the record of processing activities and the DPIA
 * summary. Public: anyone may read them before joining. `/me` is what Salon holds about the
 * signed-in member.
 */
export function privacyRoutes(deps: AppDeps) {
  const documents = privacyDocuments(deps.config, deps.dataMap);
  const overview = privacyOverview(deps.config, deps.dataMap, documents);
  return new Hono<AppEnv>()
    .get(
      '/',
      doc({
        summary: 'How Salon treats personal data (from policies/data-map.yaml)',
        ok: json(privacyOverviewResponse, 'Controller, processings, deletion, export and cookies'),
        errors: [],
      }),
      (c) => c.json(overview, 200),
    )
    .get(
      '/notice',
      doc({
        summary: 'The privacy notice (GDPR art. 13)',
        ok: json(renderedDocument, 'The notice in the language asked for'),
        errors: INPUT,
      }),
      validate('query', langQuery),
      (c) => c.json(documents.notice[c.req.valid('query').lang], 200),
    )
    .get(
      '/record',
      doc({
        summary: 'The record of processing activities (GDPR art. 30)',
        ok: json(renderedDocument, 'The record in the language asked for'),
        errors: INPUT,
      }),
      validate('query', langQuery),
      (c) => c.json(documents.record[c.req.valid('query').lang], 200),
    )
    .get(
      '/dpia',
      doc({
        summary: 'The DPIA summary of recorded rooms (GDPR art. 35)',
        ok: json(renderedDocument, 'The summary in the language asked for'),
        errors: INPUT,
      }),
      validate('query', langQuery),
      (c) => c.json(documents.dpia[c.req.valid('query').lang], 200),
    )
    .get(
      '/me',
      doc({
        summary: 'What Salon holds about me, area by area',
        ok: json(
          memberPrivacyResponse,
          'My profile, a count per area with its rules, my export and deletion',
        ),
        errors: SIGNED_IN_EVEN_DEACTIVATED,
      }),
      async (c) => {
        const { userId } = requireAuth(c);
        c.header('Cache-Control', 'no-store');
        return c.json(await memberPrivacy(deps, documents, userId), 200);
      },
    );
}
