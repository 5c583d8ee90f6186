import type { Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import type { Config } from '../env';
import type { Logger } from '../logger';
import type { AppEnv } from './app-env';
import { AppError, databaseUnavailable, type ErrorBody, errors } from './errors';

export function installMiddleware(app: Hono<AppEnv>, config: Config, logger: Logger) {
  app.use(requestId({ limitLength: 64 }));
  app.use(async (c, next) => {
    const started = performance.now();
    await next();
    // The route pattern, not the URL: paths can hold @usernames and query strings search terms.
    logger.info(
      {
        requestId: c.get('requestId'),
        method: c.req.method,
        route: c.req.routePath,
        status: c.res.status,
        ms: Math.round(performance.now() - started),
      },
      'request',
    );
  });
  app.use(
    secureHeaders({
      contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
      referrerPolicy: 'no-referrer',
      strictTransportSecurity:
        config.publicUrl.protocol === 'https:' ? 'max-age=63072000; includeSubDomains' : false,
      crossOriginResourcePolicy: 'same-origin',
      xFrameOptions: 'DENY',
    }),
  );
  const limit = bodyLimit({
    maxSize: config.bodyLimitBytes,
    onError: () => {
      throw errors.tooLarge(config.bodyLimitBytes);
    },
  });
  // A GET or HEAD with neither header has no body (HTTP/1.1). Asking for its body anyway makes the
  // Node adapter build a full web Request (headers copied, an AbortController) that lives as long
  // as the response: for a Server-Sent Events stream, for hours, thousands of times over. Every
  // other method is measured, whatever its headers say.
  const bodiless = (c: Context<AppEnv>) =>
    (c.req.method === 'GET' || c.req.method === 'HEAD') &&
    c.req.header('content-length') === undefined &&
    c.req.header('transfer-encoding') === undefined;
  app.use('/v1/*', (c, next) => (bodiless(c) ? next() : limit(c, next)));
}

export function installErrorHandling(app: Hono<AppEnv>, logger: Logger) {
  app.notFound((c) => c.json(envelope(errors.notFound(), c.get('requestId')), 404));
  app.onError((error, c) => {
    const id = c.get('requestId') ?? 'unknown';
    let known: AppError;
    if (error instanceof AppError) known = error;
    else if (error instanceof HTTPException && error.status === 400) known = errors.malformed();
    else if (error instanceof HTTPException && error.status < 500) {
      known = new AppError(error.status, 'request.rejected', error.message || 'The request was rejected.');
    } else if (databaseUnavailable(error)) {
      // Expected while the database restarts or fails over: the client is told when to come back.
      logger.warn({ requestId: id, err: error }, 'database unavailable');
      known = errors.unavailable();
    } else {
      logger.error({ requestId: id, err: error }, 'unhandled error');
      known = errors.internal();
    }
    if (known.retryAfterSeconds !== undefined) c.header('Retry-After', String(known.retryAfterSeconds));
    return c.json(envelope(known, id), known.status);
  });
}

function envelope(error: AppError, requestId: string): ErrorBody {
  return { error: { code: error.code, message: error.message, details: error.details }, requestId };
}
