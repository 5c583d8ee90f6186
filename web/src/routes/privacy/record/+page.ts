import { loadDocument } from '$lib/privacy/documents';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch }) => ({ documents: await loadDocument(fetch, 'record') });
