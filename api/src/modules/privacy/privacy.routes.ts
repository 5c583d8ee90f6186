import { loadDataMap } from '@salon/policies';
import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import type { AppDeps, AppEnv } from '../../http/app-env';
import { secureCookies, sessionCookieName } from '../auth/sessions';

/**
 * What the privacy notice and the privacy centre show, rendered from policies/data-map.yaml: the
 * controller, each processing with its purpose, legal basis and retention, and the cookies.
 * Public: anyone may read how Salon treats data before joining.
 */
export function privacyRoutes({ config }: AppDeps) {
  const map = loadDataMap();
  const processing = Object.entries(map.tables)
    .filter(([, table]) => table.retention.rule !== 'permanent')
    .map(([name, table]) => ({
      table: name,
      purpose: { en: table.purpose, fr: table.purpose_fr },
      legalBasis: table.legal_basis,
      retention: table.retention.trigger,
      export: table.export.treatment,
      erasure: table.erasure.treatment,
    }));
  const body = {
    operator: { name: config.operator.name, contact: config.operator.contact },
    dpo: { contact: config.operator.dpoContact },
    processing,
    cookies: [
      {
        name: sessionCookieName(config),
        purpose: { en: 'Keeps you signed in.', fr: 'Vous garde connecté·e.' },
        duration: `${config.sessions.absoluteDays} days at most`,
        httpOnly: true,
        secure: secureCookies(config),
      },
      {
        name: 'salon_locale',
        purpose: { en: 'Remembers the language you chose.', fr: 'Retient la langue choisie.' },
        duration: '1 year',
        httpOnly: true,
        secure: secureCookies(config),
      },
    ],
    // Strictly necessary cookies only (ePrivacy art. 5(3) exemption), hence no consent banner.
    consentBanner: false,
  };
  return new Hono<AppEnv>().get(
    '/',
    describeRoute({
      summary: 'How Salon treats personal data (from policies/data-map.yaml)',
      tags: ['privacy'],
    }),
    (c) => c.json(body, 200),
  );
}
