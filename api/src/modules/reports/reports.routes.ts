import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import type { AppDeps, AppEnv } from '../../http/app-env';
import { validate } from '../../http/validate';
import { requireAuth } from '../auth/sessions';
import { createReportBody } from './reports.schemas';
import { createReport, myReports } from './reports.service';

const doc = (summary: string) => describeRoute({ summary, tags: ['reports'] });

/** Mounted at /v1: `POST /v1/reports`, `GET /v1/me/reports`. */
export function reportsRoutes(deps: AppDeps) {
  return new Hono<AppEnv>()
    .post(
      '/reports',
      doc('Report a room or a person (DSA art. 16)'),
      validate('json', createReportBody),
      async (c) => c.json(await createReport(deps, requireAuth(c).userId, c.req.valid('json')), 201),
    )
    .get('/me/reports', doc('The reports I made and their outcome'), async (c) =>
      c.json(await myReports(deps, requireAuth(c).userId), 200),
    );
}
