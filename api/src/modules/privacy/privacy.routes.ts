import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { z } from 'zod';
import type { AppDeps, AppEnv } from '../../http/app-env';
import { validate } from '../../http/validate';
import { requireAuth } from '../auth/sessions';
import { memberPrivacy, privacyDocuments, privacyOverview } from './privacy.service';

const doc = (summary: string) => describeRoute({ summary, tags: ['privacy'] });
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
    .get('/', doc('How Salon treats personal data (from policies/data-map.yaml)'), (c) =>
      c.json(overview, 200),
    )
    .get('/notice', doc('The privacy notice (GDPR art. 13)'), validate('query', langQuery), (c) =>
      c.json(documents.notice[c.req.valid('query').lang], 200),
    )
    .get(
      '/record',
      doc('The record of processing activities (GDPR art. 30)'),
      validate('query', langQuery),
      (c) => c.json(documents.record[c.req.valid('query').lang], 200),
    )
    .get(
      '/dpia',
      doc('The DPIA summary of recorded rooms (GDPR art. 35)'),
      validate('query', langQuery),
      (c) => c.json(documents.dpia[c.req.valid('query').lang], 200),
    )
    .get('/me', doc('What Salon holds about me, area by area'), async (c) => {
      const { userId } = requireAuth(c);
      c.header('Cache-Control', 'no-store');
      return c.json(await memberPrivacy(deps, documents, userId), 200);
    });
}
