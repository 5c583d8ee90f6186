import { type ApiResult, callApi } from '$lib/api';
import type {
  Appeal,
  AppealOutcome,
  Decision,
  MyReport,
  NewDecision,
  NewReport,
  Playback,
  QueueFilters,
  ReportCase,
  ReportQueuePage,
  ReportSummary,
  StaffAppeal,
  StaffMember,
  StaffRole,
} from './types';

/**
 * The moderation endpoints. Reads take the `fetch` a load hands over (so server rendering
 * forwards the visitor's cookie); writes run in the browser, where fetch sends this site's
 * Origin, which the API requires of cookie-authenticated writes. Like callApi, nothing throws.
 */

const JSON_HEADERS = { accept: 'application/json', 'content-type': 'application/json' };
const seg = encodeURIComponent;

function get<T>(fetchImpl: typeof fetch, path: string): Promise<ApiResult<T>> {
  return callApi(() => fetchImpl(path, { headers: { accept: 'application/json' } })) as Promise<ApiResult<T>>;
}

function send<T>(method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<ApiResult<T>> {
  return callApi(() =>
    fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? { accept: 'application/json' } : JSON_HEADERS,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
  ) as Promise<ApiResult<T>>;
}

// --- Member side -------------------------------------------------------------------------------

export function createReport(report: NewReport) {
  return send<{ report: { id: string; status: 'open'; createdAt: string } }>('POST', '/v1/reports', report);
}

export function loadMyReports(fetchImpl: typeof fetch) {
  return get<{ reports: MyReport[] }>(fetchImpl, '/v1/me/reports');
}

export function loadMyDecisions(fetchImpl: typeof fetch) {
  return get<{ decisions: Decision[] }>(fetchImpl, '/v1/me/decisions');
}

export function appeal(decisionId: string, text: string) {
  return send<{ appeal: Appeal }>('POST', `/v1/me/decisions/${seg(decisionId)}/appeal`, { text });
}

// --- Staff side --------------------------------------------------------------------------------

/** The query string of the queue, without the defaults (so the page's URL stays short). */
export function queueQuery(filters: QueueFilters, cursor?: string | null): string {
  const query = new URLSearchParams({ status: filters.status, claim: filters.claim });
  if (filters.category) query.set('category', filters.category);
  if (cursor) query.set('cursor', cursor);
  return query.toString();
}

export function loadQueue(fetchImpl: typeof fetch, filters: QueueFilters, cursor?: string | null) {
  return get<ReportQueuePage>(fetchImpl, `/v1/mod/reports?${queueQuery(filters, cursor)}`);
}

export function loadCase(fetchImpl: typeof fetch, id: string) {
  return get<ReportCase>(fetchImpl, `/v1/mod/reports/${seg(id)}`);
}

export function claimReport(id: string) {
  return send<{ report: ReportSummary }>('POST', `/v1/mod/reports/${seg(id)}/claim`);
}

export function releaseReport(id: string) {
  return send<unknown>('POST', `/v1/mod/reports/${seg(id)}/release`);
}

export function startPlayback(reportId: string, recordingId: string, reason: string) {
  return send<Playback>('POST', `/v1/mod/reports/${seg(reportId)}/playbacks`, { recordingId, reason });
}

export function decide(reportId: string, decision: NewDecision) {
  return send<{ decision: Decision }>('POST', `/v1/mod/reports/${seg(reportId)}/decision`, decision);
}

export function loadAppeals(fetchImpl: typeof fetch) {
  return get<{ appeals: StaffAppeal[] }>(fetchImpl, '/v1/mod/appeals?status=open');
}

export function decideAppeal(id: string, outcome: AppealOutcome, reasons: string) {
  return send<unknown>('POST', `/v1/mod/appeals/${seg(id)}/decision`, { outcome, reasons });
}

export function loadStaff(fetchImpl: typeof fetch) {
  return get<{ staff: StaffMember[] }>(fetchImpl, '/v1/mod/staff');
}

export function grantStaff(username: string, role: StaffRole) {
  return send<unknown>('PUT', `/v1/mod/staff/${seg(username)}`, { role });
}

export function revokeStaff(username: string) {
  return send<unknown>('DELETE', `/v1/mod/staff/${seg(username)}`);
}

/** `depends()` key of a report's page, invalidated after a claim, a release or a decision. */
export const REPORT_DEPENDENCY = 'salon:mod-report';
