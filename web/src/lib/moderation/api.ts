import { browserApi, callApi, createApiClient } from '$lib/api';
import type { AppealOutcome, NewDecision, NewReport, QueueFilters, StaffRole } from './types';

/**
 * The moderation endpoints, through the typed client like every other call: the answers are the
 * routes' own types. Reads take the `fetch` a load hands over (so server rendering forwards the
 * visitor's cookie); writes run in the browser, where fetch sends this site's Origin, which the
 * API requires of cookie-authenticated writes. Like callApi, nothing throws.
 */

/** The staff routes, with the `fetch` of a load, or the browser's for writes. */
const mod = (fetchImpl?: typeof fetch) => (fetchImpl ? createApiClient(fetchImpl) : browserApi()).v1.mod;

// --- Member side -------------------------------------------------------------------------------

export function createReport(report: NewReport) {
  return callApi(browserApi().v1.reports.$post({ json: report }));
}

export function loadMyReports(fetchImpl: typeof fetch) {
  return callApi(createApiClient(fetchImpl).v1.me.reports.$get());
}

export function loadMyDecisions(fetchImpl: typeof fetch) {
  return callApi(createApiClient(fetchImpl).v1.me.decisions.$get());
}

export function appeal(decisionId: string, text: string) {
  return callApi(
    browserApi().v1.me.decisions[':id'].appeal.$post({ param: { id: decisionId }, json: { text } }),
  );
}

// --- Staff side --------------------------------------------------------------------------------

/** The queue's query; an empty category or cursor is left out. */
function queueParams(filters: QueueFilters, cursor?: string | null) {
  return {
    status: filters.status,
    claim: filters.claim,
    ...(filters.category ? { category: filters.category } : {}),
    ...(cursor ? { cursor } : {}),
  };
}

export function loadQueue(fetchImpl: typeof fetch, filters: QueueFilters, cursor?: string | null) {
  return callApi(mod(fetchImpl).reports.$get({ query: queueParams(filters, cursor) }));
}

export function loadCase(fetchImpl: typeof fetch, id: string) {
  return callApi(mod(fetchImpl).reports[':id'].$get({ param: { id } }));
}

export function claimReport(id: string) {
  return callApi(mod().reports[':id'].claim.$post({ param: { id } }));
}

export function releaseReport(id: string) {
  return callApi(mod().reports[':id'].release.$post({ param: { id } }));
}

export function startPlayback(reportId: string, recordingId: string, reason: string) {
  return callApi(
    mod().reports[':id'].playbacks.$post({ param: { id: reportId }, json: { recordingId, reason } }),
  );
}

export function decide(reportId: string, decision: NewDecision) {
  return callApi(mod().reports[':id'].decision.$post({ param: { id: reportId }, json: decision }));
}

export function loadAppeals(fetchImpl: typeof fetch) {
  return callApi(mod(fetchImpl).appeals.$get({ query: { status: 'open' } }));
}

export function decideAppeal(id: string, outcome: AppealOutcome, reasons: string) {
  return callApi(mod().appeals[':id'].decision.$post({ param: { id }, json: { outcome, reasons } }));
}

export function loadStaff(fetchImpl: typeof fetch) {
  return callApi(mod(fetchImpl).staff.$get());
}

export function grantStaff(username: string, role: StaffRole) {
  return callApi(mod().staff[':username'].$put({ param: { username }, json: { role } }));
}

export function revokeStaff(username: string) {
  return callApi(mod().staff[':username'].$delete({ param: { username } }));
}

/** `depends()` key of a report's page, invalidated after a claim, a release or a decision. */
export const REPORT_DEPENDENCY = 'salon:mod-report';
