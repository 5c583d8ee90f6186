import { Hono } from 'hono';
import { openAPIRouteHandler } from 'hono-openapi';
import packageJson from '../package.json' with { type: 'json' };
import type { AppDeps, AppEnv } from './http/app-env';
import { installErrorHandling, installMiddleware } from './http/middleware';
import { createStreamRegistry } from './http/streams';
import { livekitWebhookRoutes } from './livekit/webhook.routes';
import { authRoutes } from './modules/auth/auth.routes';
import { csrfMiddleware, sessionMiddleware } from './modules/auth/sessions';
import { clubsRoutes } from './modules/clubs/clubs.routes';
import { devClockRoutes } from './modules/dev/clock.routes';
import { healthRoutes } from './modules/health/health.routes';
import { invitesRoutes } from './modules/invites/invites.routes';
import { meRoutes } from './modules/me/me.routes';
import { metaRoutes } from './modules/meta/meta.routes';
import { moderationRoutes } from './modules/moderation/moderation.routes';
import { notificationsRoutes } from './modules/notifications/notifications.routes';
import { createNotificationHub } from './modules/notifications/stream';
import { peopleRoutes } from './modules/people/people.routes';
import { devRoutes } from './modules/phone/dev.routes';
import { privacyRoutes } from './modules/privacy/privacy.routes';
import { reportsRoutes } from './modules/reports/reports.routes';
import { roomsRoutes } from './modules/rooms/rooms.routes';
import { createRoomHub } from './modules/rooms/stream';
import { staffRoutes } from './modules/staff/staff.routes';

export type { AppDeps } from './http/app-env';

export function createApp(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  installMiddleware(app, deps.config, deps.logger);
  installErrorHandling(app, deps.logger);
  app.use('/v1/*', csrfMiddleware(deps.config), sessionMiddleware(deps));
  const streams = deps.streams ?? createStreamRegistry(deps);

  const routes = app
    .route('/', healthRoutes(deps))
    .route('/v1', metaRoutes(deps))
    .route('/v1/auth', authRoutes(deps))
    .route('/v1/me', meRoutes(deps))
    .route('/v1/invites', invitesRoutes(deps))
    .route('/v1', peopleRoutes(deps))
    .route('/v1/privacy', privacyRoutes(deps))
    .route('/v1/clubs', clubsRoutes(deps))
    .route('/v1/notifications', notificationsRoutes(deps, createNotificationHub(deps), streams))
    .route('/v1', roomsRoutes(deps, deps.roomHub ?? createRoomHub(deps), streams))
    .route('/v1', reportsRoutes(deps))
    .route('/v1', moderationRoutes(deps))
    .route('/v1/mod/staff', staffRoutes(deps))
    .route('/v1/livekit', livekitWebhookRoutes(deps));
  if (deps.config.env !== 'production' && deps.config.sms.provider === 'outbox') {
    app.route('/v1/dev', devRoutes(deps));
    if (deps.devClock) app.route('/v1/dev', devClockRoutes(deps.devClock));
  }
  app.get(
    '/v1/openapi.json',
    openAPIRouteHandler(app, {
      documentation: {
        info: {
          title: 'Salon API',
          version: packageJson.version,
          description: 'Privacy-first live audio rooms.',
        },
        servers: [{ url: deps.config.publicUrl.origin }],
      },
    }),
  );
  return routes;
}

/** The typed shape of the API, for `hc<AppType>` in the web app. */
export type AppType = ReturnType<typeof createApp>;
