import { loadDataMap } from '@salon/policies';
import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { z } from 'zod';
import type { AppDeps, AppEnv } from '../../http/app-env';
import { validate } from '../../http/validate';
import { requireAuth, secureCookies, sessionCookieName } from '../auth/sessions';
import { memberPrivacy, privacyDocuments } from './privacy.service';

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
  const { config } = deps;
  const map = loadDataMap();
  const documents = privacyDocuments(config, map);
  const processing = Object.entries(map.tables)
    .filter(([, table]) => table.retention.rule !== 'permanent')
    .map(([name, table]) => {
      const { en, fr } = documents.text(name);
      return {
        table: name,
        purpose: { en: table.purpose, fr: table.purpose_fr },
        legalBasis: table.legal_basis,
        retention: table.retention.trigger,
        export: table.export.treatment,
        erasure: table.erasure.treatment,
        /** The same, as sentences in each language (the retention table of the privacy centre). */
        text: {
          en: {
            legalBasis: en.legalBasis,
            retention: en.retention,
            export: en.export.text,
            erasure: en.erasure.text,
          },
          fr: {
            legalBasis: fr.legalBasis,
            retention: fr.retention,
            export: fr.export.text,
            erasure: fr.erasure.text,
          },
        },
        personal: en.personal,
      };
    });
  const body = {
    operator: { name: config.operator.name, contact: config.operator.contact },
    dpo: { contact: config.operator.dpoContact },
    processing,
    /** What deleting an account does (grace period, what goes, what stays and why), per language. */
    deletion: documents.deletion,
    /** How long an export stays downloadable, per language. */
    exportAvailability: documents.exportAvailability,
    cookies: [
      {
        name: sessionCookieName(config),
        purpose: { en: 'Keeps you signed in.', fr: 'Vous garde connecté·e.' },
        duration: `${config.sessions.absoluteDays} days at most`,
        days: config.sessions.absoluteDays,
        httpOnly: true,
        secure: secureCookies(config),
      },
      {
        name: 'salon_locale',
        purpose: { en: 'Remembers the language you chose.', fr: 'Retient la langue choisie.' },
        duration: '1 year',
        days: 365,
        httpOnly: true,
        secure: secureCookies(config),
      },
    ],
    // Strictly necessary cookies only (ePrivacy art. 5(3) exemption), hence no consent banner.
    consentBanner: false,
  };
  return new Hono<AppEnv>()
    .get('/', doc('How Salon treats personal data (from policies/data-map.yaml)'), (c) => c.json(body, 200))
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
