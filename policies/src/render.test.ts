import { describe, expect, it } from 'vitest';
import { type DataMap, loadDataMap } from './index';
import {
  erasureConsequences,
  LANGS,
  loadDpia,
  loadNotice,
  type RenderedDocument,
  renderDpia,
  renderNotice,
  renderRecord,
  retentionText,
  tableFacts,
  translationProblems,
} from './render';

const map = loadDataMap();
const notice = loadNotice();
const dpia = loadDpia();
const settings = {
  controller: {
    name: 'Association Salon',
    contact: 'privacy@salon.example',
    dpoContact: 'dpo@salon.example',
  },
  variables: { SESSION_ABSOLUTE_DAYS: '90 days', SESSION_IDLE_DAYS: '14 days' },
};

const personalTables = Object.entries(map.tables).filter(
  ([, t]) =>
    t.retention.rule !== 'permanent' &&
    Object.values(t.columns).some((c) => (typeof c === 'string' ? c : c.category) !== 'technical'),
);

/** Every string a document shows, to search it as a reader would. */
function text(document: RenderedDocument): string {
  return JSON.stringify(document);
}

function withTable(name: string, change: (table: DataMap['tables'][string]) => void): DataMap {
  const copy = structuredClone(map);
  const table = copy.tables[name];
  if (!table) throw new Error(name);
  change(table);
  return copy;
}

