/**
 * The privacy documents, rendered from the data map (policies/data-map.yaml) with the fixed text
 * of policies/notice.yaml and the assessment in policies/dpia.yaml: the privacy notice (GDPR
 * art. 13), the record of processing activities (art. 30) and the DPIA summary (art. 35), in
 * English and French. Everything here is pure: the same inputs give the same document, which the
 * API serves as JSON and the web app lays out. One module per document under render/; the data
 * map in words, which they share with the privacy centre, is render/facts.ts.
 */

export {
  type DocumentTable,
  type Field,
  formatPeriod,
  LANGS,
  type Lang,
  type Localized,
  type RenderedDocument,
  type Section,
  type Settings,
} from './render/document';
export { type Dpia, dpiaFile, loadDpia, renderDpia } from './render/dpia';
export {
  type ErasureConsequences,
  erasureConsequences,
  legalBasisText,
  retentionText,
  type TableFacts,
  tableFacts,
  translationProblems,
} from './render/facts';
export { renderNotice } from './render/notice';
export { loadNotice, type Notice, noticeFile } from './render/notice-text';
export { renderRecord } from './render/record';
