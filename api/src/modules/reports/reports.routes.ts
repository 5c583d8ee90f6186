import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../../http/app-env';
import { JSON_BODY, json, routeDocs, SIGNED_IN, WRITE } from '../../http/openapi';
import { validate } from '../../http/validate';
import { requireAuth } from '../auth/sessions';
import { myReportsResponse, reportCreated } from './reports.responses';
import { createReportBody } from './reports.schemas';
import { createReport, myReports } from './reports.service';

const doc = routeDocs('reports');

/** Mounted at /v1: `POST /v1/reports`, `GET /v1/me/reports`. */
export function reportsRoutes(deps: AppDeps) {
  return new Hono<AppEnv>()
    .post(
      '/reports',
      doc({
        summary: 'Report a room or a person (DSA art. 16)',
        ok: json(reportCreated, 'The report is filed; moderators take it from the queue', 201),
        errors: [
          ...SIGNED_IN,
          ...JSON_BODY,
          ...WRITE,
          'report.target_required',
          'report.law_required',
          'report.self',
          'report.at_requires_room',
          'report.rate_limited',
          'report.target_not_found',
          'report.at_outside_room',
        ],
      }),
      validate('json', createReportBody),
      async (c) => c.json(await createReport(deps, requireAuth(c).userId, c.req.valid('json')), 201),
    )
    .get(
      '/me/reports',
      doc({
        summary: 'The reports I made and their outcome',
        ok: json(myReportsResponse, 'Newest first, at most 200'),
        errors: SIGNED_IN,
      }),
      async (c) => c.json(await myReports(deps, requireAuth(c).userId), 200),
    );
}
