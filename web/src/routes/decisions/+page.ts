import { redirect } from '@sveltejs/kit';
import { loadMyDecisions, loadMyReports } from '$lib/moderation/api';
import { summarizeModFailure } from '$lib/moderation/errors';
import { loginPath } from '$lib/session';
import type { PageLoad } from './$types';

/**
 * Decisions about me and my reports. Not gated on `data.me`: a suspended or banned member is
 * refused by `GET /v1/me` yet may still read their statements of reasons here and appeal, so
 * this page asks the API directly and only a 401 sends to the sign-in page; any other failure is
 * said on the page, in words.
 */
const RESTRICTED = new Set(['account.suspended', 'account.banned']);

export const load: PageLoad = async ({ url, fetch }) => {
  const [decisions, reports] = await Promise.all([loadMyDecisions(fetch), loadMyReports(fetch)]);
  if (!decisions.ok && decisions.error.status === 401) redirect(307, loginPath(url.pathname));
  return {
    decisions: decisions.ok ? decisions.data.decisions : null,
    decisionsProblem: decisions.ok ? null : summarizeModFailure(decisions.error),
    reports: reports.ok ? reports.data.reports : null,
    // A suspended or banned account is refused its list of reports: the page says so plainly.
    reportsRestricted: !reports.ok && RESTRICTED.has(reports.error.code),
    reportsProblem:
      reports.ok || RESTRICTED.has(reports.error.code) ? null : summarizeModFailure(reports.error),
  };
};
