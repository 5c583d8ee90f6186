import type { DataMap, TablePolicy } from '../index';
import { capitalise, formatPeriod, type Lang, type Localized, type Settings, sentence } from './document';
import type { Notice } from './notice-text';

/**
 * The data map in words: each table's purpose, legal basis, retention and treatment on export and
 * erasure, as every document and the privacy centre state them.
 */

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

/** The values of the `{name}` placeholders in the documents' fixed text. */
export function placeholders(
  map: DataMap,
  notice: Notice,
  settings: Settings,
  lang: Lang,
): Record<string, string> {
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
