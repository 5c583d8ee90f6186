import { staffRoles, userStatus } from '@salon/db/schema';
import { z } from 'zod';
import { exportState } from '../rights/export.responses';

/** What the privacy centre and the documents answer (privacy.service.ts, policies/src/render). */

const bilingual = z.object({ en: z.string(), fr: z.string() });
const exportTreatment = z.enum(['exported', 'summarised', 'not_exported']);

/** A rendered privacy document (`RenderedDocument` of policies/src/render): the web app lays it out. */
export const renderedDocument = z.object({
  kind: z.enum(['notice', 'record', 'dpia']),
  lang: z.enum(['en', 'fr']),
  title: z.string(),
  summary: z.string(),
  sections: z.array(
    z.object({
      id: z.string(),
      heading: z.string(),
      paragraphs: z.array(z.string()),
      items: z.array(z.string()),
      fields: z.array(z.object({ label: z.string(), value: z.string() })),
      table: z.object({ columns: z.array(z.string()), rows: z.array(z.array(z.string())) }).nullable(),
    }),
  ),
});

/** `erasureConsequences()`: what deleting an account does, in one language. */
const erasureConsequences = z.object({
  /** Between the request and the erasure, e.g. "7 days". */
  grace: z.string(),
  deleted: z.array(z.string()),
  pseudonymised: z.array(z.object({ purpose: z.string(), reason: z.string() })),
  kept: z.array(z.object({ purpose: z.string(), reason: z.string() })),
});

const treatmentsInWords = z.object({
  legalBasis: z.string(),
  retention: z.string(),
  export: z.string(),
  erasure: z.string(),
});

/** `privacyOverview()`: how Salon treats personal data, for anyone. */
export const privacyOverviewResponse = z.object({
  operator: z.object({ name: z.string(), contact: z.string().nullable() }),
  dpo: z.object({ contact: z.string().nullable() }),
  /** Each processing (a table of the data map), with its rules and the same as sentences. */
  processing: z.array(
    z.object({
      table: z.string(),
      purpose: bilingual,
      legalBasis: z.string(),
      retention: z.string(),
      export: exportTreatment,
      erasure: z.enum(['delete', 'pseudonymise', 'keep']),
      text: z.object({ en: treatmentsInWords, fr: treatmentsInWords }),
      /** False for tables with no personal data. */
      personal: z.boolean(),
    }),
  ),
  deletion: z.object({ en: erasureConsequences, fr: erasureConsequences }),
  /** How long an export stays downloadable, in words. */
  exportAvailability: bilingual,
  cookies: z.array(
    z.object({
      name: z.string(),
      purpose: bilingual,
      duration: z.string(),
      days: z.number().int(),
      httpOnly: z.boolean(),
      secure: z.boolean(),
    }),
  ),
  /** Strictly necessary cookies only, hence none. */
  consentBanner: z.literal(false),
});

/** `memberPrivacy()`: what Salon holds about the signed-in member, area by area. */
export const memberPrivacyResponse = z.object({
  profile: z.object({
    username: z.string(),
    displayName: z.string(),
    bio: z.string(),
    interests: z.array(z.string()),
    locale: z.enum(['fr', 'en']),
    status: z.enum(userStatus),
    createdAt: z.iso.datetime(),
    adultAttestedAt: z.iso.datetime(),
    staff: z.enum(staffRoles).nullable(),
  }),
  areas: z.array(
    z.object({
      id: z.string(),
      /** Rows held, counted up to a cap. */
      count: z.number().int().min(0),
      capped: z.boolean(),
      table: z.string(),
      purpose: bilingual,
      retention: bilingual,
      export: z.object({ treatment: exportTreatment, en: z.string(), fr: z.string() }),
    }),
  ),
  export: z.object({
    latest: exportState.nullable(),
    /** When a new export may be asked for; null when it may now. */
    nextRequestAt: z.iso.datetime().nullable(),
  }),
  deletion: z.object({ erasureAt: z.iso.datetime() }).nullable(),
});
