import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';
import type { DataMap, TablePolicy } from './index';

/**
 * The privacy documents, rendered from the data map (policies/data-map.yaml) with the fixed text
 * of policies/notice.yaml and the assessment in policies/dpia.yaml: the privacy notice (GDPR
 * art. 13), the record of processing activities (art. 30) and the DPIA summary (art. 35), in
 * English and French. Everything here is pure: the same inputs give the same document, which the
 * API serves as JSON and the web app lays out.
 */

export const LANGS = ['en', 'fr'] as const;
export type Lang = (typeof LANGS)[number];

const localized = z.strictObject({ en: z.string().min(1), fr: z.string().min(1) });
export type Localized = z.infer<typeof localized>;

const noticeSchema = z.strictObject({
  version: z.literal(1),
  french: z.strictObject({
    legal_basis: z.record(z.string(), z.string().min(1)),
    retention: z.record(z.string(), z.string().min(1)),
    reason: z.record(z.string(), z.string().min(1)),
  }),
  subjects: z.strictObject({ default: localized, tables: z.record(z.string(), localized) }),
  recipients: z.strictObject({
    default: z.array(localized).min(1),
    tables: z.record(z.string(), z.array(localized)),
  }),
  security: z.array(localized).min(1),
  notice: z.strictObject({
    title: localized,
    summary: localized,
    columns: z.strictObject({
      purpose: localized,
      basis: localized,
      retention: localized,
      erasure: localized,
    }),
    ...Object.fromEntries(
      [
        'controller',
        'never',
        'processing',
        'recordings',
        'recipients',
        'transfers',
        'retention',
        'rights',
        'decisions',
        'cookies',
        'security',
      ].map((id) => [
        id,
        z.strictObject({
          heading: localized,
          text: z.array(localized).default([]),
          items: z.array(localized).default([]),
        }),
      ]),
    ),
  }),
});

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

export type Notice = z.infer<typeof noticeSchema>;
export type Dpia = z.infer<typeof dpiaSchema>;
type NoticeSection = { heading: Localized; text: Localized[]; items: Localized[] };

export const noticeFile = fileURLToPath(new URL('../notice.yaml', import.meta.url));
export const dpiaFile = fileURLToPath(new URL('../dpia.yaml', import.meta.url));

export function loadNotice(file = noticeFile): Notice {
  return noticeSchema.parse(parse(readFileSync(file, 'utf8')));
}

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

/** What the documents need from the running configuration. */
export interface Settings {
  controller: { name: string; contact: string | null; dpoContact: string | null };
  /**
   * Values of the configuration names the data map's text mentions (e.g. SESSION_ABSOLUTE_DAYS),
   * as periods like "90 days", so documents state the deployment's actual numbers.
   */
  variables: Record<string, string>;
}

export interface Field {
  label: string;
  value: string;
}

export interface DocumentTable {
  columns: string[];
  rows: string[][];
}

export interface Section {
  id: string;
  heading: string;
  paragraphs: string[];
  items: string[];
  fields: Field[];
  table: DocumentTable | null;
}

export interface RenderedDocument {
  kind: 'notice' | 'record' | 'dpia';
  lang: Lang;
  title: string;
  summary: string;
  sections: Section[];
}

const UNITS: Record<string, { en: [string, string]; fr: [string, string] }> = {
  minute: { en: ['minute', 'minutes'], fr: ['minute', 'minutes'] },
  hour: { en: ['hour', 'hours'], fr: ['heure', 'heures'] },
  day: { en: ['day', 'days'], fr: ['jour', 'jours'] },
  year: { en: ['year', 'years'], fr: ['an', 'ans'] },
};