describe('policy documents (policies/src/render.ts)', () => {
  it('has French for every legal basis, retention and reason of the data map, and none left over', () => {
    expect(translationProblems(map, notice)).toEqual([]);
    const changed = withTable('notifications', (t) => {
      t.retention.trigger = 'a new trigger nobody translated';
    });
    expect(translationProblems(changed, notice)).toEqual(
      expect.arrayContaining([
        'notifications: no French retention for “a new trigger nobody translated”',
        'unused French retention: “creation”',
      ]),
    );
  });

  it('renders the privacy notice in both languages with every processing, its basis and its retention', () => {
    for (const lang of LANGS) {
      const document = renderNotice(map, notice, settings, lang);
      const all = text(document);
      expect(all, lang).not.toMatch(/\{\w+\}/);
      expect(all).toContain('Association Salon');
      expect(all).toContain('privacy@salon.example');
      expect(all).toContain('dpo@salon.example');
      const processing = document.sections.find((s) => s.id === 'processing')?.table;
      const retention = document.sections.find((s) => s.id === 'retention')?.table;
      expect(processing?.rows).toHaveLength(personalTables.length);
      expect(retention?.rows).toHaveLength(personalTables.length);
      for (const [, table] of personalTables) {
        expect(all).toContain(JSON.stringify(lang === 'en' ? table.purpose : table.purpose_fr).slice(1, -1));
      }
      // The configured session length, not the variable's name.
      expect(all).not.toContain('SESSION_ABSOLUTE_DAYS');
    }
    const en = text(renderNotice(map, notice, settings, 'en'));
    const fr = text(renderNotice(map, notice, settings, 'fr'));
    expect(en).toContain('30 days after creation.');
    expect(fr).toContain('30 jours après sa création.');
    expect(en).toContain('Until absolute expiry (90 days); an idle session stops working after 14 days.');
    expect(en).toMatch(/no cookie banner/);
    expect(fr).toMatch(/aucun bandeau cookies/);
    expect(en).toContain('art. 5(3)');
  });

  it('says so when no contact or DPO is configured instead of leaving a blank', () => {
    const bare = { ...settings, controller: { name: 'Salon', contact: null, dpoContact: null } };
    const en = text(renderNotice(map, notice, bare, 'en'));
    expect(en).toContain('no contact address is configured yet');
    expect(en).toContain('Data protection officer: none designated');
  });

  it('follows a change of period in the data map in both languages (one-line change)', () => {
    const longer = withTable('notifications', (t) => {
      if (t.retention.rule === 'older_than') t.retention.period = '45 days';
    });
    expect(text(renderNotice(longer, notice, settings, 'en'))).toContain('45 days after creation.');
    expect(text(renderNotice(longer, notice, settings, 'fr'))).toContain('45 jours après sa création.');
    const grace = withTable('users', (t) => {
      if (t.retention.rule === 'account') t.retention.period = '30 days';
    });
    expect(erasureConsequences(grace, notice, 'fr').grace).toBe('30 jours');
    expect(text(renderNotice(grace, notice, settings, 'en'))).toContain('erased 30 days later');
  });

  it('renders the record of processing activities (art. 30) with every activity and its required entries', () => {
    for (const lang of LANGS) {
      const record = renderRecord(map, notice, settings, lang);
      const activities = record.sections.filter((s) => s.id.startsWith('activity-'));
      expect(activities.map((a) => a.id.slice('activity-'.length)).sort()).toEqual(
        personalTables.map(([name]) => name).sort(),
      );
      for (const activity of activities) {
        expect(activity.fields.map((f) => f.value).every((v) => v.length > 0)).toBe(true);
        expect(activity.fields).toHaveLength(9);
      }
      expect(text(record)).toContain('dpo@salon.example');
    }
    const users = renderRecord(map, notice, settings, 'en').sections.find((s) => s.id === 'activity-users');
    expect(users?.fields).toEqual(
      expect.arrayContaining([
        {
          label: 'Categories of data',
          value: expect.stringContaining('Identifying data (username, display_name'),
        },
        {
          label: 'Transfers outside the EU',
          value: 'None: data is stored and processed in the EU/EEA only.',
        },
        { label: 'Erasure', value: 'Deleted.' },
      ]),
    );
    const phone = renderRecord(map, notice, settings, 'en').sections.find(
      (s) => s.id === 'activity-phone_challenges',
    );
    expect(phone?.fields.find((f) => f.label === 'Recipients')?.value).toContain('SMS provider');
  });

  it('renders the DPIA summary of recorded rooms, with the retention of the data map and every risk addressed', () => {
    const ids = new Set(dpia.risks.flatMap((r) => r.measures));
    expect(dpia.measures.filter((m) => !ids.has(m.id)).map((m) => m.id)).toEqual([]);
    expect(dpia.risks.map((r) => r.id)).toEqual(
      expect.arrayContaining(['unlawful-access', 're-identification', 'chilling-effect', 'breach']),
    );
    expect(dpia.measures.map((m) => m.id)).toEqual(
      expect.arrayContaining([
        'per-recording-keys',
        'crypto-shredding',
        'audited-playback',
        'staff-only',
        'no-replay',
        'recording-notice',
        'minimised-account',
        'phone-hashes',
      ]),
    );
    const recordings = map.tables.recordings;
    if (!recordings) throw new Error('no recordings table');
    for (const lang of LANGS) {
      const document = renderDpia(dpia, map, notice, settings, lang);
      const processing = document.sections.find((s) => s.id === 'processing');
      expect(processing?.fields).toContainEqual({
        label: lang === 'en' ? 'Retention' : 'Durée de conservation',
        value: retentionText(recordings, lang, notice),
      });
      expect(document.sections.find((s) => s.id === 'residual')?.paragraphs[0]).toBeTruthy();
      expect(document.sections.filter((s) => s.id.startsWith('risk-'))).toHaveLength(dpia.risks.length);
      expect(text(document)).not.toMatch(/\{\w+\}/);
    }
  });

  it('spells out what deletion deletes, what it keeps without the person, and why, from the data map', () => {
    for (const lang of LANGS) {
      const consequences = erasureConsequences(map, notice, lang);
      expect(consequences.grace).toBe(lang === 'en' ? '7 days' : '7 jours');
      const facts = tableFacts(map, notice, lang);
      const kept = facts.filter((f) => f.personal && f.erasure.treatment !== 'delete');
      expect(consequences.kept.length + consequences.pseudonymised.length).toBe(kept.length);
      expect(consequences.kept.every((k) => k.reason.length > 0)).toBe(true);
    }
    const en = erasureConsequences(map, notice, 'en');
    expect(en.kept.map((k) => k.purpose)).toEqual(
      expect.arrayContaining([map.tables.audit_events?.purpose, map.tables.bans?.purpose]),
    );
    expect(en.pseudonymised.map((k) => k.purpose)).toContain(map.tables.reports?.purpose);
    expect(en.deleted).toContain(map.tables.follows?.purpose);
  });
});
