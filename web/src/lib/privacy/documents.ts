import { callApi, createApiClient } from '$lib/api';
import type { PolicyDocument } from './types';

export type DocumentKind = 'notice' | 'record' | 'dpia';

/**
 * A policy document in both languages (it is small): the page shows the one of the current
 * language, and still has the right one after an in-place language switch, which does not
 * run loads again. Null when the API could not answer (the page says so).
 */
export async function loadDocument(
  fetchImpl: typeof fetch,
  kind: DocumentKind,
): Promise<{ en: PolicyDocument; fr: PolicyDocument } | null> {
  const api = createApiClient(fetchImpl).v1.privacy;
  const endpoint = kind === 'notice' ? api.notice : kind === 'record' ? api.record : api.dpia;
  const [en, fr] = await Promise.all([
    callApi(endpoint.$get({ query: { lang: 'en' } })),
    callApi(endpoint.$get({ query: { lang: 'fr' } })),
  ]);
  return en.ok && fr.ok ? { en: en.data, fr: fr.data } : null;
}