/** "30 days" → "30 days" / "30 jours"; "1 year" → "1 year" / "1 an". */
export function formatPeriod(period: string, lang: Lang): string {
  const match = period.match(/^(\d+) (minute|hour|day|year)s?$/);
  const unit = match?.[2] ? UNITS[match[2]] : undefined;
  if (!match || !unit) throw new Error(`not a period: ${period}`);
  const n = Number(match[1]);
  return `${n} ${unit[lang][n === 1 ? 0 : 1]}`;
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
const sentence = (text: string) => (/[.!?]$/.test(text) ? text : `${text}.`);

function periodOf(rule: TablePolicy['retention']): string | undefined {
  return 'period' in rule ? rule.period : undefined;
}

function substitute(text: string, variables: Record<string, string>, lang: Lang): string {
  let out = text;
  for (const [name, value] of Object.entries(variables)) {
    const pretty = formatPeriod(value, lang);
    out = out.replaceAll(`{${name}}`, pretty).replace(new RegExp(`\\b${name}\\b`, 'g'), pretty);
  }
  return out;
}

function french(dictionary: Record<string, string>, english: string, what: string): string {
  const text = dictionary[english];
  if (text === undefined) throw new Error(`policies/notice.yaml: no French for the ${what} “${english}”`);
  return text;
}

/** How long a table's rows are kept, as one sentence in the visitor's language. */
export function retentionText(
  table: TablePolicy,
  lang: Lang,
  notice: Notice,
  variables: Record<string, string> = {},
): string {
  const rule = table.retention;
  const period = periodOf(rule);
  if (lang === 'fr') {
    const template = french(notice.french.retention, rule.trigger, 'retention trigger');
    return substitute(
      template.replaceAll('{period}', period ? formatPeriod(period, 'fr') : ''),
      variables,
      'fr',
    );
  }
  const trigger = rule.trigger;
  let text: string;
  switch (rule.rule) {
    case 'older_than':
    case 'room_ended':
      text = `${capitalise(formatPeriod(rule.period, 'en'))} after ${trigger}`;
      break;
    case 'shred':
      text = capitalise(trigger);
      break;
    case 'account':
      text = rule.period
        ? `While the account exists; ${
            trigger.includes('this long')
              ? trigger.replace('this long', formatPeriod(rule.period, 'en'))
              : `${trigger} (${formatPeriod(rule.period, 'en')})`
          }`
        : `Until ${trigger}`;
      break;
    case 'until_removed':
      text = /^until /i.test(trigger) ? capitalise(trigger) : `Until ${trigger}`;
      break;
    case 'expired':
      text = `Until ${trigger}`;
      break;
    case 'permanent':
      text = 'No limit (no personal data)';
      break;
  }
  return sentence(substitute(text, variables, 'en'));
}

export function legalBasisText(table: TablePolicy, lang: Lang, notice: Notice): string {
  return lang === 'en'
    ? table.legal_basis
    : french(notice.french.legal_basis, table.legal_basis, 'legal basis');
}

function reasonText(reason: string, lang: Lang, notice: Notice): string {
  return lang === 'en' ? reason : french(notice.french.reason, reason, 'reason');
}

const EXPORT_LABEL: Record<TablePolicy['export']['treatment'], Localized> = {
  exported: { en: 'In your export', fr: 'Dans votre export' },
  summarised: { en: 'Summarised in your export', fr: 'Résumé dans votre export' },
  not_exported: { en: 'Not exported', fr: 'Non exporté' },
};

const ERASURE_LABEL: Record<TablePolicy['erasure']['treatment'], Localized> = {
  delete: { en: 'Deleted', fr: 'Supprimé' },
  pseudonymise: { en: 'Kept without the link to you', fr: 'Conservé sans lien avec vous' },
  keep: { en: 'Kept', fr: 'Conservé' },
};

function treatmentText(
  labels: Record<string, Localized>,
  value: { treatment: string; reason?: string | undefined },
  lang: Lang,
  notice: Notice,
) {
  const label = labels[value.treatment]?.[lang] ?? value.treatment;
  const colon = lang === 'fr' ? ' : ' : ': ';
  return value.reason ? `${label}${colon}${reasonText(value.reason, lang, notice)}.` : `${label}.`;
}

/** One table of the data map in words: what the privacy centre's retention table shows. */
export interface TableFacts {
  table: string;
  purpose: string;
  legalBasis: string;
  retention: string;
  export: { treatment: TablePolicy['export']['treatment']; text: string };
  erasure: { treatment: TablePolicy['erasure']['treatment']; text: string };
  /** False for tables that hold no personal data at all (only technical columns). */
  personal: boolean;
}

function holdsPersonalData(table: TablePolicy) {
  return Object.values(table.columns).some(
    (column) => (typeof column === 'string' ? column : column.category) !== 'technical',
  );
}

export function tableFacts(
  map: DataMap,
  notice: Notice,
  lang: Lang,
  variables: Record<string, string> = {},
): TableFacts[] {
  return Object.entries(map.tables).map(([name, table]) => ({
    table: name,
    purpose: lang === 'en' ? table.purpose : table.purpose_fr,
    legalBasis: legalBasisText(table, lang, notice),
    retention: retentionText(table, lang, notice, variables),
    export: {
      treatment: table.export.treatment,
      text: treatmentText(EXPORT_LABEL, table.export, lang, notice),
    },
    erasure: {
      treatment: table.erasure.treatment,
      text: treatmentText(ERASURE_LABEL, table.erasure, lang, notice),
    },
    personal: holdsPersonalData(table) && table.retention.rule !== 'permanent',
  }));
}

/** What deleting one's account does, from the data map: for the deletion dialog. */
export interface ErasureConsequences {
  /** The grace period between the request and the erasure, e.g. "7 days". */
  grace: string;
  deleted: string[];
  pseudonymised: { purpose: string; reason: string }[];
  kept: { purpose: string; reason: string }[];
}

export function erasureConsequences(map: DataMap, notice: Notice, lang: Lang): ErasureConsequences {
  const users = map.tables.users?.retention;
  if (users?.rule !== 'account' || !users.period)
    throw new Error('data map: users needs an account rule with a period');
  const result: ErasureConsequences = {
    grace: formatPeriod(users.period, lang),
    deleted: [],
    pseudonymised: [],
    kept: [],
  };
  for (const table of Object.values(map.tables)) {
    if (!holdsPersonalData(table) || table.retention.rule === 'permanent') continue;
    const purpose = lang === 'en' ? table.purpose : table.purpose_fr;
    const { treatment, reason } = table.erasure;
    if (treatment === 'delete') result.deleted.push(purpose);
    else if (reason) {
      const entry = { purpose, reason: capitalise(reasonText(reason, lang, notice)) };
      (treatment === 'pseudonymise' ? result.pseudonymised : result.kept).push(entry);
    }
  }
  return result;
}

/** Every English text of the map without French, and every French entry the map no longer uses. */
export function translationProblems(map: DataMap, notice: Notice): string[] {
  const problems: string[] = [];
  const used = { legal_basis: new Set<string>(), retention: new Set<string>(), reason: new Set<string>() };
  const need = (kind: keyof typeof used, english: string, table: string) => {
    used[kind].add(english);
    if (notice.french[kind][english] === undefined)
      problems.push(`${table}: no French ${kind} for “${english}”`);
  };
  for (const [name, table] of Object.entries(map.tables)) {
    need('legal_basis', table.legal_basis, name);
    need('retention', table.retention.trigger, name);
    if (table.export.reason) need('reason', table.export.reason, name);
    if (table.erasure.reason) need('reason', table.erasure.reason, name);
    const template = notice.french.retention[table.retention.trigger];
    const period = periodOf(table.retention);
    if (template !== undefined && template.includes('{period}') !== Boolean(period)) {
      problems.push(`${name}: the French retention ${period ? 'lacks' : 'has'} {period}`);
    }
  }
  for (const kind of Object.keys(used) as (keyof typeof used)[]) {
    for (const english of Object.keys(notice.french[kind])) {
      if (!used[kind].has(english)) problems.push(`unused French ${kind}: “${english}”`);
    }
  }
  return problems;
}

const CONTACT_MISSING: Localized = {
  en: 'the operator (no contact address is configured yet)',
  fr: 'l’exploitant (aucune adresse de contact n’est encore configurée)',
};
const DPO_MISSING: Localized = {
  en: 'none designated; write to the contact address above',
  fr: 'aucun n’est désigné ; écrivez à l’adresse de contact ci-dessus',
};

function placeholders(map: DataMap, notice: Notice, settings: Settings, lang: Lang): Record<string, string> {
  const users = map.tables.users?.retention;
  const exports = map.tables.data_exports?.retention;
  const recordings = map.tables.recordings;
  const sessionDays = settings.variables.SESSION_ABSOLUTE_DAYS;
  return {
    controller: settings.controller.name,
    contact: settings.controller.contact ?? CONTACT_MISSING[lang],
    dpo: settings.controller.dpoContact ?? DPO_MISSING[lang],
    grace: users && 'period' in users && users.period ? formatPeriod(users.period, lang) : '—',
    exportDays: exports && 'period' in exports && exports.period ? formatPeriod(exports.period, lang) : '—',
    recordings: recordings ? retentionText(recordings, lang, notice, settings.variables) : '—',
    sessionDays: sessionDays ? formatPeriod(sessionDays, lang) : '—',
  };
}

function fill(text: string, values: Record<string, string>): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

const section = (
  id: string,
  heading: string,
  parts: Partial<Omit<Section, 'id' | 'heading'>> = {},
): Section => ({
  id,
  heading,
  paragraphs: parts.paragraphs ?? [],
  items: parts.items ?? [],
  fields: parts.fields ?? [],
  table: parts.table ?? null,
});

/** The privacy notice (GDPR art. 13 and 14). */
export function renderNotice(map: DataMap, notice: Notice, settings: Settings, lang: Lang): RenderedDocument {
  const values = placeholders(map, notice, settings, lang);
  const facts = tableFacts(map, notice, lang, settings.variables).filter((f) => f.personal);
  const text = notice.notice as unknown as Record<string, NoticeSection> & Notice['notice'];
  const col = text.columns;
  const part = (id: string, extra: Partial<Omit<Section, 'id' | 'heading'>> = {}) => {
    const source = text[id] as NoticeSection;
    return section(id, source.heading[lang], {
      paragraphs: source.text.map((p) => fill(p[lang], values)),
      items: source.items.map((i) => fill(i[lang], values)),
      ...extra,
    });
  };
  return {
    kind: 'notice',
    lang,
    title: text.title[lang],
    summary: text.summary[lang],
    sections: [
      part('controller'),
      part('never'),
      part('processing', {
        table: {
          columns: [col.purpose[lang], col.basis[lang]],
          rows: facts.map((f) => [f.purpose, f.legalBasis]),
        },
      }),
      part('recordings'),
      part('recipients'),
      part('transfers'),
      part('retention', {
        table: {
          columns: [col.purpose[lang], col.retention[lang], col.erasure[lang]],
          rows: facts.map((f) => [f.purpose, f.retention, f.erasure.text]),
        },
      }),
      part('rights'),
      part('decisions'),
      part('cookies'),
      part('security', { items: notice.security.map((s) => s[lang]) }),
    ],
  };
}

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
