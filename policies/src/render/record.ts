import type { DataMap } from '../index';
import { type Lang, type Localized, type RenderedDocument, type Settings, section } from './document';
import { placeholders, type TableFacts, tableFacts } from './facts';
import type { Notice } from './notice-text';

const CATEGORY: Record<string, Localized> = {
  identifier: { en: 'Identifying data', fr: 'Données identifiantes' },
  personal: { en: 'Personal data', fr: 'Données personnelles' },
  pseudonymous: { en: 'Pseudonymous ids, keyed hashes', fr: 'Identifiants pseudonymes, empreintes à clé' },
  content: { en: 'Content', fr: 'Contenus' },
};

const RECORD: Record<string, Localized> = {
  title: {
    en: 'Record of processing activities (GDPR art. 30)',
    fr: 'Registre des activités de traitement (RGPD art. 30)',
  },
  summary: {
    en: 'Every processing of personal data by this Salon, generated from its data map: what the deletion jobs apply is what this record states.',
    fr: 'Tous les traitements de données personnelles de ce Salon, générés depuis sa cartographie des données : ce qu’appliquent les tâches de suppression est ce que ce registre indique.',
  },
  controller: { en: 'Controller', fr: 'Responsable du traitement' },
  contact: { en: 'Contact', fr: 'Contact' },
  dpo: { en: 'Data protection officer', fr: 'Délégué à la protection des données' },
  general: { en: 'Common to every processing', fr: 'Commun à tous les traitements' },
  transfers: { en: 'Transfers outside the EU', fr: 'Transferts hors de l’UE' },
  none: {
    en: 'None: data is stored and processed in the EU/EEA only.',
    fr: 'Aucun : les données sont conservées et traitées uniquement dans l’UE/EEE.',
  },
  security: { en: 'Security measures (art. 32)', fr: 'Mesures de sécurité (art. 32)' },
  purpose: { en: 'Purpose', fr: 'Finalité' },
  basis: { en: 'Legal basis', fr: 'Base légale' },
  subjects: { en: 'Data subjects', fr: 'Personnes concernées' },
  categories: { en: 'Categories of data', fr: 'Catégories de données' },
  recipients: { en: 'Recipients', fr: 'Destinataires' },
  retention: { en: 'Retention', fr: 'Durée de conservation' },
  export: { en: 'Access and portability', fr: 'Accès et portabilité' },
  erasure: { en: 'Erasure', fr: 'Effacement' },
  dataTable: { en: 'Table', fr: 'Table' },
};

/** The record of processing activities (GDPR art. 30(1)), one activity per table of the data map. */
export function renderRecord(map: DataMap, notice: Notice, settings: Settings, lang: Lang): RenderedDocument {
  const values = placeholders(map, notice, settings, lang);
  const t = (key: string) => RECORD[key]?.[lang] ?? key;
  const facts = new Map(tableFacts(map, notice, lang, settings.variables).map((f) => [f.table, f]));
  const activities = Object.entries(map.tables)
    .filter(([name]) => facts.get(name)?.personal)
    .map(([name, table]) => {
      const f = facts.get(name) as TableFacts;
      const byCategory = new Map<string, string[]>();
      for (const [column, spec] of Object.entries(table.columns)) {
        const category = typeof spec === 'string' ? spec : spec.category;
        if (category === 'technical') continue;
        byCategory.set(category, [...(byCategory.get(category) ?? []), column]);
      }
      const categories = [...byCategory]
        .map(([category, columns]) => `${CATEGORY[category]?.[lang] ?? category} (${columns.join(', ')})`)
        .join('; ');
      const recipients = [...notice.recipients.default, ...(notice.recipients.tables[name] ?? [])]
        .map((r) => r[lang])
        .join('; ');
      return section(`activity-${name}`, f.purpose, {
        fields: [
          { label: t('dataTable'), value: name },
          { label: t('basis'), value: f.legalBasis },
          { label: t('subjects'), value: (notice.subjects.tables[name] ?? notice.subjects.default)[lang] },
          { label: t('categories'), value: categories },
          { label: t('recipients'), value: recipients },
          { label: t('transfers'), value: t('none') },
          { label: t('retention'), value: f.retention },
          { label: t('export'), value: f.export.text },
          { label: t('erasure'), value: f.erasure.text },
        ],
      });
    });
  return {
    kind: 'record',
    lang,
    title: t('title'),
    summary: t('summary'),
    sections: [
      section('controller', t('controller'), {
        fields: [
          { label: t('controller'), value: values.controller ?? '' },
          { label: t('contact'), value: values.contact ?? '' },
          { label: t('dpo'), value: values.dpo ?? '' },
        ],
      }),
      section('general', t('general'), {
        fields: [{ label: t('transfers'), value: t('none') }],
      }),
      section('security', t('security'), { items: notice.security.map((s) => s[lang]) }),
      ...activities,
    ],
  };
}
