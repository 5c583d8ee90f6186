import type { DataMap } from '../index';
import {
  fill,
  type Lang,
  type Localized,
  type RenderedDocument,
  type Section,
  type Settings,
  section,
} from './document';
import { placeholders, tableFacts } from './facts';
import type { Notice } from './notice-text';

type NoticeSection = { heading: Localized; text: Localized[]; items: Localized[] };

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
