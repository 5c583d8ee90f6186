import { type QueueFilters, REPORT_CATEGORIES, type ReportCategory } from './types';

/** The queue's filters from the page's URL; anything unknown falls back to the default. */
export function filtersFrom(params: URLSearchParams): QueueFilters {
  const status = params.get('status') === 'decided' ? 'decided' : 'open';
  const claimParam = params.get('claim');
  const claim = claimParam === 'mine' || claimParam === 'unclaimed' ? claimParam : 'any';
  const categoryParam = params.get('category') ?? '';
  const category = (REPORT_CATEGORIES as readonly string[]).includes(categoryParam)
    ? (categoryParam as ReportCategory)
    : '';
  return { status, category, claim };
}

/** The queue page's address for these filters (defaults left out). */
export function queuePath(filters: QueueFilters): string {
  const query = new URLSearchParams();
  if (filters.status !== 'open') query.set('status', filters.status);
  if (filters.category) query.set('category', filters.category);
  if (filters.claim !== 'any') query.set('claim', filters.claim);
  const text = query.toString();
  return text ? `/mod?${text}` : '/mod';
}

export function reportPath(id: string): string {
  return `/mod/reports/${encodeURIComponent(id)}`;
}
