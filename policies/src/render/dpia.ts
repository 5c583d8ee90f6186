import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';
import type { DataMap } from '../index';
import {
  type Lang,
  type Localized,
  localized,
  type RenderedDocument,
  type Settings,
  section,
} from './document';
import { legalBasisText, placeholders } from './facts';
import type { Notice } from './notice-text';

const level = z.enum(['negligible', 'limited', 'significant', 'maximum']);
const dpiaSchema = z.strictObject({
  version: z.literal(1),
  title: localized,
  reviewed: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  processing: z.strictObject({ name: localized, description: z.array(localized).min(1), scale: localized }),
  necessity: z.array(localized).min(1),
  measures: z
    .array(z.strictObject({ id: z.string().min(1), en: z.string().min(1), fr: z.string().min(1) }))
    .min(1),
  risks: z
    .array(
      z.strictObject({
        id: z.string().min(1),
        title: localized,
        description: localized,
        impact: localized,
        likelihood: level,
        severity: level,
        measures: z.array(z.string()).min(1),
      }),
    )
    .min(1),
  residual: z.strictObject({ level, text: localized }),
});

export type Dpia = z.infer<typeof dpiaSchema>;

export const dpiaFile = fileURLToPath(new URL('../../dpia.yaml', import.meta.url));

export function loadDpia(file = dpiaFile): Dpia {
  const dpia = dpiaSchema.parse(parse(readFileSync(file, 'utf8')));
  const ids = new Set(dpia.measures.map((m) => m.id));
  for (const risk of dpia.risks) {
    for (const id of risk.measures) {
      if (!ids.has(id)) throw new Error(`policies/dpia.yaml: risk ${risk.id} names an unknown measure ${id}`);
    }
  }
  return dpia;
}

const LEVEL: Record<z.infer<typeof level>, Localized> = {
  negligible: { en: 'Negligible', fr: 'Négligeable' },
  limited: { en: 'Limited', fr: 'Limité' },
  significant: { en: 'Significant', fr: 'Important' },
  maximum: { en: 'Maximum', fr: 'Maximal' },
};

const DPIA: Record<string, Localized> = {
  summary: {
    en: 'Summary of the data protection impact assessment (GDPR art. 35) of recorded live rooms: what is processed, why it is necessary, the risks to people and the measures against them.',
    fr: 'Synthèse de l’analyse d’impact relative à la protection des données (RGPD art. 35) des salons enregistrés : ce qui est traité, pourquoi c’est nécessaire, les risques pour les personnes et les mesures prises.',
  },
  processing: { en: 'The processing', fr: 'Le traitement' },
  scale: { en: 'Scale', fr: 'Échelle' },
  basis: { en: 'Legal basis', fr: 'Base légale' },
  retention: { en: 'Retention', fr: 'Durée de conservation' },
  controller: { en: 'Controller', fr: 'Responsable du traitement' },
  dpo: { en: 'Data protection officer', fr: 'Délégué à la protection des données' },
  reviewed: { en: 'Last reviewed', fr: 'Dernière revue' },
  necessity: { en: 'Necessity and proportionality', fr: 'Nécessité et proportionnalité' },
  risks: { en: 'Risks to people', fr: 'Risques pour les personnes' },
  risk: { en: 'Risk', fr: 'Risque' },
  likelihood: { en: 'Likelihood', fr: 'Vraisemblance' },
  severity: { en: 'Severity', fr: 'Gravité' },
  impact: { en: 'Impact', fr: 'Impact' },
  measures: { en: 'Measures', fr: 'Mesures' },
  residual: { en: 'Residual risk', fr: 'Risque résiduel' },
  level: { en: 'Level', fr: 'Niveau' },
};

/** The DPIA summary (GDPR art. 35) of recorded live rooms; the retention is the data map's. */
export function renderDpia(
  dpia: Dpia,
  map: DataMap,
  notice: Notice,
  settings: Settings,
  lang: Lang,
): RenderedDocument {
  const t = (key: string) => DPIA[key]?.[lang] ?? key;
  const values = placeholders(map, notice, settings, lang);
  const recordings = map.tables.recordings;
  if (!recordings) throw new Error('data map: no recordings table for the DPIA');
  const measures = new Map(dpia.measures.map((m) => [m.id, m[lang]]));
  return {
    kind: 'dpia',
    lang,
    title: dpia.title[lang],
    summary: t('summary'),
    sections: [
      section('processing', t('processing'), {
        paragraphs: [dpia.processing.name[lang], ...dpia.processing.description.map((d) => d[lang])],
        fields: [
          { label: t('scale'), value: dpia.processing.scale[lang] },
          { label: t('basis'), value: legalBasisText(recordings, lang, notice) },
          { label: t('retention'), value: values.recordings ?? '' },
          { label: t('controller'), value: `${values.controller} — ${values.contact}` },
          { label: t('dpo'), value: values.dpo ?? '' },
          { label: t('reviewed'), value: dpia.reviewed },
        ],
      }),
      section('necessity', t('necessity'), { items: dpia.necessity.map((n) => n[lang]) }),
      section('risks', t('risks'), {
        table: {
          columns: [t('risk'), t('likelihood'), t('severity')],
          rows: dpia.risks.map((r) => [r.title[lang], LEVEL[r.likelihood][lang], LEVEL[r.severity][lang]]),
        },
      }),
      ...dpia.risks.map((risk) =>
        section(`risk-${risk.id}`, risk.title[lang], {
          paragraphs: [risk.description[lang]],
          fields: [
            { label: t('impact'), value: risk.impact[lang] },
            { label: t('likelihood'), value: LEVEL[risk.likelihood][lang] },
            { label: t('severity'), value: LEVEL[risk.severity][lang] },
          ],
          items: risk.measures.map((id) => measures.get(id) ?? id),
        }),
      ),
      section('measures', t('measures'), { items: dpia.measures.map((m) => m[lang]) }),
      section('residual', t('residual'), {
        paragraphs: [dpia.residual.text[lang]],
        fields: [{ label: t('level'), value: LEVEL[dpia.residual.level][lang] }],
      }),
    ],
  };
}
